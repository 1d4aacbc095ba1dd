import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Query } from '../src/db/open.js';
import { openTestDb, DB_KINDS, type TestDb } from './helpers/db.js';

// A statement seen twice runs under a name (src/db/prepared.ts embedded, namedStatements in src/db/open.ts on the
// server): it must answer exactly as the unnamed one did, and survive what can happen to a name.
describe.each(DB_KINDS)('statements by name on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => { t = await openTestDb(kind, { seed: true }); }, 120_000);
  afterAll(async () => { await t.close(); });

  const text = 'SELECT $1::int + 1 AS n, $2::timestamptz AS at, $3::jsonb AS doc, $4::text[] AS tags, $5::text AS none /* named probe */';
  const at = new Date('2026-12-04T08:30:00.000Z');
  const params = [41, at, JSON.stringify({ a: [1, 'b'] }), ['x', 'y,z'], null];
  const want = [{ n: 42, at, doc: { a: [1, 'b'] }, tags: ['x', 'y,z'], none: null }];
  /** Named statements of this session whose text contains `probe`. */
  const namedOn = async (q: Query, probe: string) => (await q<{ n: number }>(`SELECT count(*)::int AS n FROM pg_prepared_statements
    WHERE NOT from_sql AND statement LIKE '%${probe}%' AND statement NOT LIKE '%pg_prepared_statements%'`, []))[0].n;

  it('answers as the unnamed statement did, values of every kind, in and out of transactions; Prisma too', async () => {
    // Planned for its values at every run (open.ts), not by PostgreSQL's choice of a generic plan.
    expect(await t.db.sql.query('SHOW plan_cache_mode')).toEqual([{ plan_cache_mode: 'force_custom_plan' }]);
    for (let i = 0; i < 4; i++) expect(await t.db.sql.query(text, params)).toEqual(want);
    // One connection: the text is named once there (pg_prepared_statements is per session).
    const names = await t.db.sql.interactive(async (q) => {
      for (let i = 0; i < 3; i++) expect(await q(text, params)).toEqual(want);
      return [await namedOn(q, 'named probe')];
    });
    expect(names).toEqual([1]);
    // A text seen once is not named yet; the second time it is.
    const once = 'SELECT $1::int AS n /* seen-once probe */';
    const counts = await t.db.sql.interactive(async (q) => {
      expect(await q(once, [1])).toEqual([{ n: 1 }]);
      const first = await namedOn(q, 'seen-once probe');
      expect(await q(once, [2])).toEqual([{ n: 2 }]);
      return [first, await namedOn(q, 'seen-once probe')];
    });
    expect(counts).toEqual([0, 1]);
    expect(await t.db.sql.transaction('', [[text, params]])).toEqual(want);
    for (let i = 0; i < 3; i++) {
      const p = await t.db.prisma.procedure.findFirstOrThrow({ where: { name: 'Đăng ký khai sinh' } });
      expect(p.updatedAt).toBeInstanceOf(Date);
      expect(p.documents.length).toBeGreaterThan(0);
    }
  });

  it('fails a run with the database\'s own error, and the next run works', async () => {
    const divide = 'SELECT 10 / $1::int AS q';
    for (const d of [5, 2]) expect(await t.db.sql.query(divide, [d])).toEqual([{ q: 10 / d }]);
    await expect(t.db.sql.query(divide, [0])).rejects.toMatchObject({ code: '22012' });
    expect(await t.db.sql.query(divide, [10])).toEqual([{ q: 1 }]);
  });

  it('answers with a table\'s new columns after it changed under a name (at most one failure, on the server)', async () => {
    await t.db.sql.query('CREATE TABLE named_probe (a int)');
    await t.db.sql.query('INSERT INTO named_probe VALUES (1)');
    const star = 'SELECT * FROM named_probe WHERE a = $1';
    for (let i = 0; i < 6; i++) expect(await t.db.sql.query(star, [1])).toEqual([{ a: 1 }]);
    await t.db.sql.query('ALTER TABLE named_probe ADD COLUMN b text DEFAULT \'mới\'');
    const failures: unknown[] = [];
    for (let i = 0; i < 6; i++) {
      const rows = await t.db.sql.query(star, [1]).catch((err: unknown) => { failures.push(err); return undefined; });
      if (rows) expect(rows).toEqual([{ a: 1, b: 'mới' }]);
    }
    // Embedded, the thread names it again at once; a server connection that held the old plan fails once.
    expect(failures.length).toBeLessThanOrEqual(kind === 'pglite' ? 0 : 1);
    for (const err of failures) expect(err).toMatchObject({ code: '0A000' });
  });

  it('names a statement again after every name was dropped (DEALLOCATE ALL)', async () => {
    for (let i = 0; i < 3; i++) expect(await t.db.sql.query(text, params)).toEqual(want);
    const inside = await t.db.sql.interactive(async (q) => {
      await q(text, params);
      await q('DEALLOCATE ALL', []);
      return q(text, params);
    }).catch((err: unknown) => err);
    // Inside a transaction the run fails with the database's word for it (the transaction is lost either way) ...
    expect(inside).toMatchObject({ code: '26000' });
    // ... and from then on the text is named again on that connection, once.
    for (let i = 0; i < 10; i++) expect(await t.db.sql.query(text, params)).toEqual(want);
    expect(await t.db.sql.interactive(async (q) => { await q(text, params); return namedOn(q, 'named probe'); })).toBe(1);
  });

  it.runIf(kind === 'postgres')('names nothing behind PgBouncer (?pgbouncer=true, as Prisma reads it)', async () => {
    const url = new URL(t.url);
    url.searchParams.set('pgbouncer', 'true');
    const db = await openDatabase(url.toString());
    try {
      const named = await db.sql.interactive(async (q) => {
        for (let i = 0; i < 3; i++) expect(await q(text, params)).toEqual(want);
        return (await q<{ n: number }>('SELECT count(*)::int AS n FROM pg_prepared_statements', []))[0].n;
      });
      expect(named).toBe(0);
    } finally {
      await db.close();
    }
  });
});
