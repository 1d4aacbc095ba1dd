// A small RFC 4180 reader for the shipped files: quoted fields, doubled quotes, CRLF or LF, and the line each
// record starts on. About ten times faster than csv-parse here, which matters because every fresh
// database (each test, each new deployment) loads the whole administrative map.

export class CsvSyntaxError extends Error {
  constructor(message: string, readonly line: number) { super(message); }
}

export interface CsvRecord { line: number; fields: string[] }

export function parseCsv(text: string): CsvRecord[] {
  const out: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let value: string;
      if (text[i] === '"') {
        let buf = '';
        i++;
        for (;;) {
          const q = text.indexOf('"', i);
          if (q < 0) throw new CsvSyntaxError('a quoted field is not closed', start);
          const chunk = text.slice(i, q);
          for (let k = chunk.indexOf('\n'); k >= 0; k = chunk.indexOf('\n', k + 1)) line++;
          buf += chunk;
          if (text[q + 1] === '"') { buf += '"'; i = q + 2; continue; }
          i = q + 1;
          break;
        }
        if (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          throw new CsvSyntaxError('unexpected character after a closing quote', line);
        }
        value = buf;
      } else {
        let j = i;
        while (j < n && text[j] !== ',' && text[j] !== '\n' && text[j] !== '\r') j++;
        value = text.slice(i, j);
        if (value.includes('"')) throw new CsvSyntaxError('a quote inside an unquoted field', line);
        i = j;
      }
      fields.push(value);
      if (text[i] === ',') { i++; continue; }
      break;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    line++;
    if (!(fields.length === 1 && fields[0] === '')) out.push({ line: start, fields });
  }
  return out;
}
