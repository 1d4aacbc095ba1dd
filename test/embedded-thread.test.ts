import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { messages, PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedThread } from '../src/db/embedded-client.js';
import { embeddedFsyncs, type Database } from '../src/db/open.js';
import { prepareDatabase } from '../src/db/prepare.js';

// The embedded database on disk runs in a thread of its own (src/db/embedded-client.ts): what crosses between the
// threads must behave as PGlite on the bot's thread did.
describe('embedded database in its own thread', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'embedded-thread-'));
  let db: Database;
  beforeAll(async () => {
    db = await prepareDatabase(`file:${dir}/db`, { seed: true });
  });
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads through Prisma as before: dates, text arrays, JSON, counts', async () => {
    const p = await db.prisma.procedure.findFirstOrThrow({ where: { name: 'Đăng ký khai sinh' } });
    expect(p.updatedAt).toBeInstanceOf(Date);
    expect(p.documents.length).toBeGreaterThan(0);
    expect(await db.prisma.procedure.count()).toBeGreaterThanOrEqual(23);
    const [row] = await db.sql.query<{ n: number; at: Date; doc: unknown }>(`SELECT 2 + 2 AS n, now() AS at, '{"a": [1, "b"]}'::jsonb AS doc`);
    expect(row).toEqual({ n: 4, at: expect.any(Date), doc: { a: [1, 'b'] } });
  });

  it('returns a database error as PGlite\'s own, so Prisma maps a unique violation to P2002', async () => {
    const p = await db.prisma.procedure.findFirstOrThrow();
    await expect(db.prisma.procedure.create({ data: { id: p.id, name: 'Bản trùng', field: 'Thử', level: 'Cấp xã', office: 'UBND', processingTime: '1 ngày',
      fee: 'Không', place: 'Bộ phận một cửa', howToSubmit: 'Trực tiếp', documents: [], legalBasis: [], aliases: [] } })).rejects.toMatchObject({ code: 'P2002' });
    const err = await db.sql.query('SELECT no_such_column FROM "Procedure"').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(messages.DatabaseError);
    expect(err).toMatchObject({ code: '42703', message: expect.stringContaining('no_such_column') });
  });

  it('rolls a transaction back when its work throws, and keeps transactions apart', async () => {
    const before = await db.prisma.faq.count();
    await expect(db.prisma.$transaction(async (tx) => {
      await tx.faq.create({ data: { questions: ['câu hỏi sẽ bị hủy'], answer: 'Dạ.' } });
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(await db.prisma.faq.count()).toBe(before);
    // While one transaction holds the database, a statement from outside waits for its end (it does not run inside).
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    const first = db.sql.interactive(async (q) => {
      await q(`INSERT INTO "Faq" (questions, answer, tags, "updatedAt") VALUES (ARRAY['giữ chỗ'], 'Dạ.', '{}', now())`);
      await held;
      await q('SELECT 1');
      throw new Error('undo');
    });
    const outside = db.prisma.faq.count();
    release();
    await expect(first).rejects.toThrow('undo');
    expect(await outside).toBe(before);
  });

  it('commits a durable batch through to the disk, and an ordinary one without waiting for it', async () => {
    await db.sql.transaction('CREATE TABLE IF NOT EXISTS thread_probe (n int)', []);
    let before = embeddedFsyncs();
    await db.sql.transaction('', [['INSERT INTO thread_probe VALUES (1)', []]], { durable: true });
    expect(embeddedFsyncs()).toBeGreaterThan(before);
    before = embeddedFsyncs();
    const rows = await db.sql.transaction<{ n: number }>('', [['INSERT INTO thread_probe VALUES (2)', []], ['SELECT count(*)::int AS n FROM thread_probe', []]]);
    expect(rows).toEqual([{ n: 2 }]);
    expect(embeddedFsyncs()).toBe(before);
  });

  it('names a statement that repeats, and answers as before: values of every kind, errors, a changed table, a deallocation', async () => {
    const text = 'SELECT $1::int + 1 AS n, $2::timestamptz AS at, $3::jsonb AS doc, $4::text[] AS tags, $5::text AS none /* prepared probe */';
    const at = new Date('2026-12-04T08:30:00.000Z');
    const params = [41, at, JSON.stringify({ a: [1, 'b'] }), ['x', 'y,z'], null];
    const want = [{ n: 42, at, doc: { a: [1, 'b'] }, tags: ['x', 'y,z'], none: null }];
    const named = async () => (await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_prepared_statements
      WHERE NOT from_sql AND statement LIKE '%prepared probe%' AND statement NOT LIKE '%pg_prepared_statements%'`))[0].n;
    expect(await db.sql.query(text, params)).toEqual(want);
    expect(await named()).toBe(0); // seen once: not named yet
    for (let i = 0; i < 3; i++) expect(await db.sql.query(text, params)).toEqual(want);
    expect(await named()).toBe(1);
    // Inside a transaction and in a batch, as outside.
    expect(await db.sql.interactive((q) => q(text, params))).toEqual(want);
    expect(await db.sql.transaction('', [[text, params]])).toEqual(want);

    // A failing run is PGlite's own error, and the next run works.
    const divide = 'SELECT 10 / $1::int AS q';
    for (const d of [5, 2]) expect(await db.sql.query(divide, [d])).toEqual([{ q: 10 / d }]);
    await expect(db.sql.query(divide, [0])).rejects.toMatchObject({ code: '22012' });
    expect(await db.sql.query(divide, [10])).toEqual([{ q: 1 }]);

    // A table that changes under a named statement: its new columns come back (outside a transaction).
    await db.sql.query('CREATE TABLE prepared_probe (a int)');
    await db.sql.query('INSERT INTO prepared_probe VALUES (1)');
    const star = 'SELECT * FROM prepared_probe WHERE a = $1';
    for (let i = 0; i < 2; i++) expect(await db.sql.query(star, [1])).toEqual([{ a: 1 }]);
    await db.sql.query('ALTER TABLE prepared_probe ADD COLUMN b text DEFAULT \'mới\'');
    expect(await db.sql.query(star, [1])).toEqual([{ a: 1, b: 'mới' }]);
    expect(await db.sql.query(star, [1])).toEqual([{ a: 1, b: 'mới' }]);

    // Every name dropped (as DISCARD ALL would): the statements are named again.
    await db.sql.query('DEALLOCATE ALL');
    expect(await db.sql.query(text, params)).toEqual(want);
    expect(await db.sql.query(text, params)).toEqual(want);
    expect(await named()).toBe(1);
    // Prisma's statements go the same way (its parsers, rows as arrays).
    for (let i = 0; i < 3; i++) expect((await db.prisma.procedure.findFirstOrThrow({ where: { name: 'Đăng ký khai sinh' } })).updatedAt).toBeInstanceOf(Date);
  });

  it('leaves the bot\'s thread free while the database works', async () => {
    // A statement that keeps the database busy for 300 ms: on the bot's thread it would hold every timer that long.
    let ticks = 0;
    const timer = setInterval(() => { ticks++; }, 10);
    await db.sql.query('SELECT pg_sleep(0.3)');
    clearInterval(timer);
    expect(ticks).toBeGreaterThanOrEqual(10);
  });

  it('says when its thread is gone, and fails every statement with why; a close is not a loss', async () => {
    const thread = new EmbeddedThread(undefined, { startParams: PGlite.defaultStartParams });
    await thread.waitReady;
    let lost: Error | undefined;
    void thread.lost.then((err) => { lost = err; });
    const pending = thread.query('SELECT pg_sleep(5)');
    // As a crash or an out-of-memory end would stop it.
    await (thread as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await expect(pending).rejects.toThrow(/embedded database's thread stopped/);
    await expect(thread.query('SELECT 1')).rejects.toThrow(/embedded database's thread stopped/);
    await new Promise((r) => setImmediate(r));
    expect(lost?.message).toMatch(/embedded database's thread stopped/);

    const closed = new EmbeddedThread(undefined, { startParams: PGlite.defaultStartParams });
    await closed.waitReady;
    let closedLost = false;
    void closed.lost.then(() => { closedLost = true; });
    await closed.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(closedLost).toBe(false);
  });
});
