import pg from 'pg';
import { createUser } from '../src/console/auth.js';
import { prepareDatabase } from '../src/db/prepare.js';
import { createPgDatabase, TEST_PG_URL } from '../test/helpers/db.js';
import { freePort, spawnNode, stop, waitReady } from '../test/helpers/processes.js';

// `npm run bench -- --history`: a PostgreSQL database with a year of history (1 M messages, 120 k conversations,
// a few hundred hand-offs open), built once as "bench_history" on the test server and reused, then the console
// APIs and the web-chat poll timed over HTTP against a real server process.

const DB_NAME = 'bench_history';
const MESSAGES = 1_000_000;
const CONVERSATIONS = 120_000;
const USER = { username: 'bench-admin', password: 'bench-password-123', role: 'admin' };
const WEB_SESSION = 'bench-web-session-1';
const REPEAT = 7;

async function ensureDatabase(log: (...a: unknown[]) => void): Promise<string> {
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME])).rowCount;
  if (!exists) await admin.query(`CREATE DATABASE ${DB_NAME}`);
  await admin.end();
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${DB_NAME}`;
  const db = await prepareDatabase(url.toString(), { seed: true });
  try {
    const [{ n }] = await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM "Message"');
    if (n < MESSAGES) {
      log(`building ${DB_NAME}: ${MESSAGES} messages in ${CONVERSATIONS} conversations (once)`);
      const started = Date.now();
      await db.sql.query(`INSERT INTO "Conversation" (channel, "userId", state, "handoffStatus", "handoffAt", "createdAt", "updatedAt")
        SELECT (ARRAY['zalo','messenger','web'])[1 + i % 3], CASE WHEN i = 2 THEN $2 ELSE 'hist-' || i END, '{}'::jsonb,
          CASE WHEN i % 400 = 0 THEN 'waiting' WHEN i % 400 = 1 THEN 'active' END,
          CASE WHEN i % 400 IN (0, 1) THEN now() - (i % 97) * interval '1 minute' END, now(), now()
        FROM generate_series(1, $1::int) i ON CONFLICT DO NOTHING`, [CONVERSATIONS, WEB_SESSION]);
      // Inbound and outbound alternate; a year of days, intents and matched procedures as the bot records them.
      await db.sql.query(`INSERT INTO "Message" ("conversationId", direction, channel, kind, text, intent, confidence, entities, "sentBy", "deliveryStatus", "createdAt")
        SELECT c.id, d.dir, c.channel, 'text', 'tin nhắn ' || g, CASE WHEN d.dir = 'in' THEN (ARRAY['procedure_lookup','greeting','out_of_scope','contact_info','model_info'])[1 + g % 5] END,
          CASE WHEN d.dir = 'in' THEN (g % 100) / 100.0 END,
          CASE WHEN d.dir = 'in' AND g % 5 = 0 THEN jsonb_build_object('procedure', 'Thủ tục ' || (g % 300)) END,
          CASE WHEN d.dir = 'in' THEN 'citizen' ELSE 'bot' END, CASE WHEN d.dir = 'out' THEN 'sent' END,
          now() - ((g * 31) % 525600) * interval '1 minute'
        FROM generate_series(1, $1::int) g
        JOIN "Conversation" c ON c.id = (SELECT min(id) FROM "Conversation") + (g % $2::int)
        CROSS JOIN LATERAL (SELECT CASE WHEN g % 2 = 0 THEN 'in' ELSE 'out' END AS dir) d`, [MESSAGES - n, CONVERSATIONS]);
      await db.sql.query('ANALYZE');
      log(`built in ${Math.round((Date.now() - started) / 1000)} s`);
    }
    if (!(await db.prisma.user.findUnique({ where: { username: USER.username } }))) await createUser(db.prisma, USER);
  } finally {
    await db.close();
  }
  return url.toString();
}

async function p50(fn: () => Promise<Response>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const t = performance.now();
    const res = await fn();
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${res.url}: HTTP ${res.status}`);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)] * 10) / 10;
}

/** Web chat, message to the bot's reply seen by the page's poll (every 5 ms): the median of 15 questions. */
async function chatReplyP50(url: string, sessionId: string): Promise<number> {
  const poll = async (after: number) => (await (await fetch(`${url}/api/chat/messages?sessionId=${sessionId}&after=${after}`)).json()) as { messages: Array<{ id: number }> };
  let last = (await poll(0)).messages.at(-1)?.id ?? 0;
  const times: number[] = [];
  const questions = ['làm giấy khai sinh cần gì', 'đăng ký kết hôn ở đâu', 'cấp lại căn cước mất bao lâu'];
  for (let i = 0; i < 15; i++) {
    const t = performance.now();
    const res = await fetch(`${url}/api/chat/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sessionId, text: questions[i % 3] }) });
    if (!res.ok) throw new Error(`web chat: HTTP ${res.status}`);
    for (;;) {
      const got = (await poll(last)).messages;
      if (got.length) { last = got.at(-1)!.id; break; }
      if (performance.now() - t > 30_000) throw new Error('web chat: no reply in 30 s');
      await new Promise((r) => setTimeout(r, 5));
    }
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[7] * 10) / 10;
}

/** The same on a new database with the sample data only (the reference for "unchanged with history"). */
async function emptyChatReplyP50(): Promise<number> {
  const pg = await createPgDatabase();
  try {
    await (await prepareDatabase(pg.url, { seed: true })).close();
    const port = await freePort();
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: pg.url, LOG_LEVEL: 'warn' };
    const server = spawnNode(['--import', 'tsx', 'src/main.ts'], env, () => undefined);
    try {
      await waitReady(`http://127.0.0.1:${port}/readyz`, server, 300_000);
      return await chatReplyP50(`http://127.0.0.1:${port}`, 'bench-empty-session-1');
    } finally {
      await stop(server);
    }
  } finally {
    await pg.drop().catch(() => undefined);
  }
}

export async function historyTimings(log: (...a: unknown[]) => void): Promise<Record<string, number>> {
  const dbUrl = await ensureDatabase(log);
  log('web-chat message to reply on a new database (reference)');
  const emptyReply = await emptyChatReplyP50();
  const port = await freePort();
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: dbUrl, LOG_LEVEL: 'warn' };
  const server = spawnNode(['--import', 'tsx', 'src/main.ts'], env, () => undefined);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitReady(`${url}/readyz`, server, 300_000);
    const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(USER) });
    const { token } = await login.json() as { token: string };
    const get = (p: string) => () => fetch(`${url}${p}`, { headers: { authorization: `Bearer ${token}` } });
    const pool = new pg.Pool({ connectionString: dbUrl, max: 1 });
    const [{ id: webConv }] = (await pool.query(`SELECT id FROM "Conversation" WHERE channel = 'web' AND "userId" = $1`, [WEB_SESSION])).rows;
    const [{ id: lastId }] = (await pool.query(`SELECT coalesce(max(id), 0) AS id FROM "Message" WHERE "conversationId" = $1`, [webConv])).rows;
    await pool.end();
    log('timing the console APIs on 1 M messages');
    return {
      'dashboard GET /api/stats?days=30': await p50(get('/api/stats?days=30')),
      'dashboard GET /api/stats?days=366': await p50(get('/api/stats?days=366')),
      'review list GET /api/review': await p50(get('/api/review')),
      'hand-off inbox GET /api/handoffs': await p50(get('/api/handoffs')),
      'conversation view GET /api/conversations/:id/messages': await p50(get(`/api/conversations/${webConv}/messages`)),
      'web-chat poll GET /api/chat/messages': await p50(() => fetch(`${url}/api/chat/messages?sessionId=${WEB_SESSION}&after=${lastId}`)),
      'web-chat message to reply, new database (reference)': emptyReply,
      'web-chat message to reply': await chatReplyP50(url, WEB_SESSION),
    };
  } finally {
    await stop(server);
  }
}
