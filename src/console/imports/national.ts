import path from 'node:path';
import type { PrismaClient } from '../../generated/prisma/client.js';
import { CATALOGUE_FILE } from '../../kb/national/catalogue.js';
import { DEFAULT_LEVELS, isSelected, type LevelKey } from '../../kb/national/levels.js';
import { readRecords } from '../../kb/national/record.js';
import { NATIONAL_SOURCE, toProcedure } from '../../kb/national/to-procedure.js';
import { procedureSchema } from '../../kb/schemas.js';
import { commitPlan } from './import.js';
import { reasonOf, type RowError } from './validate.js';
import { planCatalogue, type CatalogueRow } from './write-catalogue.js';
import { PROCEDURE_COLUMNS } from './write-kb.js';

// The national catalogue (JSON Lines, gzipped or not) into the knowledge base, with the imports' rules: every
// record read and checked first, one malformed line and nothing is written; then one transaction, batched
// writes, a Revision per entry and one audit entry. Running it again changes nothing.

export interface NationalOptions {
  /** Default: the catalogue shipped in datasets/national-tthc. */
  file?: string;
  /** A record is kept when any of its levels is selected. Default: province and commune. */
  levels?: readonly LevelKey[];
  dryRun: boolean;
  actor?: string;
  onProgress?: (done: number, total?: number, phase?: 'read' | 'write') => void;
  now?: () => Date;
}

export interface NationalSummary {
  ok: boolean;
  dryRun: boolean;
  file: string;
  levels: LevelKey[];
  /** Records in the file. */
  records: number;
  /** Records left out: none of their levels was selected. */
  skipped: number;
  created: number;
  updated: number;
  unchanged: number;
  /** New entries whose name another entry had: their level or code is added to the name. */
  renamed: number;
  /** Line numbers and reasons; nothing is written when there is any. */
  errors: RowError[];
  seconds: number;
}

const READ_PROGRESS_EVERY = 250;
const MAX_ERRORS = 1000;
/** Every field a record fills: an entry that exists takes all of them (but its own name and aliases). */
const ALL_FIELDS: ReadonlySet<string> = new Set(Object.keys(PROCEDURE_COLUMNS));

export async function importNational(prisma: PrismaClient, opts: NationalOptions): Promise<NationalSummary> {
  const started = performance.now();
  const file = opts.file ?? CATALOGUE_FILE;
  const levels = [...(opts.levels ?? DEFAULT_LEVELS)];
  const summary: NationalSummary = {
    ok: false, dryRun: opts.dryRun, file, levels, records: 0, skipped: 0, created: 0, updated: 0, unchanged: 0, renamed: 0, errors: [], seconds: 0,
  };
  const addError = (e: RowError) => {
    if (summary.errors.length < MAX_ERRORS) summary.errors.push(e);
  };
  const finish = () => Object.assign(summary, { seconds: Math.round((performance.now() - started) / 100) / 10 });
  const rows: CatalogueRow[] = [];
  try {
    for await (const r of readRecords(file)) {
      if (summary.records++ % READ_PROGRESS_EVERY === 0) opts.onProgress?.(summary.records - 1, undefined, 'read');
      if ('error' in r) {
        addError({ row: r.line, column: '', reason: r.error });
        continue;
      }
      if (!isSelected(r.record.cap_thuc_hien, levels)) {
        summary.skipped++;
        continue;
      }
      const parsed = procedureSchema.safeParse(toProcedure(r.record));
      if (!parsed.success) {
        for (const issue of parsed.error.issues) addError({ row: r.line, column: String(issue.path[0] ?? ''), reason: reasonOf(issue, undefined) });
        continue;
      }
      rows.push({ row: r.line, data: parsed.data, present: ALL_FIELDS });
    }
  } catch (err) {
    addError({ row: 0, column: '', reason: `không đọc được tệp ${path.basename(file)}: ${(err as Error).message}` });
  }
  opts.onProgress?.(summary.records, undefined, 'read');
  if (summary.records === 0 && summary.errors.length === 0) addError({ row: 0, column: '', reason: 'tệp không có bản ghi nào' });
  if (summary.errors.length) return finish();

  const done = await commitPlan(prisma, (db) => planCatalogue(db, { rows, headerOf: () => 'ma_thu_tuc' }), {
    dryRun: opts.dryRun, actor: opts.actor, now: opts.now, onProgress: opts.onProgress, entityType: 'procedure', bumpKb: true,
    detail: (p) => ({ source: NATIONAL_SOURCE, file: path.basename(file), levels, records: summary.records, skipped: summary.skipped,
      created: p.created, updated: p.updated, unchanged: p.unchanged, renamed: p.renamed ?? 0 }),
  });
  done.errors.forEach(addError);
  if (done.planned) {
    const { created, updated, unchanged, renamed = 0 } = done.planned;
    Object.assign(summary, { created, updated, unchanged, renamed });
  }
  summary.ok = done.ok;
  return finish();
}
