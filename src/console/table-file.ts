import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { FileFormat } from './imports/parse.js';

// Tables the console hands officials as files (reports, the audit log): XLSX with one sheet per table, or CSV
// with the tables one under the other, each under its title. Cells are text or numbers; dates arrive formatted.

export type Cell = string | number | null;
export interface Table {
  /** Sheet name (at most 31 characters in Excel) and the title over the table in a CSV. */
  title: string;
  headers: string[];
  rows: Cell[][];
}

/** Vietnamese alphabetical order for lists and exports ("Đăng ký…" before "Xóa…", "Bản 2" before "Bản 10"). */
export const viCollator = new Intl.Collator('vi', { sensitivity: 'base', numeric: true });
export const byVi = <T>(key: (x: T) => string | null | undefined) => (a: T, b: T) => viCollator.compare(key(a) ?? '', key(b) ?? '');

// Excel runs a cell that starts with = + - @ as a formula; an apostrophe keeps it text.
const safe = (v: Cell): Cell => (typeof v === 'string' && /^[=+\-@]/.test(v) ? `'${v}` : v);

export async function writeTables(format: FileFormat, tables: Table[], out: Writable): Promise<void> {
  if (format === 'csv') return writeCsv(tables, out);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const used = new Set<string>();
  for (const table of tables) {
    let name = table.title.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31);
    for (let i = 2; used.has(name); i++) name = `${name.slice(0, 28)} ${i}`;
    used.add(name);
    const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = table.headers.map((h, i) => ({
      header: h,
      width: Math.min(50, Math.max(12, h.length + 2, ...table.rows.slice(0, 200).map((r) => String(r[i] ?? '').length + 2))),
    }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    for (const cells of table.rows) {
      const row = sheet.addRow(cells.map(safe));
      row.alignment = { wrapText: true, vertical: 'top' };
      row.commit();
    }
    sheet.commit();
  }
  await workbook.commit();
}

async function writeCsv(tables: Table[], out: Writable): Promise<void> {
  // The BOM makes Excel open the file as UTF-8 instead of mangling Vietnamese letters.
  const csv = stringify({ bom: true, record_delimiter: 'windows' });
  csv.pipe(out);
  const finished = once(csv, 'end');
  const write = async (cells: Cell[]) => {
    if (!csv.write(cells.map((c) => (c === null ? '' : safe(c))))) await once(csv, 'drain');
  };
  for (const [i, table] of tables.entries()) {
    if (tables.length > 1) {
      if (i > 0) await write([]);
      await write([table.title]);
    }
    await write(table.headers);
    for (const row of table.rows) await write(row);
  }
  csv.end();
  await finished;
}
