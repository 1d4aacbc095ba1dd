import { BodyIndex } from './body-index.js';
import { eachOf, mapOf, type Work } from './work.js';
import type { Tok } from './normalizer.js';

// Candidates and their ranking for one message over the whole catalogue. Every text of a record counts:
// its name most, then the phrasings officials gave it (aliases, taught phrases), then what tells records
// apart beyond the name (result document, field, the body). Words are weighted by how rare they are in the
// catalogue, single words and word pairs alike, so "khai sinh" outweighs "đăng ký" and "có yếu tố nước ngoài"
// separates a record from its base. Words and pairs are interned as numbers when the index is built: a message
// is matched with array and number operations only (p99 well under 5 ms over the national catalogue).

export interface ProcedureTexts {
  /** Content words of the name (function words and level suffixes already removed). */
  name: Tok[];
  /** Content words of each other phrasing (aliases, phrases officials taught). */
  phrases: Tok[][];
  /** Content words of the result, field and bodies. */
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
  /** Share of credit for a query word explained only by the result/field/body texts. */
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
  /**
   * A word the catalogue writes beside one same other word at least this share of the times it writes it ("đào" of
   * "đào tạo") is that pair's half: in a message without the pair it is another word ("đào đường") and matches
   * nothing. Off when undefined.
   */
  boundShare?: number;
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

export interface Ranked<T> {
  item: T;
  score: number;
  /** Share of the name's (or best phrase's) weight the message contains. */
  nameCov: number;
  /** Share of the message's weight this record explains. */
  queryCov: number;
  /** Weight of the message this record explains (absolute evidence). */
  evidence: number;
  /** The part of `evidence` in words that are not qualifiers (Tok.q): what says the record is the one asked about. */
  core: number;
  familyKey: string;
  /** What the learned ranker reads besides the above (see ranker.ts). */
  signals: MatchSignals;
  /** The index's own score, when `score` has become the ranker's probability. */
  indexScore?: number;
}

/** Ordered word pairs up to this far apart in a message count as a pair: citizens put words between the two halves. */
const PAIR_SPAN = 3;
/** Records the body texts bring into the shortlist whatever their names say. */
const BODY_CANDIDATES = 10;

/**
 * A text's keys: its distinct words, then its distinct pairs of adjacent words, with how each was written
 * (accent keys) and its position weight.
 */
interface Part {
  keys: Int32Array;
  /** Number of single words at the start of `keys` (the rest are pairs). */
  words: number;
  /** Accent key(s) of each key's words, as written; '' where a pair's word has none. */
  accents: string[][];
  /** Position weight of each key (1, or less in the tail of a long name). */
  at: Float64Array;
}
interface Doc<T> { item: T; name: Part; phrases: Part[]; side: Part; familyKey: string }

/** A message: each key it contains, with how its words were typed and the weight the key adds. */
interface Query {
  /** key -> accent keys typed (undefined: typed without diacritics). */
  typed: Map<number, Array<Array<string | undefined>>>;
  /** The message's own units (its words and adjacent pairs), with their weight; `q` when only qualifiers say it. */
  units: Array<{ key: number; w: number; q: boolean }>;
}

export class ProcedureIndex<T> {
  private readonly docs: Doc<T>[] = [];
  private readonly keyIds = new Map<string, number>();
  /** The two words of each pair key (-1 for a word key). */
  private pairOf: Int32Array = new Int32Array(0);
  private secondOf: Int32Array = new Int32Array(0);
  private idf: Float64Array = new Float64Array(0);
  /** Word keys that are a pair's half (see RankOptions.boundShare). */
  private bound = new Set<number>();
  private readonly postings: Int32Array[] = [];
  private body!: BodyIndex;
  /** Scratch: the local weight of each key for the current message (0 = not computed). */
  private local: Float64Array = new Float64Array(0);
  /**
   * Scratch of setLocalWeights: in how many shortlisted records each key occurs (back to 0 after each message), and
   * the last record that counted it (a stamp, so a key a record repeats counts once).
   */
  private dfCount: Int32Array = new Int32Array(0);
  private dfStamp: Int32Array = new Int32Array(0);
  private stamp = 0;

  private constructor(private readonly options: RankOptions) {}

  /** The index of `entries`, built with pause points (see work.ts; `runNow` builds it at once). */
  static *build<T>(entries: Array<{ item: T; texts: ProcedureTexts }>, options: RankOptions): Work<ProcedureIndex<T>> {
    const index = new ProcedureIndex<T>(options);
    yield* index.fill(entries);
    return index;
  }

  private *fill(entries: Array<{ item: T; texts: ProcedureTexts }>): Work<void> {
    const options = this.options;
    const firsts: number[] = [];
    const seconds: number[] = [];
    const intern = (k: string, first = -1, second = -1): number => {
      let id = this.keyIds.get(k);
      if (id === undefined) {
        id = this.keyIds.size;
        this.keyIds.set(k, id);
        firsts[id] = first;
        seconds[id] = second;
      }
      return id;
    };
    const parts = yield* mapOf(entries, ({ texts }) => ({
      name: this.part(texts.name, intern, options.nameDecay),
      phrases: texts.phrases.map((p) => this.part(p, intern)),
      side: this.part(texts.side, intern),
    }));
    this.pairOf = Int32Array.from(firsts);
    this.secondOf = Int32Array.from(seconds);
    // How rare each word and pair is among records (any of their texts), weak words weighed down.
    yield;
    const df = new Float64Array(this.keyIds.size);
    yield* eachOf(parts, (p) => {
      const seen = new Set<number>();
      for (const part of [p.name, ...p.phrases, p.side]) for (const k of part.keys) seen.add(k);
      for (const k of seen) df[k]++;
    }, 64);
    const weak = options.weakWords ?? new Set<string>();
    const weakWeight = options.weakWeight ?? 1;
    const n = Math.max(entries.length, 1);
    this.idf = new Float64Array(this.keyIds.size);
    this.bound = yield* boundWords(parts.flatMap((p) => [p.name, ...p.phrases, p.side]), this.pairOf, this.secondOf, entries.length, options.boundShare);
    yield* eachOf(this.keyIds, ([k, id]) => {
      const isWeak = k.split(' ').some((w) => weak.has(w));
      this.idf[id] = df[id] > 0 ? Math.log(1 + n / df[id]) * (isWeak ? weakWeight : 1) : 0;
    }, 2048);
    // Postings: the name's and phrasings' words and pairs, and the side texts' words.
    yield;
    const lists: number[][] = Array.from({ length: this.keyIds.size }, () => []);
    yield;
    yield* eachOf(entries, ({ item, texts }, id) => {
      const doc: Doc<T> = { item, ...parts[id], phrases: parts[id].phrases.filter((p) => p.keys.length > 0), familyKey: texts.familyKey };
      this.docs.push(doc);
      const keys = new Set<number>();
      for (const part of [doc.name, ...doc.phrases]) for (const k of part.keys) keys.add(k);
      for (let i = 0; i < doc.side.words; i++) keys.add(doc.side.keys[i]);
      for (const k of keys) lists[k].push(id);
    }, 64);
    yield* eachOf(lists, (list) => this.postings.push(Int32Array.from(list)), 2048);
    this.body = yield* BodyIndex.build(entries.map((e) => e.texts.body));
    this.local = new Float64Array(this.keyIds.size);
    this.dfCount = new Int32Array(this.keyIds.size);
    this.dfStamp = new Int32Array(this.keyIds.size);
    this.accumulator = new Float64Array(this.docs.length);
    this.bodyScratch = new Float64Array(this.docs.length);
  }

  get size(): number {
    return this.docs.length;
  }

  /** How rare a word is in the catalogue (0 for a word no record uses). */
  weightOf(word: string): number {
    const id = this.keyIds.get(word);
    return id === undefined ? 0 : this.idf[id];
  }

  /** Records ranked for the message's content words (several readings of the message: the best counts). */
  rank(readings: Tok[][], limit: number): Ranked<T>[] {
    const best = new Map<number, Ranked<T>>();
    for (const toks of readings) {
      const q = this.query(toks);
      if (q.units.every((u) => u.w === 0)) continue;
      const bodyScores = this.bodyScratch;
      const bodyHits = this.body.scores(toks.filter((t) => t.w !== 0).map((t) => t.f), bodyScores);
      const ids = [...new Set([...this.shortlist(q), ...topIds(bodyHits, bodyScores, BODY_CANDIDATES)])];
      let bestBody = 0;
      for (const id of ids) bestBody = Math.max(bestBody, bodyScores[id]);
      const touched = this.setLocalWeights(ids);
      const matches = ids.map((id) => this.match(this.docs[id], q));
      // Words no shortlisted record explains ("sắp", "tròn", a name, a date) do not separate them: only the
      // words some record explains are the message's weight.
      const relevant = new Set<number>();
      for (const m of matches) {
        for (const k of m.side) relevant.add(k);
        for (const p of m.parts) for (const k of p.keys) relevant.add(k);
      }
      let mass = 0;
      let rarest = 0;
      for (const u of q.units) {
        if (!relevant.has(u.key)) continue;
        mass += u.w * this.localOf(u.key);
        if (this.pairOf[u.key] < 0) rarest = Math.max(rarest, this.idf[u.key]);
      }
      if (mass > 0) {
        matches.forEach((m, i) => {
          const r = this.score(this.docs[ids[i]], m, q, { mass, rarest, body: bestBody > 0 ? bodyScores[ids[i]] / bestBody : 0 });
          const prev = best.get(ids[i]);
          if (!prev || r.score > prev.score) best.set(ids[i], r);
        });
      }
      for (const k of touched) this.local[k] = 0;
      for (const id of bodyHits) bodyScores[id] = 0;
    }
    return [...best.values()].sort((a, b) => b.score - a.score).slice(0, limit);
  }

  private part(toks: Tok[], intern: (k: string, first?: number, second?: number) => number, decay = 0): Part {
    const position = (i: number) => 1 / (1 + decay * Math.max(0, i - 3));
    const keys: number[] = [];
    const accents: string[][] = [];
    const at: number[] = [];
    const seen = new Set<number>();
    toks.forEach((t, i) => {
      const id = intern(t.f);
      if (seen.has(id)) return;
      seen.add(id);
      keys.push(id);
      accents.push([t.a ?? '']);
      at.push(position(i));
    });
    const words = keys.length;
    for (let i = 0; i + 1 < toks.length; i++) {
      const id = intern(`${toks[i].f} ${toks[i + 1].f}`, intern(toks[i].f), intern(toks[i + 1].f));
      if (seen.has(id)) continue;
      seen.add(id);
      keys.push(id);
      accents.push([toks[i].a ?? '', toks[i + 1].a ?? '']);
      at.push(position(i));
    }
    return { keys: Int32Array.from(keys), words, accents, at: Float64Array.from(at) };
  }

  private query(toks: Tok[]): Query {
    const typed = new Map<number, Array<Array<string | undefined>>>();
    const units: Query['units'] = [];
    // A word read twice (a shadow original at weight 0, then the lexicon's term) counts at its higher weight.
    const unitAt = new Map<number, number>();
    const unit = (key: number, w: number, q: boolean) => {
      const at = unitAt.get(key);
      if (at === undefined) {
        unitAt.set(key, units.length);
        units.push({ key, w, q: q || w === 0 }); // a word said at weight 0 is no evidence either
        return;
      }
      if (w > units[at].w) units[at].w = w;
      if (!q && w > 0) units[at].q = false;
    };
    const add = (k: number, accents: Array<string | undefined>) => {
      const list = typed.get(k);
      if (list) list.push(accents);
      else typed.set(k, [accents]);
    };
    // The pair each word makes with the next one, if the catalogue writes it.
    const next = toks.map((t, i) => (i + 1 < toks.length ? this.keyIds.get(`${t.f} ${toks[i + 1].f}`) : undefined));
    toks.forEach((t, i) => {
      const id = this.keyIds.get(t.f);
      if (id === undefined) return;
      // A pair's half beside no word it makes a pair with ("cước" of "căn cước" in "cước điện thoại"; not "chấp" of
      // "chấp thuận" in "tranh chấp") is another word: it matches nothing alone (its pairs with farther words are
      // still looked for).
      if (!this.bound.has(id) || next[i] !== undefined || (i > 0 && next[i - 1] !== undefined)) {
        add(id, [t.a]);
        unit(id, (t.w ?? 1) * this.idf[id], t.q === true);
      }
      for (let j = i + 1; j < toks.length && j <= i + PAIR_SPAN; j++) {
        const forward = j === i + 1 ? next[i] : this.keyIds.get(`${t.f} ${toks[j].f}`);
        if (forward !== undefined) {
          add(forward, [t.a, toks[j].a]);
          if (j === i + 1) unit(forward, Math.min(t.w ?? 1, toks[j].w ?? 1) * this.options.pairWeight * this.idf[forward], t.q === true || toks[j].q === true);
        }
        // Either order: "căn cước hết hạn đổi" asks for "đổi thẻ căn cước".
        const back = this.keyIds.get(`${toks[j].f} ${t.f}`);
        if (back !== undefined) add(back, [toks[j].a, t.a]);
      }
    });
    return { typed, units };
  }

  /** The words bound to a pair (RankOptions.boundShare); for the developer. */
  boundWords(): string[] {
    const names = [...this.keyIds.keys()];
    return [...this.bound].map((id) => names[id]);
  }

  /** Records sharing rare words with the message, best first by the weight they share. */
  private shortlist(q: Query): number[] {
    const acc = this.accumulator;
    const hit: number[] = [];
    for (const u of q.units) {
      if (u.w === 0) continue;
      for (const id of this.postings[u.key]) {
        if (acc[id] === 0) hit.push(id);
        acc[id] += u.w;
      }
    }
    const top = topIds(hit, acc, this.options.shortlist);
    for (const id of hit) acc[id] = 0;
    return top;
  }

  /** Scratch for the postings pass (one slot per record, back to 0 after each message). */
  private accumulator = new Float64Array(0);
  private bodyScratch = new Float64Array(0);

  /**
   * Sets the local weight of every key of these records' names and phrasings; returns the keys touched. Counts in
   * typed scratch arrays, not a Set per record and a Map: this runs for every shortlisted record of every message.
   */
  private setLocalWeights(ids: number[]): number[] {
    const touched: number[] = [];
    for (const id of ids) {
      if (this.stamp === 0x3fffffff) {
        this.dfStamp.fill(0);
        this.stamp = 0;
      }
      const stamp = ++this.stamp;
      const d = this.docs[id];
      this.countWords(d.name, stamp, touched);
      for (const p of d.phrases) this.countWords(p, stamp, touched);
    }
    const n = ids.length;
    for (const k of touched) {
      const count = this.dfCount[k];
      this.local[k] = n < 2 ? 1 : 1 + this.options.localBoost * (1 - (count - 1) / (n - 1));
      this.dfCount[k] = 0;
    }
    return touched;
  }

  /** Counts the part's words once for the record `stamp` (setLocalWeights). */
  private countWords(p: Part, stamp: number, touched: number[]): void {
    for (let i = 0; i < p.words; i++) {
      const k = p.keys[i];
      if (this.dfStamp[k] === stamp) continue;
      this.dfStamp[k] = stamp;
      if (this.dfCount[k]++ === 0) touched.push(k);
    }
  }

  /** A word's local weight (1 for words no shortlisted name has); a pair takes its more telling word's. */
  private localOf(key: number): number {
    const first = this.pairOf[key];
    if (first < 0) return this.local[key] || 1;
    return Math.max(this.local[first] || 1, this.local[this.secondOf[key]] || 1);
  }

  /** Whether the message contains the key as written in the record (a word typed with diacritics must match them). */
  private contains(q: Query, key: number, written: string[]): boolean {
    const typed = q.typed.get(key);
    if (!typed) return false;
    for (const accents of typed) {
      let all = true;
      for (let i = 0; i < accents.length && all; i++) {
        const a = accents[i];
        all = a === undefined || written[i] === '' || a === written[i];
      }
      if (all) return true;
    }
    return false;
  }

  /** Weight of the part's keys the message contains; adds them to `explained` (a part's keys are distinct). */
  private overlap(part: Part, q: Query, explained: number[]): number {
    let matched = 0;
    for (let i = 0; i < part.keys.length; i++) {
      const k = part.keys[i];
      if (!this.contains(q, k, part.accents[i])) continue;
      matched += part.at[i] * this.localOf(k) * this.idf[k] * (i < part.words ? 1 : this.options.pairWeight);
      explained.push(k);
    }
    return matched;
  }

  private massOf(part: Part): number {
    let mass = 0;
    for (let i = 0; i < part.keys.length; i++) {
      mass += part.at[i] * this.localOf(part.keys[i]) * this.idf[part.keys[i]] * (i < part.words ? 1 : this.options.pairWeight);
    }
    return mass;
  }

  /** What a record's name, each phrasing and its side texts share with the message. */
  private match(doc: Doc<T>, q: Query): Match {
    const sideKeys: number[] = [];
    this.overlap(doc.side, q, sideKeys);
    const nameKeys: number[] = [];
    const nameMatched = this.overlap(doc.name, q, nameKeys);
    const nameMass = this.massOf(doc.name);
    const parts = [{ cov: nameMass > 0 ? nameMatched / nameMass : 0, keys: nameKeys, weight: 1 }];
    const found = this.phraseFound;
    for (const phrase of doc.phrases) {
      found.length = 0;
      const matched = this.overlap(phrase, q, found);
      if (matched <= 0) continue; // most phrasings share nothing with the message
      parts.push({ cov: matched / this.massOf(phrase), keys: nameKeys.concat(found), weight: this.options.phraseWeight });
    }
    return { parts, side: sideKeys, nameMass };
  }

  /** Scratch of match: the keys of one phrasing the message contains. */
  private readonly phraseFound: number[] = [];

  private score(doc: Doc<T>, m: Match, q: Query, ctx: { mass: number; rarest: number; body: number }): Ranked<T> {
    const { nameExponent: e, sideCredit, localBoost } = this.options;
    // The best part's figures (numbers, not an object per improvement: this runs for every shortlisted record).
    let found = false;
    const best = { nameCov: 0, queryCov: 0, evidence: 0, core: 0, score: 0 };
    let sideOnly = 0;
    for (const part of m.parts) {
      let full = 0;
      let side = 0;
      let core = 0;
      for (const u of q.units) {
        const w = u.w * this.localOf(u.key);
        if (part.keys.includes(u.key)) {
          full += w;
          if (!u.q) core += w;
        } else if (m.side.includes(u.key)) {
          side += w;
          if (!u.q) core += sideCredit * w;
        }
      }
      const evidence = full + sideCredit * side;
      const queryCov = Math.min(1, evidence / ctx.mass);
      const score = part.weight * part.cov ** e * queryCov ** (1 - e);
      if (!found || score > best.score) {
        found = true;
        best.nameCov = part.cov;
        best.queryCov = queryCov;
        best.evidence = evidence;
        best.core = core;
        best.score = score;
        sideOnly = side / ctx.mass;
      }
    }
    const name = doc.name;
    const headWords = Math.min(3, name.words);
    let head = 0;
    let missing = 0;
    let rareMatched = 0;
    for (let i = 0; i < name.words; i++) {
      const k = name.keys[i];
      const has = this.contains(q, k, name.accents[i]);
      if (i < headWords && has) head++;
      if (!has && this.localOf(k) >= 1 + localBoost / 2) missing += name.at[i] * this.localOf(k) * this.idf[k];
    }
    let alias = 0;
    for (let i = 0; i < m.parts.length; i++) {
      const p = m.parts[i];
      if (i > 0) alias = Math.max(alias, p.cov);
      for (const k of p.keys) if (this.pairOf[k] < 0) rareMatched = Math.max(rareMatched, this.idf[k]);
    }
    return {
      item: doc.item, familyKey: doc.familyKey, ...best,
      signals: {
        nameOnly: m.parts[0].cov,
        alias,
        head: headWords ? head / headWords : 0,
        side: sideOnly,
        rare: ctx.rarest > 0 ? Math.min(1, rareMatched / ctx.rarest) : 0,
        missing: m.nameMass > 0 ? missing / m.nameMass : 0,
        body: ctx.body,
      },
    };
  }
}

/** Words met at least this often before they can be bound to a pair: a rare word's neighbours are chance. */
const BOUND_MIN = 5;
/** ...in a catalogue of at least this many records: in a small one, every word has few neighbours. */
const BOUND_CATALOGUE = 300;

/**
 * The word keys the texts write beside one same word at least `share` of the times they write them ("đào" of "đào
 * tạo", "cước" of "căn cước"), each text counted once per word and pair (a part's keys are distinct). Folded words:
 * "dao" is also "đạo", "đảo", so a word folded with others is rarely bound (tried as written too: more answers lost
 * than won).
 */
function* boundWords(parts: Part[], pairOf: Int32Array, secondOf: Int32Array, records: number, share?: number): Work<Set<number>> {
  const bound = new Set<number>();
  if (share === undefined || records < BOUND_CATALOGUE) return bound;
  // How many texts write each word and each pair; then, for each word, how many write it beside its commonest neighbour.
  const count = new Int32Array(pairOf.length);
  yield* eachOf(parts, (part) => { for (const k of part.keys) count[k]++; }, 256);
  const beside = new Int32Array(pairOf.length);
  for (let p = 0; p < pairOf.length; p++) {
    if (pairOf[p] < 0) continue;
    beside[pairOf[p]] = Math.max(beside[pairOf[p]], count[p]);
    beside[secondOf[p]] = Math.max(beside[secondOf[p]], count[p]);
  }
  for (let w = 0; w < pairOf.length; w++) {
    if (pairOf[w] < 0 && count[w] >= BOUND_MIN && beside[w] >= share * count[w]) bound.add(w);
  }
  return bound;
}

/** The `k` ids with the highest scores, best first: a small min-heap, since the hits can be thousands. */
function topIds(ids: number[], score: Float64Array, k: number): number[] {
  if (ids.length <= k) return [...ids].sort((a, b) => score[b] - score[a]);
  const heap: number[] = [];
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && score[heap[l]] < score[heap[m]]) m = l;
      if (r < heap.length && score[heap[r]] < score[heap[m]]) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  for (const id of ids) {
    if (heap.length < k) {
      heap.push(id);
      for (let i = heap.length - 1; i > 0;) {
        const p = (i - 1) >> 1;
        if (score[heap[p]] <= score[heap[i]]) break;
        [heap[p], heap[i]] = [heap[i], heap[p]];
        i = p;
      }
    } else if (score[id] > score[heap[0]]) {
      heap[0] = id;
      down(0);
    }
  }
  return heap.sort((a, b) => score[b] - score[a]);
}

interface Match {
  /**
   * The name, then each phrasing the message shares something with (with the name's keys): how much of it the message
   * covers, and the message keys it explains (a few: arrays, not sets; a key may appear twice).
   */
  parts: Array<{ cov: number; keys: number[]; weight: number }>;
  /** Message keys explained by the result, field or body. */
  side: number[];
  nameMass: number;
}
