import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { Faq, PrismaClient, Procedure } from '../../generated/prisma/client.js';
import { COLUMNS, formatDate, joinList, joinPairs, type ExportKind } from './columns.js';
import type { FileFormat } from './parse.js';
import { byVi } from '../table-file.js';

// Procedures and FAQs written with the import's own headers and cell conventions, so an exported file
// re-imports unchanged (the way officials edit the knowledge base in a spreadsheet).

const PAGE = 500;

export const CONTENT_TYPES: Record<FileFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};
const SHEET_NAMES: Record<ExportKind, string> = { procedures: 'Thủ tục', faqs: 'Câu hỏi thường gặp' };

export function exportHeaders(kind: ExportKind): string[] {
  return COLUMNS[kind].map((c) => c.headers[0]);
}

/** One entry as the cells of its row, in the order of exportHeaders(kind). */
export function toCells(kind: ExportKind, entry: Procedure | Faq): string[] {
  const e = entry as unknown as Record<string, unknown>;
  return COLUMNS[kind].map(({ field, type }) => {
    const v = e[field];
    if (v === null || v === undefined) return '';
    if (type === 'list') return joinList(v as string[]);
    if (type === 'bool') return v ? 'có' : 'không';
    if (type === 'date') return formatDate(v as Date);
    if (type === 'json') return Array.isArray(v) && v.length === 0 ? '' : JSON.stringify(v);
    if (type === 'pairs') {
      const items = v as Array<{ name?: string; title?: string; url?: string; payload?: string }>;
      return joinPairs(items.map((i) => ({ label: i.name ?? i.title ?? '', target: i.url ?? i.payload ?? '' })));
    }
    return String(v);
  });
}

/** Entries in Vietnamese alphabetical order of their name (an FAQ's first question), read a page at a time. */
async function* entries(prisma: PrismaClient, kind: ExportKind): AsyncGenerator<Procedure | Faq> {
  const keys = kind === 'procedures'
    ? await prisma.procedure.findMany({ select: { id: true, name: true } })
    : (await prisma.faq.findMany({ select: { id: true, questions: true } })).map((f) => ({ id: f.id, name: f.questions[0] ?? '' }));
  keys.sort(byVi((k) => k.name));
  for (let i = 0; i < keys.length; i += PAGE) {
    const ids = keys.slice(i, i + PAGE).map((k) => k.id);
    const page: Array<Procedure | Faq> = kind === 'procedures'
      ? await prisma.procedure.findMany({ where: { id: { in: ids } } })
      : await prisma.faq.findMany({ where: { id: { in: ids } } });
    const byId = new Map(page.map((e) => [e.id, e]));
    for (const id of ids) {
      const entry = byId.get(id);
      if (entry) yield entry;
    }
  }
}

/** Streams the export into `out` (a file or an HTTP response); resolves with the number of entries. */
export async function exportKb(prisma: PrismaClient, kind: ExportKind, format: FileFormat, out: Writable): Promise<number> {
  return format === 'csv' ? exportCsv(prisma, kind, out) : exportXlsx(prisma, kind, out);
}

// Excel runs a CSV cell that starts with = + - @ as a formula; an apostrophe keeps it text (imports drop it).
const escapeFormula = (v: string) => (/^[=+\-@]/.test(v) ? `'${v}` : v);

async function exportCsv(prisma: PrismaClient, kind: ExportKind, out: Writable): Promise<number> {
  // The BOM makes Excel open the file as UTF-8 instead of mangling Vietnamese letters.
  const csv = stringify({ bom: true, record_delimiter: 'windows' });
  csv.pipe(out);
  const finished = once(csv, 'end');
  let n = 0;
  const write = async (cells: string[]) => {
    if (!csv.write(cells)) await once(csv, 'drain');
  };
  await write(exportHeaders(kind));
  for await (const e of entries(prisma, kind)) {
    await write(toCells(kind, e).map(escapeFormula));
    n++;
  }
  csv.end();
  await finished;
  return n;
}

async function exportXlsx(prisma: PrismaClient, kind: ExportKind, out: Writable): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(SHEET_NAMES[kind], { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = exportHeaders(kind).map((h) => ({ header: h, width: Math.min(60, Math.max(14, h.length + 4)) }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  let n = 0;
  for await (const e of entries(prisma, kind)) {
    const row = sheet.addRow(toCells(kind, e));
    row.alignment = { wrapText: true, vertical: 'top' };
    row.commit();
    n++;
  }
  sheet.commit();
  await workbook.commit();
  return n;
}
