import type { Message, Prisma } from '../generated/prisma/client.js';
import { SendError, type Reply } from '../channels/types.js';
import type { AppDeps } from '../deps.js';
import { JobError, enqueueJobs, type JobContext } from '../jobs/queue.js';
import { metrics } from '../metrics.js';

// Outbound messages: recorded as Message rows (deliveryStatus 'pending', `cause` naming what produced them)
// in the transaction that decided them, then sent in order, each at most once as far as the platform lets us know.

export interface OutboundSpec {
  conversationId: number;
  channel: string;
  replies: Reply[];
  /** 'bot', 'agent:<username>', 'notification' */
  sentBy: string;
  /** Unique per cause (inbound event, notification, agent action): a retried cause enqueues nothing twice. */
  key: string;
  intent?: string | null;
  /** Messenger message tag for messages outside the platform's free window. */
  tag?: string;
}

export function outboundRows(spec: OutboundSpec): Prisma.MessageCreateManyInput[] {
  return spec.replies.map((r) => ({
    conversationId: spec.conversationId, direction: 'out', channel: spec.channel, kind: 'text', text: r.text,
    payload: r as unknown as Prisma.InputJsonValue, intent: spec.intent ?? null, sentBy: spec.sentBy,
    deliveryStatus: 'pending', cause: spec.key,
  }));
}

/** Records the replies and a durable 'send' job for them (agent replies, notifications). */
export async function enqueueOutbound(tx: Prisma.TransactionClient, spec: OutboundSpec): Promise<number[]> {
  const rows = await tx.message.createManyAndReturn({ data: outboundRows(spec), select: { id: true } });
  if (rows.length) {
    await enqueueJobs(tx, [{ kind: 'send', key: `send:${spec.key}`, payload: { cause: spec.key, tag: spec.tag ?? null } }]);
  }
  return rows.map((r) => r.id);
}

type DeliveryContext = Pick<JobContext, 'inDoubt' | 'log'>;

/** Sends every still-pending message of `cause`, in order; a retryable failure throws JobError. */
export async function deliverPending(deps: AppDeps, cause: string, ctx: DeliveryContext, tag?: string | null): Promise<void> {
  const pending = await deps.db.prisma.message.findMany({
    where: { cause, direction: 'out', deliveryStatus: 'pending' }, orderBy: { id: 'asc' }, include: { conversation: { select: { userId: true } } },
  });
  for (const m of pending) await deliverOne(deps, m, m.conversation.userId, ctx, tag);
}

/** Sends one recorded outbound message and records the outcome. */
export async function deliverOne(deps: AppDeps, m: Pick<Message, 'id' | 'channel' | 'text' | 'payload' | 'createdAt'>, userId: string, ctx: DeliveryContext, tag?: string | null): Promise<void> {
  const channel = deps.channels[m.channel as keyof AppDeps['channels']];
  const mark = (deliveryStatus: string, data: { platformMsgId?: string | null; deliveryError?: string } = {}) =>
    deps.db.sql.query(`UPDATE "Message" SET "deliveryStatus" = $2, "platformMsgId" = COALESCE($3, "platformMsgId"),
      "deliveryError" = COALESCE($4, "deliveryError") WHERE id = $1`, [m.id, deliveryStatus, data.platformMsgId ?? null, data.deliveryError ?? null]);
  if (!channel) {
    await mark('failed', { deliveryError: `channel ${m.channel} is not enabled` });
    return;
  }
  const checker = (channel as { wasDelivered?: (u: string, t: string, since: Date) => Promise<boolean> }).wasDelivered;
  // After a crash mid-send we cannot know whether the platform got the message: ask it before resending.
  if (ctx.inDoubt && checker && (await checker.call(channel, userId, m.text, new Date(m.createdAt.getTime() - 1000)).catch(() => false))) {
    await mark('sent');
    ctx.log.info({ message: m.id }, 'reply was already delivered before the restart');
    return;
  }
  try {
    const res = await channel.send(userId, m.payload as unknown as Reply, tag ? { tag } : undefined);
    await mark('sent', { platformMsgId: res.messageIds[0] ? `${m.channel}-out:${res.messageIds[0]}` : null });
    metrics.sends.inc({ channel: m.channel, outcome: 'sent', error_kind: '' });
  } catch (err) {
    if (!(err instanceof SendError)) throw err;
    metrics.sends.inc({ channel: m.channel, outcome: err.kind === 'retry' || err.kind === 'token' ? 'retry' : err.kind === 'window' ? 'undelivered' : 'failed', error_kind: err.kind });
    if (err.kind === 'retry' || err.kind === 'token') throw new JobError(`${m.channel} send to ${userId}: ${err.message}`, 'retry');
    await mark(err.kind === 'window' ? 'undelivered' : 'failed', { deliveryError: `${err.code ?? ''} ${err.message}`.trim().slice(0, 1000) });
    ctx.log.warn({ message: m.id, code: err.code, kind: err.kind }, 'reply not delivered');
  }
}

export function sendHandler(deps: AppDeps) {
  return async (payload: { cause: string; tag?: string | null }, ctx: JobContext) => deliverPending(deps, payload.cause, ctx, payload.tag);
}
