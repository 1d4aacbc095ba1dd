import express from 'express';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import type { Prisma } from '../generated/prisma/client.js';
import { idParam } from '../http/errors.js';
import {
  AccountError, ROLES, createApiKey, createUser, currentUser, hashPassword, newUserSchema, parseBody,
  passwordSchema, publicApiKey, publicUser, requireRole,
} from './auth.js';

// Accounts and integration API keys, for admins only. Hashes never leave this module.

export const USERS_PATHS = ['/api/users', '/api/api-keys'];

const TEXT = {
  userNotFound: 'Không tìm thấy tài khoản này.',
  keyNotFound: 'Không tìm thấy khóa API này.',
  duplicate: 'Tên đăng nhập này đã có người dùng.',
  lastAdmin: 'Phải còn ít nhất một quản trị viên đang hoạt động.',
};

const patchUserSchema = z.object({
  role: z.enum(ROLES).optional(),
  disabled: z.boolean().optional(),
  password: passwordSchema.optional(),
  /** true: lifts a lock left by failed sign-ins. */
  unlock: z.literal(true).optional(),
  /** false: removes the account's TOTP second factor (a lost phone); it can enrol again. */
  totp: z.literal(false).optional(),
}).refine((p) => Object.values(p).some((v) => v !== undefined), 'Không có trường nào để sửa.');
const newKeySchema = z.object({ name: z.string().trim().min(1).max(100) });

/** `/api/users` and `/api/api-keys`; mount behind `authenticate`. */
export function usersRouter(deps: AppDeps): express.Router {
  const router = express.Router();
  const { prisma } = deps.db;
  const audit = (actor: string, action: string, entityType: string, entityId: number, detail: Prisma.InputJsonValue) =>
    prisma.auditLog.create({ data: { actor, action, entityType, entityId: String(entityId), detail } });
  router.use(USERS_PATHS, requireRole('admin'));

  router.get('/api/users', async (_req, res) => {
    const users = await prisma.user.findMany({ orderBy: { id: 'asc' } });
    res.json({ items: users.map(publicUser) });
  });

  router.post('/api/users', async (req, res) => {
    const body = parseBody(newUserSchema, req.body, res);
    if (!body) return;
    try {
      const user = await createUser(prisma, body);
      await audit(currentUser(res).username, 'user.create', 'user', user.id, { username: user.username, role: user.role });
      res.status(201).json(user);
    } catch (err) {
      if (!(err instanceof AccountError)) throw err;
      res.status(409).json({ error: 'conflict', issues: [{ path: 'username', message: TEXT.duplicate }] });
    }
  });

  router.patch('/api/users/:id', async (req, res) => {
    const id = idParam(req.params.id);
    const body = parseBody(patchUserSchema, req.body, res);
    if (!body) return;
    if (!id) return void res.status(404).json({ error: TEXT.userNotFound });
    const actor = currentUser(res).username;
    const passwordHash = body.password === undefined ? undefined : await hashPassword(body.password);
    // The active admins' rows are locked first, so two admins disabling each other at once run one after the
    // other and the second sees that only one admin is left.
    const updated = await prisma.$transaction(async (tx) => {
      const admins = await tx.$queryRawUnsafe<Array<{ id: number }>>(
        'SELECT "id" FROM "User" WHERE "role" = \'admin\' AND "disabled" = false ORDER BY "id" FOR UPDATE');
      const user = await tx.user.findUnique({ where: { id } });
      if (!user) return 'not_found' as const;
      const losesAdmin = user.role === 'admin' && !user.disabled
        && ((body.role !== undefined && body.role !== 'admin') || body.disabled === true);
      if (losesAdmin && admins.length <= 1) return 'last_admin' as const;
      const row = await tx.user.update({
        where: { id: user.id },
        data: {
          role: body.role, disabled: body.disabled, passwordHash,
          ...(body.unlock ? { failedLogins: 0, lockedUntil: null } : {}),
          ...(body.totp === false ? { totpSecret: null, totpPending: null, totpLastStep: null } : {}),
        },
      });
      // A new password, a disabled account, a new role or a removed second factor ends the sessions opened before.
      if (body.role !== undefined || body.disabled !== undefined || passwordHash || body.totp === false) await tx.session.deleteMany({ where: { userId: user.id } });
      await tx.auditLog.create({
        data: { actor, action: 'user.update', entityType: 'user', entityId: String(user.id),
          detail: { username: user.username, role: body.role ?? null, disabled: body.disabled ?? null, passwordChanged: body.password !== undefined,
            unlocked: body.unlock ?? false, totpRemoved: body.totp === false } },
      });
      return row;
    });
    if (updated === 'not_found') return void res.status(404).json({ error: TEXT.userNotFound });
    if (updated === 'last_admin') return void res.status(409).json({ error: TEXT.lastAdmin });
    res.json(publicUser(updated));
  });

  router.get('/api/api-keys', async (_req, res) => {
    const keys = await prisma.apiKey.findMany({ orderBy: { id: 'asc' } });
    res.json({ items: keys.map(publicApiKey) });
  });

  router.post('/api/api-keys', async (req, res) => {
    const body = parseBody(newKeySchema, req.body, res);
    if (!body) return;
    const actor = currentUser(res).username;
    const { key, record } = await createApiKey(prisma, body.name, actor);
    await audit(actor, 'api_key.create', 'api_key', record.id, { name: record.name, prefix: record.prefix });
    res.status(201).json({ key, apiKey: record });
  });

  router.delete('/api/api-keys/:id', async (req, res) => {
    const id = idParam(req.params.id);
    const key = id ? await prisma.apiKey.findUnique({ where: { id } }) : null;
    if (!key) return void res.status(404).json({ error: TEXT.keyNotFound });
    const revoked = key.revokedAt ? key : await prisma.apiKey.update({ where: { id: key.id }, data: { revokedAt: deps.now() } });
    if (!key.revokedAt) await audit(currentUser(res).username, 'api_key.revoke', 'api_key', key.id, { name: key.name, prefix: key.prefix });
    res.json(publicApiKey(revoked));
  });
  return router;
}
