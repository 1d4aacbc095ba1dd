import { randomBytes } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import * as OTPAuth from 'otpauth';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import type { User } from '../generated/prisma/client.js';
import { hitRate, peekRate } from '../limits/rate-store.js';
import {
  AUTH_TEXT, SESSION_COOKIE, authenticate, checkPassword, currentSession, currentUser, parseBody, requireRole, sha256,
} from './auth.js';

// Signing in: failures counted per account (in its row: progressive delay, then a lock an admin can lift) and per
// client address (in the shared rate store, set high so officials behind one proxy do not lock each other out),
// and an optional TOTP second factor.

const HOUR = 3600_000;
const FIRST_DELAY_AFTER = 3;
const MAX_DELAY_S = 60;

export const LOGIN_TEXT = {
  locked: (minutes: number) => `Tài khoản đã bị khóa tạm thời do đăng nhập sai nhiều lần. Vui lòng thử lại sau ${minutes} phút hoặc nhờ quản trị viên mở khóa.`,
  disabled: 'Tài khoản đã bị khóa. Vui lòng liên hệ quản trị viên.',
  wait: (seconds: number) => `Anh/chị vừa đăng nhập sai nhiều lần. Vui lòng thử lại sau ${seconds} giây.`,
  totpRequired: 'Vui lòng nhập mã xác thực 6 số trong ứng dụng xác thực của anh/chị.',
  totpWrong: 'Mã xác thực không đúng hoặc đã hết hạn.',
  totpNotPending: 'Chưa bắt đầu bật xác thực hai lớp: bấm "Bật xác thực hai lớp" trước.',
} as const;

const loginSchema = z.object({
  username: z.string().trim().toLowerCase().min(1).max(100),
  password: z.string().min(1).max(1024),
  totp: z.string().trim().regex(/^\d{6}$/, 'Mã xác thực gồm 6 chữ số').optional().or(z.literal('').transform(() => undefined)),
});
const totpCodeSchema = z.object({ code: z.string().trim().regex(/^\d{6}$/, 'Mã xác thực gồm 6 chữ số') });

const totpOf = (secret: string, username = '') =>
  new OTPAuth.TOTP({ issuer: 'CCHC chatbot', label: username, secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 });
/** The 30-second step of a code of the current, previous or next step; null when the code is wrong. */
export function totpStep(secret: string, code: string | undefined, now: Date): number | null {
  if (code === undefined) return null;
  const delta = totpOf(secret).validate({ token: code, timestamp: now.getTime(), window: 1 });
  return delta === null ? null : OTPAuth.TOTP.counter({ timestamp: now.getTime() }) + delta;
}

/** Whether an account is locked out by failed sign-ins now (the accounts page shows it, an admin may lift it). */
export const isLockedOut = (u: Pick<User, 'failedLogins' | 'lockedUntil'>, lockAfter: number, now: Date) =>
  u.failedLogins >= lockAfter && !!u.lockedUntil && u.lockedUntil > now;

/** `POST /api/auth/login`, `POST /api/auth/logout`, `GET /api/auth/me`, `POST /api/auth/totp/setup|confirm`. */
export function authRouter(deps: AppDeps): express.Router {
  const router = express.Router();
  const { prisma } = deps.db;
  const { query } = deps.db.sql;
  const cfg = () => deps.config;

  /** Counts this attempt as a failure before the password is checked, so concurrent guesses cannot exceed the lock;
   * sets the delay (or lock) the next attempt must wait. Null when the account is waiting or locked now. */
  async function claimAttempt(user: User, now: Date): Promise<number | null> {
    const { LOGIN_LOCK_AFTER_FAILURES: lockAfter, LOGIN_LOCK_MINUTES: lockMinutes } = cfg();
    const rows = await query<{ failedLogins: number }>(`
      UPDATE "User" SET "failedLogins" = "failedLogins" + 1,
        "lockedUntil" = CASE
          WHEN "failedLogins" + 1 >= $3 THEN $2::timestamp(3) + make_interval(mins => $4)
          WHEN "failedLogins" + 1 >= ${FIRST_DELAY_AFTER}
            THEN $2::timestamp(3) + make_interval(secs => LEAST(${MAX_DELAY_S}, power(2, "failedLogins" + 1 - ${FIRST_DELAY_AFTER})))
          ELSE NULL END
      WHERE "id" = $1 AND ("lockedUntil" IS NULL OR "lockedUntil" <= $2::timestamp(3))
      RETURNING "failedLogins"`, [user.id, now.toISOString(), lockAfter, lockMinutes]);
    return rows.length ? Number(rows[0].failedLogins) : null;
  }

  /** A right code of a step later than the last one used (so a code seen over a shoulder cannot be replayed). */
  async function useTotp(user: User, code: string | undefined, now: Date): Promise<boolean> {
    const step = totpStep(user.totpSecret!, code, now);
    if (step === null) return false;
    const rows = await query('UPDATE "User" SET "totpLastStep" = $2 WHERE id = $1 AND ("totpLastStep" IS NULL OR "totpLastStep" < $2) RETURNING id', [user.id, step]);
    return rows.length > 0;
  }

  function refuseLocked(res: Response, user: Pick<User, 'failedLogins' | 'lockedUntil'>, now: Date) {
    const waitMs = Math.max(1000, (user.lockedUntil?.getTime() ?? now.getTime()) - now.getTime());
    res.setHeader('Retry-After', String(Math.ceil(waitMs / 1000)));
    if (user.failedLogins >= cfg().LOGIN_LOCK_AFTER_FAILURES) res.status(423).json({ error: LOGIN_TEXT.locked(Math.ceil(waitMs / 60_000)), locked: true });
    else res.status(429).json({ error: LOGIN_TEXT.wait(Math.ceil(waitMs / 1000)) });
  }

  router.post('/api/auth/login', async (req: Request, res: Response) => {
    const body = parseBody(loginSchema, req.body, res);
    if (!body) return;
    const now = deps.now();
    const addressKey = `login-addr:${req.ip ?? 'unknown'}`;
    const perAddress = cfg().LOGIN_FAILURES_PER_ADDRESS_PER_HOUR;
    if (!(await peekRate(query, addressKey, perAddress, HOUR, now)).allowed) return void res.status(429).json({ error: AUTH_TEXT.tooMany });
    const fail = async (user: User | null, error: string, extra: Record<string, unknown> = {}) => {
      await hitRate(query, addressKey, perAddress, HOUR, now);
      deps.log.warn({ username: body.username, ip: req.ip, failures: user?.failedLogins }, 'console login failed');
      res.status(401).json({ error, ...extra });
    };

    const user = await prisma.user.findUnique({ where: { username: body.username } });
    if (!user) {
      // Unknown names lock like known ones, so the answers do not tell which accounts exist.
      const lockMs = cfg().LOGIN_LOCK_MINUTES * 60_000;
      const r = await hitRate(query, `login-user:${body.username}`, cfg().LOGIN_LOCK_AFTER_FAILURES - 1, lockMs, now);
      if (!r.allowed) return void res.status(423).json({ error: LOGIN_TEXT.locked(cfg().LOGIN_LOCK_MINUTES), locked: true });
      await checkPassword(null, body.password);
      return fail(null, AUTH_TEXT.badCredentials);
    }
    const failures = await claimAttempt(user, now);
    if (failures === null) return refuseLocked(res, user, now);
    const passwordOk = await checkPassword({ ...user, disabled: false }, body.password);
    if (passwordOk && user.disabled) return void res.status(423).json({ error: LOGIN_TEXT.disabled, disabled: true });
    if (!passwordOk) return fail({ ...user, failedLogins: failures }, AUTH_TEXT.badCredentials);
    if (user.totpSecret && !(await useTotp(user, body.totp, now))) {
      return fail({ ...user, failedLogins: failures }, body.totp ? LOGIN_TEXT.totpWrong : LOGIN_TEXT.totpRequired, { totpRequired: true });
    }

    await prisma.user.update({ where: { id: user.id }, data: { failedLogins: 0, lockedUntil: null } });
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const ttlMs = cfg().SESSION_TTL_HOURS * HOUR;
    await prisma.session.deleteMany({ where: { userId: user.id, expiresAt: { lte: now } } });
    await prisma.session.create({ data: { id: sha256(token), userId: user.id, csrfToken, expiresAt: new Date(now.getTime() + ttlMs) } });
    res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: cfg().COOKIE_SECURE, path: '/', maxAge: ttlMs });
    deps.log.info({ username: user.username }, 'console login');
    res.json({ token, csrfToken, user: { username: user.username, role: user.role } });
  });

  const auth = authenticate(deps);
  router.post('/api/auth/logout', auth, async (_req, res) => {
    await prisma.session.deleteMany({ where: { id: currentSession(res).id } });
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.json({ ok: true });
  });

  router.get('/api/auth/me', auth, async (_req, res) => {
    const { id, username, role } = currentUser(res);
    const totp = !!(await prisma.user.findUnique({ where: { id }, select: { totpSecret: true } }))?.totpSecret;
    res.json({ username, role, csrfToken: currentSession(res).csrfToken, totp });
  });

  // TOTP enrolment for admins: the secret and its otpauth:// URI are shown once, and kept only when a first code
  // from the authenticator app proves it was saved. Another admin removes it if the device is lost.
  router.post('/api/auth/totp/setup', auth, requireRole('admin'), async (_req, res) => {
    const { id, username } = currentUser(res);
    const secret = new OTPAuth.Secret({ size: 20 }).base32;
    await prisma.user.update({ where: { id }, data: { totpPending: secret } });
    res.json({ secret, uri: totpOf(secret, username).toString() });
  });

  router.post('/api/auth/totp/confirm', auth, requireRole('admin'), async (req, res) => {
    const body = parseBody(totpCodeSchema, req.body, res);
    if (!body) return;
    const { id, username } = currentUser(res);
    const user = await prisma.user.findUniqueOrThrow({ where: { id } });
    if (!user.totpPending) return void res.status(409).json({ error: LOGIN_TEXT.totpNotPending });
    const step = totpStep(user.totpPending, body.code, deps.now());
    if (step === null) return void res.status(400).json({ error: 'invalid', issues: [{ path: 'code', message: LOGIN_TEXT.totpWrong }] });
    await prisma.$transaction([
      prisma.user.update({ where: { id }, data: { totpSecret: user.totpPending, totpPending: null, totpLastStep: step } }),
      prisma.auditLog.create({ data: { actor: username, action: 'user.totp_enabled', entityType: 'user', entityId: String(id), detail: { username } } }),
    ]);
    res.json({ ok: true, totp: true });
  });
  return router;
}
