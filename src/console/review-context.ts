import type { PrismaClient } from '../generated/prisma/client.js';
import { messageView } from './inbox.js';

// One listed message in its conversation: the turns around it (who said what, the buttons the bot offered) and,
// when the bot asked "which procedure?", the options it offered and the one the citizen picked.

const AROUND = 4;
const CLARIFY_SLACK_MS = 60_000;

export async function reviewContext(prisma: PrismaClient, messageId: number, personal: boolean) {
  const m = await prisma.message.findUnique({ where: { id: messageId }, include: { conversation: { select: { channel: true, userId: true } } } });
  if (!m || m.direction !== 'in') return null;
  const [before, after, asked] = await Promise.all([
    prisma.message.findMany({ where: { conversationId: m.conversationId, id: { lt: m.id } }, orderBy: { id: 'desc' }, take: AROUND }),
    prisma.message.findMany({ where: { conversationId: m.conversationId, id: { gt: m.id } }, orderBy: { id: 'asc' }, take: AROUND }),
    prisma.clarification.findFirst({ where: { channel: m.conversation.channel, userId: m.conversation.userId, text: m.text.slice(0, 1000),
      createdAt: { gte: new Date(m.createdAt.getTime() - CLARIFY_SLACK_MS), lte: new Date(m.createdAt.getTime() + CLARIFY_SLACK_MS) } } }),
  ]);
  const picked = asked?.pickedProcedureId ? await prisma.procedure.findUnique({ where: { id: asked.pickedProcedureId }, select: { name: true } }) : null;
  return {
    messageId: m.id,
    turns: [...before.reverse(), m, ...after].map((t) => ({ ...messageView(t, personal), current: t.id === m.id })),
    clarification: asked ? {
      options: (asked.options as Array<{ name: string }>).map((o) => o.name),
      status: asked.status, picked: picked?.name ?? null, pickedBy: asked.pickedBy,
    } : null,
  };
}
