import { extractDossierCode } from '../../nlu/entities.js';
import { clean, fold } from '../../nlu/text.js';

// What a form accepts for each kind of field. Each reader returns the stored value, or null: the form then asks
// again with an example. Nothing here guesses: a value that does not fit its type is never stored.

/** Control characters, lone surrogates and runs of spaces removed; NFC. */
export function tidy(raw: string): string {
  return raw.normalize('NFC').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/[ \t]+/g, ' ').trim();
}

const LETTER = /\p{L}/u;
const PICTOGRAPH = /\p{Extended_Pictographic}/u;

/** Words and phrases of requests and addresses that are no person's name (folded; most syllables are somebody's name). */
const NOT_NAME_WORDS = new Set('toi muon giup khong menu alo ok oke xin nhe ko dc gi sao nao'.split(' '));
const NOT_NAME_PHRASES = ['đăng ký', 'phục vụ', 'tại nhà', 'thủ tục', 'hồ sơ', 'giấy tờ', 'khai sinh', 'khai tử', 'căn cước', 'chứng thực',
  'kết hôn', 'cho tôi', 'bao nhiêu', 'thế nào', 'ở đâu', 'làm sao', 'điện thoại', 'địa chỉ', 'cán bộ', 'một cửa', 'hủy bỏ'];
// Typed with diacritics, "Phúc Vũ" is a name and "phục vụ" is not; without them, the phrase is refused either way.
const phraseIn = (lower: string) => NOT_NAME_PHRASES.some((p) => (fold(lower) === lower ? ` ${lower} `.includes(` ${fold(p)} `) : ` ${lower} `.includes(` ${p} `)));

/** A person's full name: 2-7 words of letters (hyphen, apostrophe and dot allowed), none a request word. */
export function readName(raw: string): string | null {
  const text = tidy(raw).replace(/\s*[.,]+$/, '');
  if (text.length < 3 || text.length > 80 || PICTOGRAPH.test(text)) return null;
  const words = text.split(' ');
  if (words.length < 2 || words.length > 7) return null;
  if (!words.every((w) => /^[\p{L}][\p{L}'’.-]*$/u.test(w) && w.length <= 12)) return null;
  const folded = words.map((w) => fold(clean(w)));
  if (folded.some((w) => NOT_NAME_WORDS.has(w)) || phraseIn(words.join(' ').toLocaleLowerCase('vi'))) return null;
  // Stored as people write names on forms: each word capitalised.
  return words.map((w) => w.charAt(0).toLocaleUpperCase('vi') + w.slice(1).toLocaleLowerCase('vi')).join(' ');
}

/**
 * A Vietnamese phone number written any usual way ("0912 345 678", "0912.345.678", "+84 912 345 678",
 * "84912345678", "(+84) 912-345-678", "+84 (0) 912345678"), as 10 digits starting with 0 (mobile 03/05/07/08/09,
 * or a landline 02x with 11 digits).
 */
export function readPhone(raw: string): string | null {
  const text = tidy(raw);
  if (text.length > 40 || /\p{L}/u.test(text.replace(/^(sđt|sdt|số|so|đt|dt|điện thoại|dien thoai)[:\s]*/i, ''))) return null;
  let digits = text.replace(/\(0\)/g, '').replace(/[\s.()\-–/]/g, '').replace(/^(sđt|sdt|số|so|đt|dt|điện thoại|dien thoai)[:]?/i, '');
  if (!/^\+?\d+$/.test(digits)) return null;
  digits = digits.replace(/^\+/, '');
  if (digits.startsWith('84') && (digits.length === 11 || digits.length === 12)) digits = `0${digits.slice(2)}`;
  if (/^0[35789]\d{8}$/.test(digits)) return digits;
  if (/^02\d{9}$/.test(digits)) return digits;
  return null;
}

/** "0912345678" -> "0912 345 678" (summaries). */
export const showPhone = (p: string) => (p.length === 10 ? `${p.slice(0, 4)} ${p.slice(4, 7)} ${p.slice(7)}` : p);

/** An address: 2+ words with letters, 5-300 characters, not only emoji. */
export function readAddress(raw: string): string | null {
  const text = tidy(raw);
  if (text.length < 5 || text.length > 300) return null;
  const words = text.split(' ').filter((w) => LETTER.test(w));
  if (words.length < 2) return null;
  return text;
}

/** Free text (a complaint, a comment): letters required, at most `max` characters. 'long' when it is over. */
export function readText(raw: string, min: number, max: number): string | null | 'long' {
  const text = tidy(raw);
  if (text.length > max) return 'long';
  if (text.length < min || !LETTER.test(text)) return null;
  return text;
}

const SCORE_WORDS: Array<[RegExp, number]> = [
  [/\brat khong hai long\b|\bqua te\b|\btoi te\b/, 1],
  [/\bkhong hai long\b|\bchua hai long\b|\bte\b|\bkem\b/, 2],
  [/\bbinh thuong\b|\btam duoc\b|\btrung binh\b/, 3],
  [/\brat hai long\b|\btuyet voi\b|\bxuat sac\b/, 5],
  [/\bhai long\b|\btot\b/, 4],
];
const NUMBER_WORDS: Record<string, number> = { mot: 1, hai: 2, ba: 3, bon: 4, tu: 4, nam: 5 };

/** A satisfaction score 1-5: "5", "5 sao", "4⭐", "năm", "rất hài lòng", or a #score:n button. */
export function readScore(raw: string): number | null {
  const text = tidy(raw);
  const button = /^#score:([1-5])$/.exec(text);
  if (button) return Number(button[1]);
  const f = fold(clean(text.replace(/⭐|★|\*/g, ' sao '))).trim();
  const n = /^([1-5])(\s*(\/\s*5|sao|diem|d))?$/.exec(f);
  if (n) return Number(n[1]);
  const w = /^(mot|hai|ba|bon|tu|nam)(\s+(sao|diem))?$/.exec(f);
  if (w) return NUMBER_WORDS[w[1]];
  for (const [re, score] of SCORE_WORDS) if (re.test(f) && f.split(' ').length <= 6) return score;
  return null;
}

const VN_OFFSET_MS = 7 * 3600_000;

/** Today's date in Vietnam as [year, month, day]. */
function today(now: Date): [number, number, number] {
  const l = new Date(now.getTime() + VN_OFFSET_MS);
  return [l.getUTCFullYear(), l.getUTCMonth() + 1, l.getUTCDate()];
}

const validDate = (y: number, m: number, d: number) => {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d ? t : null;
};

/**
 * A calendar day, as people write it: "20/5/2026", "20-05-26", "20.5", "2026-05-20", "ngày 20 tháng 5 năm 2026",
 * "20 tháng 5", "hôm nay", "mai", "ngày kia". Day first, as in Vietnam. Returned as local midnight (UTC+7).
 */
export function readDate(raw: string, now: Date): Date | null {
  let f = fold(clean(tidy(raw))).replace(/[,;]+$/, '').replace(/^vao\s+/, '').trim();
  if (!/^ngay\s+(mai|kia)$/.test(f)) f = f.replace(/^ngay\s+/, '');
  const [y0, m0, d0] = today(now);
  const local = (y: number, m: number, d: number) => {
    const t = validDate(y, m, d);
    return t ? new Date(t.getTime() - VN_OFFSET_MS) : null;
  };
  const rel: Record<string, number> = { 'hom nay': 0, 'mai': 1, 'ngay mai': 1, 'ngay kia': 2, 'mot': 2 };
  if (f in rel) {
    const t = new Date(Date.UTC(y0, m0 - 1, d0 + rel[f]));
    return local(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
  }
  const year = (s?: string) => (s === undefined ? y0 : s.length === 2 ? 2000 + Number(s) : Number(s));
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(f);
  if (m) return local(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})\s*[-/.]\s*(\d{1,2})(?:\s*[-/.]\s*(\d{4}|\d{2}))?$/.exec(f);
  if (m) return local(year(m[3]), Number(m[2]), Number(m[1]));
  m = /^(\d{1,2})\s+thang\s+(\d{1,2})(?:\s+nam\s+(\d{4}))?$/.exec(f);
  if (m) return local(year(m[3]), Number(m[2]), Number(m[1]));
  return null;
}

/** A dossier code in the message, or a #skip tap (null). Undefined when neither. */
export function readDossierCode(raw: string): string | null | undefined {
  if (raw.trim() === '#skip') return null;
  return extractDossierCode(raw);
}

const YES = /^(#yes|#ok|co|dong y|ok|oke|okay|yes|u|uh|um|vang|da|da co|dung|dung roi|chinh xac|gui|gui di|xac nhan)$/;
const NO = /^(#no|khong|ko|k|khong can|thoi khoi)$/;
/** "có", "đồng ý", "ok", "đúng rồi", a #yes tap -> true; "không", #no -> false; anything else undefined. */
export function readYesNo(raw: string): boolean | undefined {
  const f = fold(clean(tidy(raw))).replace(/[.!,]+$/, '').replace(/\s+(a|nhe|nha)$/, '').trim();
  if (raw.trim() === '#yes' || YES.test(f)) return true;
  if (raw.trim() === '#no' || NO.test(f)) return false;
  return undefined;
}
