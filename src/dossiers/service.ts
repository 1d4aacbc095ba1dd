import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import type { Dossier, DossierEvent, Prisma } from '../generated/prisma/client.js';
import { DOSSIER_STATUSES } from '../kb/schemas.js';
import { canonicalDossierCode } from '../nlu/entities.js';
import { coarseNoticeText } from '../bot/dossier-text.js';
import { readPhone } from '../bot/forms/fields.js';
import { FINISHED_STATUSES, noticeText } from './notify.js';

// The status feed from the one-stop system: an idempotent upsert by dossier code. A change of status or due date is
// appended to the history and, in the same transaction, turned into one notice per active subscriber and one
// durable 'notify' job per notice, so a crash can neither lose a notice nor send it twice.

const VN_OFFSET = '+07:00';
const isoDate = z.union([z.iso.datetime({ offset: true }), z.iso.date()], {
  error: 'Cần ngày theo ISO 8601, ví dụ 2026-05-20 hoặc 2026-05-20T17:00:00+07:00',
}).transform((s) => new Date(s.length === 10 ? `${s}T00:00:00${VN_OFFSET}` : s));
const shortText = z.string().trim().min(1).max(500);

/** A phone read as the chat forms read it ("0912 345 678", "+84912345678" -> "0912345678"); anything else is refused. */
const phoneSchema = z.string().transform((s, ctx) => readPhone(s)
  ?? (ctx.addIssue({ code: 'custom', message: 'Số điện thoại không hợp lệ (ví dụ 0912345678 hoặc +84912345678)' }), z.NEVER));

export const dossierCodeSchema = z.string().trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/, 'Mã hồ sơ gồm 3–64 ký tự: chữ, số, dấu chấm, gạch ngang, gạch dưới')
  .transform(canonicalDossierCode);

/** The body of `PUT /api/integration/dossiers/:code` (also what a bulk import row becomes). */
export const dossierStatusInputSchema = z.object({
  procedureCode: z.string().trim().min(1).max(40).optional(),
  procedureName: shortText.optional(),
  status: z.enum(DOSSIER_STATUSES, { error: `Trạng thái phải là một trong: ${DOSSIER_STATUSES.join(', ')}` }),
  applicantName: shortText,
  applicantPhone: phoneSchema.nullish(),
  office: shortText,
  receivedAt: isoDate,
  dueAt: isoDate,
  note: z.string().trim().max(2000).nullish().transform((v) => v || null),
  /** The note may be shown to the applicant (default: internal, officials only). */
  notePublic: z.boolean().default(false),
}).superRefine((b, ctx) => {
  if (!b.procedureCode && !b.procedureName) {
    ctx.addIssue({ code: 'custom', path: ['procedureCode'], message: 'Cần procedureCode hoặc procedureName' });
  }
  if (b.dueAt < b.receivedAt) ctx.addIssue({ code: 'custom', path: ['dueAt'], message: 'dueAt không được trước receivedAt' });
});
export type DossierStatusInput = z.output<typeof dossierStatusInputSchema>;

/** A field the schema accepts but the data refuses (e.g. an unknown procedure code): a 400 naming the field. */
export class DossierInputError extends Error {
  constructor(readonly path: string, message: string) {
    super(message);
  }
}

export interface UpsertResult {
  dossier: Dossier;
  created: boolean;
  /** True when this call appended a history event (new dossier, new status or new due date). */
  changed: boolean;
  eventId?: number;
  /** Notices created for subscribers by this call. */
  notified: number;
}

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === 'P2002';

/**
 * Upserts that may hold a database connection at once, per database. A burst from the one-stop system would
 * otherwise take every pooled connection (10) for its transactions, and the job worker sending the resulting notices,
 * and the webhooks that must answer Zalo within 2 s, would wait behind it. Measured with 1,000 changes, 20 at a time
 * (scripts/bench-notify.ts): 4 keeps p99 change-to-notice near 2 s at ~80 changes/s accepted; 10 accepts ~130/s but
 * p99 rises to ~7.5 s. The embedded database has one connection: a second transaction could only wait for it.
 */
const MAX_CONCURRENT_UPSERTS = { postgres: 4, embedded: 1, memory: 1 } as const;
const gates = new WeakMap<object, <T>(fn: () => Promise<T>) => Promise<T>>();

function gate(db: AppDeps['db']) {
  let run = gates.get(db);
  if (!run) {
    let active = 0;
    const waiting: Array<() => void> = [];
    run = async <T>(fn: () => Promise<T>): Promise<T> => {
      if (active < MAX_CONCURRENT_UPSERTS[db.kind]) active++;
      else await new Promise<void>((resolve) => waiting.push(resolve)); // the finishing call hands its place over
      try {
        return await fn();
      } finally {
        const next = waiting.shift();
        if (next) next();
        else active--;
      }
    };
    gates.set(db, run);
  }
  return run;
}

/** Who made the change and, for an official's hand correction, `action: 'dossier.correct'` (audited even for a note alone). */
export interface ChangeOptions { actor?: string; action?: 'dossier.status' | 'dossier.correct' }

export async function upsertDossierStatus(deps: AppDeps, rawCode: string, input: DossierStatusInput,
  opts: ChangeOptions = {}): Promise<UpsertResult> {
  const code = canonicalDossierCode(rawCode);
  const procedureName = input.procedureName ?? (await procedureNameOf(deps, input.procedureCode!));
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await gate(deps.db)(() => deps.db.prisma.$transaction(
        (tx) => apply(deps, tx, code, { ...input, procedureName }, opts), { timeout: 30_000, maxWait: 30_000 }));
      if (result.notified) deps.queue.poke();
      return result;
    } catch (err) {
      // Two first reports of the same dossier at once: the loser sees the winner's row on the next attempt.
      if (attempt < 3 && isUniqueViolation(err)) continue;
      throw err;
    }
  }
}

async function procedureNameOf(deps: AppDeps, procedureCode: string): Promise<string> {
  const p = await deps.db.prisma.procedure.findFirst({ where: { code: { equals: procedureCode, mode: 'insensitive' } }, select: { name: true } });
  if (!p) throw new DossierInputError('procedureCode', `Không có thủ tục mã "${procedureCode}" trong cơ sở dữ liệu; gửi kèm procedureName`);
  return p.name;
}

async function apply(deps: AppDeps, tx: Prisma.TransactionClient, code: string, input: DossierStatusInput & { procedureName: string },
  { actor, action = 'dossier.status' }: ChangeOptions): Promise<UpsertResult> {
  const now = deps.now();
  const data = {
    procedureCode: input.procedureCode ?? null, procedureName: input.procedureName, applicantName: input.applicantName,
    applicantPhone: input.applicantPhone ?? null, office: input.office, receivedAt: input.receivedAt, dueAt: input.dueAt,
    status: input.status, note: input.note, notePublic: input.notePublic,
  };
  // The row lock serialises concurrent reports for one dossier, so each change is seen, and notified, once.
  const [before] = await tx.$queryRaw<Dossier[]>`SELECT * FROM "Dossier" WHERE code = ${code} FOR UPDATE`;
  const audit = (dossier: Dossier, action: string, detail: Prisma.InputJsonValue) => tx.auditLog.create({
    data: { actor: actor ?? null, action, entityType: 'dossier', entityId: String(dossier.id), detail },
  });
  if (!before) {
    const dossier = await tx.dossier.create({ data: { code, ...data } });
    const event = await tx.dossierEvent.create({ data: { dossierId: dossier.id, status: input.status, note: input.note, notePublic: input.notePublic, dueAt: input.dueAt, at: now } });
    await audit(dossier, 'dossier.create', { code, status: input.status });
    return { dossier, created: true, changed: true, eventId: event.id, notified: 0 };
  }

  const statusChanged = before.status !== input.status;
  const dueChanged = before.dueAt.getTime() !== input.dueAt.getTime();
  const fieldsChanged = (Object.keys(data) as Array<keyof typeof data>).some((k) => !same(before[k], data[k]));
  const dossier = fieldsChanged ? await tx.dossier.update({ where: { id: before.id }, data }) : before;
  const detail = { code, from: before.status, to: input.status, dueFrom: before.dueAt.toISOString(), dueTo: input.dueAt.toISOString(),
    ...(action === 'dossier.correct' ? { note: input.note, notePublic: input.notePublic } : {}) };
  if (!statusChanged && !dueChanged) {
    if (fieldsChanged && action === 'dossier.correct') await audit(dossier, action, detail);
    return { dossier, created: false, changed: false, notified: 0 };
  }

  const tell = tellsTheCitizen({ statusChanged, status: input.status });
  const text = tell ? noticeText({
    code, procedureName: dossier.procedureName, status: input.status, statusChanged, dueAt: input.dueAt,
    previousDueAt: dueChanged ? before.dueAt : null, note: input.note, notePublic: input.notePublic, now,
  }) : '';
  const [row] = await tx.$queryRawUnsafe<Array<{ eventId: number; notified: number }>>(RECORD_CHANGE_SQL,
    dossier.id, input.status, input.note, input.notePublic, input.dueAt.toISOString(), now.toISOString(), actor ?? null, action, JSON.stringify(detail),
    tell, text, coarseNoticeText(code, input.status));
  return { dossier, created: false, changed: true, eventId: row.eventId, notified: Number(row.notified) };
}

/** Whether a change is worth a notice: a new due date on a finished dossier tells the citizen nothing. */
export const tellsTheCitizen = (c: { statusChanged: boolean; status: string }) => c.statusChanged || !FINISHED_STATUSES.has(c.status);

/**
 * WITH members that queue the notices of the changes in `x` ("dossierId", "eventId", text, coarse, n: the order):
 * `n`, one Notification per active subscriber, and `j`, one 'notify' job per Notification. Details go only to
 * accounts that proved they are the applicant (or on sample dossiers); anyone else who subscribed before proofs
 * were required gets the coarse status and how to prove it. (eventId, channel, userId) is unique: a repeated call
 * for the same event notifies nobody twice.
 */
const NOTICES_CTE = `n AS (
  INSERT INTO "Notification" ("dossierId", channel, "userId", "eventId", text, "updatedAt")
  SELECT x."dossierId", s.channel, s."userId", x."eventId",
    CASE WHEN COALESCE((SELECT d."isSample" FROM "Dossier" d WHERE d.id = x."dossierId"), true)
      OR EXISTS (SELECT 1 FROM "DossierOwner" o WHERE o."dossierId" = x."dossierId" AND o.channel = s.channel AND o."userId" = s."userId")
      THEN x.text ELSE x.coarse END,
    now()
  -- LATERAL: each dossier's subscribers through its index (a join planned for a guessed 100 changes scanned them all)
  FROM x CROSS JOIN LATERAL (SELECT * FROM "Subscription" s WHERE s."dossierId" = x."dossierId" AND s.active) s
  ORDER BY x.n, s.id
  ON CONFLICT ("eventId", channel, "userId") DO NOTHING RETURNING id
), j AS (
  INSERT INTO "Job" (kind, key, payload, "updatedAt")
  SELECT 'notify', 'notify:' || n.id, jsonb_build_object('notificationId', n.id), now() FROM n ORDER BY n.id
  ON CONFLICT (key) DO NOTHING
)`;

/**
 * A status change in one statement (a burst of 1,000 from the one-stop system ran nine ORM calls per change): the
 * history event, the audit entry and, when `$10`, the notices ($11 the full text, $12 the coarse one).
 */
const RECORD_CHANGE_SQL = `
WITH ev AS (
  INSERT INTO "DossierEvent" ("dossierId", status, note, "notePublic", "dueAt", at)
  VALUES ($1, $2, $3, $4, $5::timestamp(3), $6::timestamp(3)) RETURNING id
), au AS (
  INSERT INTO "AuditLog" (actor, action, "entityType", "entityId", detail) VALUES ($7, $8, 'dossier', $1::text, $9::jsonb)
), x AS (
  SELECT $1::int AS "dossierId", ev.id AS "eventId", $11::text AS text, $12::text AS coarse, 1 AS n FROM ev WHERE $10::boolean
), ${NOTICES_CTE}
SELECT (SELECT id FROM ev) AS "eventId", (SELECT count(*)::int FROM n) AS notified`;

/** A notice of one change to one dossier: its full text, and the dossier's code and new status for the coarse one. */
export interface NoticeSpec { dossierId: number; eventId: number; text: string; code: string; status: string }

/** The notices of changes written in the caller's transaction (bulk imports), in one statement; returns how many. */
export async function queueNotices(tx: Prisma.TransactionClient, specs: NoticeSpec[]): Promise<number> {
  if (specs.length === 0) return 0;
  const rows = specs.map((s) => ({ dossierId: s.dossierId, eventId: s.eventId, text: s.text, coarse: coarseNoticeText(s.code, s.status) }));
  const [{ notified }] = await tx.$queryRawUnsafe<Array<{ notified: number }>>(`
    WITH x AS (
      SELECT * FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS ("dossierId" int, "eventId" int, text text, coarse text))
        WITH ORDINALITY AS x("dossierId", "eventId", text, coarse, n)
    ), ${NOTICES_CTE}
    SELECT count(*)::int AS notified FROM n`, JSON.stringify(rows));
  return Number(notified);
}

/**
 * For bulk imports (`onStatusChanged` of the CSV/XLSX import): queues notices for status events written in the
 * caller's transaction. The queue finds them at its next poll; call `deps.queue.poke()` after the commit to be faster.
 */
export function noticesForEvents(deps: AppDeps) {
  return async (tx: Prisma.TransactionClient, events: DossierEvent[]): Promise<void> => {
    if (events.length === 0) return;
    const dossiers = await tx.dossier.findMany({ where: { id: { in: [...new Set(events.map((e) => e.dossierId))] } } });
    const byId = new Map(dossiers.map((d) => [d.id, d]));
    const now = deps.now();
    await queueNotices(tx, events.flatMap((e) => {
      const d = byId.get(e.dossierId);
      if (!d) return [];
      const text = noticeText({
        code: d.code, procedureName: d.procedureName, status: e.status, statusChanged: true, dueAt: e.dueAt ?? d.dueAt,
        previousDueAt: null, note: e.note, notePublic: e.notePublic, now,
      });
      return [{ dossierId: d.id, eventId: e.id, text, code: d.code, status: e.status }];
    }));
  };
}

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}
