import type { Faq } from '../../generated/prisma/client.js';
import type { FaqInput, ProcedureInput } from '../../kb/schemas.js';
import { bulkInsert, bulkUpdate, changed, chunks, pick, recordRevisions, type ColumnTypes, type Db } from './bulk.js';
import { nameKey, questionKey, type RowError } from './validate.js';

// Procedures and FAQs: match each row to an existing entry, then create and update in batches, with a
// Revision per changed entry (entityType 'procedure' | 'faq', action 'import') so history shows the import.

export interface PlanInput<T> {
  /** `present`: the fields whose cells were filled; a blank cell leaves an existing entry's value alone. */
  rows: Array<{ row: number; data: T; present?: ReadonlySet<string> }>;
  /** Fields the file has a column for: an update changes only these. */
  fields: ReadonlySet<string>;
  headerOf: (field: string) => string;
}

export interface ApplyContext {
  actor: string | null;
  now: Date;
  /** Rows written so far. */
  progress: (done: number) => void;
}

/** What an import would do; `apply` does it (inside the caller's transaction). */
export interface Planned {
  errors: RowError[];
  created: number;
  updated: number;
  unchanged: number;
  /** New entries whose details came from the national catalogue (a list of procedures by code). */
  enriched?: number;
  /** New entries whose name another entry already had, told apart by their level or code. */
  renamed?: number;
  apply(tx: Db, ctx: ApplyContext): Promise<void>;
}

export const PROCEDURE_COLUMNS: ColumnTypes = {
  code: 'text', name: 'text', field: 'text', level: 'text', office: 'text', documents: 'text[]',
  processingTime: 'text', fee: 'text', place: 'text', howToSubmit: 'text', onlineAvailable: 'boolean',
  onlineUrl: 'text', legalBasis: 'text[]', forms: 'jsonb', aliases: 'text[]',
  documentsToShow: 'text[]', steps: 'text', conditions: 'text', eligibility: 'text', result: 'text', competentBody: 'text',
  channels: 'jsonb', feeByProvince: 'boolean', portalUrl: 'text', decision: 'text', source: 'text', sourceDate: 'timestamp(3)',
  verifiedBy: 'text', verifiedAt: 'timestamp(3)',
};
const FAQ_COLUMNS: ColumnTypes = { questions: 'text[]', answer: 'text', tags: 'text[]', enabled: 'boolean', buttons: 'jsonb' };
const BUMP = `"version" = t."version" + 1, "isSample" = false`;

/** Rows sorted into creates, updates (only the fields the file has, only when they differ) and unchanged. */
export class PlanBuilder<T extends object> {
  readonly errors: RowError[] = [];
  readonly creates: T[] = [];
  readonly updates: Array<{ id: number } & Partial<T>> = [];
  unchanged = 0;

  constructor(private readonly fields: ReadonlySet<string>) {}

  /** `present`: the row's filled cells, when only those may change the entry. */
  compare(target: { id: number }, data: T, present?: ReadonlySet<string>): void {
    const fields = present ? new Set([...this.fields].filter((f) => present.has(f))) : this.fields;
    const patch = pick(data, fields) as Partial<T>;
    if (changed(target as unknown as Record<string, unknown>, patch as Record<string, unknown>)) this.updates.push({ id: target.id, ...patch });
    else this.unchanged++;
  }

  planned(write: (tx: Db, ctx: ApplyContext) => Promise<void>, counts: { enriched?: number; renamed?: number } = {}): Planned {
    return { errors: this.errors, created: this.creates.length, updated: this.updates.length, unchanged: this.unchanged, ...counts, apply: write };
  }
}

export async function planProcedures(db: Db, input: PlanInput<ProcedureInput>): Promise<Planned> {
  const existing = await db.procedure.findMany();
  const byCode = new Map(existing.filter((p) => p.code).map((p) => [p.code as string, p]));
  const byName = new Map(existing.map((p) => [nameKey(p.name), p]));
  const claimed = new Map<number, number>();
  const plan = new PlanBuilder<ProcedureInput>(input.fields);
  const { errors } = plan;
  for (const { row, data, present } of input.rows) {
    const byItsCode = data.code ? byCode.get(data.code) : undefined;
    const byItsName = byName.get(nameKey(data.name));
    if (byItsCode && byItsName && byItsCode.id !== byItsName.id) {
      errors.push({ row, column: input.headerOf('name'),
        reason: `tên này đã là của một thủ tục khác (mã ${byItsName.code ?? 'chưa có'}), còn mã ${data.code} là của "${byItsCode.name}"` });
      continue;
    }
    const target = byItsCode ?? byItsName;
    if (!target) {
      plan.creates.push(data);
      continue;
    }
    const earlier = claimed.get(target.id);
    if (earlier !== undefined) {
      errors.push({ row, column: input.headerOf(byItsCode ? 'code' : 'name'), reason: `cùng một thủ tục với dòng ${earlier} ("${target.name}")` });
      continue;
    }
    claimed.set(target.id, row);
    plan.compare(target, data, present);
  }
  return plan.planned(async (tx, ctx) => {
    const ids = await writeEntries(tx, 'Procedure', PROCEDURE_COLUMNS, 'name', plan.creates, plan.updates, ctx);
    await recordRevisions(tx, 'Procedure', 'procedure', ids, { action: 'import', actor: ctx.actor, at: ctx.now });
  });
}

export async function planFaqs(db: Db, input: PlanInput<FaqInput>): Promise<Planned> {
  const existing = await db.faq.findMany({ orderBy: { id: 'asc' } });
  const byQuestion = new Map<string, Faq>();
  for (const f of existing) {
    const key = f.questions[0] ? questionKey(f.questions[0]) : '';
    if (key && !byQuestion.has(key)) byQuestion.set(key, f);
  }
  const plan = new PlanBuilder<FaqInput>(input.fields);
  for (const { data, present } of input.rows) {
    const target = byQuestion.get(questionKey(data.questions[0]));
    if (target) plan.compare(target, data, present);
    else plan.creates.push(data);
  }
  return plan.planned(async (tx, ctx) => {
    const ids = await writeEntries(tx, 'Faq', FAQ_COLUMNS, 'questions', plan.creates, plan.updates, ctx);
    await recordRevisions(tx, 'Faq', 'faq', ids, { action: 'import', actor: ctx.actor, at: ctx.now });
  });
}

/** Creates and updates in batches, reporting progress; returns the ids of every entry written. */
export async function writeEntries(tx: Db, table: 'Procedure' | 'Faq', types: ColumnTypes, key: string, creates: object[],
  updates: Array<{ id: number } & object>, ctx: ApplyContext): Promise<number[]> {
  const entityType = table === 'Procedure' ? 'procedure' : 'faq';
  await recordRevisions(tx, table, entityType, updates.map((u) => u.id), { action: 'create', actor: null, at: null, onlyWithoutHistory: true });
  const ids: number[] = [];
  let done = 0;
  for (const batch of chunks(creates)) {
    ids.push(...(await bulkInsert(tx, table, types, batch as Array<Record<string, unknown>>, key)).map((r) => r.id));
    ctx.progress(done += batch.length);
  }
  for (const batch of chunks(updates)) {
    await bulkUpdate(tx, table, types, batch, BUMP);
    ids.push(...batch.map((u) => u.id));
    ctx.progress(done += batch.length);
  }
  return ids;
}
