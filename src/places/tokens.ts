import { GLUED_NUMBERED } from './lexicon.js';
import { hasToneOrMarks, tokenKey, toneKey, words } from './names.js';

// A message as the place matcher reads it: words with their offsets in the text, folded keys, tone keys, whether
// a punctuation break precedes them, and whether a dot follows (the "P." of "P.5", the "H." of "H. Thăng Bình").

export interface Token {
  lower: string;
  key: string;
  tone: string;
  /** Typed with diacritics: its tone key must then agree with the word it is taken for. */
  marked: boolean;
  upper: boolean;
  /** Typed in capitals throughout ("YB", "HCM"). */
  caps: boolean;
  start: number;
  end: number;
  breakBefore: boolean;
  /** A dash or a slash before it ("Thôn 4 - Xã X - Huyện Y", "tổ 3/ấp 2"): the end of a name, unless the name is written so. */
  dashBefore: boolean;
  dotAfter: boolean;
}

const BREAK = /[,;:!?()[\]{}\n|]/;

export function tokenizeMessage(text: string): Token[] {
  const out: Token[] = [];
  let prevEnd = 0;
  for (const w of words(text)) {
    const gap = text.slice(prevEnd, w.start);
    const prev = out[out.length - 1];
    const dotBreak = gap.includes('.') && !(prev && prev.lower.length <= 3 && !/\d/.test(prev.lower));
    const breakBefore = out.length > 0 && (BREAK.test(gap) || dotBreak);
    const glued = GLUED_NUMBERED.exec(w.lower);
    const pieces = glued
      ? [{ lower: glued[1], start: w.start, end: w.start + glued[1].length }, { lower: glued[2], start: w.start + glued[1].length, end: w.end }]
      : [{ lower: w.lower, start: w.start, end: w.end }];
    pieces.forEach((p, i) => {
      const raw = text.slice(p.start, p.end);
      const regional = REGIONAL.has(p.lower) && raw[0] === raw[0].toLowerCase();
      const lower = regional ? regionalAsCommon(p.lower, out[out.length - 1]?.lower, words(text.slice(p.end, p.end + 8))[0]?.lower) : p.lower;
      out.push({
        lower, key: tokenKey(lower), tone: toneKey(lower), marked: hasToneOrMarks(lower),
        upper: raw[0] !== raw[0].toLowerCase(), caps: raw !== raw.toLowerCase() && raw === raw.toUpperCase(), start: p.start, end: p.end,
        breakBefore: i === 0 ? breakBefore : false,
        dashBefore: i === 0 && out.length > 0 && /[-–—/]/u.test(gap),
        dotAfter: text[p.end] === '.',
      });
    });
    prevEnd = w.end;
  }
  return out;
}

/**
 * Central and Southern speech, typed in lower case with its diacritics: "chừ" is "giờ" ("xã Húc chừ thuộc xã mô"), "dô"
 * is "vô" ("nhập dô đâu"), and "mô" is "nào" after a unit or a "which place" word ("xã mô", "chỗ mô") and "đâu" after
 * going somewhere ("đi lên mô", "nhập vô mô"); elsewhere it is a name's ("Yên Mô", "xã Mô Rai") or a word's ("mô tô").
 */
function regionalAsCommon(lower: string, before: string | undefined, after: string | undefined): string {
  if (lower === 'chừ') return 'giờ';
  if (lower === 'dô' || lower === 'dzô') return 'vô';
  if (lower !== 'mô' || before === undefined || (after !== undefined && MO_COMPOUNDS.has(after))) return lower;
  return WHICH_BEFORE.has(before) ? 'nào' : GO_BEFORE.has(before) ? 'đâu' : lower;
}
/** The words regionalAsCommon may read as others. */
const REGIONAL = new Set(['chừ', 'dô', 'dzô', 'mô']);
const MO_COMPOUNDS = new Set(['tô', 'hình', 'tả', 'phỏng', 'rai']);
const WHICH_BEFORE = new Set(['xã', 'phường', 'huyện', 'quận', 'tỉnh', 'trấn', 'phố', 'chỗ', 'nơi', 'bên', 'x', 'p', 'h', 'q', 'tt', 'ấp', 'thôn']);
const GO_BEFORE = new Set(['ở', 'đi', 'ra', 'lên', 'vô', 'vào', 'về', 'tới', 'đến', 'nhập', 'gộp', 'thuộc', 'sang']);
