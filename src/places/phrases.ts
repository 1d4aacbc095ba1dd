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

/** The longest of `list` starting at `i`, if any. `list` is sorted longest first. */
export function longestAt(tokens: Token[], i: number, list: Phrase[]): Phrase | undefined {
  return list.find((p) => matchAt(tokens, i, p));
}

/** Every occurrence of any phrase of `list`, as token ranges. */
export function findAll(tokens: Token[], list: Phrase[]): Array<{ from: number; to: number; phrase: Phrase }> {
  const out: Array<{ from: number; to: number; phrase: Phrase }> = [];
  for (let i = 0; i < tokens.length; i++) {
    for (const p of list) if (matchAt(tokens, i, p)) out.push({ from: i, to: i + p.keys.length, phrase: p });
  }
  return out;
}

/** A phrase that ends right before token `i` (looking back over at most the longest phrase). */
export function endsBefore(tokens: Token[], i: number, list: Phrase[]): Phrase | undefined {
  return list.find((p) => matchAt(tokens, i - p.keys.length, p) && !tokens[i]?.breakBefore);
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
