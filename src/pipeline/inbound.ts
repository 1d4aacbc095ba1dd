import type { Prisma } from '../generated/prisma/client.js';
import type { InboundMessage } from '../channels/types.js';
import type { AppDeps } from '../deps.js';
import type { JobContext } from '../jobs/queue.js';
import { deliverPending, outboundRows } from './outbound.js';

// Inbound events: stored (idempotently, by platform message id) before the platform gets its 200, then
// understood and answered by a durable 'process' job: one short transaction records what the bot decided
// (replies included), then the replies are sent; after a crash the job resumes the sending.

interface Waiting { messages: InboundMessage[]; resolve: () => void; reject: (err: unknown) => void }

/** Group commit: events arriving while a write is in flight are stored together in the next one. */
class InboundRecorder {
  private waiting: Waiting[] = [];
  private flushing = false;

  constructor(private readonly deps: AppDeps) {}

  record(messages: InboundMessage[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ messages, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.waiting.length) {
      const batch = this.waiting.splice(0, 256);
      try {
        await this.write(batch.flatMap((b) => b.messages));
        batch.forEach((b) => b.resolve());
      } catch (err) {
        batch.forEach((b) => b.reject(err));
      }
    }
    this.flushing = false;
    this.deps.queue.poke();
  }

  private async write(messages: InboundMessage[]): Promise<void> {
    const { prisma } = this.deps.db;
    const work = messages.filter((m) => m.kind !== 'ignored');
    await prisma.$transaction([
      prisma.inboundEvent.createMany({
        data: messages.map((m) => ({ channel: m.channel, eventId: m.eventId, eventName: m.eventName, body: m as unknown as Prisma.InputJsonValue, status: m.kind === 'ignored' ? 'ignored' : 'pending' })),
        skipDuplicates: true,
      }),
      prisma.job.createMany({
        data: work.map((m) => ({ kind: 'process', key: `process:${m.channel}:${m.eventId}`, payload: { channel: m.channel, eventId: m.eventId } })),
        skipDuplicates: true,
      }),
    ]);
  }
}

const recorders = new WeakMap<AppDeps, InboundRecorder>();

export async function recordInbound(deps: AppDeps, messages: InboundMessage[]): Promise<void> {
  if (messages.length === 0) return;
  let recorder = recorders.get(deps);
  if (!recorder) recorders.set(deps, (recorder = new InboundRecorder(deps)));
  await recorder.record(messages);
}

export function processHandler(deps: AppDeps) {
  const { prisma } = deps.db;
  return async (payload: { channel: string; eventId: string }, ctx: JobContext) => {
    const cause = `${payload.channel}:${payload.eventId}`;
    const ev = await prisma.inboundEvent.findUnique({ where: { channel_eventId: { channel: payload.channel, eventId: payload.eventId } } });
    if (!ev) return;
    if (ev.status === 'pending') await decide(deps, ev.id, ev.body as unknown as InboundMessage, cause, ctx);
    // Also reached when a crash interrupted the sending of an already decided answer.
    await deliverPending(deps, cause, ctx);
  };
}

async function decide(deps: AppDeps, eventId: number, msg: InboundMessage, cause: string, ctx: JobContext): Promise<void> {
  const { prisma } = deps.db;
  await prisma.$transaction(async (tx) => {
    const now = deps.now();
    const conv = await tx.conversation.upsert({
      where: { channel_userId: { channel: msg.channel, userId: msg.userId } },
      create: { channel: msg.channel, userId: msg.userId },
      update: {},
    });
    // Two events of one user are decided one after the other, each seeing the state the previous one left.
    if (deps.db.kind === 'postgres') await tx.$executeRaw`SELECT 1 FROM "Conversation" WHERE id = ${conv.id} FOR UPDATE`;
    const claimed = await tx.inboundEvent.updateMany({ where: { id: eventId, status: 'pending' }, data: { status: 'processed' } });
    if (claimed.count === 0) return; // already answered: a redelivery never gets a second reply
    const current = deps.db.kind === 'postgres' ? await tx.conversation.findUniqueOrThrow({ where: { id: conv.id } }) : conv;
    const result = await deps.bot.handle(msg, current, tx, now);
    const u = result.understanding;
    await tx.message.createMany({
      data: [
        {
          conversationId: conv.id, direction: 'in', channel: msg.channel, platformMsgId: msg.eventId, kind: msg.kind,
          text: (msg.text ?? msg.payload ?? `[${msg.kind}]`).slice(0, 10_000), sentBy: msg.kind === 'admin_reply' ? 'official' : 'citizen',
          payload: msg as unknown as Prisma.InputJsonValue, intent: u?.intent ?? null, confidence: u?.confidence ?? null,
          entities: u ? { ...u.entities, procedure: u.procedure?.name ?? null, model: u.model?.name ?? null, matched: result.matched ?? null } as Prisma.InputJsonValue : undefined,
        },
        ...outboundRows({ conversationId: conv.id, channel: msg.channel, replies: result.replies, sentBy: 'bot', key: cause, intent: u?.intent }),
      ],
    });
    await tx.conversation.update({
      where: { id: conv.id },
      data: {
        state: result.state as Prisma.InputJsonValue,
        ...(msg.kind === 'admin_reply' ? {} : { lastInboundAt: now }),
        ...(result.pauseMinutes ? { pausedUntil: new Date(now.getTime() + result.pauseMinutes * 60_000) } : {}),
        ...(result.handoff ? { handoffStatus: 'waiting', handoffAt: now } : {}),
      },
    });
    ctx.log.debug({ intent: u?.intent, replies: result.replies.length }, 'event decided');
  }, { timeout: 30_000, maxWait: 60_000 });
}
