import { z } from 'zod';
import { FINISHED_STATUSES, statusLabel } from '../bot/dossier-text.js';
import { BUTTONS, DOSSIER_TEXTS, formatDate } from '../bot/texts.js';
import { SendError, type ReplyButton } from '../channels/types.js';
import type { AppDeps } from '../deps.js';
import type { Prisma } from '../generated/prisma/client.js';
import { JobError, type JobContext } from '../jobs/queue.js';
import type { Query } from '../db/open.js';
import { outboundRows, recordOutboundSql, sendJob } from '../pipeline/outbound.js';

// Status-change notices: the text (written once, when the change is recorded, so it describes that change even if
// the dossier moves on before the job runs), and the 'notify' job that picks the way to reach the citizen.

// The wording of notices lives with the status card (src/bot/dossier-text.ts) and in src/bot/texts.ts.
export { FINISHED_STATUSES, noticeText, type NoticeFacts } from '../bot/dossier-text.js';

export function noticeButtons(code: string, status: string): ReplyButton[] {
  if (status === 'returned') return [{ title: BUTTONS.rate, payload: `#rate:${code}` }];
  if (FINISHED_STATUSES.has(status)) return [{ title: BUTTONS.human, payload: '#menu:human' }];
  return [{ title: BUTTONS.human, payload: '#menu:human' }, { title: BUTTONS.stopNotices, payload: DOSSIER_TEXTS.stopPayload(code) }];
}

// ---------- the job ----------

const payloadSchema = z.object({ notificationId: z.number().int().positive() });

/** A notice with everything needed to route it, read in one round trip: this runs once per notice in a burst. */
interface NoticeRow {
  id: number; status: string; text: string; channel: string; userId: string;
  subscribed: boolean | null; code: string | null; applicantPhone: string | null; dossierDueAt: Date | null;
  eventStatus: string | null; eventDueAt: Date | null; conversationId: number | null; lastInboundAt: Date | null;
}
/** The same as read by plain SQL: its timestamps come as Date or as text, depending on the driver. */
type NoticeSqlRow = Omit<NoticeRow, 'dossierDueAt' | 'eventDueAt' | 'lastInboundAt'>
  & { dossierDueAt: Date | string | null; eventDueAt: Date | string | null; lastInboundAt: Date | string | null };
type TemplateRow = NoticeRow & { code: string; applicantPhone: string; eventStatus: string };
type Plan = { kind: 'done' } | { kind: 'template'; notice: TemplateRow };

/** Handler for 'notify' jobs (one per Notification row, key `notify:<id>`). */
export function notifyHandler(deps: AppDeps) {
  return async (payload: unknown, ctx: JobContext): Promise<void> => {
    const parsed = payloadSchema.safeParse(payload);
    if (!parsed.success) throw new JobError(`notify job ${ctx.key}: bad payload ${JSON.stringify(payload)}`, 'permanent');
    const id = parsed.data.notificationId;
    const plan = await deps.db.sql.interactive((query) => planNotice(deps, query, id, ctx));
    if (plan.kind === 'template') await sendTemplate(deps, plan.notice, ctx);
  };
}

/**
 * Reads the notice with everything needed to route it and records where it goes, in plain SQL (a burst of 1,000
 * dossier changes runs this once per notice): for a message, the message, its send job and the notice's new status
 * are one statement.
 */
async function planNotice(deps: AppDeps, query: Query, id: number, ctx: JobContext): Promise<Plan> {
  // Zone-less timestamps are read as UTC instants (AT TIME ZONE 'UTC'), whatever the driver's own reading would be.
  const [n] = await query<NoticeSqlRow>(`
    SELECT n.id, n.status, n.text, n.channel, n."userId", s.active AS subscribed, d.code, d."applicantPhone",
           d."dueAt" AT TIME ZONE 'UTC' AS "dossierDueAt", e.status AS "eventStatus", e."dueAt" AT TIME ZONE 'UTC' AS "eventDueAt",
           c.id AS "conversationId", c."lastInboundAt" AT TIME ZONE 'UTC' AS "lastInboundAt"
    FROM "Notification" n
    LEFT JOIN "Subscription" s ON s."dossierId" = n."dossierId" AND s.channel = n.channel AND s."userId" = n."userId"
    LEFT JOIN "Dossier" d ON d.id = n."dossierId"
    LEFT JOIN "DossierEvent" e ON e.id = n."eventId"
    LEFT JOIN "Conversation" c ON c.channel = n.channel AND c."userId" = n."userId"
    WHERE n.id = $1
    FOR UPDATE OF n`, [id]);
  const mark = (status: string, detail: string | null) =>
    query(`UPDATE "Notification" SET status = $2, detail = $3, "updatedAt" = now() WHERE id = $1`, [id, status, detail]);
  if (n?.status === 'sending') {
    // A template send was under way when the process stopped: resending could bill and notify twice, so record it.
    await mark('failed', `template notice interrupted${ctx.inDoubt ? ' by a restart' : ''}; delivery unknown (tracking_id notify-${id} in the platform's dashboard)`);
    return { kind: 'done' };
  }
  if (!n || n.status !== 'pending') return { kind: 'done' };
  if (!n.subscribed) {
    await mark('cancelled', 'the user stopped notifications before it was sent');
    return { kind: 'done' };
  }
  if (n.code === null || n.eventStatus === null) {
    await mark('cancelled', 'the dossier or its event was deleted');
    return { kind: 'done' };
  }
  const asDate = (v: Date | string | null) => (v === null ? null : new Date(v));
  // The channel knows its platform's windows: a message, a pre-approved template notice, or nothing.
  const channel = deps.channels[n.channel as keyof AppDeps['channels']];
  const route = channel?.noticeRoute?.(asDate(n.lastInboundAt), deps.now()) ?? { kind: 'message' as const };
  if (route.kind === 'message') {
    const conversationId = n.conversationId ?? (await query<{ id: number }>(`INSERT INTO "Conversation" (channel, "userId", "updatedAt")
      VALUES ($1, $2, now()) ON CONFLICT (channel, "userId") DO UPDATE SET channel = EXCLUDED.channel RETURNING id`, [n.channel, n.userId]))[0].id;
    const key = `notify:${id}`;
    const rows = outboundRows({
      conversationId, channel: n.channel, replies: [{ text: n.text, buttons: noticeButtons(n.code, n.eventStatus) }],
      sentBy: 'notification', key, purpose: 'notice',
    });
    const [queued] = await query<{ id: number }>(`WITH ${recordOutboundSql({ rows: '$1', jobs: '$2' })}, u AS (
        UPDATE "Notification" SET status = 'queued', detail = 'message:' || (SELECT min(id) FROM m), "updatedAt" = now() WHERE id = $3
      ) SELECT min(id) AS id FROM m`, [JSON.stringify(rows), JSON.stringify([sendJob(n.channel, key)]), id]);
    ctx.log.debug({ notification: id, message: queued.id }, 'notice queued');
    deps.queue.poke();
    return { kind: 'done' };
  }
  if (route.kind === 'none' || !channel?.sendTemplate || !n.applicantPhone) {
    await mark('undelivered', route.kind === 'none' ? route.why : 'outside the window and no phone on the dossier for a template notice');
    return { kind: 'done' };
  }
  await mark('sending', null);
  return { kind: 'template', notice: { ...n, dossierDueAt: asDate(n.dossierDueAt), eventDueAt: asDate(n.eventDueAt) } as TemplateRow };
}

// ---------- template notices (a channel's pre-approved templates to a phone number) ----------

/** The approved template must declare exactly these parameters. */
export function noticeTemplateData(code: string, status: string, dueAt: Date) {
  return { code, status: statusLabel(status), due_date: formatDate(dueAt) };
}

async function sendTemplate(deps: AppDeps, n: TemplateRow, ctx: JobContext): Promise<void> {
  const prisma = deps.db.prisma;
  const finish = (status: string, detail: string) => prisma.notification.update({ where: { id: n.id }, data: { status, detail: detail.slice(0, 1000) } });
  const channel = deps.channels[n.channel as keyof AppDeps['channels']];
  if (!channel?.sendTemplate) return void (await finish('failed', `the ${n.channel} channel has no template notices configured`));
  try {
    const id = await channel.sendTemplate({
      phone: n.applicantPhone, data: noticeTemplateData(n.code, n.eventStatus, n.eventDueAt ?? n.dossierDueAt!), trackingId: `notify-${n.id}`,
    });
    await finish('sent', `template:${id}`);
    ctx.log.info({ notification: n.id, dossier: n.code }, 'notice sent as a template message');
  } catch (err) {
    if (!(err instanceof SendError)) throw err;
    if (err.kind === 'retry' || err.kind === 'token') {
      await prisma.notification.update({ where: { id: n.id }, data: { status: 'pending', detail: err.message.slice(0, 1000) } });
      throw new JobError(`template notice ${n.id}: ${err.message}`, 'retry', err.retryAfterMs);
    }
    // The person cannot receive it (inactive, refused, no account): undelivered, with the platform's reason.
    await finish(err.kind === 'permanent' ? 'failed' : 'undelivered', `${err.code ?? ''} ${err.message}`.trim());
    ctx.log.warn({ notification: n.id, code: err.code, kind: err.kind }, 'template notice not delivered');
  }
}
