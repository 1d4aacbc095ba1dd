import { vietnameseTokenizer } from './natural.js';

// Text normalisation for Vietnamese as typed on phones: NFC, case, control characters, repeated letters,
// diacritic folding (đ included). Abbreviations, typos and glued words are handled by the Normalizer.

export const MAX_NLU_CHARS = 1000;

/** Removes diacritics: "Đăng ký" -> "dang ky". Input should already be lower case. */
export function fold(text: string): string {
  if (text.length <= 12) {
    // Single words fold on every message: remember them.
    let folded = FOLDED.get(text);
    if (folded === undefined) {
      folded = foldText(text);
      if (FOLDED.size > 200_000) FOLDED.clear();
      FOLDED.set(text, folded);
    }
    return folded;
  }
  return foldText(text);
}

const FOLDED = new Map<string, string>();
const foldText = (text: string) => text.normalize('NFD').replace(/\p{M}+/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').normalize('NFC');

const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/gu;
const TONE_OF = /[\u0300\u0301\u0303\u0309\u0323]/u;

/**
 * A typed word as written, independent of where the tone mark sits ("hoà" = "hòa", "thuỷ" = "thủy") and of
 * đ typed as d: the letters with their vowel marks, then the tone. Two words with the same key were typed alike.
 */
export function accentKey(word: string): string {
  let key = ACCENT_KEYS.get(word);
  if (key === undefined) {
    const nfd = word.normalize('NFD').replace(/đ/g, 'd');
    const tone = nfd.match(TONE_OF)?.[0] ?? '';
    key = nfd.replace(TONE_MARKS, '') + tone;
    if (ACCENT_KEYS.size > 200_000) ACCENT_KEYS.clear();
    ACCENT_KEYS.set(word, key);
  }
  return key;
}

const ACCENT_KEYS = new Map<string, string>();

export function hasDiacritics(text: string): boolean {
  return fold(text.toLowerCase()) !== text.toLowerCase();
}

/** NFC, lower case, no control characters, letters repeated 3+ times squeezed ("chàooo" -> "chào"). */
export function clean(raw: string): string {
  return raw
    .slice(0, MAX_NLU_CHARS * 2)
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\p{Cs}]+/gu, ' ')
    .toLowerCase()
    // Letters held down ("chàooo", "khônggg") are squeezed, but not at the start of a word ("cccd").
    .replace(/(?<=\p{L})(\p{L})\1{2,}/gu, '$1')
    .slice(0, MAX_NLU_CHARS);
}

// "kí"/"ký", "lí"/"lý", "mĩ"/"mỹ": after a consonant, a final y and i are the same sound, spelt either way.
const CONSONANT_Y = /^([bcdđghklmnprstvx]+)y([\u0300\u0301\u0303\u0309\u0323]?)$/u;

/** One spelling for words written two ways: "ký" -> "kí" (the tone mark stays on the vowel). */
export function canonicalSpelling(word: string): string {
  if (/^\d+$/.test(word)) return word.replace(/^0+(?=\d)/, ''); // "02" = "2"
  const nfd = word.normalize('NFD');
  const m = nfd.match(CONSONANT_Y);
  return m ? `${m[1]}i${m[2]}`.normalize('NFC') : word;
}

/** Lower-case words and numbers, in order (natural's Vietnamese tokenizer keeps Vietnamese letters). */
export function tokenize(cleaned: string): string[] {
  return vietnameseTokenizer.tokenize(cleaned).filter((t) => t.length > 0).map(canonicalSpelling);
}

export function bigrams(tokens: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) out.push(`${tokens[i]} ${tokens[i + 1]}`);
  return out;
}
