import type { ReplyButton } from '../channels/types.js';
import type { AppDeps } from '../deps.js';
import type { Conversation, Handoff, Prisma } from '../generated/prisma/client.js';
import { calendarOf, handoffOffice, OPEN_HANDOFF } from '../bot/handoff.js';
import { BUTTONS, HANDOFF_TEXTS as H } from '../bot/texts.js';
import { enqueueOutbound } from '../pipeline/outbound.js';
import { formatOpening } from './working-hours.js';

// The clock of open hand-offs, run every 30 s on every instance (row locks make each action happen once):
// - a citizen message left without any reply for HANDOFF_ESCALATE_MINUTES gets a "please wait" message (once per
//   message), and a waiting request that old is escalated (see escalateHandoffs);
// - a request unanswered for HANDOFF_RETURN_MINUTES goes back to the bot, with a message to the citizen;
// - a conversation an official answered, then quiet on both sides for BOT_PAUSE_MINUTES, goes back to the bot.

const LEAVE = { title: BUTTONS.leaveMessage, payload: '#handoff:message' };
const CANCEL = { title: BUTTONS.cancelHandoff, payload: '#handoff:cancel' };
type Deps = Pick<AppDeps, 'db' | 'config' | 'log' | 'now' | 'kb'> & { queue?: AppDeps['queue'] };
const minutes = (ms: number) => ms / 60_000;

interface Due { handoff: Handoff; conv: Conversation; lastReplyAt: Date | null }

/** Runs the holding messages and hand-backs due at `now`; returns what it did (for tests and logs). */
export async function runHandoffClock(deps: Deps, now: Date = deps.now()): Promise<{ held: number[]; returned: number[]; idle: number[] }> {
  const { prisma } = deps.db;
  const open = await prisma.handoff.findMany({ where: { status: { in: OPEN_HANDOFF } }, orderBy: { id: 'asc' }, take: 500 });
  const done = { held: [] as number[], returned: [] as number[], idle: [] as number[] };
  for (const h of open) {
    const action = await prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM "Conversation" WHERE id = ${h.conversationId} FOR UPDATE`;
      const handoff = await tx.handoff.findUnique({ where: { id: h.id } });
      const conv = await tx.conversation.findUnique({ where: { id: h.conversationId } });
      if (!handoff || !conv || !OPEN_HANDOFF.includes(handoff.status)) return null;
      const last = await tx.message.findFirst({ where: { conversationId: conv.id, direction: 'out' }, orderBy: { id: 'desc' }, select: { createdAt: true } });
      return decide(deps, tx, { handoff, conv, lastReplyAt: last?.createdAt ?? null }, now);
    }, { timeout: 30_000, maxWait: 30_000 });
    if (action) done[action].push(h.conversationId);
  }
  if (done.held.length || done.returned.length) deps.queue?.poke();
  return done;
}

async function decide(deps: Deps, tx: Prisma.TransactionClient, { handoff, conv, lastReplyAt }: Due, now: Date): Promise<'held' | 'returned' | 'idle' | null> {
  const { config } = deps;
  const since = (d: Date | null) => (d ? minutes(now.getTime() - d.getTime()) : 0);
  const citizenAt = conv.lastInboundAt;
  // The citizen's last message got no reply yet (from the bot, an official or a notice).
  const unanswered = citizenAt !== null && (lastReplyAt === null || citizenAt > lastReplyAt);
  const say = (text: string, key: string, buttons: ReplyButton[] = [LEAVE]) => enqueueOutbound(tx, {
    conversationId: conv.id, channel: conv.channel, replies: [{ text, buttons }], sentBy: 'bot', key: `handoff:${handoff.id}:${key}`,
  });
  const waitingFor = since(handoff.answeredAt ? (citizenAt ?? handoff.requestedAt) : handoff.requestedAt);
  if ((handoff.status === 'waiting' && since(handoff.requestedAt) >= config.HANDOFF_RETURN_MINUTES)
    || (handoff.status === 'active' && unanswered && waitingFor >= config.HANDOFF_RETURN_MINUTES)) {
    await tx.handoff.update({ where: { id: handoff.id }, data: { status: 'returned', closedAt: now, closedBy: 'timeout' } });
    await tx.conversation.update({ where: { id: conv.id }, data: { handoffStatus: null, assignedTo: null, pausedUntil: null } });
    await say(H.returned, 'returned');
    deps.log.warn({ conversationId: conv.id, handoff: handoff.id, status: handoff.status }, 'hand-off unanswered: handed back to the bot');
    return 'returned';
  }
  if (unanswered && since(citizenAt) >= config.HANDOFF_ESCALATE_MINUTES && (!handoff.heldAt || handoff.heldAt < citizenAt!)) {
    await tx.handoff.update({ where: { id: handoff.id }, data: { heldAt: now } });
    if (handoff.status === 'active') await say(H.holdActive, `hold:${citizenAt!.getTime()}`, []);
    else {
      const { calendar } = calendarOf(handoffOffice(deps.kb.snapshot.offices), config);
      const back = calendar.isOpen(now) ? null : calendar.nextOpen(now);
      await say(back ? H.holdOutOfHours(formatOpening(back)) : H.hold(config.HANDOFF_EXPECTED_WAIT_MINUTES), `hold:${citizenAt!.getTime()}`, [LEAVE, CANCEL]);
    }
    return 'held';
  }
  if (handoff.status === 'active' && !unanswered && since(lastReplyAt ?? handoff.answeredAt) >= config.BOT_PAUSE_MINUTES
    && since(citizenAt) >= config.BOT_PAUSE_MINUTES && (!conv.pausedUntil || conv.pausedUntil <= now)) {
    await tx.handoff.update({ where: { id: handoff.id }, data: { status: 'closed', closedAt: now, closedBy: 'idle' } });
    await tx.conversation.update({ where: { id: conv.id }, data: { handoffStatus: null, assignedTo: null, pausedUntil: null } });
    return 'idle';
  }
  return null;
}
