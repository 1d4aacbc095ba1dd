import { vietnameseTokenizer } from './natural.js';

// Text normalisation for Vietnamese as typed on phones: NFC, case, control characters, repeated letters,
// diacritic folding (đ included). Abbreviations, typos and glued words are handled by the Normalizer.

export const MAX_NLU_CHARS = 1000;

/** Removes diacritics: "Đăng ký" -> "dang ky". Input should already be lower case. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').normalize('NFC');
}

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
    .replace(/(\p{L})\1{2,}/gu, '$1')
    .slice(0, MAX_NLU_CHARS);
}

/** Lower-case words and numbers, in order (natural's Vietnamese tokenizer keeps Vietnamese letters). */
export function tokenize(cleaned: string): string[] {
  return vietnameseTokenizer.tokenize(cleaned).filter((t) => t.length > 0);
}

export function bigrams(tokens: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) out.push(`${tokens[i]} ${tokens[i + 1]}`);
  return out;
}
