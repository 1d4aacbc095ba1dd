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
