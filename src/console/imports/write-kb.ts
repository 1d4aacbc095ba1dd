import type { Faq, Procedure } from '../../generated/prisma/client.js';
import type { FaqInput, ProcedureInput } from '../../kb/schemas.js';
import { asJson, bulkUpdate, changed, chunks, pick, type ColumnTypes, type Db } from './bulk.js';
import { nameKey, questionKey, type RowError } from './validate.js';

// Procedures and FAQs: match each row to an existing entry, then create and update in batches, with a
// Revision per changed entry (entityType 'procedure' | 'faq', action 'import') so history shows the import.

export interface PlanInput<T> {
  rows: Array<{ row: number; data: T }>;
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
  apply(tx: Db, ctx: ApplyContext): Promise<void>;
}

const PROCEDURE_COLUMNS: ColumnTypes = {
  code: 'text', name: 'text', field: 'text', level: 'text', office: 'text', documents: 'text[]',
  processingTime: 'text', fee: 'text', place: 'text', howToSubmit: 'text', onlineAvailable: 'boolean',
  onlineUrl: 'text', legalBasis: 'text[]', forms: 'jsonb', aliases: 'text[]',
};
const FAQ_COLUMNS: ColumnTypes = { questions: 'text[]', answer: 'text', tags: 'text[]', enabled: 'boolean', buttons: 'jsonb' };
const BUMP = `"version" = t."version" + 1, "isSample" = false`;

export async function planProcedures(db: Db, input: PlanInput<ProcedureInput>): Promise<Planned> {
  const existing = await db.procedure.findMany();
  const byCode = new Map(existing.filter((p) => p.code).map((p) => [p.code as string, p]));
  const byName = new Map(existing.map((p) => [nameKey(p.name), p]));
  const claimed = new Map<number, number>();
  const errors: RowError[] = [];
  const creates: ProcedureInput[] = [];
  const updates: Array<{ id: number } & Partial<ProcedureInput>> = [];
  let unchanged = 0;
  for (const { row, data } of input.rows) {
    const byItsCode = data.code ? byCode.get(data.code) : undefined;
    const byItsName = byName.get(nameKey(data.name));
    if (byItsCode && byItsName && byItsCode.id !== byItsName.id) {
      errors.push({ row, column: input.headerOf('name'),
        reason: `tên này đã là của một thủ tục khác (mã ${byItsName.code ?? 'chưa có'}), còn mã ${data.code} là của "${byItsCode.name}"` });
      continue;
    }
    const target = byItsCode ?? byItsName;
    if (!target) {
      creates.push(data);
      continue;
    }
    const earlier = claimed.get(target.id);
    if (earlier !== undefined) {
      errors.push({ row, column: input.headerOf(byItsCode ? 'code' : 'name'), reason: `cùng một thủ tục với dòng ${earlier} ("${target.name}")` });
      continue;
    }
    claimed.set(target.id, row);
    const patch = pick(data, input.fields);
    if (changed(target as unknown as Record<string, unknown>, patch)) updates.push({ id: target.id, ...patch });
    else unchanged++;
  }
  return {
    errors, created: creates.length, updated: updates.length, unchanged,
    async apply(tx, ctx) {
      let done = 0;
      const written: Procedure[] = [];
      for (const batch of chunks(creates)) {
        written.push(...await tx.procedure.createManyAndReturn({ data: batch.map((p) => ({ ...p, forms: asJson(p.forms) })) }));
        ctx.progress(done += batch.length);
      }
      for (const batch of chunks(updates)) {
        await bulkUpdate(tx, 'Procedure', PROCEDURE_COLUMNS, batch, BUMP);
        ctx.progress(done += batch.length);
      }
      for (const batch of chunks(updates.map((u) => u.id))) written.push(...await tx.procedure.findMany({ where: { id: { in: batch } } }));
      await recordRevisions(tx, 'procedure', written, ctx.actor, ctx.now);
    },
  };
}

export async function planFaqs(db: Db, input: PlanInput<FaqInput>): Promise<Planned> {
  const existing = await db.faq.findMany({ orderBy: { id: 'asc' } });
  const byQuestion = new Map<string, Faq>();
  for (const f of existing) {
    const key = f.questions[0] ? questionKey(f.questions[0]) : '';
    if (key && !byQuestion.has(key)) byQuestion.set(key, f);
  }
  const errors: RowError[] = [];
  const creates: FaqInput[] = [];
  const updates: Array<{ id: number } & Partial<FaqInput>> = [];
  let unchanged = 0;
  for (const { data } of input.rows) {
    const target = byQuestion.get(questionKey(data.questions[0]));
    if (!target) {
      creates.push(data);
      continue;
    }
    const patch = pick(data, input.fields);
    if (changed(target as unknown as Record<string, unknown>, patch)) updates.push({ id: target.id, ...patch });
    else unchanged++;
  }
  return {
    errors, created: creates.length, updated: updates.length, unchanged,
    async apply(tx, ctx) {
      let done = 0;
      const written: Faq[] = [];
      for (const batch of chunks(creates)) {
        written.push(...await tx.faq.createManyAndReturn({ data: batch.map((f) => ({ ...f, buttons: asJson(f.buttons) })) }));
        ctx.progress(done += batch.length);
      }
      for (const batch of chunks(updates)) {
        await bulkUpdate(tx, 'Faq', FAQ_COLUMNS, batch, BUMP);
        ctx.progress(done += batch.length);
      }
      for (const batch of chunks(updates.map((u) => u.id))) written.push(...await tx.faq.findMany({ where: { id: { in: batch } } }));
      await recordRevisions(tx, 'faq', written, ctx.actor, ctx.now);
    },
  };
}

async function recordRevisions(tx: Db, entityType: string, rows: Array<{ id: number; version: number }>, actor: string | null, now: Date) {
  for (const batch of chunks(rows)) {
    await tx.revision.createMany({
      data: batch.map((r) => ({
        entityType, entityId: r.id, version: r.version, action: 'import', data: asJson(r), changedBy: actor, createdAt: now,
      })),
    });
  }
}
