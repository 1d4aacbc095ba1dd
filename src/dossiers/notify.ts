import { z } from 'zod';
import { FINISHED_STATUSES, statusLabel } from '../bot/dossier-text.js';
import { BUTTONS, DOSSIER_TEXTS, formatDate } from '../bot/texts.js';
import { SendError, type ReplyButton } from '../channels/types.js';
import type { ZaloChannel } from '../channels/zalo/index.js';
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

// ---------- delivery windows ----------

const HOUR = 3600_000;
export const MESSENGER_WINDOW_MS = 24 * HOUR;
/** Zalo: free replies for 48 h, billed up to 7 days, refused after. */
export const ZALO_WINDOW_MS = 7 * 24 * HOUR;
export const MESSENGER_NOTICE_TAG = 'ACCOUNT_UPDATE';
export const UNDELIVERED_OUTSIDE_WINDOW = 'outside the 7-day window and no ZNS template/phone';

export type DeliveryRoute = { kind: 'message'; tag?: string } | { kind: 'zns' };

/** How a notice can reach a user whose last message was at `lastInboundAt` (null: never). */
export function deliveryRoute(channel: string, lastInboundAt: Date | null, now: Date): DeliveryRoute {
  const age = lastInboundAt ? now.getTime() - lastInboundAt.getTime() : Number.POSITIVE_INFINITY;
  if (channel === 'messenger') return age <= MESSENGER_WINDOW_MS ? { kind: 'message' } : { kind: 'message', tag: MESSENGER_NOTICE_TAG };
  if (channel === 'zalo') return age <= ZALO_WINDOW_MS ? { kind: 'message' } : { kind: 'zns' };
  return { kind: 'message' };
}

// ---------- the job ----------

const payloadSchema = z.object({ notificationId: z.number().int().positive() });

/** A notice with everything needed to route it, read in one round trip: this runs once per notice in a burst. */
interface NoticeRow {
  id: number; status: string; text: string; channel: string; userId: string;
  subscribed: boolean | null; code: string | null; applicantPhone: string | null; dossierDueAt: Date | null;
  eventStatus: string | null; eventDueAt: Date | null; conversationId: number | null; lastInboundAt: Date | null;
}
type ZnsNotice = NoticeRow & { code: string; applicantPhone: string; eventStatus: string };
type Plan = { kind: 'done' } | { kind: 'zns'; notice: ZnsNotice };

/** Handler for 'notify' jobs (one per Notification row, key `notify:<id>`). */
export function notifyHandler(deps: AppDeps) {
  return async (payload: unknown, ctx: JobContext): Promise<void> => {
    const parsed = payloadSchema.safeParse(payload);
    if (!parsed.success) throw new JobError(`notify job ${ctx.key}: bad payload ${JSON.stringify(payload)}`, 'permanent');
    const id = parsed.data.notificationId;
    const plan = await deps.db.prisma.$transaction((tx) => planNotice(deps, tx, id, ctx), { timeout: 30_000, maxWait: 30_000 });
    if (plan.kind === 'zns') await sendZns(deps, plan.notice, ctx);
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
    // A ZNS call was under way when the process stopped: resending could bill and notify twice, so record it instead.
    await mark('failed', `ZNS send interrupted${ctx.inDoubt ? ' by a restart' : ''}; delivery unknown (tracking_id notify-${id} in the ZNS dashboard)`);
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
  const route = deliveryRoute(n.channel, n.lastInboundAt, deps.now());
  if (route.kind === 'message') {
    const conversationId = n.conversationId ?? (await tx.conversation.upsert({
      where: { channel_userId: { channel: n.channel, userId: n.userId } }, create: { channel: n.channel, userId: n.userId }, update: {},
    })).id;
    const [messageId] = await enqueueOutbound(tx, {
      conversationId, channel: n.channel, replies: [{ text: n.text, buttons: noticeButtons(n.code, n.eventStatus) }],
      sentBy: 'notification', key: `notify:${id}`, tag: route.tag,
    });
    await mark('queued', `message:${messageId}`);
    ctx.log.debug({ notification: id, message: messageId, tag: route.tag }, 'notice queued');
    deps.queue.poke();
    return { kind: 'done' };
  }
  if (!deps.config.ZALO_ZNS_TEMPLATE_ID || !n.applicantPhone) {
    await mark('undelivered', UNDELIVERED_OUTSIDE_WINDOW);
    return { kind: 'done' };
  }
  await mark('sending', null);
  return { kind: 'zns', notice: n as ZnsNotice };
}

// ---------- ZNS (Zalo Notification Service) ----------

const ZNS_TIMEOUT_MS = 15_000;
const znsAnswer = z.looseObject({
  error: z.coerce.number(),
  message: z.string().optional(),
  data: z.looseObject({ msg_id: z.union([z.string(), z.number()]).optional() }).optional(),
});
/** Token rejected: -216/-220 as on the OA API; -124 is ZNS's "access token invalid". */
const ZNS_TOKEN_ERRORS: ReadonlySet<number> = new Set([-124, -216, -220]);
/** Worth another try later: unknown error, rate limit. */
const ZNS_RETRY_ERRORS: ReadonlySet<number> = new Set([-100, -32]);
/** The recipient cannot get it (bad phone, Zalo version too old): undelivered rather than a system failure. */
const ZNS_RECIPIENT_ERRORS: ReadonlySet<number> = new Set([-108, -110]);

/** "0912345678" -> "84912345678", the form ZNS documents. */
export const znsPhone = (phone: string) => (phone.startsWith('0') ? `84${phone.slice(1)}` : phone.replace(/^\+/, ''));

/** The approved template must declare exactly these parameters. */
export function znsTemplateData(code: string, status: string, dueAt: Date) {
  return { code, status: statusLabel(status), due_date: formatDate(dueAt) };
}

async function sendZns(deps: AppDeps, n: ZnsNotice, ctx: JobContext): Promise<void> {
  const prisma = deps.db.prisma;
  const finish = (status: string, detail: string) => prisma.notification.update({ where: { id: n.id }, data: { status, detail: detail.slice(0, 1000) } });
  const retry = async (why: string) => {
    await prisma.notification.update({ where: { id: n.id }, data: { status: 'pending', detail: why.slice(0, 1000) } });
    return new JobError(`ZNS for notification ${n.id}: ${why}`, 'retry');
  };
  const zalo = deps.channels.zalo as ZaloChannel | undefined;
  if (!zalo?.client) {
    await finish('failed', 'ZNS needs the Zalo channel (its OA access token): set ZALO_APP_ID, ZALO_OA_SECRET_KEY and ZALO_ACCESS_TOKEN/ZALO_REFRESH_TOKEN');
    return;
  }
  const body = JSON.stringify({
    phone: znsPhone(n.applicantPhone), template_id: deps.config.ZALO_ZNS_TEMPLATE_ID,
    template_data: znsTemplateData(n.code, n.eventStatus, n.eventDueAt ?? n.dossierDueAt!), tracking_id: `notify-${n.id}`,
  });
  const post = async (token: string) => {
    const res = await fetch(`${deps.config.ZALO_ZNS_BASE_URL}/message/template`, {
      method: 'POST', headers: { access_token: token, 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(ZNS_TIMEOUT_MS),
    });
    if (res.status >= 500 || res.status === 429) return { error: -100, message: `HTTP ${res.status}` };
    const parsed = znsAnswer.safeParse(await res.json().catch(() => undefined));
    return parsed.success ? parsed.data : { error: -1, message: `HTTP ${res.status}, unexpected answer` };
  };
  let answer: z.infer<typeof znsAnswer>;
  try {
    let token = await zalo.client.tokens.accessToken();
    answer = await post(token);
    if (ZNS_TOKEN_ERRORS.has(answer.error)) {
      token = await zalo.client.tokens.refresh(token);
      answer = await post(token);
    }
  } catch (err) {
    // A token the channel cannot get or refresh says so itself (and how to fix it); anything else is the network.
    throw await retry(err instanceof SendError ? err.message : `no answer from ${deps.config.ZALO_ZNS_BASE_URL} (${(err as Error).message})`);
  }
  const what = `ZNS error ${answer.error} (${answer.message ?? 'no message'})`;
  if (answer.error === 0) {
    await finish('sent', `zns:${answer.data?.msg_id ?? 'unknown'}`);
    ctx.log.info({ notification: n.id, dossier: n.code }, 'notice sent by ZNS');
  } else if (ZNS_RETRY_ERRORS.has(answer.error) || ZNS_TOKEN_ERRORS.has(answer.error)) {
    throw await retry(what);
  } else {
    await finish(ZNS_RECIPIENT_ERRORS.has(answer.error) ? 'undelivered' : 'failed', what);
    ctx.log.warn({ notification: n.id, code: answer.error }, 'ZNS notice not delivered');
  }
}
