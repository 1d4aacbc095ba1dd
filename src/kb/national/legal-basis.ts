import { clean, oneLine } from './text.js';

// "Căn cứ pháp lý" as crawled: the table "Tên văn bản pháp lý | Mã văn bản" run together, each title followed at
// once by its number: "...biện pháp thi hành Luật Hộ tịch123/2015/NĐ-CPThông tư số 08/2025/TT-BTP ...08/2025/TT-BTP".
// Titles cite numbers too, but there a number follows a space ("Nghị định số 123/2015/NĐ-CP ngày ..."), while
// the number column follows the title with no space and is followed by the next title, or the end.

const HEADER = 'Tên văn bản pháp lýMã văn bản';
/** Issuers after the document type ("NĐ-CP", "QĐ-TTg", "TTLT-BCA-BYT-BTC"), longest first. */
const ISSUERS = [
  'UBTVQH\\d{2}', 'QH\\d{2}', 'BNNPTNT', 'BLĐTBXH', 'BVHTTDL', 'BTTTT', 'BGDĐT', 'BKHĐT', 'BKHCN', 'BGTVT', 'BNNMT', 'BTNMT',
  'VKSNDTC', 'TANDTC', 'NHNN', 'BHXH', 'UBND', 'HĐND', 'VPCP', 'BTC', 'BTP', 'BCA', 'BXD', 'BCT', 'BYT', 'BQP', 'BNV', 'BNG',
  'TCHQ', 'TCT', 'HĐTP', 'TTg', 'CP',
];
const TYPES = 'NĐ|NQ|TTLT|TT|QĐ|QD|CT|NQLT|L|PL|NQ-UBTVQH\\d{2}';
/** Any other issuer (and typos such as "NĐ-C"), up to where the next title begins. */
const OTHER_ISSUER = '[A-ZĐ]{1,8}?(?=\\p{Lu}\\p{Ll}|\\s|$|\\d|[;(])';
const ISSUER = `(?:${ISSUERS.join('|')}|${OTHER_ISSUER})`;
/** 123/2015/NĐ-CP, 60/2014/QH13, 66.7/2025/NQ-CP, 601/QĐ-BTC, 09/2015/TTLT-BCA-BYT-BTC, 46/2020, 73-CP. */
const NUMBER = `\\d{1,4}(?:\\.\\d+)?(?:/\\d{4}(?:/(?:(?:${TYPES})-)?${ISSUER}(?:-${ISSUER})*|/QH\\d{2})?|/(?:${TYPES})-${ISSUER}(?:-${ISSUER})*)|\\d{1,4}-CP`;
const CODE = new RegExp(`(?:(?:Luật|Nghị định|Thông tư|Quyết định|Nghị quyết|NĐ|TT|QĐ|NQ)(?: số)? |số )?(?:${NUMBER})`, 'u');
const TYPE_WORDS = /^((Luật|Nghị định|Thông tư|Quyết định|Nghị quyết|NĐ|TT|QĐ|NQ)( số)?|số) /u;
/** A year closing a title ("Luật Khiếu nại năm 2011" + "02/2011/QH13") runs into the number. */
const YEAR_BEFORE = /(?:19|20)\d\d$/;

interface Entry { title: string; number: string }

/** "<number> — <title>" per document, in the record's order; a document without a number is its title. */
export function parseLegalBasis(raw: string): string[] {
  const text = clean(raw).replace(HEADER, '');
  if (!text) return [];
  const entries: Entry[] = [];
  let from = 0;
  const code = new RegExp(CODE.source, 'gu');
  for (let m = code.exec(text); m; m = code.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    // Numbers overlap ("Luật 60/2014/QH13" then "60/2014/QH13"): a rejected one is retried one character on.
    if (!isColumn(text, start, end, from)) {
      code.lastIndex = start + 1;
      continue;
    }
    entries.push({ title: trimTitle(text.slice(from, start)), number: oneLine(m[0]).replace(TYPE_WORDS, '') });
    from = end;
  }
  const rest = trimTitle(text.slice(from));
  if (rest) entries.push(trailing(rest));
  return dedupe(entries.map(({ title, number }) => {
    if (!number) return title;
    if (!title || title === number) return number;
    return `${number} — ${title}`;
  }));
}

/** The number column: glued to its title, and followed by the end or the next title. */
function isColumn(text: string, start: number, end: number, titleStart: number): boolean {
  const before = text.slice(0, start);
  const last = before[before.length - 1];
  // The digits after "QH" are the legislature ("QH13"), not the start of a number.
  // Nor do digits inside another number ("66.7/2025", "06/2025/TT-BCA").
  if (/QH\d?$/.test(before) || /[/-]$|\d\.$/.test(before)) return false;
  const glued = last === undefined || (!/\s/.test(last) && (!/\d/.test(last) || YEAR_BEFORE.test(before) || /QH\d\d$/.test(before)));
  const after = text.slice(end);
  // A number ending a title cell that cites it, with the number cell empty: "...thực vật 41/2013/QH13Thông tư ...".
  if (!glued) return /\s$/.test(before) && (/^\p{Lu}/u.test(after) || after.trim() === '') && start !== titleStart;
  if (/^\s*$/.test(after)) return true;
  // A number opening a title ("Nghị định số 29/2021/NĐ-CP Quy định về ...", "Thông tư số 53/2025/TT-BCAngày ...")
  // is part of that title.
  if (start === titleStart || /^ngày/.test(after)) return false;
  return /^(\s*\p{Lu}|\p{Ll}|[;(])/u.test(after);
}

const trimTitle = (s: string) => oneLine(s).replace(/[\s;,.:]+$/, '');

/** Text after the last number: "Luật Hải quan 201454" is "Luật Hải quan 2014" numbered "54". */
function trailing(rest: string): Entry {
  const m = /^(.*\D(?:19|20)\d\d)(\d{1,4})$/.exec(rest);
  return m ? { title: m[1].trim(), number: m[2] } : { title: rest, number: '' };
}

function dedupe(items: string[]): string[] {
  return [...new Set(items.filter(Boolean))];
}
