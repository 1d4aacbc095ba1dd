import type { PrismaClient } from '../../generated/prisma/client.js';
import { catalogueProcedures } from '../../kb/national/catalogue.js';
import { bumpKbVersion } from '../../kb/snapshot.js';
import { exportHeader, looksLikeHeader, mapHeaders, type HeaderMapping, type ImportKind } from './columns.js';
import type { Db } from './bulk.js';
import { readRows, SheetFormatError, type SheetFile } from './parse.js';
import { DuplicateCheck, nameKey, questionKey, validateRow, type KnownProcedures, type RowData, type RowError } from './validate.js';
import { planCatalogue } from './write-catalogue.js';
import { planDossiers } from './write-dossiers.js';
import { planFaqs, planProcedures, type Planned, type PlanInput } from './write-kb.js';

// An import is all or nothing: every row is read and validated first, and a single problem anywhere means
// nothing is written. Valid files are written in batches inside one transaction, with one audit entry and a
// knowledge-base version bump so every instance reloads.

export const MAX_IMPORT_ROWS = 50_000;
const MAX_ERRORS = 10_000;
const READ_PROGRESS_EVERY = 250;
/** AuditLog/Revision entity types, as the console's editor names them. */
const ENTITY_TYPES: Record<ImportKind, string> = { procedures: 'procedure', faqs: 'faq', dossiers: 'dossier' };

export interface ImportOptions {
  dryRun: boolean;
  actor?: string;
  /** Shown in the audit log (the uploaded file's name). */
  source?: string;
  /** Progress in rows: rows read and checked so far (phase 'read', total unknown), then rows written of `total`. */
  onProgress?: (done: number, total?: number, phase?: 'read' | 'write') => void;
  now?: () => Date;
}

export interface ImportSummary {
  ok: boolean;
  kind: ImportKind;
  dryRun: boolean;
  /** Data rows in the file (blank rows not counted). */
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: RowError[];
  /** Columns that were ignored, and similar notices that do not stop the import. */
  warnings: string[];
  /** New procedures whose details came from the national catalogue (a list of procedures by code). */
  enriched?: number;
  /** New procedures renamed apart from another with the same name. */
  renamed?: number;
}

class Rejected extends Error {
  constructor(readonly errors: RowError[]) {
    super('import rejected');
  }
}

export async function importFile(prisma: PrismaClient, kind: ImportKind, file: SheetFile, opts: ImportOptions): Promise<ImportSummary> {
  const summary: ImportSummary = { ok: false, kind, dryRun: opts.dryRun, rows: 0, created: 0, updated: 0, unchanged: 0, errors: [], warnings: [] };
  const addError = (e: RowError) => {
    if (summary.errors.length < MAX_ERRORS) summary.errors.push(e);
  };
  let mapping: HeaderMapping | undefined;
  const skipColumns = new Set<string>();
  const rows: Array<{ row: number; data: RowData[typeof kind]; present: Set<string> }> = [];
  let dup: DupCheck[] = [];
  const known = kind === 'procedures' ? await knownProcedures(prisma) : undefined;

  try {
    const onHeaders = (headers: string[], headerRow: number) => {
      mapping = mapHeaders(kind, headers);
      for (const field of mapping.missing) {
        const column = exportHeader(kind, field);
        skipColumns.add(column);
        addError({ row: headerRow, column, reason: 'thiếu cột bắt buộc này' });
      }
      for (const d of mapping.duplicates) addError({ row: headerRow, column: d.header, reason: `trùng với cột "${d.other}"` });
      for (const h of mapping.unknown) summary.warnings.push(`Bỏ qua cột "${h}" (không phải cột của mẫu nhập)`);
      dup = duplicateChecks(kind, mapping.listMode);
    };
    for await (const sheetRow of readRows(file, { onHeaders, isHeader: (values) => looksLikeHeader(kind, values) })) {
      if (summary.rows % READ_PROGRESS_EVERY === 0) opts.onProgress?.(summary.rows, undefined, 'read');
      if (++summary.rows > MAX_IMPORT_ROWS) {
        addError({ row: sheetRow.row, column: '', reason: `tệp có quá ${MAX_IMPORT_ROWS} dòng: hãy chia thành nhiều tệp` });
        break;
      }
      const { data, present, errors } = validateRow(kind, mapping as HeaderMapping, sheetRow, known);
      for (const e of errors) if (!skipColumns.has(e.column)) addError(e);
      if (!data) continue;
      const rowErrors: RowError[] = [];
      for (const check of dup) check(sheetRow.row, data, rowErrors, mapping as HeaderMapping);
      rowErrors.forEach(addError);
      if (rowErrors.length === 0) rows.push({ row: sheetRow.row, data, present });
    }
  } catch (err) {
    if (!(err instanceof SheetFormatError)) throw err;
    addError({ row: 0, column: '', reason: err.message });
    return summary;
  }
  opts.onProgress?.(summary.rows, undefined, 'read');
  if (summary.rows === 0 && summary.errors.length === 0) addError({ row: 2, column: '', reason: 'tệp không có dòng dữ liệu nào' });
  if (summary.errors.length > 0) return summary;

  const m = mapping as HeaderMapping;
  const input: PlanInput<RowData[typeof kind]> = {
    rows,
    fields: new Set(m.headerOf.keys()),
    headerOf: (field) => m.headerOf.get(field) ?? exportHeader(kind, field),
  };
  let plan = (db: Db) => planFor(kind, db, input);
  if (m.listMode) {
    const procedures = rows as Array<{ row: number; data: RowData['procedures']; present: Set<string> }>;
    const details = await catalogueProcedures(procedures.map((r) => r.data.code).filter((c): c is string => Boolean(c)));
    plan = (db) => planCatalogue(db, { rows: procedures, headerOf: input.headerOf, details });
  }
  const done = await commitPlan(prisma, plan, {
    ...opts, entityType: ENTITY_TYPES[kind], bumpKb: kind !== 'dossiers',
    detail: (p) => ({ source: opts.source ?? null, format: file.format, rows: summary.rows, created: p.created, updated: p.updated, unchanged: p.unchanged }),
  });
  done.errors.forEach(addError);
  if (done.planned) {
    const { created, updated, unchanged, enriched, renamed } = done.planned;
    Object.assign(summary, { created, updated, unchanged, ...(m.listMode ? { enriched, renamed } : {}) });
    if (enriched) summary.warnings.push(`${enriched} thủ tục mới được bổ sung chi tiết từ danh mục thủ tục quốc gia (Cổng Dịch vụ công quốc gia).`);
    if (renamed) summary.warnings.push(`${renamed} thủ tục mới trùng tên với thủ tục khác: đã thêm cấp thực hiện hoặc mã vào tên để phân biệt.`);
  }
  summary.ok = done.ok;
  return summary;
}

async function knownProcedures(prisma: PrismaClient): Promise<KnownProcedures> {
  const rows = await prisma.procedure.findMany({ select: { code: true, name: true } });
  return { codes: new Set(rows.flatMap((r) => (r.code ? [r.code] : []))), names: new Set(rows.map((r) => nameKey(r.name))) };
}

export interface CommitOptions {
  dryRun: boolean;
  actor?: string;
  now?: () => Date;
  onProgress?: (done: number, total?: number, phase?: 'read' | 'write') => void;
  /** AuditLog entity type ('procedure', 'faq', 'dossier'). */
  entityType: string;
  /** Knowledge-base imports make every instance reload it. */
  bumpKb: boolean;
  /** What the audit entry records about the import. */
  detail: (planned: Planned) => Record<string, unknown>;
}

/**
 * Plans, then (unless a dry run) writes in one transaction with one audit entry: all or nothing. Problems the
 * plan finds (a name already taken, a code twice) are returned and nothing is written.
 */
export async function commitPlan(prisma: PrismaClient, plan: (db: Db) => Promise<Planned>, opts: CommitOptions):
  Promise<{ ok: boolean; planned?: Planned; errors: RowError[] }> {
  if (opts.dryRun) {
    const planned = await plan(prisma);
    return { ok: planned.errors.length === 0, planned, errors: planned.errors };
  }
  const now = opts.now?.() ?? new Date();
  try {
    const planned = await prisma.$transaction(async (tx) => {
      const p = await plan(tx);
      if (p.errors.length) throw new Rejected(p.errors);
      const toWrite = p.created + p.updated;
      await p.apply(tx, { actor: opts.actor ?? null, now, progress: (done) => opts.onProgress?.(done, toWrite, 'write') });
      await tx.auditLog.create({
        data: {
          actor: opts.actor ?? null, action: `${opts.entityType}.import`, entityType: opts.entityType, createdAt: now,
          detail: opts.detail(p) as object,
        },
      });
      if (opts.bumpKb && toWrite > 0) await bumpKbVersion(tx);
      return p;
    }, { maxWait: 30_000, timeout: 10 * 60_000 });
    return { ok: true, planned, errors: [] };
  } catch (err) {
    if (!(err instanceof Rejected)) throw err;
    return { ok: false, errors: err.errors };
  }
}

function planFor(kind: ImportKind, db: Db, input: PlanInput<RowData[ImportKind]>): Promise<Planned> {
  if (kind === 'procedures') return planProcedures(db, input as PlanInput<RowData['procedures']>);
  if (kind === 'faqs') return planFaqs(db, input as PlanInput<RowData['faqs']>);
  return planDossiers(db, input as PlanInput<RowData['dossiers']>);
}

type DupCheck = (row: number, data: RowData[ImportKind], errors: RowError[], m: HeaderMapping) => void;

/**
 * Within one file, each entry may appear once: same name or code (procedures), first question (FAQs), code
 * (dossiers). A list of procedures by code may repeat a name under another code: both are kept, renamed apart.
 */
function duplicateChecks(kind: ImportKind, listMode: boolean): DupCheck[] {
  const make = (field: string, what: string, key: (d: never) => string | null | undefined): DupCheck => {
    let check: DuplicateCheck | undefined;
    return (row, data, errors, m) => {
      check ??= new DuplicateCheck(m.headerOf.get(field) ?? exportHeader(kind, field), what);
      check.check(row, key(data as never), errors);
    };
  };
  if (kind === 'procedures') {
    return [
      ...(listMode ? [] : [make('name', 'tên thủ tục', (d: RowData['procedures']) => nameKey(d.name))]),
      make('code', 'mã thủ tục', (d: RowData['procedures']) => d.code),
    ];
  }
  if (kind === 'faqs') return [make('questions', 'câu hỏi đầu tiên', (d: RowData['faqs']) => questionKey(d.questions[0]))];
  return [make('code', 'mã hồ sơ', (d: RowData['dossiers']) => d.code)];
}
