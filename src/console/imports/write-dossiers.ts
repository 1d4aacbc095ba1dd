import type { DossierEvent } from '../../generated/prisma/client.js';
import { bulkUpdate, changed, chunks, pick, type ColumnTypes, type Db } from './bulk.js';
import type { DossierRow, RowError } from './validate.js';
import type { PlanInput, Planned } from './write-kb.js';

// Dossiers from a one-stop system's export: upsert by code; every status change appends to the history,
// and `onStatusChanged` (inside the same transaction) lets notifications be queued atomically with it.

export type StatusChangeHook = (tx: Db, events: DossierEvent[]) => Promise<void>;

const DOSSIER_COLUMNS: ColumnTypes = {
  procedureCode: 'text', procedureName: 'text', status: 'text', applicantName: 'text', applicantPhone: 'text',
  office: 'text', receivedAt: 'timestamp(3)', dueAt: 'timestamp(3)', note: 'text',
};

type Filled = Omit<DossierRow, 'procedureName'> & { procedureName: string };

export async function planDossiers(db: Db, input: PlanInput<DossierRow>, onStatusChanged?: StatusChangeHook): Promise<Planned> {
  const codes = input.rows.map((r) => r.data.code);
  const existing = new Map<string, { id: number; status: string } & Record<string, unknown>>();
  for (const batch of chunks(codes, 1000)) {
    for (const d of await db.dossier.findMany({ where: { code: { in: batch } } })) existing.set(d.code, d);
  }
  const procedures = await db.procedure.findMany({ select: { code: true, name: true } });
  const nameByCode = new Map(procedures.filter((p) => p.code).map((p) => [p.code as string, p.name]));
  const codeByName = new Map(procedures.filter((p) => p.code).map((p) => [p.name, p.code as string]));

  const errors: RowError[] = [];
  const creates: Filled[] = [];
  const updates: Array<{ id: number } & Partial<Filled>> = [];
  const changes: Array<{ id: number; row: Filled }> = [];
  let unchanged = 0;
  for (const { row, data } of input.rows) {
    const fields = new Set(input.fields);
    let procedureName = data.procedureName;
    if (!procedureName) {
      procedureName = data.procedureCode ? nameByCode.get(data.procedureCode) ?? null : null;
      if (!procedureName) {
        errors.push({ row, column: input.headerOf('procedureCode'),
          reason: `không có thủ tục mã "${data.procedureCode}" trong cơ sở dữ liệu: hãy ghi thêm cột tên thủ tục` });
        continue;
      }
      fields.add('procedureName');
    }
    const procedureCode = data.procedureCode ?? codeByName.get(procedureName) ?? null;
    if (procedureCode) fields.add('procedureCode');
    const filled: Filled = { ...data, procedureName, procedureCode };
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
    if (filled.status !== current.status) changes.push({ id: current.id, row: filled });
  }

  return {
    errors, created: creates.length, updated: updates.length, unchanged,
    async apply(tx, ctx) {
      let done = 0;
      const events: Array<{ dossierId: number; status: string; note: string | null; dueAt: Date | null; at: Date }> = [];
      for (const batch of chunks(creates)) {
        const made = await tx.dossier.createManyAndReturn({ data: batch, select: { id: true, code: true } });
        const idOf = new Map(made.map((d) => [d.code, d.id]));
        for (const d of batch) {
          const dossierId = idOf.get(d.code) as number;
          // A dossier first seen already in progress still starts its history with the day it was received.
          if (d.status !== 'received') events.push({ dossierId, status: 'received', note: null, dueAt: d.dueAt, at: d.receivedAt });
          events.push({ dossierId, status: d.status, note: d.note, dueAt: d.dueAt, at: d.status === 'received' ? d.receivedAt : ctx.now });
        }
        ctx.progress(done += batch.length);
      }
      for (const batch of chunks(updates)) {
        await bulkUpdate(tx, 'Dossier', DOSSIER_COLUMNS, batch);
        ctx.progress(done += batch.length);
      }
      for (const c of changes) events.push({ dossierId: c.id, status: c.row.status, note: c.row.note, dueAt: c.row.dueAt, at: ctx.now });
      const changedEvents: DossierEvent[] = [];
      const changedIds = new Set(changes.map((c) => c.id));
      for (const batch of chunks(events)) {
        const made = await tx.dossierEvent.createManyAndReturn({ data: batch });
        changedEvents.push(...made.filter((e) => changedIds.has(e.dossierId)));
      }
      if (onStatusChanged && changedEvents.length) await onStatusChanged(tx, changedEvents);
    },
  };
}
