import express, { type ErrorRequestHandler, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { STATUS_LABELS } from '../bot/texts.js';
import { ROLES, authenticate, findApiKey, parseBody, requireRole, type PublicApiKey } from '../console/auth.js';
import type { AppDeps } from '../deps.js';
import { rateLimit } from '../limits/middleware.js';
import { hitRate, peekRate } from '../limits/rate-store.js';
import type { Dossier, DossierEvent, Notification, Prisma } from '../generated/prisma/client.js';
import { DOSSIER_STATUSES, type DossierStatus } from '../kb/schemas.js';
import { FINISHED_STATUSES } from './notify.js';
import { DossierInputError, dossierCodeSchema, dossierStatusInputSchema, upsertDossierStatus } from './service.js';
import { dossierCorrectionRouter } from './correction.js';

// The integration API the one-stop system calls (X-Api-Key), and the console's read-only views of dossiers and
// of the notices sent about them (session + role).

export const INTEGRATION_DOSSIER_PATH = '/api/integration/dossiers/:code';
export const DOSSIER_CONSOLE_PATHS = ['/api/dossiers', '/api/notifications'];

const TEXT = {
  noKey: 'Thiếu, sai hoặc đã thu hồi khóa API: gửi header X-Api-Key với khóa do quản trị viên cấp (npm run admin -- create-api-key --name <tên>).',
  tooMany: 'Quá nhiều yêu cầu với khóa API này (hoặc khóa sai từ địa chỉ này); vui lòng thử lại sau một phút.',
  notFound: (code: string) => `Không có hồ sơ mã ${code}.`,
  badJson: 'Nội dung gửi lên không phải JSON hợp lệ.',
  tooLarge: 'Nội dung gửi lên quá lớn.',
};
/** Per key. A one-stop system may push a thousand changes at once (a morning batch); this only stops a runaway client. */
const RATE_PER_MINUTE = 6000;
/** Requests with a missing or wrong key, per client address. */
const BAD_KEYS_PER_MINUTE = 20;

const labelOf = (status: string) => STATUS_LABELS[status as DossierStatus] ?? status;
const historyItem = (e: DossierEvent) => ({ status: e.status, statusLabel: labelOf(e.status), note: e.note, dueAt: e.dueAt, at: e.at });
const invalid = (res: Response, path: string, message: string) => void res.status(400).json({ error: 'invalid', issues: [{ path, message }] });

function codeParam(value: unknown, res: Response): string | undefined {
  const parsed = dossierCodeSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  invalid(res, 'code', parsed.error.issues[0].message);
  return undefined;
}

async function loadHistory(deps: AppDeps, dossierId: number) {
  const events = await deps.db.prisma.dossierEvent.findMany({ where: { dossierId }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
  return events.map(historyItem);
}

/** Everything about a dossier an official may see: the integration client owns the data, so nothing is masked. */
function dossierView(d: Dossier, now: Date) {
  return {
    code: d.code, procedureCode: d.procedureCode, procedureName: d.procedureName, applicantName: d.applicantName,
    applicantPhone: d.applicantPhone, office: d.office, receivedAt: d.receivedAt, dueAt: d.dueAt, status: d.status,
    statusLabel: labelOf(d.status), note: d.note, notePublic: d.notePublic, overdue: d.dueAt < now && !FINISHED_STATUSES.has(d.status), updatedAt: d.updatedAt,
  };
}

// ---------- integration API ----------

/** `PUT|GET /api/integration/dossiers/:code`, authenticated by `X-Api-Key`, rate-limited per key (6,000 a minute by default). */
export function createIntegrationRouter(deps: AppDeps, opts: { ratePerMinute?: number } = {}): express.Router {
  const router = express.Router();
  const { prisma } = deps.db;
  const apiKeyOf = (res: Response) => res.locals.apiKey as PublicApiKey;

  // Wrong keys are counted per address in the shared store: guessing stops at BAD_KEYS_PER_MINUTE.
  const requireApiKey: RequestHandler = async (req, res, next) => {
    const failKey = `api-key-fail:${req.ip ?? 'unknown'}`;
    const now = deps.now();
    if (!(await peekRate(deps.db.sql.query, failKey, BAD_KEYS_PER_MINUTE, 60_000, now)).allowed) return void res.status(429).json({ error: 'rate_limited', message: TEXT.tooMany });
    const key = await findApiKey(prisma, req.get('x-api-key'));
    if (!key) {
      const counted = await hitRate(deps.db.sql.query, failKey, BAD_KEYS_PER_MINUTE, 60_000, now);
      return void (counted.allowed ? res.status(401).json({ error: 'unauthorized', message: TEXT.noKey })
        : res.status(429).json({ error: 'rate_limited', message: TEXT.tooMany }));
    }
    res.locals.apiKey = key;
    next();
  };
  const limiter = rateLimit(deps, {
    windowMs: 60_000, limit: opts.ratePerMinute ?? RATE_PER_MINUTE,
    key: (_req, res) => `api-key:${apiKeyOf(res).id}`,
    onLimit: (_req, res) => void res.status(429).json({ error: 'rate_limited', message: TEXT.tooMany }),
  });
  const guard = [requireApiKey, limiter];

  router.put(INTEGRATION_DOSSIER_PATH, ...guard, express.json({ limit: deps.config.MAX_BODY_BYTES }), async (req, res) => {
    const code = codeParam(req.params.code, res);
    const body = code && parseBody(dossierStatusInputSchema, req.body, res);
    if (!code || !body) return;
    const key = apiKeyOf(res);
    let result;
    try {
      result = await upsertDossierStatus(deps, code, body, { actor: `api-key:${key.name}#${key.id}` });
    } catch (err) {
      if (err instanceof DossierInputError) return invalid(res, err.path, err.message);
      throw err;
    }
    const d = result.dossier;
    if (result.changed) deps.log.info({ code, status: d.status, notified: result.notified, apiKeyPrefix: key.prefix }, 'dossier status recorded');
    res.status(result.created ? 201 : 200).json({
      code: d.code, status: d.status, statusLabel: labelOf(d.status), changed: result.changed, created: result.created,
      notified: result.notified, history: await loadHistory(deps, d.id),
    });
  });

  router.get(INTEGRATION_DOSSIER_PATH, ...guard, async (req, res) => {
    const code = codeParam(req.params.code, res);
    if (!code) return;
    const d = await prisma.dossier.findUnique({ where: { code } });
    if (!d) return void res.status(404).json({ error: 'not_found', message: TEXT.notFound(code) });
    res.json({ ...dossierView(d, deps.now()), history: await loadHistory(deps, d.id) });
  });

  const onError: ErrorRequestHandler = (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const type = (err as { type?: string }).type;
    if (type === 'entity.parse.failed') return invalid(res, '', TEXT.badJson);
    if (type === 'entity.too.large') return void res.status(413).json({ error: 'too_large', message: TEXT.tooLarge });
    next(err);
  };
  router.use('/api/integration/dossiers', onError);
  return router;
}

// ---------- console ----------

const listQuery = z.object({
  q: z.string().trim().max(200).optional(),
  status: z.enum(DOSSIER_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export const DELIVERY_STATES = ['pending', 'queued', 'sending', 'sent', 'undelivered', 'failed', 'cancelled'] as const;
const notificationQuery = z.object({
  status: z.enum(DELIVERY_STATES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

function parseQuery<T extends z.ZodType>(schema: T, query: unknown, res: Response): z.infer<T> | undefined {
  const parsed = schema.safeParse(query);
  if (parsed.success) return parsed.data;
  res.status(400).json({ error: 'invalid', issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) });
  return undefined;
}

const messageIdOf = (n: Pick<Notification, 'status' | 'detail'>) => {
  const m = n.status === 'queued' ? /^message:(\d{1,9})$/.exec(n.detail ?? '') : null;
  return m ? Number(m[1]) : undefined;
};

/** Notices with what became of them: a queued notice's state is its outbound message's delivery status. */
async function withDelivery(deps: AppDeps, notes: Notification[]) {
  const ids = notes.map(messageIdOf).filter((id): id is number => id !== undefined);
  const messages = ids.length ? await deps.db.prisma.message.findMany({
    where: { id: { in: ids } }, select: { id: true, deliveryStatus: true, deliveryError: true },
  }) : [];
  const byId = new Map(messages.map((m) => [m.id, m]));
  const dossiers = await deps.db.prisma.dossier.findMany({ where: { id: { in: [...new Set(notes.map((n) => n.dossierId))] } }, select: { id: true, code: true } });
  const codeOf = new Map(dossiers.map((d) => [d.id, d.code]));
  return notes.map((n) => {
    const messageId = messageIdOf(n);
    const m = messageId === undefined ? undefined : byId.get(messageId);
    const state = m?.deliveryStatus && m.deliveryStatus !== 'pending' ? m.deliveryStatus : n.status;
    return {
      id: n.id, dossierCode: codeOf.get(n.dossierId) ?? null, channel: n.channel, userId: n.userId, eventId: n.eventId, text: n.text,
      status: state, detail: m?.deliveryError ?? n.detail, messageId: messageId ?? null, createdAt: n.createdAt, updatedAt: n.updatedAt,
    };
  });
}

/** The state a notice is in, computed in SQL so the console can filter and page on it. */
const EFFECTIVE_STATE_SQL = `
  SELECT n.id,
         CASE WHEN n.status = 'queued' AND m."deliveryStatus" IS NOT NULL AND m."deliveryStatus" <> 'pending'
              THEN m."deliveryStatus" ELSE n.status END AS state
  FROM "Notification" n
  LEFT JOIN "Message" m ON n.status = 'queued'
   AND m.id = (CASE WHEN n.detail ~ '^message:[0-9]{1,9}$' THEN substring(n.detail FROM 9)::int END)`;

/** `GET /api/dossiers`, `GET /api/dossiers/:code`, `GET /api/notifications`, for every console role. */
export function createDossierConsoleRouter(deps: AppDeps): express.Router {
  const router = express.Router();
  const { prisma } = deps.db;
  router.use(DOSSIER_CONSOLE_PATHS, authenticate(deps), requireRole(...ROLES));
  router.use(dossierCorrectionRouter(deps));

  // The labels the bot uses, so the console's status filter never drifts from them.
  router.get('/api/dossiers/statuses', (_req, res) => {
    res.json({ statuses: DOSSIER_STATUSES.map((value) => ({ value, label: STATUS_LABELS[value] })) });
  });
  router.get('/api/dossiers', async (req, res) => {
    const q = parseQuery(listQuery, req.query, res);
    if (!q) return;
    const text = q.q ? { contains: q.q, mode: 'insensitive' as const } : undefined;
    const where: Prisma.DossierWhereInput = {
      ...(q.status ? { status: q.status } : {}),
      ...(text ? { OR: [{ code: text }, { applicantName: text }, { procedureName: text }, { office: text }] } : {}),
    };
    const [items, total] = await Promise.all([
      prisma.dossier.findMany({ where, orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }], take: q.limit, skip: q.offset }),
      prisma.dossier.count({ where }),
    ]);
    const now = deps.now();
    res.json({ items: items.map((d) => dossierView(d, now)), total });
  });

  router.get('/api/dossiers/:code', async (req, res) => {
    const code = codeParam(req.params.code, res);
    if (!code) return;
    const d = await prisma.dossier.findUnique({ where: { code } });
    if (!d) return void res.status(404).json({ error: TEXT.notFound(code) });
    const [history, active, total, notes] = await Promise.all([
      loadHistory(deps, d.id),
      prisma.subscription.count({ where: { dossierId: d.id, active: true } }),
      prisma.subscription.count({ where: { dossierId: d.id } }),
      prisma.notification.findMany({ where: { dossierId: d.id }, orderBy: { id: 'desc' }, take: 200 }),
    ]);
    res.json({ ...dossierView(d, deps.now()), history, subscriptions: { active, total }, notifications: await withDelivery(deps, notes) });
  });

  router.get('/api/notifications', async (req, res) => {
    const q = parseQuery(notificationQuery, req.query, res);
    if (!q) return;
    const filtered = `SELECT e.id FROM (${EFFECTIVE_STATE_SQL}) e WHERE $1::text IS NULL OR e.state = $1`;
    const [rows, [count]] = await Promise.all([
      prisma.$queryRawUnsafe<Array<{ id: number }>>(`${filtered} ORDER BY id DESC LIMIT $2 OFFSET $3`, q.status ?? null, q.limit, q.offset),
      prisma.$queryRawUnsafe<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM (${filtered}) c`, q.status ?? null),
    ]);
    const notes = rows.length ? await prisma.notification.findMany({ where: { id: { in: rows.map((r) => r.id) } }, orderBy: { id: 'desc' } }) : [];
    res.json({ items: await withDelivery(deps, notes), total: count.n });
  });
  return router;
}
