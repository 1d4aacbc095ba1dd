import { createHash } from 'node:crypto';
import express, { type Router } from 'express';
import path from 'node:path';
import { z } from 'zod';
import { MENU_BUTTONS, T, WEB_CHAT_TEXTS } from '../bot/texts.js';
import { ParseError } from '../channels/types.js';
import type { AppDeps } from '../deps.js';
import { hitRate } from '../limits/rate-store.js';

// The local chat page and its calls: post a message, poll for the replies, restore the history after a reload.
// Limits per client address (new sessions an hour; lookups and forms in the bot) hold across rotating sessions.

const pollSchema = z.object({
  sessionId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  after: z.coerce.number().int().min(0).default(0),
  /** 1: both sides (the history after a reload); otherwise the replies only. */
  all: z.enum(['0', '1']).default('0'),
});
const HOUR = 3600_000;

/** A stable, one-way key for the client's address: limits can count it, nobody can read it back. */
export const clientKey = (ip: string | undefined) => createHash('sha256').update(`cchc-web-client:${ip ?? 'unknown'}`).digest('hex').slice(0, 24);

const fromOf = (m: { direction: string; sentBy: string | null }) =>
  (m.direction === 'in' ? 'citizen' : m.sentBy?.startsWith('agent:') ? 'official' : 'bot');

export function chatRouter(deps: AppDeps): Router {
  const router = express.Router();
  const web = deps.channels.web!;
  const { prisma } = deps.db;

  /** A new session counts against its address's hourly allowance (in the shared rate store); a known one always passes. */
  async function allowSession(sessionId: string, address: string): Promise<boolean> {
    const now = deps.now();
    const { query } = deps.db.sql;
    const known = await prisma.conversation.count({ where: { channel: 'web', userId: sessionId } })
      || (await query('SELECT 1 FROM "RateCounter" WHERE "key" = $1 LIMIT 1', [`websession:${sessionId}`])).length;
    if (known) return true;
    if (!(await hitRate(query, `websession-addr:${address}`, deps.config.WEB_SESSIONS_PER_ADDRESS_PER_HOUR, HOUR, now)).allowed) return false;
    await hitRate(query, `websession:${sessionId}`, 1, HOUR, now); // marks the session known until its conversation exists
    return true;
  }

  router.get('/chat', (_req, res) => res.sendFile(path.resolve(import.meta.dirname, '../../public/chat/index.html')));
  router.use('/chat', express.static(path.resolve(import.meta.dirname, '../../public/chat')));
  router.post('/api/chat/messages', express.json({ limit: '16kb' }), async (req, res) => {
    try {
      const address = clientKey(req.ip);
      const messages = web.parse(req.body).map((m) => ({ ...m, clientAddress: address }));
      if (!(await allowSession(messages[0].userId, address))) {
        res.status(429).json({ error: 'too many sessions', message: WEB_CHAT_TEXTS.tooManySessions });
        return;
      }
      await deps.inbound.record(messages);
      res.status(202).json({ ok: true, eventId: messages[0].eventId });
    } catch (err) {
      if (err instanceof ParseError) res.status(400).json({ error: 'invalid', reason: err.message });
      else throw err;
    }
  });
  router.get('/api/chat/messages', async (req, res) => {
    const q = pollSchema.safeParse(req.query);
    if (!q.success) {
      res.status(400).json({ error: 'invalid', reason: q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
      return;
    }
    const all = q.data.all === '1';
    const conv = await prisma.conversation.findUnique({ where: { channel_userId: { channel: 'web', userId: q.data.sessionId } } });
    const rows = conv ? await prisma.message.findMany({
      where: { conversationId: conv.id, id: { gt: q.data.after }, ...(all ? { kind: { notIn: ['ignored', 'admin_reply'] } } : { direction: 'out' }) },
      orderBy: { id: 'asc' }, take: all ? 200 : 50,
    }) : [];
    res.json({
      messages: rows.map((m) => ({
        id: m.id, direction: m.direction, from: fromOf(m), text: m.text, reply: m.direction === 'out' ? m.payload : null, sentBy: m.sentBy, at: m.createdAt,
      })),
      // A first visit opens with the greeting and the menu (not stored: nothing was said yet).
      ...(all && q.data.after === 0 && rows.length === 0 ? { welcome: { text: T.greeting, buttons: MENU_BUTTONS } } : {}),
      ...(all ? { labels: WEB_CHAT_TEXTS.labels } : {}),
    });
  });
  return router;
}
