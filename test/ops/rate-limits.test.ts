import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { createApiKey } from '../../src/console/auth.js';
import { loadConfig } from '../../src/config.js';
import { hitRate, peekRate } from '../../src/limits/rate-store.js';
import { createLogger } from '../../src/logger.js';
import { startRuntime, type Runtime } from '../../src/runtime.js';
import { createPgDatabase, DB_KINDS, openTestDb, type TestDb } from '../helpers/db.js';

/** Counters are kept per clock minute: a volley sent in a minute's last seconds would be counted in two windows. */
async function clearOfMinuteEnd(): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 50_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 200));
}

// The rate store is one table in the database: every instance on it enforces the same limit.

describe.each(DB_KINDS)('rate store on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => { t = await openTestDb(kind, { seed: false }); }, 60_000);
  afterAll(async () => { await t?.close(); });

  it('admits the limit, then refuses until the window has slid past', async () => {
    const q = t.db.sql.query;
    const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 10, 0, s));
    const results = [];
    for (let i = 0; i < 5; i++) results.push((await hitRate(q, 'k1', 3, 60_000, at(10 + i))).allowed);
    expect(results).toEqual([true, true, true, false, false]);
    expect((await peekRate(q, 'k1', 3, 60_000, at(20))).allowed).toBe(false);
    // Half-way through the next window half of the previous one still counts: 5 * 0.5 = 2 (< 3).
    expect((await hitRate(q, 'k1', 3, 60_000, at(90))).allowed).toBe(true);
    expect((await hitRate(q, 'k1', 3, 60_000, at(91))).allowed).toBe(false);
    // Two windows later nothing is left.
    expect((await hitRate(q, 'k1', 3, 60_000, at(180))).count).toBe(1);
  });

  it('counts concurrent hits exactly', async () => {
    const now = new Date();
    const all = await Promise.all(Array.from({ length: 40 }, () => hitRate(t.db.sql.query, 'k-conc', 10, 60_000, now)));
    expect(all.filter((r) => r.allowed)).toHaveLength(10);
  });
});

describe('two instances on one PostgreSQL database', () => {
  let drop: () => Promise<void>;
  const instances: Array<{ runtime: Runtime; server: Server; url: string }> = [];
  let apiKey = '';

  beforeAll(async () => {
    const pg = await createPgDatabase();
    drop = pg.drop;
    for (let i = 0; i < 2; i++) {
      const config = loadConfig({ DATABASE_URL: pg.url, LOG_LEVEL: 'silent', SEED_SAMPLE_DATA: 'false', WEB_SESSIONS_PER_ADDRESS_PER_HOUR: '4' });
      const runtime = await startRuntime(config, createLogger('silent'), { worker: false });
      const server: Server = await new Promise((resolve) => { const s = createApp(runtime.deps).listen(0, '127.0.0.1', () => resolve(s)); });
      instances.push({ runtime, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    }
    apiKey = (await createApiKey(instances[0].runtime.deps.db.prisma, 'one-stop')).key;
  }, 120_000);
  afterAll(async () => {
    for (const i of instances) {
      i.server.closeAllConnections();
      await new Promise((r) => i.server.close(r));
      await i.runtime.close();
    }
    await drop?.();
  });

  it('the integration API admits N a minute per key across both, not 2N', async () => {
    const n = 6000; // the default per key and minute
    await clearOfMinuteEnd();
    const q = instances[0].runtime.deps.db.sql.query;
    const keyRow = await instances[0].runtime.deps.db.prisma.apiKey.findFirstOrThrow();
    // Use up all but 5 of the minute's allowance in one statement, as if other requests had come.
    const windowStart = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
    await q('INSERT INTO "RateCounter" ("key", "windowStart", "count") VALUES ($1, $2::timestamp(3), $3)', [`api-key:${keyRow.id}`, windowStart, n - 5]);
    const statuses = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      fetch(`${instances[i % 2].url}/api/integration/dossiers/X-000${i}`, { headers: { 'x-api-key': apiKey } }).then((r) => r.status)));
    expect(statuses.filter((s) => s === 404)).toHaveLength(5); // admitted (no such dossier)
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
  });

  it('wrong API keys from one address stop at 20 a minute across both instances', async () => {
    await clearOfMinuteEnd();
    const statuses = await Promise.all(Array.from({ length: 30 }, (_, i) =>
      fetch(`${instances[i % 2].url}/api/integration/dossiers/X-1`, { headers: { 'x-api-key': `ck_wrong${i}` } }).then((r) => r.status)));
    expect(statuses.filter((s) => s === 401)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
  });

  it('new web-chat sessions from one address: the limit holds across both instances', async () => {
    const statuses = await Promise.all(Array.from({ length: 12 }, (_, i) =>
      fetch(`${instances[i % 2].url}/api/chat/messages`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sessionId: `two-inst-${String(i).padStart(4, '0')}`, text: 'xin chào' }),
      }).then((r) => r.status)));
    expect(statuses.filter((s) => s === 202)).toHaveLength(4);
    expect(statuses.filter((s) => s === 429)).toHaveLength(8);
  });
});
