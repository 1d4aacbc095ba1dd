import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config.js';
import { prepareDatabase } from '../src/db/prepare.js';
import type { Database } from '../src/db/open.js';
import { hitRate } from '../src/limits/rate-store.js';
import { createLogger } from '../src/logger.js';
import { runRetention } from '../src/retention/job.js';
import { createPgDatabase } from '../test/helpers/db.js';

// Figures for the shared rate store and the retention job, embedded (in-memory PGlite) and on the PostgreSQL
// server (TEST_PG_URL): the cost of one rate-limit hit, and how fast old rows go.
//   npm run bench:ops

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

async function bench(label: string, db: Database) {
  const now = () => new Date();
  const times: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const t0 = performance.now();
    await hitRate(db.sql.query, `bench:${i % 50}`, 1000, 60_000, now());
    times.push(performance.now() - t0);
  }
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 2000 }, (_, i) => hitRate(db.sql.query, 'bench:hot', 100_000, 60_000, now())));
  const concurrentMs = performance.now() - t0;
  console.log(`${label}: one hit p50 ${pct(times, 0.5).toFixed(2)} ms, p99 ${pct(times, 0.99).toFixed(2)} ms; 2,000 concurrent hits on one key ${concurrentMs.toFixed(0)} ms`);

  const rows = 100_000;
  await db.sql.query(`INSERT INTO "Job" (kind, key, payload, status, "updatedAt")
    SELECT 'send', 'bench-' || g, '{}'::jsonb, 'done', now() - interval '40 days' FROM generate_series(1, $1) g`, [rows]);
  const config = loadConfig({ DATABASE_URL: 'memory:', RETENTION_BATCH_SIZE: '1000' });
  const r0 = performance.now();
  let deleted = 0;
  for (;;) {
    const n = (await runRetention({ db, config, log: createLogger('silent'), now })).Job;
    deleted += n;
    if (n === 0) break;
  }
  console.log(`${label}: retention deleted ${deleted.toLocaleString('en')} done jobs in ${((performance.now() - r0) / 1000).toFixed(1)} s (batches of 1,000)`);
}

const embedded = await prepareDatabase('memory:', { seed: false });
await bench('embedded (PGlite)', embedded);
await embedded.close();
const pg = await createPgDatabase();
const server = await prepareDatabase(pg.url, { seed: false });
try {
  await bench('PostgreSQL', server);
} finally {
  await server.close();
  await pg.drop();
}
