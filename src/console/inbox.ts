import type { Conversation, Handoff, Message, Prisma, PrismaClient } from '../generated/prisma/client.js';
import type { Reply } from '../channels/types.js';
import { PLATFORM_INBOX } from '../bot/handoff.js';
import { statusLabel } from '../bot/dossier-text.js';
import type { Role } from './auth.js';
import { HIDDEN, maskName, maskPhone, maySeePersonal, shownText } from './personal-data.js';

// The hand-off inbox's reads: which conversations an official sees (queue, theirs, everyone's open ones, solved),
// their status (open / waiting for the citizen / solved), unread counts, a conversation's whole history with who
// said what, its notes, and the contact panel (dossiers, tickets, ratings, home-service requests).

export const INBOX_VIEWS = ['mine', 'queue', 'open', 'solved', 'all'] as const;
export type InboxView = (typeof INBOX_VIEWS)[number];
export const INBOX_STATUSES = ['open', 'waiting', 'solved'] as const;
export type InboxStatus = (typeof INBOX_STATUSES)[number];
/** Agents work their own conversations and the queue; the others' open ones are for admins and readers. */
export const AGENT_VIEWS: readonly InboxView[] = ['mine', 'queue', 'solved'];
const HISTORY = 300;

/** Effective status, in SQL: solved once the bot has it back; waiting while the citizen has not written since. */
const STATUS_SQL = `CASE WHEN c."handoffStatus" IS NULL THEN 'solved'
  WHEN c."inboxWaitingAt" IS NOT NULL AND c."inboxWaitingAt" >= COALESCE(c."lastInboundAt", c."handoffAt") THEN 'waiting'
  ELSE 'open' END`;
/** The same rule for one row. */
export function statusOf(c: Pick<Conversation, 'handoffStatus' | 'inboxWaitingAt' | 'lastInboundAt' | 'handoffAt'>): InboxStatus {
  if (!c.handoffStatus) return 'solved';
  const since = c.lastInboundAt ?? c.handoffAt;
  return c.inboxWaitingAt && (!since || c.inboxWaitingAt >= since) ? 'waiting' : 'open';
}

/** Which conversations a view lists; `me` is the placeholder of the official's username. */
const viewSql = (view: InboxView, me = '$1') => ({
  mine: `c."assignedTo" = ${me} AND c."handoffStatus" IS NOT NULL`,
  queue: `c."handoffStatus" IS NOT NULL AND (c."assignedTo" IS NULL OR c."assignedTo" = '${PLATFORM_INBOX}')`,
  open: `c."handoffStatus" IS NOT NULL`,
  solved: `c."handoffStatus" IS NULL`,
  all: 'TRUE',
})[view];
/**
 * Citizen messages since the hand-off began that this official ($1) has not opened, per conversation of `convs`
 * (SQL selecting conversation rows `c`): one pass over the messages, joined, not a count per conversation.
 */
const unreadSql = (convs: string) => `SELECT m."conversationId" AS id, count(*)::int AS unread
  FROM "Message" m JOIN (${convs}) c ON c.id = m."conversationId"
  LEFT JOIN "InboxRead" r ON r."conversationId" = c.id AND r.username = $1
  WHERE m.direction = 'in' AND m."createdAt" >= c."handoffAt" AND m.id > COALESCE(r."lastReadId", 0)
  GROUP BY m."conversationId"`;

export interface InboxQuery { view: InboxView; status?: InboxStatus; q?: string; page: number; pageSize: number }

/** One page of the inbox for `username`: open conversations oldest request first, solved ones newest first. */
export async function inboxList(prisma: PrismaClient, username: string, role: Role, query: InboxQuery) {
  const params: unknown[] = query.view === 'mine' ? [username] : [];
  const where = [`c."handoffAt" IS NOT NULL`, viewSql(query.view)];
  if (query.q) {
    params.push(`%${query.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
    const p = `$${params.length}`;
    where.push(`(c."displayName" ILIKE ${p} OR c."userId" ILIKE ${p} OR c.id IN (SELECT s."conversationId" FROM "Message" s
      WHERE s.text ILIKE ${p}${maySeePersonal(role) ? '' : ` AND NOT (COALESCE(s.entities->'form'->>'personal', '') = 'true')`}))`);
  }
  if (query.status) {
    params.push(query.status);
    where.push(`${STATUS_SQL} = $${params.length}`);
  }
  const order = query.view === 'solved' || query.view === 'all' ? `c."handoffAt" DESC, c.id DESC` : `c."handoffAt" ASC, c.id ASC`;
  const from = `FROM "Conversation" c WHERE ${where.join(' AND ')}`;
  const [rows, [{ total }]] = await Promise.all([
    prisma.$queryRawUnsafe<Array<{ id: number }>>(
      `SELECT c.id ${from} ORDER BY ${order} LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`, ...params),
    prisma.$queryRawUnsafe<Array<{ total: number }>>(`SELECT count(*)::int AS total ${from}`, ...params),
  ]);
  const ids = rows.map((r) => r.id);
  const [convs, unread] = await Promise.all([
    prisma.conversation.findMany({ where: { id: { in: ids } },
      include: { messages: { orderBy: { id: 'desc' }, take: 1 }, handoffs: { orderBy: { id: 'desc' }, take: 1 } } }),
    ids.length ? prisma.$queryRawUnsafe<Array<{ id: number; unread: number }>>(
      unreadSql(`SELECT id, "handoffAt" FROM "Conversation" WHERE id = ANY($2::int[])`), username, ids) : [],
  ]);
  const byId = new Map(convs.map((c) => [c.id, c]));
  const personal = maySeePersonal(role);
  const items = rows.map((r) => byId.get(r.id)).filter((c) => c !== undefined).map((c) => ({
    ...summaryView(c, c.handoffs[0]),
    unread: Number(unread.find((u) => u.id === c.id)?.unread ?? 0),
    last: c.messages[0] ? messageView(c.messages[0], personal) : null,
  }));
  return { items, page: query.page, pageSize: query.pageSize, total: Number(total) };
}

/** Counts for the menu and the inbox's tabs, and the waiting requests the page notifies about. */
export async function inboxCounts(prisma: PrismaClient, username: string) {
  const [[counts], [unread], waiting] = await Promise.all([
    prisma.$queryRawUnsafe<Array<{ queue: number; mine: number }>>(
      `SELECT count(*) FILTER (WHERE ${viewSql('queue')})::int AS queue, count(*) FILTER (WHERE ${viewSql('mine')})::int AS mine
       FROM "Conversation" c WHERE c."handoffStatus" IS NOT NULL`, username),
    prisma.$queryRawUnsafe<Array<{ unread: number }>>(`SELECT COALESCE(sum(unread), 0)::int AS unread FROM (${unreadSql(
      `SELECT c.id, c."handoffAt" FROM "Conversation" c WHERE ${viewSql('mine')} OR ${viewSql('queue')}`)}) u`, username),
    prisma.handoff.findMany({ where: { status: 'waiting' }, orderBy: { requestedAt: 'asc' }, take: 100,
      select: { id: true, conversationId: true, requestedAt: true, escalatedAt: true } }),
  ]);
  return {
    queue: Number(counts.queue), mine: Number(counts.mine), unread: Number(unread.unread),
    waiting: waiting.length, escalated: waiting.filter((h) => h.escalatedAt).length,
    requests: waiting.map((h) => ({ handoffId: h.id, conversationId: h.conversationId, requestedAt: h.requestedAt, escalated: Boolean(h.escalatedAt) })),
  };
}

const summaryView = (c: Conversation, h: Handoff | undefined) => ({
  id: c.id, channel: c.channel, userId: c.userId, displayName: c.displayName, status: statusOf(c),
  handoffStatus: c.handoffStatus, handoffAt: c.handoffAt, assignedTo: c.assignedTo, lastInboundAt: c.lastInboundAt,
  escalated: Boolean(h && h.status === 'waiting' && h.escalatedAt),
  request: h ? { id: h.id, status: h.status, origin: h.origin, requestedAt: h.requestedAt, escalatedAt: h.escalatedAt, answeredBy: h.answeredBy } : null,
});

/** Who wrote a message: the citizen, an official (console or platform inbox), the bot or an automatic notice. */
export function authorOf(m: Pick<Message, 'direction' | 'sentBy'>): { from: 'citizen' | 'official' | 'bot' | 'notification'; official?: string } {
  if (m.direction === 'in') return m.sentBy === 'official' ? { from: 'official', official: PLATFORM_INBOX } : { from: 'citizen' };
  if (m.sentBy?.startsWith('agent:')) return { from: 'official', official: m.sentBy.slice(6) };
  return { from: m.sentBy === 'notification' ? 'notification' : 'bot' };
}

export const messageView = (m: Message, personal: boolean) => {
  const text = shownText(m, personal);
  return {
    id: m.id, direction: m.direction, kind: m.kind, text, masked: text !== m.text, ...authorOf(m),
    deliveryStatus: m.deliveryStatus, createdAt: m.createdAt,
    buttons: m.direction === 'out' ? ((m.payload as Reply | null)?.buttons ?? []).map((b) => b.title) : [],
  };
};

/** A conversation as the inbox shows it; marks what `username` has now seen as read. */
export async function inboxThread(prisma: PrismaClient, id: number, username: string, role: Role, opts: { before?: number } = {}) {
  const conv = await prisma.conversation.findUnique({ where: { id }, include: { handoffs: { orderBy: { id: 'desc' }, take: 1 } } });
  if (!conv) return null;
  const personal = maySeePersonal(role);
  const [messages, notes, contact] = await Promise.all([
    prisma.message.findMany({ where: { conversationId: id, ...(opts.before ? { id: { lt: opts.before } } : {}) }, orderBy: { id: 'desc' }, take: HISTORY + 1 }),
    prisma.inboxNote.findMany({ where: { conversationId: id }, orderBy: { id: 'asc' }, take: 500 }),
    contactPanel(prisma, conv, personal),
  ]);
  const more = messages.length > HISTORY;
  const shown = messages.slice(0, HISTORY).reverse();
  const lastId = shown.at(-1)?.id;
  if (lastId && !opts.before) {
    await prisma.$executeRaw`INSERT INTO "InboxRead" ("conversationId", username, "lastReadId", "updatedAt") VALUES (${id}, ${username}, ${lastId}, now())
      ON CONFLICT ("conversationId", username) DO UPDATE SET "lastReadId" = GREATEST("InboxRead"."lastReadId", EXCLUDED."lastReadId"), "updatedAt" = now()`;
  }
  return {
    conversation: summaryView(conv, conv.handoffs[0]),
    messages: shown.map((m) => messageView(m, personal)), more,
    notes: notes.map((n) => ({ id: n.id, author: n.author, text: n.text, createdAt: n.createdAt })),
    contact, personal,
  };
}

/** The citizen's dossiers (proven or subscribed), tickets, ratings and home-service requests on this channel. */
async function contactPanel(prisma: PrismaClient, c: Conversation, personal: boolean) {
  const who = { channel: c.channel, userId: c.userId };
  const [dossiers, tickets, ratings, homeServices] = await Promise.all([
    prisma.dossier.findMany({
      where: { OR: [{ owners: { some: who } }, { subscriptions: { some: { ...who, active: true } } }] },
      orderBy: { receivedAt: 'desc' }, take: 20,
      select: { code: true, procedureName: true, applicantName: true, applicantPhone: true, status: true, dueAt: true, office: true, owners: { where: who, select: { method: true } } },
    }),
    prisma.ticket.findMany({ where: who, orderBy: { createdAt: 'desc' }, take: 20, select: { code: true, content: true, status: true, createdAt: true, dueAt: true } }),
    prisma.rating.findMany({ where: who, orderBy: { createdAt: 'desc' }, take: 20, select: { score: true, comment: true, procedureName: true, createdAt: true } }),
    prisma.homeServiceRequest.findMany({ where: who, orderBy: { createdAt: 'desc' }, take: 20,
      select: { code: true, name: true, phone: true, address: true, procedureName: true, status: true, scheduledAt: true, createdAt: true } }),
  ]);
  return {
    displayName: c.displayName, channel: c.channel, userId: c.userId,
    dossiers: dossiers.map(({ owners, ...d }) => ({ ...d, statusLabel: statusLabel(d.status), proven: owners.length > 0,
      applicantName: personal ? d.applicantName : maskName(d.applicantName), applicantPhone: personal ? d.applicantPhone : maskPhone(d.applicantPhone) })),
    tickets: tickets.map((t) => ({ ...t, content: personal ? t.content : HIDDEN })),
    ratings: ratings.map((r) => ({ ...r, comment: personal || !r.comment ? r.comment : HIDDEN })),
    homeServices: homeServices.map((h) => (personal ? h : { ...h, name: maskName(h.name), phone: maskPhone(h.phone), address: HIDDEN })),
  };
}

export type Db = PrismaClient | Prisma.TransactionClient;
