import { randomUUID } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { BUTTONS, HANDOFF_TEXTS, SERVICE_TEXTS, formatDate } from '../bot/texts.js';
import { calendarOf, handoffOffice } from '../bot/handoff.js';
import { formatOpening } from './working-hours.js';
import { runHandoffClock } from './handoff-timer.js';
import type { Reply, SendPurpose } from '../channels/types.js';
import { authenticate, currentUser, parseBody, requireRole } from '../console/auth.js';
import type { AppDeps } from '../deps.js';
import type { Conversation, Handoff, HomeServiceRequest, Message, Prisma, PrismaClient, Ticket } from '../generated/prisma/client.js';
import { HttpError, idParam } from '../http/errors.js';
import { enqueueJobs } from '../jobs/queue.js';
import { enqueueOutbound } from '../pipeline/outbound.js';
import { claimOnReply, handBack } from '../console/inbox-actions.js';
import { maySeePersonal, shownText } from '../console/personal-data.js';

// The officials' side of the citizen services: the hand-off inbox (with escalation), feedback tickets,
// home-service requests and the ratings report. Every write commits its outbound messages and its AuditLog row
// in one transaction; the durable 'send' job delivers them through the citizen's own channel.

export const SERVICES_PATHS = ['/api/handoffs', '/api/conversations', '/api/tickets', '/api/home-services', '/api/ratings'];

const VN_TIME = new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
/** Messages for officials (the console); what citizens receive is in src/bot/texts.ts. */
const TEXT = {
  notFound: 'Không tìm thấy mục này.',
  notInHandoff: 'Cuộc trò chuyện này không còn chờ cán bộ (đã được trả lại cho bot).',
  answered: 'Phản ánh này đã được trả lời.',
  closed: 'Yêu cầu này đã hoàn thành hoặc đã bị hủy.',
  past: 'Thời gian hẹn phải sau thời điểm hiện tại.',
  noRating: '(không gắn hồ sơ)',
} as const;
const ESCALATED = 'handoff.escalated';
const DAY_MS = 24 * 3600_000;
/** Job kind telling the duty officer's webhook about an escalated hand-off (src/services/handoff-alert.ts). */
export const HANDOFF_ALERT_JOB = 'handoff-alert';

const READERS = requireRole('admin', 'editor', 'agent', 'viewer');
const WRITERS = requireRole('admin', 'agent');
const TICKET_STATUSES = ['open', 'answered'] as const;
const HOME_STATUSES = ['new', 'scheduled', 'done', 'cancelled'] as const;
const OPEN_HOME = ['new', 'scheduled'];

const listQuery = <S extends readonly [string, ...string[]]>(statuses: S) => z.object({
  status: z.enum(statuses).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
const replyBody = z.object({ text: z.string().trim().min(1).max(2000) });
const answerBody = z.object({ answer: z.string().trim().min(1).max(1800) });
const scheduleBody = z.object({ scheduledAt: z.iso.datetime({ offset: true }), staffNote: z.string().trim().max(1000).optional() });
const cancelBody = z.object({ reason: z.string().trim().max(300).optional() });
const emptyBody = z.object({}).loose();

type Db = PrismaClient | Prisma.TransactionClient;
const codeOf = (v: unknown, prefix: 'PA' | 'DV') =>
  (typeof v === 'string' && new RegExp(`^${prefix}-\\d{4}-\\d{6}$`, 'i').test(v) ? v.toUpperCase() : '');

/** Which of these conversations were escalated during their current hand-off. */
async function escalatedIds(db: Db, convs: Conversation[]): Promise<Set<number>> {
  const open = convs.filter((c) => c.handoffAt);
  if (!open.length) return new Set();
  const since = new Date(Math.min(...open.map((c) => c.handoffAt!.getTime())) - DAY_MS); // slack for app/DB clock skew
  const rows = await db.auditLog.findMany({
    where: { action: ESCALATED, entityType: 'conversation', entityId: { in: open.map((c) => String(c.id)) }, createdAt: { gte: since } },
    select: { entityId: true, detail: true },
  });
  const keys = new Set(rows.map((r) => `${r.entityId}|${(r.detail as { handoffAt?: string } | null)?.handoffAt}`));
  return new Set(open.filter((c) => keys.has(`${c.id}|${c.handoffAt!.toISOString()}`)).map((c) => c.id));
}

/**
 * Records a 'handoff.escalated' audit row (and a warning) for each conversation waiting longer than
 * HANDOFF_ESCALATE_MINUTES without an agent reply, once per hand-off; returns the escalated conversation ids.
 */
export async function escalateHandoffs(deps: Pick<AppDeps, 'db' | 'config' | 'log' | 'now' | 'kb'> & { queue?: AppDeps['queue'] }, now: Date = deps.now()): Promise<number[]> {
  const { prisma } = deps.db;
  const cutoff = new Date(now.getTime() - deps.config.HANDOFF_ESCALATE_MINUTES * 60_000);
  const due = await prisma.conversation.findMany({ where: { handoffStatus: 'waiting', handoffAt: { lte: cutoff } }, orderBy: { handoffAt: 'asc' }, take: 500 });
  const already = await escalatedIds(prisma, due);
  const escalated: number[] = [];
  for (const c of due.filter((x) => !already.has(x.id))) {
    const done = await prisma.$transaction(async (tx) => {
      // The row lock makes two instances running this at once escalate a conversation only once.
      await tx.$queryRaw`SELECT id FROM "Conversation" WHERE id = ${c.id} FOR UPDATE`;
      const fresh = await tx.conversation.findUnique({ where: { id: c.id } });
      if (!fresh?.handoffAt || fresh.handoffStatus !== 'waiting' || fresh.handoffAt > cutoff) return false;
      if ((await escalatedIds(tx, [fresh])).size) return false;
      const waitingMinutes = Math.floor((now.getTime() - fresh.handoffAt.getTime()) / 60_000);
      await tx.auditLog.create({ data: { actor: 'system', action: ESCALATED, entityType: 'conversation', entityId: String(c.id),
        detail: { channel: c.channel, userId: c.userId, handoffAt: fresh.handoffAt.toISOString(), waitingMinutes } } });
      const handoff = await tx.handoff.findFirst({ where: { conversationId: c.id, status: 'waiting' }, orderBy: { id: 'desc' } });
      if (handoff) {
        await tx.handoff.update({ where: { id: handoff.id }, data: { escalatedAt: now, heldAt: now } });
        // The citizen hears why the wait is longer; the duty officer is told (a durable job, retried until it lands).
        const { calendar } = calendarOf(handoffOffice(deps.kb.snapshot.offices), deps.config);
        const back = calendar.isOpen(now) ? null : calendar.nextOpen(now);
        await enqueueOutbound(tx, { conversationId: c.id, channel: c.channel, sentBy: 'bot', key: `handoff:${handoff.id}:escalated`,
          replies: [{ text: back ? HANDOFF_TEXTS.holdOutOfHours(formatOpening(back)) : HANDOFF_TEXTS.hold(deps.config.HANDOFF_EXPECTED_WAIT_MINUTES),
            buttons: [{ title: BUTTONS.leaveMessage, payload: '#handoff:message' }, { title: BUTTONS.cancelHandoff, payload: '#handoff:cancel' }] }] });
        if (deps.config.HANDOFF_ALERT_WEBHOOK_URL) {
          await enqueueJobs(tx, [{ kind: HANDOFF_ALERT_JOB, key: `handoff-alert:${handoff.id}`,
            payload: { handoffId: handoff.id, conversationId: c.id, channel: c.channel, userId: c.userId, waitingMinutes, requestedAt: handoff.requestedAt.toISOString() } }]);
        }
      }
      return waitingMinutes;
    });
    if (done === false) continue;
    deps.log.warn({ conversationId: c.id, channel: c.channel, userId: c.userId, waitingMinutes: done }, 'hand-off unanswered: escalated');
    escalated.push(c.id);
  }
  if (escalated.length) deps.queue?.poke();
  return escalated;
}

/** Escalations, then the hand-off clock (holding messages, hand-backs): one pass. */
export async function runHandoffTimers(deps: AppDeps, now: Date = deps.now()): Promise<void> {
  await escalateHandoffs(deps, now);
  await runHandoffClock(deps, now);
}

/** Runs runHandoffTimers every `everyMs` (30 s) without blocking exit; returns a function that stops it. */
export function startEscalation(deps: AppDeps, everyMs = 30_000): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    runHandoffTimers(deps)
      .catch((err: unknown) => deps.log.error({ err }, 'hand-off escalation run failed; retrying on the next tick'))
      .finally(() => { running = false; });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

const conversationView = (c: Conversation, now: Date, escalated: boolean) => ({
  id: c.id, channel: c.channel, userId: c.userId, displayName: c.displayName, handoffStatus: c.handoffStatus,
  handoffAt: c.handoffAt, assignedTo: c.assignedTo, lastInboundAt: c.lastInboundAt, escalated,
  waitingMinutes: c.handoffAt ? Math.max(0, Math.floor((now.getTime() - c.handoffAt.getTime()) / 60_000)) : null,
});
/** A message for the console; a form answer with personal data is masked for roles that may not see it. */
const messageView = (personal: boolean) => (m: Message) => ({
  id: m.id, direction: m.direction, kind: m.kind, text: shownText(m, personal), sentBy: m.sentBy, deliveryStatus: m.deliveryStatus,
  deliveryError: m.deliveryError, createdAt: m.createdAt,
  buttons: m.direction === 'out' ? ((m.payload as Reply | null)?.buttons ?? []).map((b) => b.title) : [],
});
/** The open request: asked or official-first, within working hours or when officials are back, escalated when. */
const requestView = (h: Handoff | undefined) => (h ? {
  id: h.id, status: h.status, origin: h.origin, withinHours: h.withinHours, backAt: h.backAt, requestedAt: h.requestedAt,
  answeredAt: h.answeredAt, answeredBy: h.answeredBy, escalatedAt: h.escalatedAt,
} : null);
const ticketView = (t: Ticket, now: Date) => ({ ...t, overdue: t.status !== 'answered' && t.dueAt < now });

/** The hand-off inbox, tickets, home-service requests and ratings report; authenticates its own paths. */
export function createServicesRouter(deps: AppDeps): express.Router {
  const router = express.Router();
  const { prisma } = deps.db;
  router.use(SERVICES_PATHS, authenticate(deps), READERS);

  type Handler = (req: Request, res: Response) => Promise<unknown>;
  const guard = (fn: Handler) => (req: Request, res: Response) => fn(req, res).catch((err: unknown) => {
    if (!(err instanceof HttpError)) throw err;
    res.status(err.status).json(err.body);
  });
  /** One transaction for the change, its messages and its audit row; then the send worker is woken. */
  async function write<T>(res: Response, action: string, entity: [string, string], fn: (tx: Prisma.TransactionClient, actor: string) => Promise<{ result: T; detail: Prisma.InputJsonValue }>): Promise<T> {
    const actor = currentUser(res).username;
    const result = await prisma.$transaction(async (tx) => {
      const out = await fn(tx, actor);
      await tx.auditLog.create({ data: { actor, action, entityType: entity[0], entityId: entity[1], detail: out.detail } });
      return out.result;
    }, { timeout: 30_000, maxWait: 30_000 });
    deps.queue.poke();
    return result;
  }
  const conversationOr404 = async (tx: Db, id: number) =>
    (id ? await tx.conversation.findUnique({ where: { id } }) : null) ?? Promise.reject(new HttpError(404, TEXT.notFound));

  router.get('/api/handoffs', async (_req, res) => {
    const now = deps.now();
    const convs = await prisma.conversation.findMany({
      where: { handoffStatus: { in: ['waiting', 'active'] } }, orderBy: [{ handoffAt: 'asc' }, { id: 'asc' }], take: 500,
      include: { messages: { orderBy: { id: 'desc' }, take: 3 }, handoffs: { where: { status: { in: ['waiting', 'active'] } }, orderBy: { id: 'desc' }, take: 1 } },
    });
    const escalated = await escalatedIds(prisma, convs);
    res.json({
      escalateAfterMinutes: deps.config.HANDOFF_ESCALATE_MINUTES,
      returnAfterMinutes: deps.config.HANDOFF_RETURN_MINUTES,
      items: convs.map((c) => ({ ...conversationView(c, now, escalated.has(c.id)), request: requestView(c.handoffs[0]), lastMessages: c.messages.reverse().map(messageView(maySeePersonal(currentUser(res).role))) })),
    });
  });

  router.get('/api/conversations/:id/messages', guard(async (req, res) => {
    const conv = await conversationOr404(prisma, idParam(req.params.id) ?? 0);
    const messages = await prisma.message.findMany({ where: { conversationId: conv.id }, orderBy: { id: 'desc' }, take: 200 });
    const escalated = await escalatedIds(prisma, [conv]);
    res.json({ conversation: conversationView(conv, deps.now(), escalated.has(conv.id)), items: messages.reverse().map(messageView(maySeePersonal(currentUser(res).role))) });
  }));

  router.post('/api/conversations/:id/reply', WRITERS, guard(async (req, res) => {
    const body = parseBody(replyBody, req.body, res);
    if (!body) return;
    const id = idParam(req.params.id) ?? 0;
    const now = deps.now();
    const messageIds = await write(res, 'handoff.reply', ['conversation', String(id)], async (tx, actor) => {
      const conv = await conversationOr404(tx, id);
      const ids = await enqueueOutbound(tx, {
        conversationId: conv.id, channel: conv.channel, replies: [{ text: body.text }], sentBy: `agent:${actor}`,
        key: `agent:${conv.id}:${randomUUID()}`, purpose: 'agent',
      });
      await tx.conversation.update({ where: { id: conv.id }, data: { handoffStatus: 'active', handoffAt: conv.handoffAt ?? now } });
      await claimOnReply(tx, conv.id, actor);
      const open = await tx.handoff.findFirst({ where: { conversationId: conv.id, status: { in: ['waiting', 'active'] } }, orderBy: { id: 'desc' } });
      if (open) await tx.handoff.update({ where: { id: open.id }, data: { status: 'active', answeredAt: open.answeredAt ?? now, answeredBy: open.answeredBy ?? actor } });
      else await tx.handoff.create({ data: { conversationId: conv.id, channel: conv.channel, userId: conv.userId, status: 'active', origin: 'official', requestedAt: now, answeredAt: now, answeredBy: actor } });
      return { result: ids, detail: { channel: conv.channel, userId: conv.userId, messageIds: ids } };
    });
    res.status(201).json({ messageIds });
  }));

  router.post('/api/conversations/:id/handback', WRITERS, guard(async (req, res) => {
    const id = idParam(req.params.id) ?? 0;
    const now = deps.now();
    await write(res, 'handoff.handback', ['conversation', String(id)], async (tx) => {
      const conv = await conversationOr404(tx, id);
      if (!(await handBack(tx, conv, `agent:${currentUser(res).username}`, now))) throw new HttpError(409, TEXT.notInHandoff);
      return { result: null, detail: { channel: conv.channel, userId: conv.userId, assignedTo: conv.assignedTo } };
    });
    res.json({ ok: true });
  }));

  /** `GET path?status=&page=&pageSize=` -> `{ items, page, pageSize, total }`, newest first. */
  const paged = (path: string, statuses: readonly [string, ...string[]], fetch: (where: { status?: string }, skip: number, take: number) => Promise<[unknown[], number]>) =>
    router.get(path, async (req, res) => {
      const q = parseBody(listQuery(statuses), req.query, res);
      if (!q) return;
      const [items, total] = await fetch(q.status ? { status: q.status } : {}, (q.page - 1) * q.pageSize, q.pageSize);
      res.json({ items, page: q.page, pageSize: q.pageSize, total });
    });
  const newestFirst = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];
  paged('/api/tickets', TICKET_STATUSES, (where, skip, take) => Promise.all([
    prisma.ticket.findMany({ where, orderBy: newestFirst, skip, take }).then((ts) => ts.map((t) => ticketView(t, deps.now()))),
    prisma.ticket.count({ where })]));
  paged('/api/home-services', HOME_STATUSES, (where, skip, take) => Promise.all([
    prisma.homeServiceRequest.findMany({ where, orderBy: newestFirst, skip, take }), prisma.homeServiceRequest.count({ where })]));

  router.get('/api/tickets/:code', guard(async (req, res) => {
    const code = codeOf(req.params.code, 'PA');
    const t = code ? await prisma.ticket.findUnique({ where: { code } }) : null;
    if (!t) throw new HttpError(404, TEXT.notFound);
    res.json(ticketView(t, deps.now()));
  }));

  router.post('/api/tickets/:code/answer', WRITERS, guard(async (req, res) => {
    const body = parseBody(answerBody, req.body, res);
    if (!body) return;
    const code = codeOf(req.params.code, 'PA');
    const now = deps.now();
    const ticket = await write(res, 'ticket.answer', ['ticket', code], async (tx, actor) => {
      const t = code ? await tx.ticket.findUnique({ where: { code } }) : null;
      if (!t) throw new HttpError(404, TEXT.notFound);
      const r = await tx.ticket.updateMany({ where: { id: t.id, status: { not: 'answered' } },
        data: { status: 'answered', answer: body.answer, answeredBy: actor, answeredAt: now } });
      if (!r.count) throw new HttpError(409, TEXT.answered);
      const conv = await tx.conversation.findUnique({ where: { channel_userId: { channel: t.channel, userId: t.userId } } });
      const ids = conv ? await enqueueOutbound(tx, { conversationId: conv.id, channel: conv.channel, sentBy: `agent:${actor}`,
        replies: [{ text: SERVICE_TEXTS.ticketAnswer(code, body.answer) }], key: `ticket:${code}:answer`, purpose: 'update' }) : [];
      const updated = (await tx.ticket.findUnique({ where: { id: t.id } }))!;
      return { result: { ...ticketView(updated, now), messageIds: ids }, detail: { code, messageIds: ids } };
    });
    res.json(ticket);
  }));

  /** Changes an open request (404 unknown, 409 done or cancelled) and sends the citizen the change's message, if any. */
  type HomeChange = { data: Prisma.HomeServiceRequestUpdateManyMutationInput; reply?: Reply; key?: string; purpose?: SendPurpose } | 'unchanged';
  const homeAction = (action: string, schema: z.ZodType, change: (h: HomeServiceRequest, body: Record<string, unknown>, now: Date) => HomeChange) =>
    guard(async (req, res) => {
      const body = parseBody(schema, req.body, res) as Record<string, unknown> | undefined;
      if (!body) return;
      const code = codeOf(req.params.code, 'DV');
      const now = deps.now();
      const result = await write(res, `home_service.${action}`, ['home_service', code], async (tx, actor) => {
        const h = code ? await tx.homeServiceRequest.findUnique({ where: { code } }) : null;
        if (!h) throw new HttpError(404, TEXT.notFound);
        if (!OPEN_HOME.includes(h.status)) throw new HttpError(409, TEXT.closed);
        const c = change(h, body, now);
        if (c === 'unchanged') return { result: h, detail: { code, unchanged: true } };
        const r = await tx.homeServiceRequest.updateMany({ where: { id: h.id, status: { in: OPEN_HOME } }, data: c.data });
        if (!r.count) throw new HttpError(409, TEXT.closed);
        const conv = c.reply ? await tx.conversation.findUnique({ where: { channel_userId: { channel: h.channel, userId: h.userId } } }) : null;
        const ids = conv && c.reply ? await enqueueOutbound(tx, { conversationId: conv.id, channel: conv.channel, replies: [c.reply],
          sentBy: `agent:${actor}`, key: c.key!, purpose: c.purpose ?? 'update' }) : [];
        return { result: (await tx.homeServiceRequest.findUnique({ where: { id: h.id } }))!, detail: { code, ...(c.data as object), messageIds: ids } as Prisma.InputJsonValue };
      });
      res.json(result);
    });

  router.post('/api/home-services/:code/schedule', WRITERS, homeAction('schedule', scheduleBody, (h, body, now) => {
    const at = new Date(String(body.scheduledAt));
    if (at <= now) throw new HttpError(400, TEXT.past, [{ path: 'scheduledAt', message: TEXT.past }]);
    const staffNote = (body.staffNote as string | undefined) || h.staffNote;
    if (h.status === 'scheduled' && h.scheduledAt?.getTime() === at.getTime() && staffNote === h.staffNote) return 'unchanged';
    const resend = !(h.status === 'scheduled' && h.scheduledAt?.getTime() === at.getTime());
    return {
      data: { status: 'scheduled', scheduledAt: at, staffNote },
      reply: resend ? { text: SERVICE_TEXTS.homeScheduled(h.code, VN_TIME.format(at), formatDate(at)), buttons: [{ title: BUTTONS.cancelVisit, payload: `#home_cancel:${h.code}` }] } : undefined,
      key: `home:${h.code}:schedule:${at.toISOString()}`, purpose: 'event',
    };
  }));
  router.post('/api/home-services/:code/done', WRITERS, homeAction('done', emptyBody, () => ({ data: { status: 'done' } })));
  router.post('/api/home-services/:code/cancel', WRITERS, homeAction('cancel', cancelBody, (h, body) => ({
    data: { status: 'cancelled' },
    reply: { text: SERVICE_TEXTS.homeCancelled(h.code, body.reason as string | undefined) }, key: `home:${h.code}:cancel`,
  })));

  router.get('/api/ratings/report', async (_req, res) => {
    const stat = (g: { _count: { _all: number }; _avg: { score: number | null } }) =>
      ({ count: g._count._all, average: g._avg.score === null ? null : Math.round(g._avg.score * 100) / 100 });
    const [overall, byScore, byProcedure, byOffice, latest] = await Promise.all([
      prisma.rating.aggregate({ _count: { _all: true }, _avg: { score: true } }),
      prisma.rating.groupBy({ by: ['score'], _count: { _all: true }, orderBy: { score: 'asc' } }),
      prisma.rating.groupBy({ by: ['procedureName'], _count: { _all: true }, _avg: { score: true } }),
      prisma.rating.groupBy({ by: ['office'], _count: { _all: true }, _avg: { score: true } }),
      prisma.rating.findMany({ where: { comment: { not: null } }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 50, include: { dossier: { select: { code: true } } } }),
    ]);
    const rows = <K extends string>(groups: Array<Record<K, string | null> & Parameters<typeof stat>[0]>, key: K) =>
      groups.map((g) => ({ name: g[key] ?? TEXT.noRating, ...stat(g) })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'vi'));
    res.json({
      overall: { ...stat(overall), byScore: Object.fromEntries([1, 2, 3, 4, 5].map((s) => [s, byScore.find((g) => g.score === s)?._count._all ?? 0])) },
      byProcedure: rows(byProcedure, 'procedureName'),
      byOffice: rows(byOffice, 'office'),
      latest: latest.map((r) => ({ id: r.id, score: r.score, comment: r.comment, procedureName: r.procedureName, office: r.office,
        dossierCode: r.dossier?.code ?? null, channel: r.channel, createdAt: r.createdAt })),
    });
  });

  return router;
}
