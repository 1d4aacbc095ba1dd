import type { Prisma } from '../generated/prisma/client.js';
import type { InboundMessage } from '../channels/types.js';
import type { AppDeps } from '../deps.js';
import type { JobContext } from '../jobs/queue.js';
import { enqueueOutbound } from './outbound.js';

// Inbound events: stored (idempotently, by platform message id) before the platform gets its 200,
// then understood and answered by a durable 'process' job, in one transaction with everything it decides.

export async function recordInbound(deps: AppDeps, messages: InboundMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await deps.db.prisma.$transaction(async (tx) => {
    await tx.inboundEvent.createMany({
      data: messages.map((m) => ({ channel: m.channel, eventId: m.eventId, eventName: m.eventName, body: m as unknown as Prisma.InputJsonValue, status: m.kind === 'ignored' ? 'ignored' : 'pending' })),
      skipDuplicates: true,
    });
    const work = messages.filter((m) => m.kind !== 'ignored');
    if (work.length) {
      await tx.job.createMany({
        data: work.map((m) => ({ kind: 'process', key: `process:${m.channel}:${m.eventId}`, payload: { channel: m.channel, eventId: m.eventId } })),
        skipDuplicates: true,
      });
    }
  });
  deps.queue.poke();
}

export function processHandler(deps: AppDeps) {
  return async (payload: { channel: string; eventId: string }, ctx: JobContext) => {
    await deps.db.prisma.$transaction(async (tx) => {
      const ev = await tx.inboundEvent.findUnique({ where: { channel_eventId: { channel: payload.channel, eventId: payload.eventId } } });
      if (!ev || ev.status !== 'pending') return; // already answered: a redelivery never gets a second reply
      const msg = ev.body as unknown as InboundMessage;
      const now = deps.now();
      const conv = await tx.conversation.upsert({
        where: { channel_userId: { channel: msg.channel, userId: msg.userId } },
        create: { channel: msg.channel, userId: msg.userId },
        update: {},
      });
      const result = await deps.bot.handle(msg, conv, tx, now);
      const u = result.understanding;
      await tx.message.create({
        data: {
          conversationId: conv.id, direction: 'in', channel: msg.channel, platformMsgId: msg.eventId, kind: msg.kind,
          text: (msg.text ?? msg.payload ?? `[${msg.kind}]`).slice(0, 10_000), sentBy: msg.kind === 'admin_reply' ? 'official' : 'citizen',
          payload: msg as unknown as Prisma.InputJsonValue,
          intent: u?.intent ?? null, confidence: u?.confidence ?? null,
          entities: u ? { ...u.entities, procedure: u.procedure?.name ?? null, model: u.model?.name ?? null, matched: result.matched ?? null } as Prisma.InputJsonValue : undefined,
        },
      });
      await enqueueOutbound(tx, { conversationId: conv.id, channel: msg.channel, replies: result.replies, sentBy: 'bot', key: `${msg.channel}:${msg.eventId}`, intent: u?.intent });
      await tx.conversation.update({
        where: { id: conv.id },
        data: {
          state: result.state as Prisma.InputJsonValue,
          ...(msg.kind === 'admin_reply' ? {} : { lastInboundAt: now }),
          ...(result.pauseMinutes ? { pausedUntil: new Date(now.getTime() + result.pauseMinutes * 60_000) } : {}),
          ...(result.handoff ? { handoffStatus: 'waiting', handoffAt: now } : {}),
        },
      });
      await tx.inboundEvent.update({ where: { id: ev.id }, data: { status: 'processed' } });
      ctx.log.debug({ intent: u?.intent, replies: result.replies.length }, 'event processed');
    }, { timeout: 30_000, maxWait: 30_000 });
    deps.queue.poke();
  };
}
