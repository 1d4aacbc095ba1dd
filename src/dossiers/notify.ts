import { z } from 'zod';
import { FINISHED_STATUSES, statusLabel } from '../bot/dossier-text.js';
import { BUTTONS, DOSSIER_TEXTS, formatDate } from '../bot/texts.js';
import { SendError, type ReplyButton } from '../channels/types.js';
import type { AppDeps } from '../deps.js';
import type { Prisma } from '../generated/prisma/client.js';
import { JobError, type JobContext } from '../jobs/queue.js';
import { enqueueOutbound } from '../pipeline/outbound.js';

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
type TemplateRow = NoticeRow & { code: string; applicantPhone: string; eventStatus: string };
type Plan = { kind: 'done' } | { kind: 'template'; notice: TemplateRow };

/** Handler for 'notify' jobs (one per Notification row, key `notify:<id>`). */
export function notifyHandler(deps: AppDeps) {
  return async (payload: unknown, ctx: JobContext): Promise<void> => {
    const parsed = payloadSchema.safeParse(payload);
    if (!parsed.success) throw new JobError(`notify job ${ctx.key}: bad payload ${JSON.stringify(payload)}`, 'permanent');
    const id = parsed.data.notificationId;
    const plan = await deps.db.prisma.$transaction((tx) => planNotice(deps, tx, id, ctx), { timeout: 30_000, maxWait: 30_000 });
    if (plan.kind === 'template') await sendTemplate(deps, plan.notice, ctx);
  };
}

async function planNotice(deps: AppDeps, tx: Prisma.TransactionClient, id: number, ctx: JobContext): Promise<Plan> {
  const [n] = await tx.$queryRaw<NoticeRow[]>`
    SELECT n.id, n.status, n.text, n.channel, n."userId", s.active AS subscribed, d.code, d."applicantPhone",
           d."dueAt" AS "dossierDueAt", e.status AS "eventStatus", e."dueAt" AS "eventDueAt",
           c.id AS "conversationId", c."lastInboundAt"
    FROM "Notification" n
    LEFT JOIN "Subscription" s ON s."dossierId" = n."dossierId" AND s.channel = n.channel AND s."userId" = n."userId"
    LEFT JOIN "Dossier" d ON d.id = n."dossierId"
    LEFT JOIN "DossierEvent" e ON e.id = n."eventId"
    LEFT JOIN "Conversation" c ON c.channel = n.channel AND c."userId" = n."userId"
    WHERE n.id = ${id}
    FOR UPDATE OF n`;
  const mark = (status: string, detail: string | null) => tx.notification.update({ where: { id }, data: { status, detail } });
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
  // The channel knows its platform's windows: a message, a pre-approved template notice, or nothing.
  const channel = deps.channels[n.channel as keyof AppDeps['channels']];
  const route = channel?.noticeRoute?.(n.lastInboundAt, deps.now()) ?? { kind: 'message' as const };
  if (route.kind === 'message') {
    const conversationId = n.conversationId ?? (await tx.conversation.upsert({
      where: { channel_userId: { channel: n.channel, userId: n.userId } }, create: { channel: n.channel, userId: n.userId }, update: {},
    })).id;
    const [messageId] = await enqueueOutbound(tx, {
      conversationId, channel: n.channel, replies: [{ text: n.text, buttons: noticeButtons(n.code, n.eventStatus) }],
      sentBy: 'notification', key: `notify:${id}`, purpose: 'notice',
    });
    await mark('queued', `message:${messageId}`);
    ctx.log.debug({ notification: id, message: messageId }, 'notice queued');
    deps.queue.poke();
    return { kind: 'done' };
  }
  if (route.kind === 'none' || !channel?.sendTemplate || !n.applicantPhone) {
    await mark('undelivered', route.kind === 'none' ? route.why : 'outside the window and no phone on the dossier for a template notice');
    return { kind: 'done' };
  }
  await mark('sending', null);
  return { kind: 'template', notice: n as TemplateRow };
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
