import { damerauLevenshtein } from './natural.js';
import { clean, fold, tokenize } from './text.js';

export interface Normalized {
  /** Cleaned lower-case text with abbreviations expanded (diacritics kept). */
  text: string;
  /** Folded tokens (no diacritics), after abbreviation expansion, splitting of glued words and typo repair. */
  tokens: string[];
  /** Tokens as typed, with diacritics, for words the user wrote with diacritics (sharper features). */
  accented: string[];
}

const MAX_SEGMENT_LEN = 40;

/**
 * Turns a message into folded tokens that match the vocabulary of the training data and the knowledge base:
 * teencode and abbreviations expanded, glued words split ("lamgiaykhaisinh"), one-letter typos repaired.
 */
export class Normalizer {
  private readonly abbreviations = new Map<string, string[]>();
  private readonly vocabulary = new Set<string>();
  private readonly byLength = new Map<number, string[]>();
  private readonly repairCache = new Map<string, string[]>();

  constructor(abbreviations: Record<string, string>, vocabularyText: Iterable<string>) {
    for (const [key, value] of Object.entries(abbreviations)) {
      const expansion = tokenize(clean(value)).map(fold);
      this.abbreviations.set(clean(key), expansion);
      this.abbreviations.set(fold(clean(key)), expansion);
      expansion.forEach((t) => this.vocabulary.add(t));
    }
    for (const text of vocabularyText) for (const t of tokenize(clean(text))) this.vocabulary.add(fold(t));
    for (const word of this.vocabulary) {
      if (!/^\p{L}+$/u.test(word)) continue;
      const list = this.byLength.get(word.length) ?? [];
      list.push(word);
      this.byLength.set(word.length, list);
    }
  }

  knows(token: string): boolean {
    return this.vocabulary.has(token);
  }

  normalize(raw: string): Normalized {
    const cleaned = clean(raw);
    const words: string[] = [];
    const tokens: string[] = [];
    const accented: string[] = [];
    for (const token of tokenize(cleaned)) {
      const expansion = this.abbreviations.get(token) ?? this.abbreviations.get(fold(token));
      if (expansion) {
        tokens.push(...expansion);
        words.push(expansion.join(' '));
        continue;
      }
      words.push(token);
      const folded = fold(token);
      if (folded !== token) accented.push(token);
      tokens.push(...this.repair(folded));
    }
    return { text: words.join(' '), tokens, accented };
  }

  /** Unknown token -> known token(s): glued words split, else the nearest word one edit away. */
  private repair(token: string): string[] {
    if (this.vocabulary.has(token) || !/^\p{L}+$/u.test(token) || token.length < 3) return [token];
    const cached = this.repairCache.get(token);
    if (cached) return cached;
    const result = this.segment(token) ?? this.nearest(token) ?? [token];
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
        if (prev && (piece.length > 1 || piece === 'o') && this.vocabulary.has(piece)) {
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
