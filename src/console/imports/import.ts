import type { PrismaClient } from '../../generated/prisma/client.js';
import { bumpKbVersion } from '../../kb/snapshot.js';
import { exportHeader, mapHeaders, type HeaderMapping, type ImportKind } from './columns.js';
import type { Db } from './bulk.js';
import { readRows, SheetFormatError, type SheetFile } from './parse.js';
import { DuplicateCheck, nameKey, questionKey, validateRow, type RowData, type RowError } from './validate.js';
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
  const rows: Array<{ row: number; data: RowData[typeof kind] }> = [];
  const dup = duplicateChecks(kind);

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
    };
    for await (const sheetRow of readRows(file, { onHeaders })) {
      if (summary.rows % READ_PROGRESS_EVERY === 0) opts.onProgress?.(summary.rows, undefined, 'read');
      if (++summary.rows > MAX_IMPORT_ROWS) {
        addError({ row: sheetRow.row, column: '', reason: `tệp có quá ${MAX_IMPORT_ROWS} dòng: hãy chia thành nhiều tệp` });
        break;
      }
      const { data, errors } = validateRow(kind, mapping as HeaderMapping, sheetRow);
      for (const e of errors) if (!skipColumns.has(e.column)) addError(e);
      if (!data) continue;
      const rowErrors: RowError[] = [];
      for (const check of dup) check(sheetRow.row, data, rowErrors, mapping as HeaderMapping);
      rowErrors.forEach(addError);
      if (rowErrors.length === 0) rows.push({ row: sheetRow.row, data });
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
  const plan = (db: Db) => planFor(kind, db, input);
  const record = (planned: Planned) => Object.assign(summary, { created: planned.created, updated: planned.updated, unchanged: planned.unchanged });

  if (opts.dryRun) {
    const planned = await plan(prisma);
    planned.errors.forEach(addError);
    record(planned);
    summary.ok = planned.errors.length === 0;
    return summary;
  }

  const now = opts.now?.() ?? new Date();
  try {
    await prisma.$transaction(async (tx) => {
      const planned = await plan(tx);
      if (planned.errors.length) throw new Rejected(planned.errors);
      const toWrite = planned.created + planned.updated;
      await planned.apply(tx, { actor: opts.actor ?? null, now, progress: (done) => opts.onProgress?.(done, toWrite, 'write') });
      record(planned);
      await tx.auditLog.create({
        data: {
          actor: opts.actor ?? null, action: `${ENTITY_TYPES[kind]}.import`, entityType: ENTITY_TYPES[kind], createdAt: now,
          detail: { source: opts.source ?? null, format: file.format, rows: summary.rows, created: planned.created,
            updated: planned.updated, unchanged: planned.unchanged },
        },
      });
      if (kind !== 'dossiers' && toWrite > 0) await bumpKbVersion(tx);
    }, { maxWait: 30_000, timeout: 10 * 60_000 });
  } catch (err) {
    if (!(err instanceof Rejected)) throw err;
    err.errors.forEach(addError);
    return summary;
  }
  summary.ok = true;
  return summary;
}

function planFor(kind: ImportKind, db: Db, input: PlanInput<RowData[ImportKind]>): Promise<Planned> {
  if (kind === 'procedures') return planProcedures(db, input as PlanInput<RowData['procedures']>);
  if (kind === 'faqs') return planFaqs(db, input as PlanInput<RowData['faqs']>);
  return planDossiers(db, input as PlanInput<RowData['dossiers']>);
}

type DupCheck = (row: number, data: RowData[ImportKind], errors: RowError[], m: HeaderMapping) => void;

/** Within one file, each entry may appear once: same name or code (procedures), first question (FAQs), code (dossiers). */
function duplicateChecks(kind: ImportKind): DupCheck[] {
  const make = (field: string, what: string, key: (d: never) => string | null | undefined): DupCheck => {
    let check: DuplicateCheck | undefined;
    return (row, data, errors, m) => {
      check ??= new DuplicateCheck(m.headerOf.get(field) ?? exportHeader(kind, field), what);
      check.check(row, key(data as never), errors);
    };
  };
  if (kind === 'procedures') {
    return [
      make('name', 'tên thủ tục', (d: RowData['procedures']) => nameKey(d.name)),
      make('code', 'mã thủ tục', (d: RowData['procedures']) => d.code),
    ];
  }
  if (kind === 'faqs') return [make('questions', 'câu hỏi đầu tiên', (d: RowData['faqs']) => questionKey(d.questions[0]))];
  return [make('code', 'mã hồ sơ', (d: RowData['dossiers']) => d.code)];
}
