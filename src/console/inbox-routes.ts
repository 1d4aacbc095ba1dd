import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import type { Conversation, Prisma } from '../generated/prisma/client.js';
import { authenticate, currentUser, parseBody, requireRole } from './auth.js';
import { AGENT_VIEWS, INBOX_STATUSES, INBOX_VIEWS, inboxCounts, inboxList, inboxThread } from './inbox.js';
import { INBOX_TEXT, InboxConflict, assign, setStatus } from './inbox-actions.js';

// The hand-off inbox API: `GET /api/inbox` (a view: mine, queue, open, solved, all; status; search), counts for the
// menu, a conversation with its history, notes and contact panel, and the officials' actions. Replies go through
// `POST /api/conversations/:id/reply` (src/services/routes.ts), the one way a console reply reaches a citizen.

export const INBOX_PATHS = ['/api/inbox'];

const TEXT = { notFound: 'Không tìm thấy cuộc trò chuyện này.', agentView: 'Tài khoản hỗ trợ xem: của tôi, hàng chờ, đã giải quyết.' };
const READERS = requireRole('admin', 'editor', 'agent', 'viewer');
const WRITERS = requireRole('admin', 'agent');

const listQuery = z.object({
  view: z.enum(INBOX_VIEWS).optional(),
  status: z.enum(INBOX_STATUSES).optional(),
  q: z.string().trim().max(200).optional().transform((v) => v || undefined),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
const threadQuery = z.object({ before: z.coerce.number().int().positive().optional() });
const owner = z.string().trim().toLowerCase().min(1).max(64).nullable();
const assignBody = z.object({ to: owner, from: owner });
const statusBody = z.object({ status: z.enum(INBOX_STATUSES) });
const noteBody = z.object({ text: z.string().trim().min(1, 'Ghi chú không được để trống.').max(2000) });

const idOf = (v: unknown) => (typeof v === 'string' && /^\d{1,9}$/.test(v) && Number(v) > 0 ? Number(v) : 0);

export function createInboxRouter(deps: AppDeps): express.Router {
  const router = express.Router();
  const { prisma } = deps.db;
  router.use(INBOX_PATHS, authenticate(deps), READERS);

  router.get('/api/inbox', async (req, res) => {
    const q = parseBody(listQuery, req.query, res);
    if (!q) return;
    const me = currentUser(res);
    const view = q.view ?? (me.role === 'agent' ? 'mine' : 'open');
    if (me.role === 'agent' && !AGENT_VIEWS.includes(view)) return void res.status(403).json({ error: TEXT.agentView });
    res.json({ view, ...(await inboxList(prisma, me.username, me.role, { ...q, view })) });
  });

  router.get('/api/inbox/counts', async (_req, res) => {
    res.json({ ...(await inboxCounts(prisma, currentUser(res).username)), escalateAfterMinutes: deps.config.HANDOFF_ESCALATE_MINUTES });
  });

  router.get('/api/inbox/:id', async (req, res) => {
    const q = parseBody(threadQuery, req.query, res);
    if (!q) return;
    const me = currentUser(res);
    const thread = await inboxThread(prisma, idOf(req.params.id), me.username, me.role, q);
    if (!thread) return void res.status(404).json({ error: TEXT.notFound });
    res.json(thread);
  });

  /** One transaction: the change and its audit row; a conflict is 409 with what the official should now see. */
  const act = (action: string, fn: (tx: Prisma.TransactionClient, conv: Conversation, req: Request, res: Response) => Promise<unknown>) =>
    async (req: Request, res: Response) => {
      const id = idOf(req.params.id);
      const me = currentUser(res);
      try {
        const result = await prisma.$transaction(async (tx) => {
          const conv = id ? await tx.conversation.findUnique({ where: { id } }) : null;
          if (!conv) return null;
          const out = await fn(tx, conv, req, res);
          if (res.headersSent) return undefined;
          await tx.auditLog.create({ data: { actor: me.username, action, entityType: 'conversation', entityId: String(id),
            detail: { channel: conv.channel, userId: conv.userId, ...(req.body as object) } } });
          return out ?? {};
        }, { timeout: 30_000, maxWait: 30_000 });
        if (result === undefined) return;
        if (result === null) return void res.status(404).json({ error: TEXT.notFound });
        deps.queue.poke?.();
        res.json({ ok: true, ...(result as object) });
      } catch (err) {
        if (!(err instanceof InboxConflict)) throw err;
        res.status(409).json({ error: err.message, ...err.detail });
      }
    };

  router.post('/api/inbox/:id/assign', WRITERS, act('inbox.assign', async (tx, conv, req, res) => {
    const body = parseBody(assignBody, req.body, res);
    if (!body) return;
    const me = currentUser(res);
    if (me.role === 'agent' && !(body.to === me.username || (body.to === null && body.from === me.username))) {
      return void res.status(403).json({ error: INBOX_TEXT.onlySelf });
    }
    if (body.to && !(await tx.user.findFirst({ where: { username: body.to, disabled: false, role: { in: ['admin', 'agent'] } } }))) {
      return void res.status(400).json({ error: 'invalid', issues: [{ path: 'to', message: INBOX_TEXT.noUser }] });
    }
    if (body.to && !conv.handoffStatus) throw new InboxConflict(INBOX_TEXT.notOpen);
    await assign(tx, conv, body.from, body.to);
    return { assignedTo: body.to };
  }));

  router.post('/api/inbox/:id/status', WRITERS, act('inbox.status', async (tx, conv, req, res) => {
    const body = parseBody(statusBody, req.body, res);
    if (!body) return;
    await setStatus(tx, conv, body.status, currentUser(res).username, deps.now());
    return { status: body.status };
  }));

  router.post('/api/inbox/:id/notes', WRITERS, act('inbox.note', async (tx, conv, req, res) => {
    const body = parseBody(noteBody, req.body, res);
    if (!body) return;
    const note = await tx.inboxNote.create({ data: { conversationId: conv.id, author: currentUser(res).username, text: body.text } });
    return { note: { id: note.id, author: note.author, text: note.text, createdAt: note.createdAt } };
  }));

  return router;
}
