import express, { type Router } from 'express';
import path from 'node:path';
import { z } from 'zod';
import { ParseError } from '../channels/types.js';
import type { AppDeps } from '../deps.js';

// The local chat page and its two calls: post a message, poll for the replies.

const pollSchema = z.object({
  sessionId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  after: z.coerce.number().int().min(0).default(0),
});

export function chatRouter(deps: AppDeps): Router {
  const router = express.Router();
  const web = deps.channels.web!;
  router.get('/chat', (_req, res) => res.sendFile(path.resolve(import.meta.dirname, '../../public/chat/index.html')));
  router.use('/chat', express.static(path.resolve(import.meta.dirname, '../../public/chat')));
  router.post('/api/chat/messages', express.json({ limit: '16kb' }), async (req, res) => {
    try {
      const messages = web.parse(req.body);
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
    const conv = await deps.db.prisma.conversation.findUnique({ where: { channel_userId: { channel: 'web', userId: q.data.sessionId } } });
    const rows = conv ? await deps.db.prisma.message.findMany({
      where: { conversationId: conv.id, id: { gt: q.data.after }, direction: 'out' },
      orderBy: { id: 'asc' }, take: 50,
    }) : [];
    res.json({ messages: rows.map((m) => ({ id: m.id, text: m.text, reply: m.payload, sentBy: m.sentBy, at: m.createdAt })) });
  });
  return router;
}
