import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import cookieParser from 'cookie-parser';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import type { ApiKey, PrismaClient, User } from '../generated/prisma/client.js';
import { consoleErrorMap } from './zod-vi.js';

// Console accounts: argon2 passwords, database sessions (cookie for the browser, bearer token for scripts),
// CSRF on cookie writes, roles, and the API keys of the integration API.

export const ROLES = ['admin', 'editor', 'agent', 'viewer'] as const;
export type Role = (typeof ROLES)[number];
export const isRole = (v: unknown): v is Role => (ROLES as readonly unknown[]).includes(v);

export interface CurrentUser { id: number; username: string; role: Role }
interface SessionInfo { id: string; csrfToken: string; via: 'bearer' | 'cookie' }

export const AUTH_TEXT = {
  badCredentials: 'Tên đăng nhập hoặc mật khẩu không đúng.',
  tooMany: 'Có quá nhiều lần đăng nhập sai từ địa chỉ mạng này. Vui lòng thử lại sau ít phút.',
  noCredentials: 'Cần đăng nhập để sử dụng chức năng này.',
  badSession: 'Phiên đăng nhập không hợp lệ hoặc đã hết hạn. Vui lòng đăng nhập lại.',
  csrf: 'Thiếu hoặc sai mã chống giả mạo (X-CSRF-Token). Vui lòng tải lại trang.',
  forbidden: 'Tài khoản của anh/chị không có quyền thực hiện thao tác này.',
} as const;

export const SESSION_COOKIE = 'sid';
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const randomToken = () => randomBytes(32).toString('base64url');

function safeEqual(a: string | undefined, b: string): boolean {
  if (typeof a !== 'string') return false;
  const x = Buffer.from(sha256(a));
  const y = Buffer.from(sha256(b));
  return timingSafeEqual(x, y);
}

/** Parses a request body; on failure answers 400 `{error:'invalid', issues:[{path,message}]}` and returns undefined. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown, res: Response): z.infer<T> | undefined {
  const parsed = schema.safeParse(body ?? {}, { error: consoleErrorMap });
  if (parsed.success) return parsed.data;
  res.status(400).json({
    error: 'invalid',
    issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  });
  return undefined;
}

// ---------- passwords and accounts ----------

export const usernameSchema = z.string().trim().toLowerCase().regex(/^[a-z0-9._@-]{3,64}$/,
  'Tên đăng nhập gồm 3–64 ký tự: chữ không dấu, số, dấu chấm, gạch dưới, gạch ngang, @');
export const passwordSchema = z.string().min(8, 'Mật khẩu cần ít nhất 8 ký tự').max(256);
export const newUserSchema = z.object({ username: usernameSchema, password: passwordSchema, role: z.enum(ROLES) });

export const hashPassword = (password: string) => hash(password);

let dummyHash: Promise<string> | undefined;
/** Checks a password; an unknown user costs the same argon2 work so timing does not reveal who exists. */
export async function checkPassword(user: User | null, password: string): Promise<boolean> {
  if (!user || user.disabled) {
    dummyHash ??= hash(randomToken());
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(user.passwordHash, password).catch(() => false);
}

export class AccountError extends Error {}

export interface PublicUser {
  id: number; username: string; role: string; disabled: boolean; createdAt: Date;
  /** Failed sign-ins since the last success, and the time before which the next try is refused. */
  failedLogins: number; lockedUntil: Date | null; totp: boolean;
}
export const publicUser = (u: User): PublicUser => ({
  id: u.id, username: u.username, role: u.role, disabled: u.disabled, createdAt: u.createdAt,
  failedLogins: u.failedLogins, lockedUntil: u.lockedUntil, totp: !!u.totpSecret,
});

/** Creates an account; throws AccountError for a bad role, a weak password or a taken username. */
export async function createUser(prisma: PrismaClient, input: { username: string; password: string; role: string }): Promise<PublicUser> {
  const parsed = newUserSchema.safeParse(input);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new AccountError(i.path[0] === 'role' ? `Unknown role "${input.role}": use one of ${ROLES.join(', ')}`
      : `${String(i.path[0])}: ${i.message}`);
  }
  const { username, password, role } = parsed.data;
  if (await prisma.user.findUnique({ where: { username } })) throw new AccountError(`User "${username}" already exists`);
  try {
    return publicUser(await prisma.user.create({ data: { username, role, passwordHash: await hashPassword(password) } }));
  } catch (err) {
    if ((err as { code?: string }).code === 'P2002') throw new AccountError(`User "${username}" already exists`);
    throw err;
  }
}

// ---------- API keys (integration API) ----------

export type PublicApiKey = Omit<ApiKey, 'hash'>;
export const publicApiKey = ({ hash: _hash, ...rest }: ApiKey): PublicApiKey => rest;

/** Creates an API key; the key itself is returned once and only its sha256 is stored. */
export async function createApiKey(prisma: PrismaClient, name: string, createdBy?: string): Promise<{ key: string; record: PublicApiKey }> {
  const key = `ck_${randomToken()}`;
  const record = await prisma.apiKey.create({ data: { name, prefix: key.slice(0, 8), hash: sha256(key), createdBy: createdBy ?? null } });
  return { key, record: publicApiKey(record) };
}

/** The active key matching an `X-Api-Key` value, or null (unknown or revoked). */
export async function findApiKey(prisma: PrismaClient, presentedKey: string | undefined): Promise<PublicApiKey | null> {
  if (typeof presentedKey !== 'string' || !presentedKey.startsWith('ck_') || presentedKey.length > 200) return null;
  const record = await prisma.apiKey.findUnique({ where: { hash: sha256(presentedKey) } });
  return record && !record.revokedAt ? publicApiKey(record) : null;
}

// ---------- sessions and middleware ----------

/** The user `authenticate` put on the response; throws if the route was not behind it. */
export function currentUser(res: Response): CurrentUser {
  const user = res.locals.user as CurrentUser | undefined;
  if (!user) throw new Error('currentUser() called on a route without authenticate()');
  return user;
}

export const currentSession = (res: Response) => res.locals.session as SessionInfo;

const parseCookies = cookieParser();

function tokenOf(req: Request): { token?: string; via: 'bearer' | 'cookie'; malformed?: boolean } {
  const header = req.get('authorization');
  if (header) {
    const m = /^Bearer\s+([A-Za-z0-9_-]{20,100})$/.exec(header.trim());
    return m ? { token: m[1], via: 'bearer' } : { via: 'bearer', malformed: true };
  }
  const sid = (req.cookies as Record<string, unknown> | undefined)?.[SESSION_COOKIE];
  return { token: typeof sid === 'string' && sid ? sid : undefined, via: 'cookie' };
}

/** Accepts `Authorization: Bearer <token>` or the `sid` cookie (plus X-CSRF-Token on writes); 401/403 JSON otherwise. */
export function authenticate(deps: AppDeps): RequestHandler {
  return async (req, res, next) => {
    if (req.cookies === undefined) await new Promise<void>((done) => parseCookies(req, res, () => done()));
    const { token, via, malformed } = tokenOf(req);
    if (malformed) return void res.status(401).json({ error: AUTH_TEXT.badSession });
    if (!token) return void res.status(401).json({ error: AUTH_TEXT.noCredentials });
    const session = await deps.db.prisma.session.findUnique({ where: { id: sha256(token) }, include: { user: true } });
    if (!session || session.user.disabled || session.expiresAt <= deps.now()) {
      if (session) await deps.db.prisma.session.deleteMany({ where: { id: session.id } });
      if (via === 'cookie') res.clearCookie(SESSION_COOKIE, { path: '/' });
      return void res.status(401).json({ error: AUTH_TEXT.badSession });
    }
    if (via === 'cookie' && WRITE_METHODS.has(req.method) && !safeEqual(req.get('x-csrf-token'), session.csrfToken)) {
      return void res.status(403).json({ error: AUTH_TEXT.csrf });
    }
    const { user } = session;
    res.locals.user = { id: user.id, username: user.username, role: user.role as Role } satisfies CurrentUser;
    res.locals.session = { id: session.id, csrfToken: session.csrfToken, via } satisfies SessionInfo;
    next();
  };
}

/** 403 JSON unless the authenticated user has one of the roles. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    if (!roles.includes(currentUser(res).role)) return void res.status(403).json({ error: AUTH_TEXT.forbidden });
    next();
  };
}
