import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { channelHealth } from '../channels/health.js';
import type { AppDeps } from '../deps.js';
import { authenticate, currentUser, parseBody, requireRole } from './auth.js';
import { EXPORT_KINDS, IMPORT_KINDS, type ImportKind } from './imports/columns.js';
import { CONTENT_TYPES, exportKb } from './imports/export.js';
import { importFile } from './imports/import.js';
import type { FileFormat } from './imports/parse.js';
import { attachGroup, attachTargetSchema, createFaqFromGroup, dismissGroup, messageIdsSchema, REVIEW_REASONS, reviewGroups, ReviewError } from './review.js';
import { reviewContext } from './review-context.js';
import { maySeePersonal } from './personal-data.js';
import { dashboardStats } from './stats.js';
import { monthlyReport, period, reportQuery } from './reports.js';
import { byVi, writeTables } from './table-file.js';

// The review list, imports/exports and the dashboard. Every path here is behind `authenticate`.

export const DATA_PATHS = ['/api/review', '/api/imports', '/api/exports', '/api/stats', '/api/reports', '/api/channels'];
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

const TEXT = {
  badType: 'Hãy gửi tệp CSV (text/csv) hoặc Excel .xlsx.',
  tooLarge: `Tệp lớn quá ${MAX_UPLOAD_BYTES / 1024 / 1024} MB: hãy chia thành nhiều tệp.`,
  badKind: 'Loại dữ liệu không hợp lệ: dùng procedures, faqs hoặc dossiers.',
  notFound: 'Không có tệp xuất này: dùng procedures.csv, procedures.xlsx, faqs.csv hoặc faqs.xlsx.',
  invalidRows: 'Tệp có dòng không hợp lệ; chưa nhập dòng nào.',
  noMessage: 'Không tìm thấy tin nhắn của người dân này.',
};

const READERS = requireRole('admin', 'editor', 'agent', 'viewer');
const EDITORS = requireRole('admin', 'editor');
/** Dossiers come from the one-stop system: agents, who work with them, may import them too. */
const IMPORTERS: Record<ImportKind, express.RequestHandler> = {
  procedures: EDITORS, faqs: EDITORS, dossiers: requireRole('admin', 'editor', 'agent'),
};

const reviewQuery = z.object({
  threshold: z.coerce.number().min(0).max(1).optional(),
  q: z.string().trim().max(200).optional().transform((v) => v || undefined),
  reason: z.enum(REVIEW_REASONS).optional(),
  since: z.coerce.date().optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});
const statsQuery = z.object({ days: z.coerce.number().int().min(1).max(366).default(14), threshold: z.coerce.number().min(0).max(1).optional() });
const attachBody = z.object({ messageIds: messageIdsSchema, target: attachTargetSchema });
const faqBody = z.object({ messageIds: messageIdsSchema, answer: z.string() });
const dismissBody = z.object({ messageIds: messageIdsSchema });

function formatOf(req: Request): FileFormat | undefined {
  const type = (req.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'text/csv' || type === 'application/csv') return 'csv';
  if (type === CONTENT_TYPES.xlsx) return 'xlsx';
  return undefined;
}

class TooLarge extends Error {}

/** Streams the request body to a file, never holding it in memory; throws TooLarge past the limit. */
async function saveBody(req: Request, file: string): Promise<void> {
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      done(bytes > MAX_UPLOAD_BYTES ? new TooLarge() : null, chunk);
    },
  });
  await pipeline(req, limit, createWriteStream(file));
}

export function createDataRouter(deps: AppDeps): express.Router {
  const router = express.Router();
  const { prisma } = deps.db;
  const threshold = () => deps.config.NLU_CONFIDENCE_THRESHOLD;
  router.use(DATA_PATHS, authenticate(deps));
  router.use('/api/review', express.json({ limit: deps.config.MAX_BODY_BYTES }));

  const query = <T extends z.ZodType>(schema: T, req: Request, res: Response) => parseBody(schema, req.query, res);
  /** Runs a review action; its errors become 400/404 with the field, and this instance reloads the KB now. */
  const act = async (res: Response, work: () => Promise<unknown>, reload: boolean) => {
    try {
      const result = await work();
      if (reload) await deps.kb.refresh();
      res.json(result);
    } catch (err) {
      if (!(err instanceof ReviewError)) throw err;
      res.status(err.status).json({ error: err.status === 404 ? 'not_found' : 'invalid', issues: [{ path: err.field, message: err.message }] });
    }
  };

  router.get('/api/review', READERS, async (req, res) => {
    const q = query(reviewQuery, req, res);
    if (!q) return;
    const groups = await reviewGroups(prisma, { threshold: q.threshold ?? threshold(), since: q.since, limit: q.limit, q: q.q, reason: q.reason });
    res.json({ threshold: q.threshold ?? threshold(), groups });
  });

  router.get('/api/review/context/:id', READERS, async (req, res) => {
    const id = /^\d{1,9}$/.test(req.params.id as string) ? Number(req.params.id) : 0;
    const context = id ? await reviewContext(prisma, id, maySeePersonal(currentUser(res).role)) : null;
    if (!context) return void res.status(404).json({ error: TEXT.noMessage });
    res.json(context);
  });

  router.post('/api/review/attach', EDITORS, async (req, res) => {
    const body = parseBody(attachBody, req.body, res);
    if (body) await act(res, () => attachGroup(prisma, body.messageIds, body.target, currentUser(res).username), true);
  });

  router.post('/api/review/faq', EDITORS, async (req, res) => {
    const body = parseBody(faqBody, req.body, res);
    if (body) await act(res, () => createFaqFromGroup(prisma, body.messageIds, body.answer, currentUser(res).username), true);
  });

  router.post('/api/review/dismiss', EDITORS, async (req, res) => {
    const body = parseBody(dismissBody, req.body, res);
    if (body) await act(res, () => dismissGroup(prisma, body.messageIds, currentUser(res).username), false);
  });

  router.post('/api/imports/:kind', (req, res, next) => {
    const kind = req.params.kind as ImportKind;
    if (!IMPORT_KINDS.includes(kind)) return void res.status(404).json({ error: TEXT.badKind });
    IMPORTERS[kind](req, res, next);
  }, async (req, res) => {
    const kind = req.params.kind as ImportKind;
    const format = formatOf(req);
    if (!format) return void res.status(415).json({ error: 'invalid', issues: [{ path: 'content-type', message: TEXT.badType }] });
    const declared = Number(req.get('content-length') ?? 0);
    if (declared > MAX_UPLOAD_BYTES) return void res.status(413).json({ error: TEXT.tooLarge });
    const dir = await mkdtemp(path.join(tmpdir(), 'cchc-import-'));
    try {
      const file = path.join(dir, `${randomUUID()}.${format}`);
      try {
        await saveBody(req, file);
      } catch (err) {
        if (err instanceof TooLarge) return void res.status(413).set('Connection', 'close').json({ error: TEXT.tooLarge });
        throw err;
      }
      const dryRun = ['1', 'true', 'yes'].includes(String(req.query.dryRun ?? '').toLowerCase());
      const source = typeof req.query.filename === 'string' ? req.query.filename.slice(0, 200) : undefined;
      const summary = await importFile(prisma, kind, { path: file, format }, { dryRun, actor: currentUser(res).username, source });
      if (!summary.ok) return void res.status(400).json({ error: 'invalid', message: TEXT.invalidRows, ...summary });
      if (!dryRun && summary.created + summary.updated > 0) {
        if (kind === 'dossiers') deps.queue.poke(); // notices for subscribers were queued with the import
        else await deps.kb.refresh();
      }
      res.json(summary);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  router.get('/api/exports/:file', READERS, async (req, res) => {
    const m = /^(\w+)\.(csv|xlsx)$/.exec(req.params.file as string);
    const kind = m?.[1] as (typeof EXPORT_KINDS)[number] | undefined;
    if (!m || !kind || !EXPORT_KINDS.includes(kind)) return void res.status(404).json({ error: TEXT.notFound });
    const format = m[2] as FileFormat;
    const day = deps.now().toISOString().slice(0, 10);
    res.set('Content-Type', CONTENT_TYPES[format]);
    res.attachment(`${kind}-${day}.${format}`);
    await exportKb(prisma, kind, format, res);
    if (!res.writableEnded) res.end();
  });

  /** Whether each channel works: `degraded` with why (e.g. the Zalo OA must be re-authorised). */
  router.get('/api/channels', READERS, async (_req, res) => {
    res.json({ channels: await channelHealth(deps) });
  });

  router.get('/api/stats', READERS, async (req, res) => {
    const q = query(statsQuery, req, res);
    if (!q) return;
    res.json(await dashboardStats(prisma, { days: q.days, threshold: q.threshold ?? threshold(), now: deps.now() }));
  });

  /** The monthly report: the first tables as JSON for the page's preview, or every table as a file. */
  router.get('/api/reports/monthly', READERS, async (req, res) => {
    const q = query(reportQuery, req, res);
    if (!q) return;
    const p = period(q, deps.now());
    const tables = await monthlyReport(prisma, p, { threshold: threshold() });
    res.json({ from: p.from, to: p.to, office: p.office ?? null, tables: tables.slice(0, 4) });
  });

  router.get('/api/reports/monthly.:format', READERS, async (req, res) => {
    const format = req.params.format;
    if (format !== 'csv' && format !== 'xlsx') return void res.status(404).json({ error: 'Chỉ xuất được tệp .csv hoặc .xlsx.' });
    const q = query(reportQuery, req, res);
    if (!q) return;
    const p = period(q, deps.now());
    const tables = await monthlyReport(prisma, p, { threshold: threshold() });
    res.set('Content-Type', CONTENT_TYPES[format]);
    res.attachment(`bao-cao-${p.from}-${p.to}.${format}`);
    await writeTables(format, tables, res);
    if (!res.writableEnded) res.end();
  });

  /** Offices the report can be limited to: the knowledge base's and those named on dossiers and ratings. */
  router.get('/api/reports/offices', READERS, async (_req, res) => {
    const [offices, dossiers, ratings] = await Promise.all([
      prisma.office.findMany({ select: { name: true } }),
      prisma.dossier.groupBy({ by: ['office'] }),
      prisma.rating.groupBy({ by: ['office'], where: { office: { not: null } } }),
    ]);
    const names = new Set([...offices.map((o) => o.name), ...dossiers.map((d) => d.office), ...ratings.map((r) => r.office!)]);
    res.json({ items: [...names].sort(byVi((x) => x)) });
  });

  return router;
}
