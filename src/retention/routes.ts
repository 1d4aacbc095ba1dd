import express from 'express';
import { z } from 'zod';
import { currentUser, parseBody, requireRole } from '../console/auth.js';
import type { AppDeps } from '../deps.js';
import { anonymiseCitizen } from './anonymise.js';

// A citizen's request to erase their personal data (Nghị định 13/2023/NĐ-CP): an admin anonymises one chat
// account from the console (`POST /api/privacy/anonymise`) or with `npm run admin -- anonymise`.

export const PRIVACY_PATHS = ['/api/privacy'];

const TEXT = { notFound: 'Không có cuộc trò chuyện nào của tài khoản này.' };

const bodySchema = z.union([
  z.object({ conversationId: z.number().int().positive() }),
  z.object({ channel: z.enum(['zalo', 'messenger', 'web']), userId: z.string().trim().min(1).max(200) }),
]);

/** Mount behind `authenticate`. */
export function privacyRouter(deps: AppDeps): express.Router {
  const router = express.Router();
  router.use(PRIVACY_PATHS, requireRole('admin'));
  router.post('/api/privacy/anonymise', async (req, res) => {
    const body = parseBody(bodySchema, req.body, res);
    if (!body) return;
    const who = 'conversationId' in body
      ? await deps.db.prisma.conversation.findUnique({ where: { id: body.conversationId }, select: { channel: true, userId: true } })
      : body;
    if (!who) return void res.status(404).json({ error: TEXT.notFound });
    const result = await anonymiseCitizen(deps.db, who.channel, who.userId, deps.now(), { onRequest: true });
    if (!result.conversation && result.records + result.deleted === 0) return void res.status(404).json({ error: TEXT.notFound });
    await deps.db.prisma.auditLog.create({ data: {
      actor: currentUser(res).username, action: 'privacy.anonymise', entityType: 'conversation', entityId: `${who.channel}:${who.userId}`,
      detail: { ...result },
    } });
    res.json(result);
  });
  return router;
}
