import express from 'express';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { Prisma } from '../generated/prisma/client.js';
import { authenticate, currentUser, parseBody, requireRole } from './auth.js';

// Canned replies for the inbox: every official reads them, editors (and admins) keep them.

export const CANNED_PATHS = ['/api/canned-replies'];

const TEXT = {
  notFound: 'Không tìm thấy câu trả lời mẫu này.',
  duplicate: 'Đã có câu trả lời mẫu cùng tiêu đề.',
};
const body = z.object({
  title: z.string().trim().min(1, 'Hãy nhập tiêu đề.').max(80, 'Tiêu đề tối đa 80 ký tự.'),
  text: z.string().trim().min(1, 'Hãy nhập nội dung.').max(2000, 'Nội dung tối đa 2.000 ký tự.'),
});
const idOf = (v: unknown) => (typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : 0);
const isCode = (err: unknown, code: string) => err instanceof Prisma.PrismaClientKnownRequestError && err.code === code;

export function createCannedRouter(deps: AppDeps): express.Router {
  const router = express.Router();
  const { prisma } = deps.db;
  const EDITORS = requireRole('admin', 'editor');
  router.use(CANNED_PATHS, authenticate(deps), requireRole('admin', 'editor', 'agent', 'viewer'));

  router.get('/api/canned-replies', async (_req, res) => {
    const items = await prisma.cannedReply.findMany({ take: 500 });
    res.json({ items: items.sort((a, b) => a.title.localeCompare(b.title, 'vi')) });
  });

  /** Saves (create or update) with its audit row; a taken title is a 409 on the title field. */
  const save = (id: number | null) => async (req: express.Request, res: express.Response) => {
    const data = parseBody(body, req.body, res);
    if (!data) return;
    const actor = currentUser(res).username;
    try {
      const row = await prisma.$transaction(async (tx) => {
        const saved = id ? await tx.cannedReply.update({ where: { id }, data: { ...data, updatedBy: actor } })
          : await tx.cannedReply.create({ data: { ...data, updatedBy: actor } });
        await tx.auditLog.create({ data: { actor, action: id ? 'canned.update' : 'canned.create', entityType: 'canned_reply', entityId: String(saved.id), detail: data } });
        return saved;
      });
      res.status(id ? 200 : 201).json(row);
    } catch (err) {
      if (isCode(err, 'P2025')) return void res.status(404).json({ error: TEXT.notFound });
      if (isCode(err, 'P2002')) return void res.status(409).json({ error: 'conflict', issues: [{ path: 'title', message: TEXT.duplicate }] });
      throw err;
    }
  };
  router.post('/api/canned-replies', EDITORS, save(null));
  router.put('/api/canned-replies/:id', EDITORS, (req, res) => save(idOf(req.params.id) || -1)(req, res));

  router.delete('/api/canned-replies/:id', EDITORS, async (req, res) => {
    const id = idOf(req.params.id);
    const actor = currentUser(res).username;
    const gone = await prisma.$transaction(async (tx) => {
      const r = await tx.cannedReply.deleteMany({ where: { id } });
      if (r.count) await tx.auditLog.create({ data: { actor, action: 'canned.delete', entityType: 'canned_reply', entityId: String(id) } });
      return r.count;
    });
    if (!gone) return void res.status(404).json({ error: TEXT.notFound });
    res.json({ ok: true });
  });

  return router;
}
