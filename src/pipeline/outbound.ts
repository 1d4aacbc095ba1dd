import type { Prisma } from '../generated/prisma/client.js';
import { SendError, type Reply } from '../channels/types.js';
import type { AppDeps } from '../deps.js';
import { JobError, type JobContext } from '../jobs/queue.js';

// Outbound messages: recorded as Message rows (deliveryStatus 'pending') in the transaction that decided
// them, then sent by a durable 'send' job, in order, each at most once as far as the platform lets us know.

export interface OutboundSpec {
  conversationId: number;
  channel: string;
  replies: Reply[];
  /** 'bot', 'agent:<username>', 'notification' */
  sentBy: string;
  /** Unique per cause (inbound event, notification, agent action): a retried cause enqueues nothing twice. */
  key: string;
  intent?: string | null;
  /** Messenger message tag / Zalo ZNS hint for messages outside the platform's free window. */
  tag?: string;
}

export async function enqueueOutbound(tx: Prisma.TransactionClient, spec: OutboundSpec): Promise<number[]> {
  const ids: number[] = [];
  for (const r of spec.replies) {
    const m = await tx.message.create({
      data: {
        conversationId: spec.conversationId, direction: 'out', channel: spec.channel, kind: 'text', text: r.text,
        payload: r as unknown as Prisma.InputJsonValue, intent: spec.intent ?? null, sentBy: spec.sentBy, deliveryStatus: 'pending',
      },
    });
    ids.push(m.id);
  }
  if (ids.length) {
    await tx.job.createMany({ data: [{ kind: 'send', key: `send:${spec.key}`, payload: { messageIds: ids, tag: spec.tag ?? null } }], skipDuplicates: true });
  }
  return ids;
}

export function sendHandler(deps: AppDeps) {
  return async (payload: { messageIds: number[]; tag?: string | null }, ctx: JobContext) => {
    for (const id of payload.messageIds) {
      const m = await deps.db.prisma.message.findUnique({ where: { id }, include: { conversation: true } });
      if (!m || m.deliveryStatus !== 'pending') continue;
      const channel = deps.channels[m.channel as keyof AppDeps['channels']];
      const mark = (deliveryStatus: string, data: { platformMsgId?: string | null; deliveryError?: string } = {}) =>
        deps.db.prisma.message.update({ where: { id }, data: { deliveryStatus, ...data } });
      if (!channel) {
        await mark('failed', { deliveryError: `channel ${m.channel} is not enabled` });
        continue;
      }
      const userId = m.conversation.userId;
      const checker = (channel as { wasDelivered?: (u: string, t: string, since: Date) => Promise<boolean> }).wasDelivered;
      // After a crash mid-send we cannot know whether the platform got the message: ask it before resending.
      if (ctx.inDoubt && checker && (await checker.call(channel, userId, m.text, new Date(m.createdAt.getTime() - 1000)).catch(() => false))) {
        await mark('sent');
        ctx.log.info({ message: id }, 'reply was already delivered before the restart');
        continue;
      }
      try {
        const res = await channel.send(userId, m.payload as unknown as Reply, payload.tag ? { tag: payload.tag } : undefined);
        await mark('sent', { platformMsgId: res.messageIds[0] ? `${m.channel}-out:${res.messageIds[0]}` : null });
      } catch (err) {
        if (!(err instanceof SendError)) throw err;
        if (err.kind === 'retry' || err.kind === 'token') throw new JobError(`${m.channel} send to ${userId}: ${err.message}`, 'retry');
        await mark(err.kind === 'window' ? 'undelivered' : 'failed', { deliveryError: `${err.code ?? ''} ${err.message}`.trim().slice(0, 1000) });
        ctx.log.warn({ message: id, code: err.code, kind: err.kind }, 'reply not delivered');
      }
    }
  };
}
