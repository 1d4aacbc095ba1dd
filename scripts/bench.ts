import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { signZaloBody } from '../src/channels/zalo/signature.js';
import { startFakeZalo, type FakeZalo } from '../test/helpers/fake-zalo.js';
import { freePort, spawnNode as spawnChild, stop, waitReady } from '../test/helpers/processes.js';

const spawnNode = (args: string[], env: NodeJS.ProcessEnv, name: string) =>
  spawnChild(args, env, (chunk) => process.stderr.write(`[${name}] ${chunk}`));

// `npm run bench`: the real server (child process, embedded database) behind a fake Zalo API, driven with signed
// user_send_text events by autocannon, compared with a bare node:http server. Prints ONE JSON object on stdout;
// everything else goes to stderr.

const APP_ID = '1234567890123456789';
const APP_SECRET = 'bench-app-secret';
const OA_SECRET = 'bench-oa-secret';
const OA_ID = '5555555555555555555';
const RATE = 200;
const RATE_DURATION_S = 15;
const MAX_DURATION_S = 10;
const MAX_CONNECTIONS = 20;
const REPLY_WAIT_MS = 30_000;
const DRAIN_MS = 90_000;

const QUESTIONS = [
  'Thủ tục đăng ký khai sinh cần những giấy tờ gì?',
  'Lệ phí cấp căn cước công dân là bao nhiêu?',
  'Làm giấy đăng ký kết hôn ở đâu ạ?',
  'Cho tôi hỏi thời gian cấp hộ chiếu mất bao lâu?',
  'Đăng ký thường trú cần chuẩn bị hồ sơ gì?',
  'Xin chào, tôi muốn tra cứu hồ sơ',
  'Thủ tục cấp giấy phép xây dựng nhà ở riêng lẻ',
  'Chứng thực bản sao từ bản chính ở đâu?',
  'Đăng ký khai tử cần giấy tờ gì vậy?',
  'Giờ làm việc của bộ phận một cửa thế nào?',
  'Cảm ơn bạn nhé',
  'Mô hình cải cách hành chính nổi bật là gì?',
];

const err = (...args: unknown[]) => console.error('[bench]', ...args);

function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

const round = (n: number | null) => (n === null ? null : Math.round(n * 100) / 100);

/** users: the users whose event was acknowledged with 200. */
interface RunResult { result: autocannon.Result; users: string[] }

/** Fires signed user_send_text events; every request has a unique msg_id and a unique user id. */
async function fireEvents(url: string, tag: string, opts: { overallRate?: number; duration: number; connections: number; amount?: number },
  sendTimes: Map<string, number>): Promise<RunResult> {
  let n = 0;
  const users: string[] = [];
  const instance = autocannon({
    url: `${url}/webhooks/zalo`,
    method: 'POST',
    connections: opts.connections,
    duration: opts.duration,
    ...(opts.overallRate ? { overallRate: opts.overallRate } : {}),
    ...(opts.amount ? { amount: opts.amount } : {}),
    timeout: 10,
    requests: [{
      method: 'POST',
      setupRequest: (req, context) => {
        const i = n++;
        const userId = `${tag}${String(i).padStart(7, '0')}`;
        const timestamp = String(Date.now());
        const body = JSON.stringify({
          app_id: APP_ID, user_id_by_app: userId, event_name: 'user_send_text', timestamp,
          sender: { id: userId }, recipient: { id: OA_ID },
          message: { msg_id: `msg-${userId}`, text: QUESTIONS[i % QUESTIONS.length] },
        });
        (context as { userId?: string }).userId = userId;
        sendTimes.set(userId, Date.now());
        return {
          ...req, method: 'POST', body,
          headers: { 'content-type': 'application/json', 'x-zevent-signature': signZaloBody(body, APP_ID, timestamp, OA_SECRET) },
        };
      },
      // One request at a time per connection, so the connection's context names the user of this response.
      onResponse: (status, _body, context) => {
        const userId = (context as { userId?: string }).userId;
        if (status === 200 && userId) users.push(userId); // only acknowledged events are owed a reply
      },
    }],
  });
  const result = await instance;
  return { result, users };
}

async function waitReplies(fake: FakeZalo, users: string[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const wanted = new Set(users);
  while (Date.now() < deadline) {
    const got = new Set(fake.sent.filter((s) => wanted.has(s.userId)).map((s) => s.userId));
    if (got.size >= wanted.size) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  err(`not every reply arrived within ${timeoutMs} ms`);
  return false;
}

function e2e(fake: FakeZalo, users: string[], sendTimes: Map<string, number>) {
  const wanted = new Set(users);
  const first = new Map<string, number>();
  const byUser = new Map<string, string[]>();
  for (const s of fake.sent) {
    if (!wanted.has(s.userId)) continue;
    if (!first.has(s.userId)) first.set(s.userId, s.at);
    const list = byUser.get(s.userId) ?? [];
    list.push(JSON.stringify(s.message));
    byUser.set(s.userId, list);
  }
  const lat: number[] = [];
  for (const [u, at] of first) {
    const t0 = sendTimes.get(u);
    if (t0 !== undefined) lat.push(at - t0);
  }
  lat.sort((a, b) => a - b);
  // A duplicate is the same message sent twice to the same user (one event can legitimately produce several).
  let duplicates = 0;
  for (const list of byUser.values()) duplicates += list.length - new Set(list).size;
  return { p50: percentile(lat, 50), p99: percentile(lat, 99), replied: first.size, duplicates };
}

async function main() {
  const dbDir = mkdtempSync(path.join(tmpdir(), 'bench-db-'));
  const fake = await startFakeZalo({ appId: APP_ID, appSecret: APP_SECRET, accessToken: 'bench-access-0', refreshToken: 'bench-refresh-0' });
  let server: ChildProcess | undefined;
  let bare: ChildProcess | undefined;
  const cleanup = async () => {
    await Promise.all([stop(server), stop(bare)]);
    await fake.close().catch(() => undefined);
    rmSync(dbDir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => { void cleanup().finally(() => process.exit(130)); });
  try {
    // Baseline: a bare node:http server in its own process, measured like the real one.
    const barePort = await freePort();
    bare = spawnNode(['-e', `require('node:http').createServer((q,s)=>{q.resume();q.on('end',()=>{s.writeHead(200,{'content-type':'application/json'});s.end('{"ok":true}')})}).listen(${barePort},'127.0.0.1')`], process.env, 'bare');
    const bareUrl = `http://127.0.0.1:${barePort}`;
    await waitReady(bareUrl, bare);
    err('measuring bare node:http baseline');
    const baseline = await autocannon({ url: bareUrl, method: 'POST', body: '{"x":1}', connections: MAX_CONNECTIONS, duration: MAX_DURATION_S });
    const baselinePerSec = baseline['2xx'] / MAX_DURATION_S;
    await stop(bare);
    bare = undefined;

    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production',
      PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: `file:${dbDir}`, LOG_LEVEL: 'warn',
      ZALO_APP_ID: APP_ID, ZALO_APP_SECRET: APP_SECRET, ZALO_OA_SECRET_KEY: OA_SECRET,
      ZALO_ACCESS_TOKEN: 'bench-access-0', ZALO_REFRESH_TOKEN: 'bench-refresh-0',
      ZALO_API_BASE_URL: fake.url, ZALO_OAUTH_BASE_URL: fake.url, ZALO_ZNS_BASE_URL: fake.url,
      // Tuning knobs can be passed through to compare settings (e.g. WORKER_CONCURRENCY=2 npm run bench).
      ...(process.env.WORKER_CONCURRENCY ? { WORKER_CONCURRENCY: process.env.WORKER_CONCURRENCY } : {}),
    };
    err('starting the server');
    server = spawnNode(['--import', 'tsx', 'src/main.ts'], env, 'server');
    const url = `http://127.0.0.1:${port}`;
    await waitReady(`${url}/readyz`, server, 120_000);

    const sendTimes = new Map<string, number>();
    // Warm-up (JIT, NLU, prepared statements) outside the measurements.
    err('warm-up');
    const warm = await fireEvents(url, 'w', { connections: 2, duration: 3, amount: 100 }, sendTimes);
    await waitReplies(fake, warm.users, REPLY_WAIT_MS);

    err(`fixed-rate run: ${RATE}/s for ${RATE_DURATION_S} s`);
    const rateRun = await fireEvents(url, 'r', { overallRate: RATE, connections: 10, duration: RATE_DURATION_S, amount: RATE * RATE_DURATION_S }, sendTimes);
    const rateDone = await waitReplies(fake, rateRun.users, REPLY_WAIT_MS);
    const rateRepliedIn30s = e2e(fake, rateRun.users, sendTimes).replied;
    // Let the backlog drain so the unbounded run measures the server, not the rate run's leftovers.
    if (!rateDone) { err('draining the backlog before the unbounded run'); await waitReplies(fake, rateRun.users, DRAIN_MS); }
    const rateE2e = e2e(fake, rateRun.users, sendTimes);

    err(`unbounded run: ${MAX_CONNECTIONS} connections for ${MAX_DURATION_S} s`);
    const maxRun = await fireEvents(url, 'm', { connections: MAX_CONNECTIONS, duration: MAX_DURATION_S }, sendTimes);
    await waitReplies(fake, maxRun.users, REPLY_WAIT_MS);
    const maxE2e = e2e(fake, maxRun.users, sendTimes);

    const acceptedPerSec = maxRun.result['2xx'] / MAX_DURATION_S;
    const sent = rateRun.result.requests.sent + maxRun.result.requests.sent;
    const out = {
      ackP50Ms: maxRun.result.latency.p50,
      ackP99Ms: maxRun.result.latency.p99,
      acceptedPerSec: round(acceptedPerSec),
      baselinePerSec: round(baselinePerSec),
      ratio: Math.round((acceptedPerSec / baselinePerSec) * 10_000) / 10_000,
      e2eP50Ms: maxE2e.p50,
      e2eP99Ms: maxE2e.p99,
      sent,
      replied: rateE2e.replied + maxE2e.replied,
      duplicates: rateE2e.duplicates + maxE2e.duplicates,
      non2xx: rateRun.result.non2xx + maxRun.result.non2xx,
      errors: rateRun.result.errors + maxRun.result.errors,
      rateRun: {
        rate: RATE, durationS: RATE_DURATION_S, sent: rateRun.result.requests.sent, accepted: rateRun.result['2xx'],
        ackP50Ms: rateRun.result.latency.p50, ackP99Ms: rateRun.result.latency.p99,
        e2eP50Ms: rateE2e.p50, e2eP99Ms: rateE2e.p99, repliedWithin30s: rateRepliedIn30s, replied: rateE2e.replied, duplicates: rateE2e.duplicates,
        errors: rateRun.result.errors, timeouts: rateRun.result.timeouts,
      },
      unboundedRun: { connections: MAX_CONNECTIONS, durationS: MAX_DURATION_S, sent: maxRun.result.requests.sent, accepted: maxRun.result['2xx'], replied: maxE2e.replied, errors: maxRun.result.errors, timeouts: maxRun.result.timeouts },
      cpus: availableParallelism(),
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    await cleanup();
  }
}

main().then(() => process.exit(0), (e: unknown) => {
  err(e instanceof Error ? e.stack : e);
  process.exit(1);
});
