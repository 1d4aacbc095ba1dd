import { BodyIndex } from './body-index.js';
import type { Tok } from './normalizer.js';
import { sameWord } from './phrases.js';

// Candidates and their ranking for one message over the whole catalogue. Every text of a record counts:
// its name most, then the phrasings officials gave it (aliases, taught phrases), then what tells records
// apart beyond the name (result document, field, who it is for, the body). Words are weighted by how rare
// they are in the catalogue, single words and word pairs alike, so "khai sinh" outweighs "đăng ký" and
// "có yếu tố nước ngoài" separates a record from its base.

export interface ProcedureTexts {
  /** Content words of the name (function words and level suffixes already removed). */
  name: Tok[];
  /** Content words of each other phrasing (aliases, phrases officials taught). */
  phrases: Tok[][];
  /** Content words of the result, field, eligible persons and bodies. */
  side: Tok[];
  /** Same key = the same procedure published at several levels. */
  familyKey: string;
  /** Folded content words of everything else the record says (documents, conditions, result, steps). */
  body: string[];
}

export interface RankOptions {
  /** Weight of a word pair relative to a single word. */
  pairWeight: number;
  /** Words that count for little (folded, single words): "thẻ", "giấy", "cấp"... */
  weakWords?: ReadonlySet<string>;
  /** ...and their share of a word's weight. */
  weakWeight?: number;
  /** Share of credit for a query word explained only by the result/field/eligibility/body texts. */
  sideCredit: number;
  /** Exponent of name coverage in the score (the rest goes to how much of the message is explained). */
  nameExponent: number;
  /** Score of a match through an alias relative to the same match through the name. */
  phraseWeight: number;
  /** How many candidates get the full scoring after the cheap postings pass. */
  shortlist: number;
  /**
   * How fast the words of a long name lose weight after its first four: the head of an official name says
   * what the procedure is, its tail qualifies it, and a citizen rarely repeats the tail.
   */
  nameDecay: number;
  /**
   * Extra weight of a word by how few of the shortlisted records contain it: among near-identical records the
   * words that tell them apart ("lại", "đổi", "nước ngoài") count most, however common they are in the catalogue.
   */
  localBoost: number;
}

export interface Ranked<T> {
  item: T;
  score: number;
  /** Share of the name's (or best phrase's) weight the message contains. */
  nameCov: number;
  /** Share of the message's weight this record explains. */
  queryCov: number;
  /** Weight of the message this record explains (absolute evidence). */
  evidence: number;
  familyKey: string;
  /** What the learned ranker reads besides the above (see ranker.ts). */
  signals: MatchSignals;
  /** The index's own score, when `score` has become the ranker's probability. */
  indexScore?: number;
}

export interface MatchSignals {
  /** Coverage of the official name alone, and of the best other phrasing (0 without one). */
  nameOnly: number;
  alias: number;
  /** Share of the name's first three words the message contains (what the procedure is, before qualifiers). */
  head: number;
  /** Share of the message explained only by the result, field or body. */
  side: number;
  /** The rarest word the record explains, relative to the rarest word of the message. */
  rare: number;
  /** Share of the name's weight in words that tell the shortlisted records apart and the message lacks. */
  missing: number;
  /** BM25 of the record's other texts, relative to the best shortlisted record. */
  body: number;
}

interface Part { uni: Array<{ t: Tok; m: number }>; bi: Array<{ p: [Tok, Tok]; m: number }>; mass: number }
interface Doc<T> { item: T; name: Part; phrases: Part[]; side: Part; familyKey: string }
interface Query {
  uni: Map<string, Tok[]>;
  /** Ordered word pairs up to PAIR_SPAN apart: citizens put words between the two halves of a term. */
  bi: Map<string, Array<[Tok, Tok]>>;
  mass: number;
  /** What the message's weight is made of: its words and its adjacent pairs. */
  units: Array<{ key: string; w: number }>;
}

const PAIR_SPAN = 3;
/** Records the body texts bring into the shortlist whatever their names say. */
const BODY_CANDIDATES = 10;

interface Match {
  /** The name, then each phrasing (with the name's words): how much of it the message covers, and what it explains. */
  parts: Array<{ cov: number; keys: Set<string>; weight: number }>;
  /** Message words explained only by the result, field or body. */
  side: Set<string>;
  explainedKeys: Set<string>;
}

const pairKey = (a: Tok, b: Tok) => `${a.f} ${b.f}`;

export class ProcedureIndex<T> {
  private readonly docs: Doc<T>[] = [];
  private readonly postings = new Map<string, number[]>();
  private readonly idf = new Map<string, number>();
  private readonly body: BodyIndex;

  constructor(entries: Array<{ item: T; texts: ProcedureTexts }>, private readonly options: RankOptions) {
    const df = new Map<string, number>();
    for (const { texts } of entries) {
      const keys = new Set<string>();
      for (const toks of [texts.name, ...texts.phrases, texts.side]) {
        toks.forEach((t, i) => {
          keys.add(t.f);
          if (i + 1 < toks.length) keys.add(pairKey(t, toks[i + 1]));
        });
      }
      for (const k of keys) df.set(k, (df.get(k) ?? 0) + 1);
    }
    const n = Math.max(entries.length, 1);
    const weak = options.weakWords ?? new Set<string>();
    const weakWeight = options.weakWeight ?? 1;
    for (const [k, count] of df) {
      const words = k.split(' ');
      this.idf.set(k, Math.log(1 + n / count) * (words.some((w) => weak.has(w)) ? weakWeight : 1));
    }
    this.body = new BodyIndex(entries.map((e) => e.texts.body));
    entries.forEach(({ item, texts }, id) => {
      const doc: Doc<T> = {
        item,
        name: this.part(texts.name, options.nameDecay),
        phrases: texts.phrases.map((p) => this.part(p)).filter((p) => p.mass > 0),
        side: this.part(texts.side),
        familyKey: texts.familyKey,
      };
      this.docs.push(doc);
      // Words and word pairs of the name and phrasings, and words of the side texts, point to the record.
      const keys = new Set<string>();
      for (const p of [doc.name, ...doc.phrases]) {
        for (const { t } of p.uni) keys.add(t.f);
        for (const { p: pair } of p.bi) keys.add(pairKey(pair[0], pair[1]));
      }
      for (const { t } of doc.side.uni) keys.add(t.f);
      for (const k of keys) {
        const list = this.postings.get(k) ?? [];
        list.push(id);
        this.postings.set(k, list);
      }
    });
  }

  get size(): number {
    return this.docs.length;
  }

  /** How rare a word is in the catalogue (0 for a word no record uses). */
  weightOf(word: string): number {
    return this.idf.get(word) ?? 0;
  }

  /** Records ranked for the message's content words (several readings of the message: the best counts). */
  rank(readings: Tok[][], limit: number): Ranked<T>[] {
    const best = new Map<number, Ranked<T>>();
    for (const toks of readings) {
      const plain = this.query(toks, () => 1);
      if (plain.mass === 0) continue;
      const bodyScores = this.body.scores(toks.filter((t) => t.w !== 0).map((t) => t.f));
      const byBody = [...bodyScores.entries()].sort((a, b) => b[1] - a[1]).slice(0, BODY_CANDIDATES).map(([id]) => id);
      const ids = [...new Set([...this.shortlist(plain), ...byBody])];
      const bestBody = Math.max(0, ...ids.map((id) => bodyScores.get(id) ?? 0));
      const local = this.localWeights(ids);
      const q = this.query(toks, local);
      const matches = ids.map((id) => this.match(this.docs[id], q, local));
      // Words no shortlisted record explains ("sắp", "tròn", a name, a date) do not separate them: only the
      // words some record explains are the message's weight.
      const relevant = new Set(matches.flatMap((m) => [...m.explainedKeys]));
      const mass = q.units.reduce((s, u) => s + (relevant.has(u.key) ? u.w : 0), 0);
      if (mass === 0) continue;
      const rarest = Math.max(0, ...q.units.filter((u) => relevant.has(u.key) && !u.key.includes(' ')).map((u) => this.weightOf(u.key)));
      matches.forEach((m, i) => {
        const r = this.score(this.docs[ids[i]], m, q, { mass, rarest, local, body: bestBody > 0 ? (bodyScores.get(ids[i]) ?? 0) / bestBody : 0 });
        const prev = best.get(ids[i]);
        if (!prev || r.score > prev.score) best.set(ids[i], r);
      });
    }
    return [...best.values()].sort((a, b) => b.score - a.score).slice(0, limit);
  }

  /** Multiplier of each word by how few of these records' names contain it (1 for words in all or none). */
  private localWeights(ids: number[]): (key: string) => number {
    const df = new Map<string, number>();
    for (const id of ids) {
      const d = this.docs[id];
      const keys = new Set<string>();
      for (const p of [d.name, ...d.phrases]) for (const { t } of p.uni) keys.add(t.f);
      for (const k of keys) df.set(k, (df.get(k) ?? 0) + 1);
    }
    const n = ids.length;
    const boost = this.options.localBoost;
    const of = (word: string) => {
      const count = df.get(word);
      return count === undefined || n < 2 ? 1 : 1 + boost * (1 - (count - 1) / (n - 1));
    };
    return (key: string) => {
      const space = key.indexOf(' ');
      return space < 0 ? of(key) : Math.max(of(key.slice(0, space)), of(key.slice(space + 1)));
    };
  }

  private part(toks: Tok[], decay = 0): Part {
    const at = (i: number) => 1 / (1 + decay * Math.max(0, i - 3));
    const seen = new Set<string>();
    const uni: Part['uni'] = [];
    toks.forEach((t, i) => {
      if (!seen.has(t.f)) {
        seen.add(t.f);
        uni.push({ t, m: at(i) });
      }
    });
    const bi: Part['bi'] = [];
    const seenPairs = new Set<string>();
    for (let i = 0; i + 1 < toks.length; i++) {
      const k = pairKey(toks[i], toks[i + 1]);
      if (!seenPairs.has(k)) {
        seenPairs.add(k);
        bi.push({ p: [toks[i], toks[i + 1]], m: at(i) });
      }
    }
    const mass = this.massOf({ uni, bi, mass: 0 }, () => 1);
    return { uni, bi, mass };
  }

  private massOf(part: Part, local: (key: string) => number): number {
    return part.uni.reduce((s, { t, m }) => s + m * local(t.f) * this.weightOf(t.f), 0)
      + this.options.pairWeight * part.bi.reduce((s, { p, m }) => {
        const k = pairKey(p[0], p[1]);
        return s + m * local(k) * this.weightOf(k);
      }, 0);
  }

  private query(toks: Tok[], local: (key: string) => number): Query {
    const uni = new Map<string, Tok[]>();
    const bi = new Map<string, Array<[Tok, Tok]>>();
    const units: Query['units'] = [];
    let mass = 0;
    const seenUnits = new Set<string>();
    toks.forEach((t, i) => {
      if (!seenUnits.has(t.f)) {
        seenUnits.add(t.f);
        const w = (t.w ?? 1) * local(t.f) * this.weightOf(t.f);
        units.push({ key: t.f, w });
        mass += w;
      }
      uni.set(t.f, [...(uni.get(t.f) ?? []), t]);
      for (let j = i + 1; j < toks.length && j <= i + PAIR_SPAN; j++) {
        const k = pairKey(t, toks[j]);
        if (j === i + 1 && !seenUnits.has(k)) {
          seenUnits.add(k);
          const w = Math.min(t.w ?? 1, toks[j].w ?? 1) * local(k) * this.options.pairWeight * this.weightOf(k);
          units.push({ key: k, w });
          mass += w;
        }
        // Either order: "căn cước hết hạn đổi" asks for "đổi thẻ căn cước".
        bi.set(k, [...(bi.get(k) ?? []), [t, toks[j]]]);
        const back = pairKey(toks[j], t);
        bi.set(back, [...(bi.get(back) ?? []), [toks[j], t]]);
      }
    });
    return { uni, bi, mass, units };
  }

  /** Records sharing rare words with the message, best first by the words they share. */
  private shortlist(q: Query): number[] {
    const acc = new Map<number, number>();
    for (const u of q.units) {
      for (const id of this.postings.get(u.key) ?? []) acc.set(id, (acc.get(id) ?? 0) + u.w);
    }
    return [...acc.entries()].sort((a, b) => b[1] - a[1]).slice(0, this.options.shortlist).map(([id]) => id);
  }

  private has(q: Query, t: Tok): boolean {
    return (q.uni.get(t.f) ?? []).some((typed) => sameWord(typed, t));
  }

  private hasPair(q: Query, p: [Tok, Tok]): boolean {
    return (q.bi.get(pairKey(p[0], p[1])) ?? []).some(([a, b]) => sameWord(a, p[0]) && sameWord(b, p[1]));
  }

  /** Weight of the part's words the message contains, and the message's units the part explains. */
  private overlap(part: Part, q: Query, explained: Set<string>, local: (key: string) => number): number {
    let matched = 0;
    for (const { t, m } of part.uni) {
      if (this.has(q, t)) {
        matched += m * local(t.f) * this.weightOf(t.f);
        explained.add(t.f);
      }
    }
    for (const { p, m } of part.bi) {
      if (this.hasPair(q, p)) {
        const k = pairKey(p[0], p[1]);
        matched += m * local(k) * this.options.pairWeight * this.weightOf(k);
        explained.add(k);
      }
    }
    return matched;
  }

  /** What a record's name, each phrasing and its side texts share with the message. */
  private match(doc: Doc<T>, q: Query, local: (key: string) => number): Match {
    const side = new Set<string>();
    this.overlap(doc.side, q, side, local);
    const nameKeys = new Set<string>();
    const nameMatched = this.overlap(doc.name, q, nameKeys, local);
    const nameMass = this.massOf(doc.name, local);
    const parts = [{ cov: nameMass > 0 ? nameMatched / nameMass : 0, keys: nameKeys, weight: 1 }];
    for (const phrase of doc.phrases) {
      const keys = new Set<string>();
      const cov = this.overlap(phrase, q, keys, local) / this.massOf(phrase, local);
      if (cov > 0) parts.push({ cov, keys: new Set([...keys, ...nameKeys]), weight: this.options.phraseWeight });
    }
    const explainedKeys = new Set([...parts.flatMap((p) => [...p.keys]), ...side]);
    return { parts, side, explainedKeys };
  }

  private score(doc: Doc<T>, m: Match, q: Query, ctx: { mass: number; rarest: number; local: (key: string) => number; body: number }): Ranked<T> {
    const { nameExponent: e, sideCredit, localBoost } = this.options;
    let best: Omit<Ranked<T>, 'signals'> | undefined;
    let sideOnly = 0;
    for (const part of m.parts) {
      let full = 0;
      let side = 0;
      for (const u of q.units) {
        if (part.keys.has(u.key)) full += u.w;
        else if (m.side.has(u.key)) side += u.w;
      }
      const evidence = full + sideCredit * side;
      const queryCov = Math.min(1, evidence / ctx.mass);
      const score = part.weight * part.cov ** e * queryCov ** (1 - e);
      if (!best || score > best.score) {
        best = { item: doc.item, familyKey: doc.familyKey, nameCov: part.cov, queryCov, evidence, score };
        sideOnly = side / ctx.mass;
      }
    }
    const name = doc.name.uni;
    const head = name.slice(0, 3);
    const nameMass = this.massOf(doc.name, ctx.local) || 1;
    const explained = new Set(m.parts.flatMap((p) => [...p.keys]));
    const rareMatched = Math.max(0, ...[...explained].filter((k) => !k.includes(' ')).map((k) => this.weightOf(k)));
    const missing = name.filter(({ t }) => !this.has(q, t) && ctx.local(t.f) >= 1 + localBoost / 2)
      .reduce((sum, { t, m: at }) => sum + at * ctx.local(t.f) * this.weightOf(t.f), 0);
    return {
      ...best!,
      signals: {
        nameOnly: m.parts[0].cov,
        alias: Math.max(0, ...m.parts.slice(1).map((p) => p.cov)),
        head: head.length ? head.filter(({ t }) => this.has(q, t)).length / head.length : 0,
        side: sideOnly,
        rare: ctx.rarest > 0 ? Math.min(1, rareMatched / ctx.rarest) : 0,
        missing: missing / nameMass,
        body: ctx.body,
      },
    };
  }
}
