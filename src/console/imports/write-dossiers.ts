import { bulkInsert, bulkUpdate, changed, chunks, pick, type ColumnTypes, type Db } from './bulk.js';
import { queueNotices, type DossierChange } from './dossier-notices.js';
import type { DossierRow, RowError } from './validate.js';
import type { PlanInput, Planned } from './write-kb.js';

// Dossiers from a one-stop system's export, with the status feed's rules (src/dossiers/service.ts): upsert by
// code; a change of status or due date is appended to the history and noticed to the dossier's subscribers,
// in the same transaction as the import.

const DOSSIER_COLUMNS: ColumnTypes = {
  procedureCode: 'text', procedureName: 'text', status: 'text', applicantName: 'text', applicantPhone: 'text',
  office: 'text', receivedAt: 'timestamp(3)', dueAt: 'timestamp(3)', note: 'text',
};
const EVENT_COLUMNS: ColumnTypes = { dossierId: 'int', status: 'text', note: 'text', dueAt: 'timestamp(3)', at: 'timestamp(3)' };

interface Filled {
  code: string; procedureCode: string | null; procedureName: string; status: string; applicantName: string;
  applicantPhone: string | null; office: string; receivedAt: Date; dueAt: Date; note: string | null;
}
interface Current { id: number; status: string; dueAt: Date; [k: string]: unknown }

export async function planDossiers(db: Db, input: PlanInput<DossierRow>): Promise<Planned> {
  const existing = new Map<string, Current>();
  for (const batch of chunks(input.rows.map((r) => r.data.code), 1000)) {
    for (const d of await db.dossier.findMany({ where: { code: { in: batch } } })) existing.set(d.code, d);
  }
  const procedures = await db.procedure.findMany({ where: { code: { not: null } }, select: { code: true, name: true } });
  const nameByCode = new Map(procedures.map((p) => [(p.code as string).toUpperCase(), p.name]));
  const codeByName = new Map(procedures.map((p) => [p.name, p.code as string]));

  const errors: RowError[] = [];
  const creates: Filled[] = [];
  const updates: Array<{ id: number } & Partial<Filled>> = [];
  const changes: Array<{ before: Current; row: Filled }> = [];
  let unchanged = 0;
  for (const { row, data } of input.rows) {
    const fields = new Set(input.fields);
    const procedureName = data.procedureName ?? (data.procedureCode ? nameByCode.get(data.procedureCode.toUpperCase()) : undefined);
    if (!procedureName) {
      errors.push({ row, column: input.headerOf('procedureCode'),
        reason: `không có thủ tục mã "${data.procedureCode}" trong cơ sở dữ liệu: hãy ghi thêm cột tên thủ tục` });
      continue;
    }
    const procedureCode = data.procedureCode ?? codeByName.get(procedureName) ?? null;
    fields.add('procedureName');
    if (procedureCode) fields.add('procedureCode');
    const filled: Filled = {
      ...data, procedureName, procedureCode, applicantPhone: data.applicantPhone ?? null, note: data.note ?? null,
    };
    const current = existing.get(data.code);
    if (!current) {
      creates.push(filled);
      continue;
    }
    const patch = pick(filled, fields);
    if (!changed(current, patch)) {
      unchanged++;
      continue;
    }
    updates.push({ id: current.id, ...patch });
    if (filled.status !== current.status || filled.dueAt.getTime() !== current.dueAt.getTime()) changes.push({ before: current, row: filled });
  }

  return {
    errors, created: creates.length, updated: updates.length, unchanged,
    async apply(tx, ctx) {
      let done = 0;
      const events: Array<{ dossierId: number; status: string; note: string | null; dueAt: Date; at: Date }> = [];
      for (const batch of chunks(creates)) {
        const made = await bulkInsert(tx, 'Dossier', { code: 'text', ...DOSSIER_COLUMNS }, batch as unknown as Array<Record<string, unknown>>, 'code');
        const idOf = new Map(made.map((d) => [d.code as string, d.id]));
        for (const d of batch) events.push({ dossierId: idOf.get(d.code) as number, status: d.status, note: d.note, dueAt: d.dueAt, at: ctx.now });
        ctx.progress(done += batch.length);
      }
      for (const batch of chunks(updates)) {
        await bulkUpdate(tx, 'Dossier', DOSSIER_COLUMNS, batch);
        ctx.progress(done += batch.length);
      }
      for (const { before, row } of changes) events.push({ dossierId: before.id, status: row.status, note: row.note, dueAt: row.dueAt, at: ctx.now });
      const made = await bulkInsert(tx, 'DossierEvent', EVENT_COLUMNS, events, 'dossierId', { updatedAt: false });
      // A dossier already stored gets exactly one event per import, so its id names that event.
      const eventOf = new Map(made.map((e) => [Number(e.dossierId), e.id]));
      const noticed: DossierChange[] = changes.map(({ before, row }) => ({
        dossierId: before.id, eventId: eventOf.get(before.id) as number, code: row.code, procedureName: row.procedureName,
        status: row.status, statusChanged: row.status !== before.status, dueAt: row.dueAt,
        previousDueAt: row.dueAt.getTime() !== before.dueAt.getTime() ? before.dueAt : null, note: row.note,
      }));
      await queueNotices(tx, noticed, ctx.now);
    },
  };
}
