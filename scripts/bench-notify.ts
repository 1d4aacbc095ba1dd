import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import express from 'express';
import { createApp } from '../src/app.js';
import { createApiKey } from '../src/console/auth.js';
import { loadConfig } from '../src/config.js';
import { openDatabase, type Database } from '../src/db/open.js';
import { notifyHandler } from '../src/dossiers/notify.js';
import { createIntegrationRouter } from '../src/dossiers/routes.js';
import { createLogger } from '../src/logger.js';
import { startRuntime } from '../src/runtime.js';
import { createPgDatabase } from '../test/helpers/db.js';
import { startFakeZalo, type FakeZalo } from '../test/helpers/fake-zalo.js';

// How fast a burst of status changes reaches subscribers: the app with the fake Zalo API on 127.0.0.1, N dossiers
// each with one subscribed Zalo user (last message an hour ago), all N statuses changed through the integration API,
// `concurrency` PUTs at a time. Latency per dossier: from its first PUT attempt to the notice recorded by the fake
// Zalo API. The server under test runs in a process of its own, as in production: the PUT client and the fake Zalo
// API share this one (`--in-process` runs the server here too, sharing their event loop, as before 3 December).
// Scenarios: `burst`; `restart` (after half the PUTs the server is stopped with SIGTERM and started again on the
// same database); `kill` (SIGKILLed after half the PUTs and started again). PUTs cut off by a restart are retried,
// as an integration client would (the API is idempotent). Prints JSON.
//
//   npm run bench:notify -- [--dossiers 1000] [--concurrency 20] [--scenario burst|restart|kill|all]
//                           [--database embedded|postgres]   (postgres: a fresh database on TEST_PG_URL's server)
//                           [--in-process]
//   env: WORKER_CONCURRENCY, SEND_CONCURRENCY, ZALO_CALLS_PER_MINUTE (the server's; its defaults otherwise, so the
//   notices go at Zalo's pace), BENCH_NODE_ARGS (e.g. --cpu-prof)

const { values: args } = parseArgs({
  options: {
    dossiers: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '20' },
    scenario: { type: 'string', default: 'all' },
    database: { type: 'string', default: 'embedded' },
    'timeout-s': { type: 'string', default: '180' },
    'in-process': { type: 'boolean', default: false },
    // The server under test, in its own process (every scenario unless --in-process).
    serve: { type: 'boolean', default: false },
    'database-url': { type: 'string' },
    'zalo-url': { type: 'string' },
    'zalo-token': { type: 'string' },
  },
});
const N = Number(args.dossiers);
const CONCURRENCY = Number(args.concurrency);
const TIMEOUT_MS = Number(args['timeout-s']) * 1000;
const SCRIPT = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(SCRIPT), '..');
const log = createLogger(process.env.BENCH_LOG_LEVEL ?? 'silent');

/** The server's settings a run may set from the environment (its defaults otherwise). */
const SERVER_SETTINGS = ['WORKER_CONCURRENCY', 'SEND_CONCURRENCY', 'ZALO_CALLS_PER_MINUTE'];

interface Server { url: string; stop(): Promise<void>; kill(): Promise<void> }
type InProcessServer = Server & { db: Database };
interface ZaloEnv { url: string; accessToken: string; refreshToken: string }

async function startInProcess(databaseUrl: string, zalo: ZaloEnv): Promise<InProcessServer> {
  const config = loadConfig({
    NODE_ENV: 'production', DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', SEED_SAMPLE_DATA: 'false',
    ZALO_APP_ID: 'fake-app', ZALO_APP_SECRET: 'fake-app-secret', ZALO_OA_SECRET_KEY: 'oa-secret',
    ZALO_ACCESS_TOKEN: zalo.accessToken, ZALO_REFRESH_TOKEN: zalo.refreshToken, ZALO_API_BASE_URL: zalo.url, ZALO_OAUTH_BASE_URL: zalo.url,
    ...Object.fromEntries(SERVER_SETTINGS.filter((k) => process.env[k]).map((k) => [k, process.env[k]!])),
  });
  const runtime = await startRuntime(config, log);
  runtime.deps.queue.register('notify', notifyHandler(runtime.deps));
  const server = express().use(createIntegrationRouter(runtime.deps), createApp(runtime.deps)).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    db: runtime.deps.db,
    // Stops taking requests, lets those under way finish, then stops the worker and closes the database.
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await Promise.race([closed, new Promise((r) => setTimeout(r, 5000))]);
      server.closeAllConnections();
      await runtime.close();
    },
    kill: () => Promise.reject(new Error('an in-process server cannot be killed')),
  };
}

async function startChild(databaseUrl: string, zalo: ZaloEnv): Promise<Server> {
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', SCRIPT, '--serve', '--database-url', databaseUrl,
    '--zalo-url', zalo.url, '--zalo-token', `${zalo.accessToken} ${zalo.refreshToken}`], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('LISTENING ')) resolve(line.slice('LISTENING '.length));
    });
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code} before listening`)));
  });
  return {
    url,
    async stop() { child.kill('SIGTERM'); await exited; },
    async kill() { child.kill('SIGKILL'); await exited; },
  };
}

const code = (i: number) => `BENCH-260105-${String(i).padStart(5, '0')}`;
const userOf = (i: number) => `9${String(i).padStart(18, '0')}`;
const body = (status: string) => ({
  procedureName: 'Đăng ký khai sinh', status, applicantName: 'Nguyễn Văn An', office: 'Bộ phận Một cửa',
  receivedAt: '2026-01-05', dueAt: '2099-01-09',
});

async function pool(n: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) await fn(next++);
  }));
}

function percentile(sorted: number[], p: number): number | null {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : null;
}

async function scenario(kind: 'burst' | 'restart' | 'kill') {
  const dir = mkdtempSync(path.join(tmpdir(), 'cchc-bench-'));
  const pg = args.database === 'postgres' ? await createPgDatabase() : undefined;
  const databaseUrl = pg?.url ?? `file:${dir}`;
  const fake: FakeZalo = await startFakeZalo();
  const zalo = { url: fake.url, ...fake.tokens };
  const inProcess = args['in-process'];
  if (inProcess && kind === 'kill') throw new Error('--in-process: the kill scenario needs a server of its own to kill');
  const start = () => (inProcess ? startInProcess(databaseUrl, zalo) : startChild(databaseUrl, zalo));
  let server: Server | undefined;
  try {
    // Setup (not measured): the dossiers through the API, then one Zalo follower subscribed to each.
    const setup = await startInProcess(databaseUrl, zalo);
    const { db } = setup;
    const { key } = await createApiKey(db.prisma, 'bench');
    const put = (url: string, i: number, status: string) => fetch(`${url}/api/integration/dossiers/${code(i)}`, {
      method: 'PUT', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify(body(status)),
    });
    await pool(N, CONCURRENCY, async (i) => {
      const res = await put(setup.url, i, 'received');
      if (res.status !== 201) throw new Error(`setup PUT ${code(i)}: ${res.status} ${await res.text()}`);
    });
    const ids = new Map((await db.prisma.dossier.findMany({ select: { id: true, code: true } })).map((d) => [d.code, d.id]));
    const recent = new Date(Date.now() - 3600_000);
    await db.prisma.conversation.createMany({ data: Array.from({ length: N }, (_, i) => ({ channel: 'zalo', userId: userOf(i), lastInboundAt: recent })) });
    await db.prisma.subscription.createMany({ data: Array.from({ length: N }, (_, i) => ({ dossierId: ids.get(code(i))!, channel: 'zalo', userId: userOf(i) })) });
    if (!inProcess) await setup.stop();
    server = inProcess ? setup : await start();

    // The burst.
    const startedAt = new Map<number, number>();
    let retries = 0;
    let launched = 0;
    let restarting: Promise<void> | undefined;
    let restartMs: number | undefined;
    const burstStart = Date.now();
    await pool(N, CONCURRENCY, async (i) => {
      startedAt.set(i, Date.now());
      if (kind !== 'burst' && ++launched === Math.floor(N / 2)) {
        restarting = (async () => {
          const t = Date.now();
          await (kind === 'kill' ? server!.kill() : server!.stop());
          server = await start();
          restartMs = Date.now() - t;
        })();
      }
      for (let attempt = 1; ; attempt++) {
        try {
          const res = await put(server!.url, i, 'processing');
          if (res.ok) return;
          if (attempt > 20) throw new Error(`PUT ${code(i)}: ${res.status} ${await res.text()}`);
        } catch (err) {
          if (attempt > 20) throw err;
        }
        retries++;
        await (restarting ?? new Promise((r) => setTimeout(r, 100)));
      }
    });
    await restarting;
    const burstMs = Date.now() - burstStart;

    // Wait for every notice (or the timeout), and a little more for late duplicates, then count.
    const firstAt = () => {
      const m = new Map<string, number[]>();
      for (const s of fake.sent) m.set(s.userId, [...(m.get(s.userId) ?? []), s.at]);
      return m;
    };
    const deadline = Date.now() + TIMEOUT_MS;
    while (firstAt().size < N && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1500));
    const got = firstAt();
    const latencies: number[] = [];
    let duplicates = 0;
    for (let i = 0; i < N; i++) {
      const times = got.get(userOf(i));
      if (!times) continue;
      duplicates += times.length - 1;
      latencies.push(Math.min(...times) - startedAt.get(i)!);
    }
    latencies.sort((a, b) => a - b);
    await server.stop();
    server = undefined;
    const after = await openDatabase(databaseUrl);
    const [notifications, events, failedJobs] = await Promise.all([
      after.prisma.notification.groupBy({ by: ['status'], _count: true }),
      after.prisma.dossierEvent.count({ where: { status: 'processing' } }),
      after.prisma.job.count({ where: { status: 'failed' } }),
    ]);
    await after.close();
    return {
      scenario: kind, database: pg ? 'PostgreSQL server' : 'embedded PGlite (file:)', server: inProcess ? 'in this process' : 'own process',
      dossiers: N, concurrency: CONCURRENCY,
      expected: N, received: got.size, lost: N - got.size, duplicates, putRetries: retries,
      statusEvents: events, notificationRows: Object.fromEntries(notifications.map((g) => [g.status, g._count])), failedJobs,
      burstMs, restartMs,
      latencyMs: { p50: percentile(latencies, 50), p90: percentile(latencies, 90), p99: percentile(latencies, 99), max: latencies.at(-1) ?? null },
    };
  } finally {
    await server?.stop().catch(() => undefined);
    await fake.close();
    await pg?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (args.serve) {
  const [accessToken, refreshToken] = (args['zalo-token'] ?? '').split(' ');
  const server = await startInProcess(args['database-url']!, { url: args['zalo-url']!, accessToken, refreshToken });
  process.once('SIGTERM', () => void server.stop().then(() => process.exit(0)));
  console.log(`LISTENING ${server.url}`);
} else {
  const scenarios = args.scenario === 'all' ? ['burst', 'restart', 'kill'] : [args.scenario];
  const results = [];
  for (const s of scenarios) results.push(await scenario(s as 'burst' | 'restart' | 'kill'));
  console.log(JSON.stringify(results, null, 2));
}
