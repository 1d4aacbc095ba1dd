import { damerauLevenshtein } from './natural.js';
import { accentKey, clean, fold, tokenize } from './text.js';
import { eachOf, runNow, type Work } from './work.js';

/** One word of a message: folded ("dang"), and how it was typed when the citizen typed diacritics. */
export interface Tok {
  f: string;
  /** accentKey of the word as typed; absent when typed without diacritics or repaired from a typo. */
  a?: string;
  /**
   * Share of its weight the word adds to the message (default 1). A word the lexicon explained ("bằng lái" read
   * as "giấy phép lái xe") stays at 0: a record may still match it, but the message's weight is its meaning.
   */
  w?: number;
  /**
   * A qualifier the lexicon found ("16 tuổi", and its meaning "người từ đủ 14 tuổi trở lên"): it tells records of one
   * thing apart, but is no evidence that the message is about that thing ("con 16 tuổi đi học nghề" asks no card).
   */
  q?: true;
  /**
   * The word opens a clause ("Ba em mới mất, sổ đỏ đứng tên ba": "sổ" after the comma): no phrase the lexicon or an
   * intent knows runs across it ("mất sổ" is not said there).
   */
  b?: true;
}

export interface Normalized {
  /** Cleaned lower-case text with abbreviations expanded (diacritics kept). */
  text: string;
  /** Folded tokens (no diacritics), after abbreviation expansion, splitting of glued words and typo repair. */
  tokens: string[];
  /** The same tokens with how each was typed (parallel to `tokens`). */
  toks: Tok[];
  /** Tokens as typed, with diacritics, for words the user wrote with diacritics (sharper features). */
  accented: string[];
}

const MAX_SEGMENT_LEN = 40;
/** "14t", "5tuoi": an age typed in one word. */
const AGE = /^(\d{1,3})(?:t|tuoi|tuổi)$/u;
/** "300m2", "100m²": an area typed in one word (the lexicon reads "m2" as land). */
const AREA = /^(\d{1,7})(?:m2|m²)$/u;
const VOWEL = /[aeiouy]/;

/** A word as a citizen typed it: without diacritics it could be any word that folds the same. */
export function tokOf(word: string): Tok {
  const f = fold(word);
  return f === word ? { f } : { f, a: accentKey(word) };
}

/**
 * Tokens of a text written correctly (knowledge base, lexicon, function words): every word is exactly itself,
 * so "do" (because) is not "đỏ" (red) when a citizen types "đỏ".
 */
export function toksOf(text: string): Tok[] {
  return tokenize(clean(text)).map((word) => ({ f: fold(word), a: accentKey(word) }));
}

/** A word of two letters or more written in capitals ("TNHH", "BHXH", "NĐ"). */
const CAPITALS = /(?<![\p{L}\p{N}])\p{Lu}{2,}(?![\p{L}\p{N}])/gu;
/** A number standing alone, with its leading zeros apart ("02"), not part of a date, code or article ("01/7", "1.013"). */
const NUMBER = /(?<![\p{L}\p{N}/.-])0*(\d+)(?![\p{L}\p{N}/.%-]|[.,]\d)/gu;

/**
 * Animals people count with "con" ("nuôi 2000 con gà", "mấy con heo"): as typed with diacritics, or typed without
 * them when the word folds to no other common one ("con heo"; "con bo" may be "con bố", "con lon" "con lớn").
 */
const ANIMALS = new Set(['gà', 'heo', 'lợn', 'bò', 'trâu', 'vịt', 'dê', 'ngỗng', 'ngan', 'chim', 'ong', 'cá', 'chó', 'mèo', 'thỏ', 'ngựa'].map(accentKey));
const FOLDED_ANIMALS = new Set(['heo', 'trau', 'vit', 'ngong']);
/** Round numbers said in words ("vài trăm con"), typed with their diacritics ("van con" is "vẫn còn"). */
const ROUND = new Set(['chục', 'trăm', 'nghìn', 'ngàn'].map(accentKey));
/** How many a word says: a number in digits, ten or more for a round number in words; undefined for any other word. */
const countOf = (t: Tok | undefined): number | undefined =>
  (t === undefined ? undefined : /^\d+$/.test(t.f) ? Number(t.f) : t.a !== undefined && ROUND.has(t.a) ? 10 : undefined);
/** Numbers of animals, not children: from ten up. */
const HERD = 10;

/**
 * Where one clause ends and the next begins: a comma, semicolon, question or exclamation mark, a full stop before a
 * space, a line break (not the dot of "tp.hcm", "p.5" or "2.000"). The place resolver reads breaks from the gaps between
 * the words it finds (src/places/tokens.ts); natural's tokenizer gives no offsets, so the message is split first.
 */
const CLAUSE_BREAK = /[,;!?]+|[.…]+(?=\s|$)|\n/u;

/**
 * The message without the counter "con" of animals and the number before it: "nuôi 2000 con gà" asks about raising
 * chickens ("nuôi gà"), while the words "nuôi" and "con" are those of adoption (nuôi con nuôi).
 */
function withoutCounters(toks: Tok[]): Tok[] {
  const counter = (i: number) => {
    if (toks[i].f !== 'con') return false;
    const next = toks[i + 1];
    return (next !== undefined && (next.a ? ANIMALS.has(next.a) : FOLDED_ANIMALS.has(next.f))) || (countOf(toks[i - 1]) ?? 0) >= HERD;
  };
  const drop = new Set<number>();
  toks.forEach((_, i) => {
    if (!counter(i)) return;
    drop.add(i);
    if (countOf(toks[i - 1]) !== undefined) drop.add(i - 1);
  });
  if (drop.size === 0) return toks;
  // A clause's first word dropped hands its mark to the next.
  const out: Tok[] = [];
  let opens = false;
  toks.forEach((t, i) => {
    if (drop.has(i)) { opens ||= t.b === true; return; }
    out.push(opens && !t.b ? { ...t, b: true } : t);
    opens = false;
  });
  return out;
}

/**
 * Turns a message into folded tokens that match the vocabulary of the training data and the knowledge base:
 * teencode and abbreviations expanded, glued words split ("lamgiaykhaisinh"), one-letter typos repaired.
 */
export class Normalizer {
  private readonly abbreviations = new Map<string, Tok[]>();
  private readonly foldedAbbreviations = new Map<string, Tok[]>();
  /** Each abbreviation's expansion as written in abbreviations.yaml (see spellOut). */
  private readonly spelled = new Map<string, string>();
  private readonly vocabulary = new Set<string>();
  private readonly byLength = new Map<number, string[]>();
  private readonly repairCache = new Map<string, string[]>();

  constructor(abbreviations: Record<string, string>, vocabularyText: Iterable<string> = []) {
    for (const [key, value] of Object.entries(abbreviations)) {
      const expansion = toksOf(value);
      // Keyed as a message's words are read: "cty", "bhyt" are tokenized "cti", "bhit" (one spelling of y/i).
      const typed = tokenize(clean(key)).join(' ');
      this.abbreviations.set(typed, expansion);
      this.foldedAbbreviations.set(fold(typed), expansion);
      this.spelled.set(clean(key), value);
      expansion.forEach((t) => this.addWord(t.f));
    }
    runNow(this.addVocabulary(vocabularyText));
  }

  /** Adds the words of `texts` to the vocabulary (typo repair and glued-word splitting read it), pausing as it goes. */
  *addVocabulary(texts: Iterable<string>): Work<void> {
    yield* eachOf(texts, (text) => {
      for (const t of tokenize(clean(text))) this.addWord(fold(t));
    }, 16);
  }

  private addWord(word: string): void {
    if (this.vocabulary.has(word)) return;
    this.vocabulary.add(word);
    if (!/^\p{L}+$/u.test(word)) return;
    const list = this.byLength.get(word.length) ?? [];
    list.push(word);
    this.byLength.set(word.length, list);
  }

  /** The expansion of an abbreviation as typed; a word typed with diacritics ("cá") is never read as another ("ca"). */
  private abbreviation(typed: string): Tok[] | undefined {
    const exact = this.abbreviations.get(typed);
    if (exact) return exact;
    // Typed without diacritics, it may stand for a key written with them ("sd" for "sđ").
    if (fold(typed) === typed) return this.foldedAbbreviations.get(typed);
    // Letters without a vowel typed with đ stand for the key written with d ("đkkh" for "dkkh"): no word is typed so.
    return VOWEL.test(fold(typed)) ? undefined : this.abbreviations.get(typed.replace(/đ/g, 'd'));
  }

  /**
   * An official text with its abbreviations written out as a citizen's message reads after normalize():
   * "công ty TNHH một thành viên" -> "công ty trách nhiệm hữu hạn một thành viên". Only words written in capitals
   * are read as abbreviations: in a record's name those are, while "hs" or "gp" in lower case are ordinary words.
   */
  spellOut(text: string): string {
    return text.replace(CAPITALS, (word) => this.spelled.get(clean(word)) ?? word)
      // "mức độ 02" as a message reads "mức 2" ("hai", abbreviations.yaml).
      .replace(NUMBER, (number, digits: string) => this.spelled.get(digits) ?? number);
  }

  knows(token: string): boolean {
    return this.vocabulary.has(token);
  }

  normalize(raw: string): Normalized {
    const cleaned = clean(raw);
    const words: string[] = [];
    const toks: Tok[] = [];
    const accented: string[] = [];
    const tokens: string[] = [];
    const opens = new Set<number>();
    for (const clause of cleaned.split(CLAUSE_BREAK)) {
      const clauseTokens = tokenize(clause);
      if (tokens.length > 0 && clauseTokens.length > 0) opens.add(tokens.length);
      tokens.push(...clauseTokens);
    }
    // A multi-word abbreviation is said within one clause ("nhập, hk" is not "nhập hk").
    const fits = (i: number, n: number) => i + n <= tokens.length && !opens.has(i + 1) && (n < 3 || !opens.has(i + 2));
    const clauseStarts: number[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      if (opens.has(i)) clauseStarts.push(toks.length);
      // Abbreviations of several words first: "nhập hk" is "nhập hộ khẩu" where "hk" alone is "không".
      const longer = [3, 2].map((n) => ({ n, expansion: fits(i, n) ? this.abbreviation(tokens.slice(i, i + n).join(' ')) : undefined }))
        .find((x) => x.expansion);
      if (longer?.expansion) {
        toks.push(...longer.expansion);
        words.push(longer.expansion.map((t) => t.f).join(' '));
        i += longer.n - 1;
        continue;
      }
      const area = token.match(AREA);
      if (area) {
        toks.push({ f: area[1] }, { f: 'm2' });
        words.push(`${area[1]} m2`);
        continue;
      }
      const age = token.match(AGE);
      if (age) {
        toks.push({ f: age[1] }, tokOf('tuổi'));
        words.push(`${age[1]} tuổi`);
        continue;
      }
      const expansion = this.abbreviation(token);
      if (expansion) {
        toks.push(...expansion);
        words.push(expansion.map((t) => t.f).join(' '));
        continue;
      }
      const nasal = this.droppedN(token);
      if (nasal) {
        toks.push(nasal);
        words.push(nasal.f);
        continue;
      }
      const slip = this.accentedSlip(token);
      if (slip) {
        toks.push(...slip);
        words.push(slip.map((t) => t.f).join(' '));
        continue;
      }
      words.push(token);
      const tok = tokOf(token);
      if (tok.a) accented.push(token);
      // A word typed with its diacritics was typed with care: it is not a typo of another word.
      const repaired = tok.a ? [tok.f] : this.repair(tok.f);
      if (repaired.length === 1 && repaired[0] === tok.f) toks.push(tok);
      else toks.push(...repaired.map((f) => ({ f })));
    }
    for (const k of clauseStarts) if (k < toks.length) toks[k] = { ...toks[k], b: true };
    const counted = withoutCounters(toks);
    return { text: words.join(' '), tokens: counted.map((t) => t.f), toks: counted, accented };
  }

  /**
   * "xog", "phườg", "tầg": the n of a final "ng" left out, as phones' typists do (no Vietnamese word ends in a vowel and
   * a g): the word with it, when that is a word.
   */
  private droppedN(token: string): Tok | undefined {
    const f = fold(token);
    if (f.length < 2 || !f.endsWith('g') || !VOWEL.test(f[f.length - 2]) || this.vocabulary.has(f)) return undefined;
    const tok = tokOf(`${token.slice(0, -1)}ng`);
    return this.vocabulary.has(tok.f) ? tok : undefined;
  }

  /**
   * A word typed with its diacritics but with a key held too long ("phíi", "ngàyy"), run into a short word
   * after it ("tiềnko") or into another word ("camơn"): the words as they would have been typed apart.
   */
  private accentedSlip(token: string): Tok[] | undefined {
    const tok = tokOf(token);
    if (!tok.a || this.vocabulary.has(tok.f) || token.length < 3) return undefined;
    const last = token.length - 1;
    if (token[last] === token[last - 1] || fold(token[last]) === fold(token[last - 1])) {
      const shorter = tokOf(token.slice(0, last));
      if (this.vocabulary.has(shorter.f)) return [shorter];
    }
    for (let cut = token.length - 1; cut >= 2; cut--) {
      const head = tokOf(token.slice(0, cut));
      const tail = token.slice(cut);
      if (!head.a || !this.vocabulary.has(head.f) || tokOf(tail).a) continue;
      const expansion = this.abbreviation(tail);
      if (expansion) return [head, ...expansion];
    }
    // Two words run together ("camơn"): split as unaccented text is, never "corrected" into another word.
    const parts = this.repair(tok.f);
    return parts.length > 1 ? parts.map((f) => ({ f })) : undefined;
  }

  /** Unknown token -> known token(s): glued words split, else the nearest word one edit away. */
  private repair(token: string): string[] {
    // Words without a vowel are abbreviations ("tthn", "gplx"): never "repaired" into another word.
    if (this.vocabulary.has(token) || !/^\p{L}+$/u.test(token) || token.length < 3 || !VOWEL.test(token)) return [token];
    const cached = this.repairCache.get(token);
    if (cached) return cached;
    // Typed with Telex keys on a keyboard that did not convert them ("nhaapj hoo khaaur"): the word they spell.
    const telex = telexFold(token);
    // A short word is more likely mistyped than glued ("tachs" is "tách"); a long one more likely glued.
    const result = (telex !== token && this.vocabulary.has(telex) ? [telex]
      : token.length <= 7 ? this.nearest(token) ?? this.segment(token) : this.segment(token) ?? this.nearest(token)) ?? [token];
    if (this.repairCache.size > 50_000) this.repairCache.clear();
    this.repairCache.set(token, result);
    return result;
  }

  private segment(token: string): string[] | null {
    if (token.length < 5 || token.length > MAX_SEGMENT_LEN) return null;
    // best[i]: fewest known pieces covering token[0..i)
    const best: Array<string[] | null> = new Array(token.length + 1).fill(null);
    best[0] = [];
    for (let i = 1; i <= token.length; i++) {
      for (let j = Math.max(0, i - 7); j < i; j++) {
        const prev = best[j];
        const piece = token.slice(j, i);
        // Every Vietnamese syllable has a vowel: "tachs" is not "tac" + "hs".
        if (prev && (piece.length > 1 || piece === 'o') && VOWEL.test(piece) && this.vocabulary.has(piece)) {
          if (!best[i] || prev.length + 1 < best[i]!.length) best[i] = [...prev, piece];
        }
      }
    }
    const pieces = best[token.length];
    return pieces && pieces.length > 1 ? pieces : null;
  }

  private nearest(token: string): string[] | null {
    const maxEdits = token.length >= 8 ? 2 : 1;
    if (token.length < 4) return null;
    let bestWord: string | null = null;
    let bestDistance = maxEdits + 1;
    for (let len = token.length - maxEdits; len <= token.length + maxEdits; len++) {
      for (const word of this.byLength.get(len) ?? []) {
        if (word[0] !== token[0] && word[1] !== token[1]) continue;
        const d = damerauLevenshtein(token, word);
        if (d < bestDistance) {
          bestDistance = d;
          bestWord = word;
        }
      }
    }
    return bestWord ? [bestWord] : null;
  }
}

/**
 * A word typed with Telex keys left as letters, folded: the tone key typed last ("nhaapj", "veef"; no Vietnamese word
 * ends in s, f, r, x or j) and the doubled or w-marked letters ("aa" â, "dd" đ, "ow" ơ, "uw" ư) read as their letter.
 */
function telexFold(word: string): string {
  const toneless = word.length > 2 && /[sfrxj]$/.test(word) && /[aeiouy]/.test(word.slice(0, -1)) ? word.slice(0, -1) : word;
  return toneless.replace(/^dd/, 'd').replace(/aa|aw/g, 'a').replace(/ee/g, 'e').replace(/oo|ow/g, 'o').replace(/uw/g, 'u');
}
