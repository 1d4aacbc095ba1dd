import { tokenKey, toneKey, words } from './names.js';
import type { Token } from './tokens.js';

// Matching the lexicon's phrases against a message: folded words must agree, and a word the citizen typed with
// diacritics must agree in diacritics too ("cư trú" is not "cũ", "phương án" is not "phường").

export interface Phrase { text: string; keys: string[]; tones: string[] }

export function phrase(text: string): Phrase {
  const ws = words(text).map((w) => w.lower);
  return { text, keys: ws.map(tokenKey), tones: ws.map(toneKey) };
}

export const phrases = (texts: string[][] | string[]): Phrase[] =>
  texts.map((t) => phrase(Array.isArray(t) ? t.join(' ') : t)).sort((a, b) => b.keys.length - a.keys.length);

export function tokenMatches(token: Token, key: string, tone: string): boolean {
  return token.key === key && (!token.marked || token.tone === tone);
}

/** Whether `p` starts at token `i` (no punctuation break inside the phrase). */
export function matchAt(tokens: Token[], i: number, p: Phrase): boolean {
  if (i < 0 || i + p.keys.length > tokens.length) return false;
  for (let k = 0; k < p.keys.length; k++) {
    const t = tokens[i + k];
    if (k > 0 && t.breakBefore) return false;
    if (!tokenMatches(t, p.keys[k], p.tones[k])) return false;
  }
  return true;
}

/**
 * A list's phrases by their length and first word, each bucket in the list's order (longest first): a message is
 * matched against the few phrases that start with its word instead of every phrase at every word (the cue lists
 * hold hundreds; scanning them all was a third of the resolver's time).
 */
const indexes = new WeakMap<Phrase[], Map<number, Map<string, Phrase[]>>>();
function byLengthAndFirst(list: Phrase[]): Map<number, Map<string, Phrase[]>> {
  let index = indexes.get(list);
  if (!index) {
    index = new Map();
    for (const p of list) {
      const byFirst = index.get(p.keys.length) ?? index.set(p.keys.length, new Map()).get(p.keys.length)!;
      const bucket = byFirst.get(p.keys[0]);
      if (bucket) bucket.push(p);
      else byFirst.set(p.keys[0], [p]);
    }
    index = new Map([...index].sort((a, b) => b[0] - a[0]));
    indexes.set(list, index);
  }
  return index;
}

/** The longest of `list` starting at `i`, if any. */
export function longestAt(tokens: Token[], i: number, list: Phrase[]): Phrase | undefined {
  const key = tokens[i]?.key;
  if (key === undefined) return undefined;
  for (const byFirst of byLengthAndFirst(list).values()) {
    const found = byFirst.get(key)?.find((p) => matchAt(tokens, i, p));
    if (found) return found;
  }
  return undefined;
}

/** Every occurrence of any phrase of `list`, as token ranges (at each word, the longest first). */
export function findAll(tokens: Token[], list: Phrase[]): Array<{ from: number; to: number; phrase: Phrase }> {
  const out: Array<{ from: number; to: number; phrase: Phrase }> = [];
  const index = byLengthAndFirst(list);
  for (let i = 0; i < tokens.length; i++) {
    for (const byFirst of index.values()) {
      const bucket = byFirst.get(tokens[i].key);
      if (bucket) for (const p of bucket) if (matchAt(tokens, i, p)) out.push({ from: i, to: i + p.keys.length, phrase: p });
    }
  }
  return out;
}

/** Whether `p` ends right before token `i` (no punctuation break between them). */
export function phraseEndsBefore(tokens: Token[], i: number, p: Phrase): boolean {
  return !tokens[i]?.breakBefore && matchAt(tokens, i - p.keys.length, p);
}

/** A phrase of `list` that ends right before token `i`, the longest. */
export function endsBefore(tokens: Token[], i: number, list: Phrase[]): Phrase | undefined {
  if (tokens[i]?.breakBefore) return undefined;
  for (const [length, byFirst] of byLengthAndFirst(list)) {
    const key = tokens[i - length]?.key;
    const found = key === undefined ? undefined : byFirst.get(key)?.find((p) => matchAt(tokens, i - length, p));
    if (found) return found;
  }
  return undefined;
}

/** Single words to test tokens against (with the same diacritics rule). */
export interface WordSet { has(token: Token): boolean }

export function wordSet(list: string[]): WordSet {
  const tones = new Map<string, Set<string>>();
  for (const w of list) {
    const p = phrase(w);
    if (p.keys.length !== 1) continue;
    const set = tones.get(p.keys[0]) ?? new Set<string>();
    set.add(p.tones[0]);
    tones.set(p.keys[0], set);
  }
  return { has: (t) => { const set = tones.get(t.key); return !!set && (!t.marked || set.has(t.tone)); } };
}
