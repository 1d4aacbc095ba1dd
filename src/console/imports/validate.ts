import { z } from 'zod';
import { dossierCodeSchema, dossierStatusInputSchema } from '../../dossiers/service.js';
import { faqSchema, procedureSchema, type FaqInput, type ProcedureInput } from '../../kb/schemas.js';
import {
  exportHeader, LIST_DETAILS, parseBool, parseDate, parsePairs, parseStatus, splitList, STATUS_LABELS,
  type HeaderMapping, type ImportKind,
} from './columns.js';
import type { SheetRow } from './parse.js';

// One spreadsheet row -> a validated entry, or every problem in it (column as written in the file, reason in
// Vietnamese for the officials who fix the sheet).

export interface RowError { row: number; column: string; reason: string }

/** A dossier row is what the status feed accepts (src/dossiers/service.ts), plus its code. */
export const dossierRowSchema = z.intersection(z.object({ code: dossierCodeSchema }), dossierStatusInputSchema);
export type DossierRow = z.infer<typeof dossierRowSchema>;

export interface RowData { procedures: ProcedureInput; faqs: FaqInput; dossiers: DossierRow }
const SCHEMAS = { procedures: procedureSchema, faqs: faqSchema, dossiers: dossierRowSchema };
/**
 * Blank cells of these fields mean "none" (null) for a new entry; other blank cells are left out (default, or
 * "required"). A blank cell never changes an entry that exists (`present` lists the cells that were filled).
 */
const NULLABLE: Record<ImportKind, Set<string>> = {
  procedures: new Set(['code', 'onlineUrl', 'portalUrl', 'decision', 'source', 'sourceDate', 'verifiedBy', 'verifiedAt']),
  faqs: new Set(),
  dossiers: new Set(['applicantPhone', 'note']),
};

export interface ValidRow<K extends ImportKind> { row: number; data: RowData[K] }

/** Procedures already in the knowledge base, to tell a row that updates one from a row that adds one. */
export interface KnownProcedures { codes: ReadonlySet<string>; names: ReadonlySet<string> }

/** Procedure fields a new entry must have, but an existing entry keeps when the cell is blank. */
const KEPT_WHEN_BLANK = new Set(['field', 'level', 'office', 'processingTime', 'fee', 'place', 'howToSubmit']);

/** Converts and validates one row; `data` is set only when the row has no problem. */
export function validateRow<K extends ImportKind>(kind: K, mapping: HeaderMapping, sheetRow: SheetRow, known?: KnownProcedures):
  { data?: RowData[K]; present: Set<string>; errors: RowError[] } {
  const errors: RowError[] = [];
  const input: Record<string, unknown> = {};
  const present = new Set<string>();
  const failed = new Set<string>();
  // A list of procedures has no details: empty, unless the national catalogue has the code (see the planner).
  if (mapping.listMode) for (const field of [...LIST_DETAILS, 'office']) input[field] = '';
  const cellOf = (field: string) => (sheetRow.values[mapping.headerOf.get(field) ?? ''] ?? '').trim();
  const updates = kind === 'procedures' && known !== undefined
    && (known.codes.has(cellOf('code')) || known.names.has(nameKey(cellOf('name'))));
  const fail = (field: string, header: string, reason: string) => {
    failed.add(field);
    errors.push({ row: sheetRow.row, column: header, reason });
  };
  for (const [header, spec] of mapping.columns) {
    const cell = sheetRow.values[header] ?? '';
    const { field } = spec;
    if (cell === '') {
      if (NULLABLE[kind].has(field)) input[field] = null;
      else if (updates && KEPT_WHEN_BLANK.has(field)) input[field] = ''; // not `present`: the entry keeps its value
      continue;
    }
    present.add(field);
    switch (spec.type) {
      case 'text':
        // The portal's list puts each office of a procedure on its own line; the catalogue separates them with commas.
        if (mapping.listMode && field === 'office') {
          input[field] = cell.split(/\s*\n\s*/).filter(Boolean).join(', ');
          break;
        }
        input[field] = field === 'applicantPhone' && /^\d{9}$/.test(cell) ? `0${cell}` : cell; // Excel drops the leading 0
        break;
      case 'list':
        input[field] = splitList(cell);
        break;
      case 'bool': {
        const b = parseBool(cell);
        if (b === undefined) fail(field, header, `"${cell}" không hiểu được: ghi "có" hoặc "không"`);
        else input[field] = b;
        break;
      }
      case 'date': {
        const d = parseDate(cell);
        if (!d) fail(field, header, `ngày "${cell}" không hợp lệ: ghi dd/mm/yyyy (có thể thêm giờ hh:mm) hoặc yyyy-mm-dd`);
        else input[field] = d.toISOString(); // the status feed's schema reads ISO 8601
        break;
      }
      case 'status': {
        const s = parseStatus(cell);
        if (!s) fail(field, header, `trạng thái "${cell}" không rõ: dùng một trong ${Object.values(STATUS_LABELS).map((l) => `"${l}"`).join(', ')}`);
        else input[field] = s;
        break;
      }
      case 'json':
        try {
          input[field] = JSON.parse(cell);
        } catch {
          fail(field, header, 'không phải JSON hợp lệ');
        }
        break;
      case 'pairs': {
        const pairs = parsePairs(cell);
        if (!pairs) fail(field, header, 'mỗi dòng phải có dạng "Tên | đường link"');
        else {
          input[field] = field === 'forms'
            ? pairs.map((p) => ({ name: p.label, url: p.target }))
            : pairs.map((p) => (/^https?:\/\//i.test(p.target) ? { title: p.label, url: p.target } : { title: p.label, payload: p.target }));
        }
        break;
      }
    }
  }
  const parsed = SCHEMAS[kind].safeParse(input);
  if (parsed.success) return errors.length ? { present, errors } : { data: parsed.data as RowData[K], present, errors };
  const seen = new Set<string>();
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '');
    if (failed.has(field)) continue;
    const header = mapping.headerOf.get(field) ?? exportHeader(kind, field);
    const reason = reasonOf(issue, input[field]);
    // One bad link fails both the URL format and the http(s) rule: say it once.
    if (seen.has(`${header}\n${reason}`)) continue;
    seen.add(`${header}\n${reason}`);
    errors.push({ row: sheetRow.row, column: header, reason });
  }
  return { present, errors };
}

/** Zod's issue in plain Vietnamese; list items are named by their position in the cell. */
export function reasonOf(issue: z.core.$ZodIssue, value: unknown): string {
  const item = typeof issue.path[1] === 'number' ? `mục thứ ${issue.path[1] + 1}: ` : '';
  const sub = typeof issue.path[2] === 'string' ? `${issue.path[2]} ` : '';
  // Messages written for this project (in Vietnamese) are kept; zod's English defaults are reworded.
  const own = /[^\x00-\x7F]/.test(issue.message) ? issue.message : undefined;
  switch (issue.code) {
    case 'invalid_type':
      return value === undefined || value === null ? 'bắt buộc, đang để trống' : own ?? 'giá trị không hợp lệ';
    case 'too_small':
      if (issue.origin === 'array') return Array.isArray(value) && value.length === 0 ? 'bắt buộc, đang để trống' : `cần ít nhất ${issue.minimum} mục`;
      return `${item}${sub}đang để trống`;
    case 'too_big':
      return issue.origin === 'array' ? `nhiều nhất ${issue.maximum} mục` : `${item}${sub}dài quá ${issue.maximum} ký tự`;
    case 'invalid_format':
      if (issue.format === 'url') return `${item}${sub}không phải đường link http(s) hợp lệ`;
      return `${item}${sub}${own ?? 'không đúng định dạng'}`;
    case 'invalid_value':
      return own ?? 'giá trị không hợp lệ';
    case 'custom':
      if (/http\(s\)|http:\/\//.test(issue.message)) return `${item}${sub}không phải đường link http(s) hợp lệ`;
      if (/url or a payload|đường dẫn hoặc một mã/.test(issue.message)) return `${item}nút cần đường link hoặc nội dung`;
      return `${item}${issue.message}`;
    default:
      return `${item}${sub}${issue.message}`;
  }
}

/** Key for "the same entry": case, spacing and Unicode form do not make two procedures different. */
export function nameKey(s: string): string {
  return s.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Key for "the same question": punctuation does not matter either. */
export function questionKey(s: string): string {
  return nameKey(s).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** Reports later rows that repeat an earlier row's key ("trùng với dòng 4"). */
export class DuplicateCheck {
  private readonly seen = new Map<string, number>();
  constructor(private readonly column: string, private readonly what: string) {}

  check(row: number, key: string | null | undefined, errors: RowError[]): boolean {
    if (!key) return true;
    const first = this.seen.get(key);
    if (first === undefined) {
      this.seen.set(key, row);
      return true;
    }
    errors.push({ row, column: this.column, reason: `${this.what} trùng với dòng ${first}` });
    return false;
  }
}
