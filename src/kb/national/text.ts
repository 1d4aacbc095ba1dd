// Text as the national portal's crawl gives it: mixed Unicode forms (some letters decomposed), no-break and
// zero-width spaces, tabs, and "Không có thông tin" where the portal shows an empty cell.

export const NO_INFO = 'Không có thông tin';

const INVISIBLE = /[\u200b-\u200f\u2060\ufeff]/g;

/** NFC, no invisible characters, no-break spaces and tabs as spaces; '' for the portal's "no information". */
export function clean(s: string | null | undefined): string {
  const t = (s ?? '').normalize('NFC').replace(INVISIBLE, '').replace(/[\u00a0\t]/g, ' ').trim();
  return t === NO_INFO ? '' : t;
}

/** One line: every run of whitespace (line breaks too) becomes one space. */
export function oneLine(s: string | null | undefined): string {
  return clean(s).replace(/\s+/g, ' ');
}

/** Several lines kept as written, each trimmed and its spaces collapsed, without runs of blank lines. */
export function paragraphs(s: string | null | undefined): string {
  const lines = clean(s).split(/\r?\n/).map((l) => l.replace(/\s+/g, ' ').trim());
  const out: string[] = [];
  for (const line of lines) {
    if (line === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(line);
  }
  while (out.length && out[out.length - 1] === '') out.pop();
  return out.join('\n');
}

/** Without a leading bullet ("- ", "+ ", "* ", "•") or a trailing separator (". ; , :"). */
export function trimItem(s: string): string {
  return s.replace(/^\s*(?:[-+*•–]\s*)+/, '').replace(/[\s.;,:]+$/, '').trim();
}

/** "Trực tiếp, trực tuyến hoặc qua bưu chính": a list read aloud. */
export function joinOr(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} hoặc ${items[items.length - 1]}`;
}

export const hasLetters = (s: string) => /\p{L}{2}/u.test(s);
