import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../src/db/embedded-lock.js';
import { migrate } from '../src/db/migrate.js';
import { eachEntry, openDatabase } from '../src/db/open.js';
import { prepareDatabase } from '../src/db/prepare.js';
import { pendingMigrationSql } from '../src/db/schema-diff.js';
import { ensureTemplate } from '../src/db/template.js';
import { syncAdminUnits } from '../src/places/dataset/load-db.js';
import { loadKbSnapshot } from '../src/kb/snapshot.js';
import { DB_KINDS, openTestDb } from './helpers/db.js';

describe('schema and migrations', () => {
  it('schema.prisma and prisma/migrations agree (run `npm run db:migration -- <name>` if this fails)', async () => {
    expect(await pendingMigrationSql()).toBe('');
  });
});

describe.each(DB_KINDS)('database on %s', (kind) => {
  it('applies migrations once, records them as Prisma does, and seeds the sample knowledge base', async () => {
    const t = await openTestDb(kind);
    try {
      const rows = await t.db.sql.query<{ migration_name: string; checksum: string }>('SELECT migration_name, checksum FROM "_prisma_migrations"');
      expect(rows.length).toBeGreaterThan(0);
      expect(rows[0].checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(await migrate(t.db.sql)).toEqual([]);
      const kb = await loadKbSnapshot(t.db.prisma);
      expect(kb.procedures.length).toBeGreaterThanOrEqual(23);
      expect(kb.models.length).toBeGreaterThanOrEqual(35);
      expect(kb.procedures.every((p) => p.isSample)).toBe(true);
      const dossier = await t.db.prisma.dossier.findUnique({ where: { code: '000.00.19.H12-231123-0001' }, include: { events: true } });
      expect(dossier?.events.length).toBeGreaterThan(0);
      const hits = await t.db.prisma.procedure.findMany({ where: { name: { contains: 'khai sinh', mode: 'insensitive' } } });
      expect(hits.map((h) => h.name)).toContain('Đăng ký khai sinh');
    } finally {
      await t.close();
    }
  });

  it('reads text arrays back exactly, whatever their elements hold (quotes, backslashes, braces, commas, NULL, empty)', async () => {
    const t = await openTestDb(kind, { seed: false });
    try {
      const documents = ['Tờ khai theo mẫu "TK1", bản chính', 'Đường dẫn C:\\hồ sơ\\ "a\\"', '{trong ngoặc}', 'NULL', 'null', '', '  cách  ', 'Giấy tờ '.repeat(200)];
      const p = await t.db.prisma.procedure.create({ data: { name: 'Thủ tục thử mảng', field: 'Thử', level: 'Cấp xã', office: 'UBND', processingTime: '1 ngày',
        fee: 'Không', place: 'Bộ phận một cửa', howToSubmit: 'Trực tiếp', documents, legalBasis: [], aliases: ['một', 'hai, ba'] } });
      const read = await t.db.prisma.procedure.findUniqueOrThrow({ where: { id: p.id } });
      expect(read.documents).toEqual(documents);
      expect(read.legalBasis).toEqual([]);
      expect(read.aliases).toEqual(['một', 'hai, ba']);
      const [raw] = await t.db.sql.query<{ documents: string[]; nothing: string[] | null; holes: Array<string | null> }>(
        `SELECT documents, NULL::text[] AS nothing, ARRAY['a', NULL, 'b']::varchar[] AS holes FROM "Procedure" WHERE id = $1`, [p.id]);
      expect(raw).toEqual({ documents, nothing: null, holes: ['a', null, 'b'] });
    } finally {
      await t.close();
    }
  });
});

/** The permission bits of every file and directory under `root`. */
function modes(root: string): number[] {
  const found: number[] = [];
  eachEntry(root, (file) => found.push(statSync(file).mode & 0o777));
  return found;
}

describe('embedded database', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cchc-db-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('persists to its directory and refuses a second opener while the first holds it', async () => {
    const url = `file:${dir}`;
    const first = await openDatabase(url);
    await migrate(first.sql);
    await expect(openDatabase(url)).rejects.toThrow(/in use by another process/);
    await first.close();
    const again = await openDatabase(url);
    const rows = await again.sql.query('SELECT count(*)::int AS n FROM "_prisma_migrations"');
    expect((rows[0] as { n: number }).n).toBeGreaterThan(0);
    await again.close();
  });

  it('lets the event loop take a turn while statements run back to back (sockets are polled, timers fire)', async () => {
    const db = await openDatabase('memory:');
    try {
      let done = 0;
      const seenAt: number[] = [];
      const tick = () => setImmediate(() => { seenAt.push(done); if (seenAt.length < 3) tick(); });
      tick();
      // One caller awaiting statement after statement, as a job does, for 100 ms. PGlite on this thread resolved each
      // at once and the chain ran as microtasks: the event loop saw none of it until the end. In its own thread
      // each answer is a message, which arrives in a turn of the event loop.
      const until = performance.now() + 100;
      while (performance.now() < until) {
        await db.sql.query('SELECT 1');
        done++;
      }
      expect(seenAt).toHaveLength(3);
      expect(seenAt[2]).toBeLessThan(done);
    } finally {
      await db.close();
    }
  });

  it('starts a new database from the build\'s template: a copy, migrated, holding the map, nothing left to load', async () => {
    const root = path.join(dir, 'templates');
    mkdirSync(path.join(root, 'older-template'), { recursive: true });
    const { dir: template, made } = await ensureTemplate(root);
    expect(made).toBe(true);
    expect(readdirSync(root)).toEqual([path.basename(template)]); // the older one is gone
    expect(existsSync(path.join(template, LOCK_FILE))).toBe(false);
    expect(modes(template).every((m) => (m & 0o444) === 0o444)).toBe(true); // a bot running as another user can copy it
    expect((await ensureTemplate(root)).made).toBe(false);

    const url = `file:${path.join(dir, 'from-template')}`;
    const db = await prepareDatabase(url, { seed: true, template });
    try {
      expect(await migrate(db.sql)).toEqual([]);
      expect((await syncAdminUnits(db.sql)).loaded).toBe(false);
      const [{ n }] = await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM "AdminCommune"');
      expect(n).toBe(3321);
      expect(await db.prisma.procedure.count()).toBeGreaterThan(0); // the sample, seeded after the copy
      await db.prisma.faq.create({ data: { questions: ['Hỏi thử?'], answer: 'Dạ, trả lời thử.' } });
    } finally {
      await db.close();
    }
    expect(statSync(path.join(dir, 'from-template')).mode & 0o077).toBe(0); // the copy is the bot's alone
    // The copy is a database of its own: it reopens with what was written, and the template is unchanged.
    const again = await openDatabase(url);
    expect(await again.prisma.faq.count({ where: { questions: { has: 'Hỏi thử?' } } })).toBe(1);
    await again.close();
    const original = await openDatabase(`file:${template}`);
    expect(await original.prisma.procedure.count()).toBe(0);
    await original.close();
  });

  it('creates the database the long way, saying why, when the template cannot be copied', async () => {
    const broken = path.join(dir, 'broken-template');
    cpSync((await ensureTemplate(path.join(dir, 'templates'))).dir, broken, { recursive: true });
    const socket = createServer().listen(path.join(broken, 'base', 'not-a-file.sock')); // cp refuses sockets
    await once(socket, 'listening');
    const warnings: unknown[] = [];
    try {
      const db = await openDatabase(`file:${path.join(dir, 'long-way')}`, { template: () => broken, log: { warn: (o: unknown) => warnings.push(o) } as never });
      try {
        expect((await migrate(db.sql)).length).toBeGreaterThan(0); // a new initdb: nothing of the template
      } finally {
        await db.close();
      }
    } finally {
      socket.close();
    }
    expect(warnings).toHaveLength(1);
    expect(readdirSync(path.join(dir, 'long-way'))).not.toContain('not-a-file.sock');
  });

  it('rejects an unsupported DATABASE_URL with a clear message', async () => {
    await expect(openDatabase('mysql://x')).rejects.toThrow(/DATABASE_URL .* is not supported/);
    await expect(openDatabase('postgres://nobody@127.0.0.1:1/none')).rejects.toThrow(/Cannot connect to the PostgreSQL server/);
  });
});
