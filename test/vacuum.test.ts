import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/db/migrate.js';
import { openDatabase, type Database } from '../src/db/open.js';
import { startEmbeddedVacuum, vacuumEmbedded } from '../src/db/vacuum.js';
import { createLogger } from '../src/logger.js';
import { metrics } from '../src/metrics.js';
import { histogramTotals } from './helpers/metrics.js';
import { waitFor } from './helpers/server.js';

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
    // ANALYZE ran too: the planner knows the table; not an empty one (statistics of an empty table mislead it).
    const stats = async (table: string) => (await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stats WHERE tablename = $1`, [table]))[0].n;
    expect(await stats('Job')).toBeGreaterThan(0);
    expect(await stats('Conversation')).toBe(0);
  });

  it('waits for a moment when the bot is quiet, or runs anyway once it waited long enough', async () => {
    const passes = async () => (await histogramTotals(metrics.embeddedVacuum)).count;
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    let busy = true;
    const before = await passes();
    const stop = startEmbeddedVacuum({ db, log: createLogger('silent'), busy: () => busy }, { everyMs: 50, lookMs: 10, waitForQuietMs: 60_000 });
    try {
      await sleep(400);
      expect(await passes()).toBe(before); // due, but webhooks or jobs keep the bot busy
      busy = false;
      await waitFor(async () => (await passes()) > before);
    } finally {
      await stop();
    }
    const impatient = startEmbeddedVacuum({ db, log: createLogger('silent'), busy: () => true }, { everyMs: 50, lookMs: 10, waitForQuietMs: 100 });
    const then = await passes();
    try {
      await waitFor(async () => (await passes()) > then);
    } finally {
      await impatient();
    }
  });
});
