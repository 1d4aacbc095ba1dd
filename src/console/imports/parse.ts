import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';

// Rows of the first sheet of a CSV or XLSX file, streamed so a large file never sits in memory whole.
// Row numbers are the ones a spreadsheet shows (the header is row 1), so officials can find each problem.

export type FileFormat = 'csv' | 'xlsx';
export interface SheetFile { path: string; format: FileFormat }
export interface SheetRow { row: number; values: Record<string, string> }

export interface ReadOptions {
  /** Called once with the header row as written in the file, and its row number. */
  onHeaders?: (headers: string[], row: number) => void;
  /**
   * Tells a header row from a title block above it (the portal's exports open with a merged title). Without
   * it, or when none of the first rows is a header, the first non-blank row is the header.
   */
  isHeader?: (values: string[]) => boolean;
}

/** How many rows a title block above the header may take. */
const TITLE_ROWS = 10;

/** The file cannot be read as the format it claims (not UTF-8, not a workbook, no header row). */
export class SheetFormatError extends Error {}

export async function* readRows(file: SheetFile, opts: ReadOptions = {}): AsyncGenerator<SheetRow> {
  const input = createReadStream(file.path);
  try {
    const cells = file.format === 'csv' ? csvRecords(file.path, input) : xlsxRecords(input);
    let headers: string[] | undefined;
    // Rows read before the header is known: a title block, or (when no header is found) the data.
    const before: Array<{ row: number; values: string[] }> = [];
    const toRecord = (row: number, values: string[]): SheetRow => {
      const record: Record<string, string> = {};
      (headers as string[]).forEach((h, i) => { record[h] = values[i] ?? ''; });
      return { row, values: record };
    };
    const useHeader = (row: number, values: string[]) => {
      headers = uniqueHeaders(values);
      opts.onHeaders?.(headers, row);
    };
    for await (const { row, values } of cells) {
      if (values.every((v) => v === '')) continue;
      if (headers) {
        yield toRecord(row, values);
        continue;
      }
      if (!opts.isHeader || opts.isHeader(values)) {
        useHeader(row, values);
        before.length = 0;
        continue;
      }
      before.push({ row, values });
      if (before.length > TITLE_ROWS) {
        const [first, ...rest] = before.splice(0);
        useHeader(first.row, first.values);
        for (const r of rest) yield toRecord(r.row, r.values);
      }
    }
    if (!headers && before.length) {
      const [first, ...rest] = before.splice(0);
      useHeader(first.row, first.values);
      for (const r of rest) yield toRecord(r.row, r.values);
    }
    if (!headers) throw new SheetFormatError('Tệp không có dòng tiêu đề (dòng 1 phải là tên các cột).');
  } finally {
    input.destroy();
  }
}

/** Two columns with the same title keep both values: the second becomes "Title (2)". */
function uniqueHeaders(values: string[]): string[] {
  const seen = new Map<string, number>();
  return values.map((v, i) => {
    const title = v.trim() || `Cột ${i + 1}`;
    const n = (seen.get(title) ?? 0) + 1;
    seen.set(title, n);
    return n === 1 ? title : `${title} (${n})`;
  });
}

async function* csvRecords(path: string, input: NodeJS.ReadableStream): AsyncGenerator<{ row: number; values: string[] }> {
  const head = await firstBytes(path, 64 * 1024);
  if (head.includes('\uFFFD')) {
    throw new SheetFormatError('Tệp CSV không ở mã UTF-8: trong Excel chọn "Lưu thành" > "CSV UTF-8 (Comma delimited)".');
  }
  const parser = input.pipe(parse({
    bom: true,
    delimiter: detectDelimiter(head),
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
  }));
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row++;
      yield { row, values: record.map((v) => unescapeFormula(v.trim())) };
    }
  } catch (err) {
    const e = err as { code?: string; message: string; lines?: number };
    if (!e.code?.startsWith('CSV_')) throw err;
    throw new SheetFormatError(`Tệp CSV hỏng gần dòng ${e.lines ?? row + 1} (${e.message}). Hãy mở bằng Excel và lưu lại dạng CSV UTF-8.`);
  }
}

async function firstBytes(path: string, n: number): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    // A multi-byte character cut at the end of the sample is not an encoding error.
    return buf.subarray(0, bytesRead).toString('utf8').replace(/\uFFFD{1,3}$/, '');
  } finally {
    await fh.close();
  }
}

/** The separator of the header line (Excel in Vietnamese locale saves ';'); quoted text does not count. */
export function detectDelimiter(sample: string): string {
  const text = sample.replace(/^\uFEFF/, '');
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch in counts) counts[ch]++;
  }
  const [best, n] = Object.entries(counts).sort((a, b) => b[1] - a[1])[0];
  return n > 0 ? best : ',';
}

/** Exports protect cells that Excel would run as formulas with a leading apostrophe; imports take it off. */
export function unescapeFormula(v: string): string {
  return /^'[=+\-@]/.test(v) ? v.slice(1) : v;
}

async function* xlsxRecords(input: NodeJS.ReadableStream): AsyncGenerator<{ row: number; values: string[] }> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input as unknown as import('stream').Stream, {
    worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache',
  });
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const raw = row.values as unknown[];
        const values: string[] = [];
        for (let i = 1; i < raw.length; i++) values.push(cellText(raw[i]));
        yield { row: row.number, values };
      }
      return; // the first sheet only
    }
  } catch (err) {
    if (err instanceof SheetFormatError) throw err;
    throw new SheetFormatError(`Không đọc được tệp XLSX: ${(err as Error).message}. Hãy lưu lại tệp bằng Excel (định dạng .xlsx).`);
  }
  throw new SheetFormatError('Tệp XLSX không có trang tính nào.');
}

/** Text of a cell whatever Excel stored: rich text, formula results, links, numbers, dates (as dd/mm/yyyy hh:mm). */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return wallClock(v);
  if (typeof v === 'object') {
    const o = v as { richText?: Array<{ text: string }>; text?: unknown; result?: unknown; error?: string };
    if (o.richText) return o.richText.map((r) => r.text).join('').trim();
    if ('result' in o) return cellText(o.result);
    if (o.text !== undefined) return cellText(o.text);
    if (o.error) return '';
  }
  return String(v).trim();
}

/** Excel dates have no zone: the clock time as typed, written the way officials write it. */
function wallClock(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const date = `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
  return d.getUTCHours() || d.getUTCMinutes() ? `${date} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}` : date;
}
