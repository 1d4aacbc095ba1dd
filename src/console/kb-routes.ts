import express, { type Response } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { faqSchema, officeSchema, procedureSchema, reformModelSchema } from '../kb/schemas.js';
import { fold } from '../nlu/text.js';
import { HttpError, idParam } from '../http/errors.js';
import { currentUser, parseBody, requireRole } from './auth.js';
import { diffSnapshots, FIELD_LABELS } from './field-labels.js';
import { byVi } from './table-file.js';

// Knowledge-base editing: list/search/create/edit/delete, each change committed together with its Revision
// and AuditLog rows, version history with restore, the audit log and "try it".

type Db = PrismaClient | Prisma.TransactionClient;
type Row = { id: number; version: number } & Record<string, unknown>;
/** The part of a Prisma model delegate this router uses, the same for the four tables. */
interface Table {
  findMany(args?: object): Promise<Row[]>;
  findUnique(args: { where: { id: number } }): Promise<Row | null>;
  findFirst(args: { where: object }): Promise<Row | null>;
  create(args: { data: object }): Promise<Row>;
  update(args: { where: { id: number; version?: number }; data: object }): Promise<Row>;
  delete(args: { where: { id: number } }): Promise<Row>;
}
interface EntitySpec {
  type: 'faq' | 'procedure' | 'model' | 'office';
  path: string;
  schema: z.ZodObject;
  table: (db: Db) => Table;
  orderBy: object;
  unique: string[];
  label: (row: Record<string, unknown>) => string;
  /** Listed by name in Vietnamese alphabetical order (the database's collation may be code-point order). */
  alphabetical?: boolean;
  searchable: (row: Row) => unknown[];
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
export const ENTITIES: EntitySpec[] = [
  { type: 'faq', path: 'faqs', schema: faqSchema, table: (db) => db.faq as unknown as Table, orderBy: { id: 'desc' },
    unique: [], label: (r) => str((r.questions as string[] | undefined)?.[0]),
    searchable: (r) => [r.questions, r.answer, r.tags] },
  { type: 'procedure', path: 'procedures', schema: procedureSchema, table: (db) => db.procedure as unknown as Table,
    orderBy: { name: 'asc' }, unique: ['name', 'code'], label: (r) => str(r.name), alphabetical: true,
    searchable: (r) => [r.code, r.name, r.field, r.level, r.office, r.aliases] },
  { type: 'model', path: 'models', schema: reformModelSchema, table: (db) => db.reformModel as unknown as Table,
    orderBy: { name: 'asc' }, unique: ['name'], label: (r) => str(r.name), alphabetical: true,
    searchable: (r) => [r.name, r.locality, r.province, r.agency, r.category, r.keywords, r.summary] },
  { type: 'office', path: 'offices', schema: officeSchema, table: (db) => db.office as unknown as Table,
    orderBy: [{ isPrimary: 'desc' }, { id: 'asc' }], unique: ['name'], label: (r) => str(r.name),
    searchable: (r) => [r.name, r.address, r.phone, r.email] },
];
export const KB_PATHS = [...ENTITIES.map((e) => `/api/${e.path}`), '/api/try'];

const TEXT = {
  notFound: 'Không tìm thấy mục này (có thể đã bị xóa).',
  revisionNotFound: 'Không tìm thấy phiên bản này.',
  conflict: 'Mục này vừa được người khác sửa. Vui lòng tải lại để xem bản mới nhất trước khi sửa tiếp.',
  duplicate: 'Đã có một mục khác có cùng giá trị này.',
  empty: 'Không có trường nào để sửa.',
  badSnapshot: 'Phiên bản này không còn hợp lệ với quy định dữ liệu hiện tại nên không khôi phục được.',
};
const WRITERS = requireRole('admin', 'editor');
const READERS = requireRole('admin', 'editor', 'agent', 'viewer');
const PAGE_SIZE = 50;

const listQuery = z.object({
  q: z.string().max(200).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(PAGE_SIZE),
});
const searchKey = (s: string) => fold(s.toLowerCase());
const flat = (values: unknown[]): string => values.flat().filter((v) => typeof v === 'string').join(' ');

const toJson = (row: object) => JSON.parse(JSON.stringify(row)) as Prisma.InputJsonValue;
const changedFields = (spec: EntitySpec, before: Record<string, unknown>, after: Record<string, unknown>) =>
  Object.keys(spec.schema.shape).filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null));

/** Writes the Revision and AuditLog rows of one change, inside its transaction. */
async function record(tx: Prisma.TransactionClient, spec: EntitySpec, row: Row, action: string, actor: string,
  version: number, detail: Record<string, unknown>): Promise<void> {
  await tx.revision.create({
    data: { entityType: spec.type, entityId: row.id, version, action, data: toJson(row), changedBy: actor },
  });
  await tx.auditLog.create({
    data: { actor, action: `${spec.type}.${action}`, entityType: spec.type, entityId: String(row.id),
      detail: toJson({ name: spec.label(row), version, ...detail }) },
  });
}

/** Entries loaded by the seed or an import have no history yet: their first edit keeps the original restorable. */
async function ensureBaseline(tx: Prisma.TransactionClient, spec: EntitySpec, before: Row): Promise<void> {
  if (await tx.revision.count({ where: { entityType: spec.type, entityId: before.id } })) return;
  await tx.revision.create({
    data: { entityType: spec.type, entityId: before.id, version: before.version, action: 'create', data: toJson(before),
      changedBy: null, createdAt: before.createdAt instanceof Date ? before.createdAt : undefined },
  });
}

async function assertUnique(spec: EntitySpec, t: Table, data: Record<string, unknown>, id?: number): Promise<void> {
  for (const field of spec.unique) {
    if (data[field] == null) continue;
    const other = await t.findFirst({ where: { [field]: data[field], ...(id ? { NOT: { id } } : {}) } });
    if (other) throw new HttpError(409, { error: 'conflict', issues: [{ path: field, message: TEXT.duplicate }] });
  }
}

function sendError(res: Response, err: unknown): void {
  if (err instanceof HttpError) return void res.status(err.status).json(err.body);
  if ((err as { code?: string }).code === 'P2002') return void res.status(409).json({ error: 'conflict', issues: [{ path: '', message: TEXT.duplicate }] });
  if ((err as { code?: string }).code === 'P2025') return void res.status(409).json({ error: TEXT.conflict });
  throw err;
}

function entityRoutes(router: express.Router, deps: AppDeps, spec: EntitySpec): void {
  const { prisma } = deps.db;
  const base = `/api/${spec.path}`;
  const t = spec.table(prisma);
  const commit = async (res: Response, status: number, work: (tx: Prisma.TransactionClient) => Promise<Row | null>) => {
    try {
      const row = await prisma.$transaction(work);
      if (!row) return void res.status(404).json({ error: TEXT.notFound });
      await deps.kb.changed();
      res.status(status).json(row);
    } catch (err) {
      sendError(res, err);
    }
  };

  router.get(base, READERS, async (req, res) => {
    const query = parseBody(listQuery, req.query, res);
    if (!query) return;
    const words = searchKey(query.q ?? '').split(/\s+/).filter(Boolean);
    const all = await t.findMany({ orderBy: spec.orderBy });
    if (spec.alphabetical) all.sort(byVi((r) => spec.label(r)));
    const hits = words.length ? all.filter((r) => { const s = searchKey(flat(spec.searchable(r))); return words.every((w) => s.includes(w)); }) : all;
    const start = (query.page - 1) * query.pageSize;
    res.json({ items: hits.slice(start, start + query.pageSize), total: hits.length, page: query.page, pageSize: query.pageSize });
  });

  router.get(`${base}/deleted`, READERS, async (_req, res) => {
    const deletions = await prisma.revision.findMany({ where: { entityType: spec.type, action: 'delete' }, orderBy: { id: 'desc' }, take: 500 });
    const alive = new Set((await t.findMany({ where: { id: { in: deletions.map((d) => d.entityId) } } })).map((r) => r.id));
    const seen = new Set<number>();
    const items = deletions.filter((d) => !alive.has(d.entityId) && !seen.has(d.entityId) && seen.add(d.entityId))
      .map((d) => ({ id: d.entityId, revisionId: d.id, name: spec.label(d.data as Record<string, unknown>), deletedBy: d.changedBy, deletedAt: d.createdAt }));
    res.json({ items });
  });

  router.get(`${base}/:id`, READERS, async (req, res) => {
    const id = idParam(req.params.id);
    const row = id ? await t.findUnique({ where: { id } }) : null;
    if (!row) return void res.status(404).json({ error: TEXT.notFound });
    res.json(row);
  });

  router.post(base, WRITERS, async (req, res) => {
    const data = parseBody(spec.schema, req.body, res);
    if (!data) return;
    const actor = currentUser(res).username;
    await commit(res, 201, async (tx) => {
      const table = spec.table(tx);
      await assertUnique(spec, table, data);
      // An entry an official writes is the office's own word: verified by its author.
      const row = await table.create({ data: { ...data, version: 1, verifiedBy: actor, verifiedAt: new Date() } });
      await record(tx, spec, row, 'create', actor, row.version, {});
      return row;
    });
  });

  router.patch(`${base}/:id`, WRITERS, async (req, res) => {
    const id = idParam(req.params.id);
    if (!id) return void res.status(404).json({ error: TEXT.notFound });
    const parsed = parseBody(spec.schema.partial(), req.body, res);
    if (!parsed) return;
    // .partial() still fills defaults; only the fields the client sent change.
    const body = (req.body ?? {}) as Record<string, unknown>;
    const data = Object.fromEntries(Object.entries(parsed).filter(([k]) => Object.hasOwn(body, k)));
    if (Object.keys(data).length === 0) return void res.status(400).json({ error: 'invalid', issues: [{ path: '', message: TEXT.empty }] });
    const expected = Number.isInteger(body.version) ? (body.version as number) : undefined;
    const actor = currentUser(res).username;
    await commit(res, 200, async (tx) => {
      const table = spec.table(tx);
      const before = await table.findUnique({ where: { id } });
      if (!before) return null;
      if (expected !== undefined && expected !== before.version) throw new HttpError(409, { error: TEXT.conflict, version: before.version });
      await assertUnique(spec, table, data, id);
      await ensureBaseline(tx, spec, before);
      const row = await table.update({ where: { id, version: before.version }, data: { ...data, version: before.version + 1 } });
      await record(tx, spec, row, 'update', actor, row.version, { changed: changedFields(spec, before, row) });
      return row;
    });
  });

  router.delete(`${base}/:id`, WRITERS, async (req, res) => {
    const id = idParam(req.params.id);
    if (!id) return void res.status(404).json({ error: TEXT.notFound });
    const actor = currentUser(res).username;
    await commit(res, 200, async (tx) => {
      const table = spec.table(tx);
      const row = await table.findUnique({ where: { id } });
      if (!row) return null;
      await ensureBaseline(tx, spec, row);
      await table.delete({ where: { id } });
      await record(tx, spec, row, 'delete', actor, row.version + 1, {});
      return row;
    });
  });

  router.get(`${base}/:id/revisions`, READERS, async (req, res) => {
    const id = idParam(req.params.id);
    if (!id) return void res.status(404).json({ error: TEXT.notFound });
    const revisions = await prisma.revision.findMany({ where: { entityType: spec.type, entityId: id }, orderBy: { id: 'asc' } });
    const fields = [...new Set([...Object.keys(FIELD_LABELS[spec.type] ?? {}), ...Object.keys(spec.schema.shape)])];
    const items = revisions.map((r, i) => {
      const before = i === 0 ? null : revisions[i - 1].data as Record<string, unknown>;
      return {
        ...r,
        changed: before ? changedFields(spec, before, r.data as Record<string, unknown>) : [],
        // Field by field against the version before, as the form labels each field; the first shows what it held.
        diff: diffSnapshots(spec.type, fields, before, r.data as Record<string, unknown>),
      };
    }).reverse();
    res.json({ items });
  });

  router.post(`${base}/:id/revisions/:revisionId/restore`, WRITERS, async (req, res) => {
    const id = idParam(req.params.id);
    const revisionId = idParam(req.params.revisionId);
    const revision = id && revisionId
      ? await prisma.revision.findFirst({ where: { id: revisionId, entityType: spec.type, entityId: id } }) : null;
    if (!id || !revision) return void res.status(404).json({ error: TEXT.revisionNotFound });
    const snapshot = revision.data as Record<string, unknown>;
    const data = spec.schema.safeParse(snapshot);
    if (!data.success) return void res.status(409).json({ error: TEXT.badSnapshot });
    const actor = currentUser(res).username;
    await commit(res, 200, async (tx) => {
      const table = spec.table(tx);
      const current = await table.findUnique({ where: { id } });
      await assertUnique(spec, table, data.data, id);
      const last = await tx.revision.aggregate({ where: { entityType: spec.type, entityId: id }, _max: { version: true } });
      const version = Math.max(current?.version ?? 0, last._max.version ?? 0) + 1;
      const row = current
        ? await table.update({ where: { id, version: current.version }, data: { ...data.data, version } })
        : await table.create({ data: { ...data.data, id, version, isSample: snapshot.isSample === true } });
      await record(tx, spec, row, 'restore', actor, version,
        { fromRevision: revision.id, fromVersion: revision.version, changed: current ? changedFields(spec, current, row) : [] });
      return row;
    });
  });
}

const tryBody = z.object({ text: z.string().trim().min(1).max(1000) });

class Rollback extends Error {
  constructor(readonly value: unknown) { super('preview rolled back'); }
}
/** Runs the bot's preview in a transaction that is always rolled back: trying a question records nothing. */
async function previewWithoutSideEffects(deps: AppDeps, text: string): Promise<unknown> {
  try {
    await deps.db.prisma.$transaction(async (tx) => { throw new Rollback(await deps.bot.preview(text, tx, deps.now())); });
  } catch (err) {
    if (err instanceof Rollback) return err.value;
    throw err;
  }
  throw new Error('unreachable: the preview transaction always rolls back');
}

/** The knowledge-base routes; mount behind `authenticate`. */
export function kbRouter(deps: AppDeps): express.Router {
  const router = express.Router();
  for (const spec of ENTITIES) entityRoutes(router, deps, spec);

  router.post('/api/try', READERS, async (req, res) => {
    const body = parseBody(tryBody, req.body, res);
    if (!body) return;
    res.json(await previewWithoutSideEffects(deps, body.text));
  });
  return router;
}
