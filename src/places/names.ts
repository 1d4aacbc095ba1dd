import { fold } from '../nlu/text.js';

// How place names are compared. Citizens and documents spell the same name differently: with or without
// diacritics, tone marks placed the old or the new way (Hoà/Hòa, Thuỵ/Thụy), i/y (Quí/Quý), Đăk/Đắk/Đak/Đắc,
// apostrophes kept or dropped (H'Leo/HLeo), Roman or Arabic numerals (Phường IV/Phường 4), zero-padded numbers.
// Every name and every message token is reduced to two keys: `key` (folded, canonical spelling) to find
// candidates, and `tone` (tones kept, placement-insensitive) to prefer the candidate the citizen actually typed.

const TONES: Record<string, string> = { '\u0300': '1', '\u0301': '2', '\u0303': '3', '\u0309': '4', '\u0323': '5' };
const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;
export const ROMAN: Record<string, string> = { i: '1', ii: '2', iii: '3', iv: '4', v: '5', vi: '6', vii: '7', viii: '8', ix: '9', x: '10',
  xi: '11', xii: '12', xiii: '13', xiv: '14', xv: '15' };

/** Canonical spelling of one folded syllable: i/y after a consonant, Đắc/Đăk, leading zeros. */
export function canonSyllable(folded: string): string {
  if (/^\d+$/.test(folded)) return String(Number(folded));
  if (folded === 'dac' || folded === 'dack') return 'dak';
  const m = /^(qu|[bcdghklmnprstvx]+)y$/.exec(folded);
  return m ? `${m[1]}i` : folded;
}

/** Folded, canonical key of a lower-case token. */
export function tokenKey(lower: string): string {
  return canonSyllable(fold(lower));
}

/** The token with its tone as a trailing digit, wherever the mark was placed: "hoà" and "hòa" give "hoa1". */
export function toneKey(lower: string): string {
  const nfd = lower.normalize('NFD');
  const tone = [...nfd].map((c) => TONES[c]).find(Boolean) ?? '';
  const base = nfd.replace(TONE_MARKS, '').normalize('NFC');
  const folded = fold(base);
  // i/y carry their own tones; canonicalise the letters only. Đăk, Đắk, Đak and Đắc are one word, spelled each way in
  // official names (xã Đăk Nông in Kon Tum, tỉnh Đắk Nông): no tone tells them apart.
  const canon = canonSyllable(folded);
  if (canon === 'dak' && /^đ/u.test(base)) return 'đăk';
  const letters = canon === folded ? base : base.replace(/y$/, 'i');
  return letters + tone;
}

export function hasToneOrMarks(lower: string): boolean {
  return fold(lower) !== lower;
}

/** Words of a name or message, lower case, with offsets; apostrophes split words as the tokenizer does. */
export interface Word { lower: string; start: number; end: number }

const WORD = /[\p{L}\p{M}\p{N}]+/gu;
/**
 * A capital right after a small letter starts a word of its own ("YangTao", "huyenLak", "EaBar"), and so does a capital
 * before a capital and a small letter ("QNam" is "Q Nam", a province by its initial).
 */
const GLUED_CAPITAL = /(?<=\p{Ll}\p{M}*)(?=\p{Lu})|(?<=\p{Lu}\p{M}*)(?=\p{Lu}\p{Ll})/u;

export function words(text: string): Word[] {
  const out: Word[] = [];
  for (const m of text.matchAll(WORD)) {
    let start = m.index;
    for (const part of m[0].split(GLUED_CAPITAL)) {
      out.push({ lower: part.toLowerCase(), start, end: start + part.length });
      start += part.length;
    }
  }
  return out;
}

export const UNIT_TYPES = ['xã', 'phường', 'thị trấn', 'đặc khu', 'huyện', 'quận', 'thị xã', 'thành phố', 'tỉnh'] as const;
export type UnitType = (typeof UNIT_TYPES)[number];

const OFFICIAL_TYPE: Array<[RegExp, UnitType]> = [
  [/^thi tran\s+/, 'thị trấn'], [/^thi xa\s+/, 'thị xã'], [/^thanh pho\s+/, 'thành phố'], [/^dac khu\s+/, 'đặc khu'],
  [/^xa\s+/, 'xã'], [/^phuong\s+/, 'phường'], [/^huyen\s+/, 'huyện'], [/^quan\s+/, 'quận'], [/^tinh\s+/, 'tỉnh'],
];

/** "Thị trấn Hà Lam" -> { type: 'thị trấn', core: 'Hà Lam' }; tolerant of case and of typos such as "Thi trấn". */
export function splitOfficialName(name: string): { type: UnitType | null; core: string } {
  const trimmed = name.trim();
  const folded = fold(trimmed.toLowerCase());
  for (const [re, type] of OFFICIAL_TYPE) {
    const m = re.exec(folded);
    if (m) return { type, core: trimmed.slice(m[0].length) };
  }
  return { type: null, core: trimmed };
}

/** One way of writing a name, as the matcher sees it. */
export interface NameForm { keys: string[]; tones: string[] }

/**
 * The forms a core name is matched under: as written, with apostrophes glued ("Ea H'Leo" -> "ea hleo"), glued whole
 * ("EaBar" is read "ea bar", and also "eabar"), and with a
 * final Roman numeral in digits ("IV" -> "4" only; "Tam Xuân II" also "tam xuân 2").
 */
export function nameForms(core: string): NameForm[] {
  const forms: NameForm[] = [];
  const add = (text: string) => {
    const ws = words(text).map((w) => w.lower);
    if (ws.length === 0) return;
    const form = { keys: ws.map(tokenKey), tones: ws.map(toneKey) };
    if (!forms.some((f) => f.keys.join(' ') === form.keys.join(' '))) forms.push(form);
  };
  const parts = core.trim().split(/\s+/);
  const last = parts.at(-1) ?? '';
  const numeral = /^[IVX]+$/.test(last) ? ROMAN[last.toLowerCase()] : undefined;
  if (numeral && parts.length === 1) add(numeral);
  else {
    add(core);
    if (numeral) add([...parts.slice(0, -1), numeral].join(' '));
  }
  if (/['’‘`]/.test(core)) add(core.replace(/['’‘`]/g, '').toLowerCase());
  // "ĐamBri" is also typed "Đambri"
  if (GLUED_CAPITAL.test(core)) add(core.toLowerCase());
  return forms;
}
