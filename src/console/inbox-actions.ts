import { randomUUID } from 'node:crypto';
import type { Conversation, Prisma } from '../generated/prisma/client.js';
import { HANDOFF_TEXTS } from '../bot/texts.js';
import { OPEN_HANDOFF, PLATFORM_INBOX } from '../bot/handoff.js';
import { enqueueOutbound } from '../pipeline/outbound.js';
import type { InboxStatus } from './inbox.js';

// What officials do in the inbox: take or pass a conversation (a conditional update, so a race leaves one owner),
// set its status, write internal notes. Each runs inside the caller's transaction with its audit row.

type Tx = Prisma.TransactionClient;

export class InboxConflict extends Error {
  constructor(message: string, readonly detail: Record<string, unknown> = {}) { super(message); }
}

export const INBOX_TEXT = {
  taken: (owner: string) => `Cuộc trò chuyện vừa được ${owner === PLATFORM_INBOX ? 'trả lời từ hộp thư của nền tảng' : `cán bộ ${owner} nhận`}; trang đã cập nhật người phụ trách.`,
  notOpen: 'Cuộc trò chuyện này đã được giải quyết (bot đang trả lời); mở lại trước khi đổi trạng thái.',
  noUser: 'Không có tài khoản cán bộ hỗ trợ (đang hoạt động) với tên này.',
  onlySelf: 'Tài khoản hỗ trợ chỉ nhận cho mình hoặc trả lại cuộc trò chuyện của mình.',
};

/**
 * Gives the conversation to `to` (null: back to the queue) only if its owner is still `from`, the owner the
 * official saw; otherwise InboxConflict naming the owner who got there first.
 */
export async function assign(tx: Tx, conv: Conversation, from: string | null, to: string | null): Promise<void> {
  const r = await tx.conversation.updateMany({ where: { id: conv.id, assignedTo: from }, data: { assignedTo: to } });
  if (r.count) return;
  const now = await tx.conversation.findUnique({ where: { id: conv.id }, select: { assignedTo: true } });
  throw new InboxConflict(INBOX_TEXT.taken(now?.assignedTo ?? '—'), { assignedTo: now?.assignedTo ?? null });
}

/** The first official who answers an unowned conversation owns it; someone else's stays theirs. */
export async function claimOnReply(tx: Tx, conversationId: number, actor: string): Promise<void> {
  await tx.conversation.updateMany({ where: { id: conversationId, OR: [{ assignedTo: null }, { assignedTo: PLATFORM_INBOX }] }, data: { assignedTo: actor } });
}

/** Ends the hand-off: the bot answers again and tells the citizen so (the console's hand-back and "solved"). */
export async function handBack(tx: Tx, conv: Conversation, closedBy: string, now: Date): Promise<boolean> {
  const r = await tx.conversation.updateMany({ where: { id: conv.id, handoffStatus: { in: OPEN_HANDOFF } },
    data: { handoffStatus: null, assignedTo: null, pausedUntil: null, inboxWaitingAt: null } });
  if (!r.count) return false;
  await tx.handoff.updateMany({ where: { conversationId: conv.id, status: { in: OPEN_HANDOFF } }, data: { status: 'closed', closedAt: now, closedBy } });
  await enqueueOutbound(tx, { conversationId: conv.id, channel: conv.channel, replies: [{ text: HANDOFF_TEXTS.handback }], sentBy: 'bot',
    key: `handback:${conv.id}:${randomUUID()}`, purpose: 'agent' });
  return true;
}

/** open: the official has it (a solved one is reopened, the bot paused); waiting: for the citizen; solved: hand-back. */
export async function setStatus(tx: Tx, conv: Conversation, status: InboxStatus, actor: string, now: Date): Promise<void> {
  if (status === 'solved') {
    if (!(await handBack(tx, conv, `agent:${actor}`, now))) throw new InboxConflict(INBOX_TEXT.notOpen);
    return;
  }
  if (status === 'waiting') {
    const r = await tx.conversation.updateMany({ where: { id: conv.id, handoffStatus: { in: OPEN_HANDOFF } }, data: { inboxWaitingAt: now } });
    if (!r.count) throw new InboxConflict(INBOX_TEXT.notOpen);
    return;
  }
  if (conv.handoffStatus) {
    await tx.conversation.update({ where: { id: conv.id }, data: { inboxWaitingAt: null } });
    return;
  }
  await tx.conversation.update({ where: { id: conv.id }, data: { handoffStatus: 'active', handoffAt: now, assignedTo: actor, inboxWaitingAt: null } });
  await tx.handoff.create({ data: { conversationId: conv.id, channel: conv.channel, userId: conv.userId, status: 'active', origin: 'official',
    requestedAt: now, answeredAt: now, answeredBy: actor } });
}
