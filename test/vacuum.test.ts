import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/db/migrate.js';
import { openDatabase, type Database } from '../src/db/open.js';
import { vacuumEmbedded } from '../src/db/vacuum.js';

// PGlite has no autovacuum: the bot vacuums the tables that churn, or they only ever grow.
describe('the embedded database is vacuumed', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase('memory:');
    await migrate(db.sql);
    await db.sql.query(`INSERT INTO "Job" (kind, key, payload, "updatedAt") SELECT 'process', 'k' || i, '{}', now() FROM generate_series(1, 3000) i`);
  }, 60_000);
  afterAll(() => db?.close());

  const size = async () => (await db.sql.query<{ n: string }>(`SELECT pg_relation_size('"Job"') AS n`))[0].n;
  /** Every job goes through what the worker does to it: claimed (running), then done; `times` over. */
  const churn = async (times: number) => {
    for (let i = 0; i < times; i++) {
      await db.sql.query(`UPDATE "Job" SET status = 'running', "lockedAt" = now()`);
      await db.sql.query(`UPDATE "Job" SET status = 'done', "lockedAt" = NULL`);
    }
  };

  it('so that the space of rows updated since is used again, instead of the table growing with each change', async () => {
    await churn(2);
    const unvacuumed = Number(await size());
    await churn(2);
    const grown = Number(await size());
    expect(grown).toBeGreaterThan(unvacuumed * 1.5); // nothing reclaims the dead rows by itself

    await vacuumEmbedded(db);
    const vacuumed = Number(await size());
    await churn(1);
    await vacuumEmbedded(db);
    await churn(1);
    expect(Number(await size())).toBeLessThanOrEqual(vacuumed * 1.1);
    // ANALYZE ran too: the planner knows the table.
    const [stats] = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stats WHERE tablename = 'Job'`);
    expect(stats.n).toBeGreaterThan(0);
  });

});
