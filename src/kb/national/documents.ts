import { clean, hasLetters, oneLine, trimItem } from './text.js';

// "Thành phần hồ sơ" as crawled: groups, each a title ("* Giấy tờ phải nộp:", "* Giấy tờ phải xuất trình:",
// "Trường hợp ủy quyền thực hiện thủ tục:", "--" for none) then the table header "Tên giấy tờ | Mẫu đơn, tờ khai
// | Số lượng", then rows run together, each ending in its count ("1 bản chính", "0 bản chính,1 bản sao").
// The form column holds a file name ("Mau NA20-BCA.docx") between the document and its count, with no link.

export interface Documents {
  /** To hand in: "Giấy chứng sinh (1 bản chính)". */
  toSubmit: string[];
  /** To show (phải xuất trình). */
  toShow: string[];
}

const TABLE_HEADER = 'Tên giấy tờMẫu đơn, tờ khaiSố lượng';
/** The count ending a row; a count inside a document's text is followed by a space ("nộp 02 bản sao có ..."). */
const COUNT = /(\d+) bản (chính|sao)(?:\s*,\s*(\d+) bản (chính|sao))?(?!\s)/g;
const FORM_FILE = /\.(docx?|pdf|xlsx?|rar|zip)$/i;
const TO_SHOW = /phải xuất trình|giấy tờ xuất trình/i;
const NOTES = /^[\s*-]*lưu ý/i;
/** Group titles that add nothing to each document's line. */
const GENERIC = /^[\s*-]*((các )?giấy tờ phải nộp|(a\)\s*)?thành phần hồ sơ|hồ sơ gồm|bao gồm)[^:]*:?\s*$/i;

interface Row { text: string; count: number; countText: string }
interface Group { title: string; rows: Row[] }

export function parseDocuments(raw: string): Documents {
  const text = clean(raw);
  const out: Documents = { toSubmit: [], toShow: [] };
  if (!text.includes(TABLE_HEADER)) return out; // no table: nothing to list (a few records hold other text here)
  for (const group of groups(text)) {
    if (NOTES.test(group.title)) continue;
    const title = oneLine(group.title).replace(/^-+$/, '');
    const target = TO_SHOW.test(title) ? out.toShow : out.toSubmit;
    // Rows counted 0 are notes to the rows around them ("... thì không phải nộp bản giấy"), unless nothing is counted.
    const counted = group.rows.some((r) => r.count > 0);
    const prefix = title && !GENERIC.test(title) && !TO_SHOW.test(title) ? `${trimItem(title)}: ` : '';
    for (const row of group.rows) {
      if ((counted && row.count === 0) || NOTES.test(row.text)) continue;
      target.push(`${prefix}${row.text}${row.count > 0 ? ` (${row.countText})` : ''}`);
    }
  }
  return out;
}

/** Titles and rows: the text before each table header is the title of the group that follows it. */
function groups(text: string): Group[] {
  const parts = text.split(TABLE_HEADER);
  const out: Group[] = [];
  let title = parts[0];
  for (let i = 1; i < parts.length; i++) {
    const { rows, rest } = readRows(parts[i]);
    out.push({ title, rows: i === parts.length - 1 && hasLetters(rest) ? [...rows, { text: documentLine(rest), count: 0, countText: '' }] : rows });
    title = rest;
  }
  return out;
}

function readRows(body: string): { rows: Row[]; rest: string } {
  const rows: Row[] = [];
  let from = 0;
  for (const m of body.matchAll(COUNT)) {
    // "...ngày 01/01/20261 bản chính": only the last digit is the count ("01" is a count written with a zero).
    const run = m[1];
    const own = /^0\d$/.test(run) ? 0 : run.length - 1;
    const text = body.slice(from, m.index + own);
    from = m.index + m[0].length;
    if (!hasLetters(text)) continue;
    const parts = [[Number(run.slice(own)), m[2]], ...(m[3] ? [[Number(m[3]), m[4]]] : [])] as Array<[number, string]>;
    const nonzero = parts.filter(([n]) => n > 0);
    rows.push({ text: documentLine(text), count: nonzero.reduce((s, [n]) => s + n, 0),
      countText: nonzero.map(([n, kind]) => `${n} bản ${kind}`).join(', ') });
  }
  return { rows, rest: body.slice(from) };
}

/** The document's text, with the forms' file names (if any) as "(mẫu: ...)". */
function documentLine(text: string): string {
  const { rest, forms } = splitForms(oneLine(text));
  const name = trimItem(rest);
  if (!forms.length) return name;
  return name ? `${name} (mẫu: ${forms.join('; ')})` : `Mẫu ${forms.join('; ')}`;
}

const FILE_END = /(?<=\.(?:docx?|pdf|xlsx?|rar|zip))(?=\S)/i;
/** How far before its extension a file name may start. */
const WINDOW = 80;

/**
 * File names at the end of a row ("...(NA20).Mau NA20-BCA.docx", "...vật nuôiBC tom tat.docx", several run
 * together: "...Mẫu số 01.docxMẫu số 05.docx"). The first begins where the crawler glued it to the document's
 * text: after ". ; : )" with no space, else at the first lower-to-upper case join.
 */
function splitForms(line: string): { rest: string; forms: string[] } {
  if (!FORM_FILE.test(line)) return { rest: line, forms: [] };
  const [first, ...others] = line.split(FILE_END);
  const stem = first.replace(FORM_FILE, '');
  const from = Math.max(1, stem.length - WINDOW);
  let cut = -1;
  for (let i = stem.length - 2; i >= from; i--) {
    if (/[.;:)]/.test(stem[i]) && /[^\s\d.;:)(,-]/.test(stem[i + 1])) { cut = i + 1; break; }
  }
  if (cut < 0) {
    for (let i = from; i < stem.length - 1; i++) {
      if (/\p{Ll}/u.test(stem[i]) && /\p{Lu}/u.test(stem[i + 1])) { cut = i + 1; break; }
    }
  }
  if (cut < 0) return { rest: line, forms: [] };
  const forms = [first.slice(cut), ...others].map((f) => f.replace(FORM_FILE, '').replace(/\.+$/, '').trim()).filter(hasLetters);
  return { rest: stem.slice(0, cut), forms };
}
