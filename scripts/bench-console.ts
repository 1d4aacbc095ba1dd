import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createUser } from '../src/console/auth.js';
import { createLogger } from '../src/logger.js';
import { startRuntime } from '../src/runtime.js';
import { hasChromium, launchChromium } from '../test/helpers/browser.js';
import { createPgDatabase } from '../test/helpers/db.js';

// `npm run bench:console [-- --pg] [-- --messages 100000]`: fills a database with a busy month (100,000 messages in
// 5,000 conversations, dossiers, tickets, ratings, hand-offs, audit rows), then times every console API the pages
// call (median and slowest of 5 after a warm-up) and, with Debian's Chromium, each page from navigation until its
// last request has finished. Embedded PGlite by default; `--pg` uses the PostgreSQL server (TEST_PG_URL).

const args = process.argv.slice(2);
const usePg = args.includes('--pg');
const MESSAGES = Number(args[args.indexOf('--messages') + 1]) || 100_000;
const PER_CONVERSATION = 20;
const RUNS = 5;
const PASSWORD = 'bench-password-123';

const pg = usePg ? await createPgDatabase() : null;
const config = loadConfig({ DATABASE_URL: pg?.url ?? 'memory:', LOG_LEVEL: 'silent' });
const runtime = await startRuntime(config, createLogger('silent'), { worker: false });
const { prisma } = runtime.deps.db;
const sql = (text: string) => prisma.$executeRawUnsafe(text);

async function fill(): Promise<void> {
  const conversations = Math.ceil(MESSAGES / PER_CONVERSATION);
  const t0 = performance.now();
  await sql(`INSERT INTO "Conversation" ("channel", "userId", "createdAt", "updatedAt", "handoffStatus", "handoffAt")
    SELECT (ARRAY['zalo','messenger','web'])[1 + i % 3], 'bench-' || i, now() - (i % 30) * interval '1 day', now(),
      CASE WHEN i % 250 = 0 THEN 'waiting' END, CASE WHEN i % 250 = 0 THEN now() - interval '20 minutes' END
    FROM generate_series(1, ${conversations}) i`);
  await sql(`INSERT INTO "Message" ("conversationId", "direction", "channel", "text", "intent", "confidence", "entities", "sentBy", "deliveryStatus", "createdAt")
    SELECT c.id, CASE WHEN m % 2 = 0 THEN 'in' ELSE 'out' END, c.channel,
      CASE WHEN m % 2 = 0 THEN 'lệ phí đăng ký khai sinh bao nhiêu ' || (m % 97) ELSE 'Dạ, lệ phí đăng ký khai sinh là 8.000 đồng.' END,
      CASE WHEN m % 2 = 0 THEN (ARRAY['procedure_lookup','greeting','out_of_scope','dossier_status','model_info'])[1 + (c.id + m) % 5] END,
      CASE WHEN m % 2 = 0 THEN ((c.id * 7 + m * 13) % 100) / 100.0 END,
      CASE WHEN m % 2 = 0 THEN jsonb_build_object('procedure', (ARRAY['Đăng ký khai sinh','Đăng ký kết hôn','Chứng thực bản sao',''])[1 + (c.id + m) % 4]) END,
      CASE WHEN m % 2 = 1 THEN 'bot' END, CASE WHEN m % 2 = 1 THEN 'sent' END,
      c."createdAt" + m * interval '1 minute'
    FROM "Conversation" c CROSS JOIN generate_series(1, ${PER_CONVERSATION}) m WHERE c."userId" LIKE 'bench-%'`);
  await sql(`INSERT INTO "Handoff" ("conversationId", "channel", "userId", "status", "requestedAt", "answeredAt", "answeredBy")
    SELECT id, channel, "userId", CASE WHEN id % 3 = 0 THEN 'closed' WHEN id % 3 = 1 THEN 'returned' ELSE 'waiting' END,
      "createdAt", CASE WHEN id % 3 = 0 THEN "createdAt" + interval '9 minutes' END, CASE WHEN id % 3 = 0 THEN 'agent' END
    FROM "Conversation" WHERE "userId" LIKE 'bench-%' AND id % 17 = 0`);
  await sql(`INSERT INTO "Dossier" ("code", "procedureName", "applicantName", "office", "receivedAt", "dueAt", "status", "updatedAt")
    SELECT 'B-' || i, (ARRAY['Đăng ký khai sinh','Đăng ký kết hôn','Chứng thực bản sao','Xóa đăng ký thường trú'])[1 + i % 4], 'Nguyễn Văn ' || i,
      (ARRAY['UBND xã Bình An','Công an xã','Bộ phận Một cửa'])[1 + i % 3], now() - (i % 30) * interval '1 day', now() - (i % 30 - 5) * interval '1 day',
      (ARRAY['received','processing','done','returned','needs_supplement'])[1 + i % 5], now()
    FROM generate_series(1, 5000) i`);
  await sql(`INSERT INTO "DossierEvent" ("dossierId", "status", "at") SELECT id, status, "receivedAt" + interval '2 days' FROM "Dossier" WHERE code LIKE 'B-%'`);
  await sql(`INSERT INTO "Ticket" ("code", "channel", "userId", "content", "status", "dueAt", "answeredAt", "createdAt", "updatedAt")
    SELECT 'PA-B' || i, 'zalo', 'bench-' || i, 'Phản ánh số ' || i, CASE WHEN i % 2 = 0 THEN 'answered' ELSE 'open' END,
      now() - (i % 30 - 3) * interval '1 day', CASE WHEN i % 2 = 0 THEN now() - (i % 30 - 2) * interval '1 day' END, now() - (i % 30) * interval '1 day', now()
    FROM generate_series(1, 1000) i`);
  await sql(`INSERT INTO "Rating" ("channel", "userId", "score", "procedureName", "office", "createdAt")
    SELECT 'zalo', 'bench-' || i, 1 + i % 5, 'Đăng ký khai sinh', 'UBND xã Bình An', now() - (i % 30) * interval '1 day' FROM generate_series(1, 2000) i`);
  await sql(`INSERT INTO "HomeServiceRequest" ("code", "channel", "userId", "name", "phone", "address", "procedureName", "reason", "status", "createdAt", "updatedAt")
    SELECT 'DV-B' || i, 'zalo', 'bench-' || i, 'Trần Thị ' || i, '0912345678', 'ấp ' || i, 'Chứng thực bản sao', 'Người già', 'new', now() - (i % 30) * interval '1 day', now()
    FROM generate_series(1, 500) i`);
  await sql(`INSERT INTO "AuditLog" ("actor", "action", "entityType", "entityId", "detail", "createdAt")
    SELECT 'editor', 'faq.update', 'faq', '1', '{"name":"Giờ làm việc","version":2,"changed":["answer"]}'::jsonb, now() - (i % 30) * interval '1 day'
    FROM generate_series(1, 5000) i`);
  await sql('ANALYZE');
  console.error(`filled ${MESSAGES} messages in ${Math.round(performance.now() - t0)} ms`);
}

await fill();
await createUser(prisma, { username: 'bench-admin', password: PASSWORD, role: 'admin' });
const app = createApp(runtime.deps);
const server: Server = await new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench-admin', password: PASSWORD }) });
const token = ((await login.json()) as { token: string }).token;
const someConversation = await prisma.conversation.findFirstOrThrow({ where: { userId: { startsWith: 'bench-' } } });

const APIS = [
  '/api/auth/me', '/api/faqs?page=1', '/api/procedures?page=1', '/api/models?page=1', '/api/offices?page=1', '/api/review',
  '/api/stats?days=14', '/api/stats?days=30', '/api/handoffs', `/api/conversations/${someConversation.id}/messages`,
  '/api/dossiers?limit=50&offset=0', '/api/notifications?status=undelivered&limit=50&offset=0', '/api/tickets?page=1',
  '/api/home-services?page=1', '/api/ratings/report', '/api/audit?page=1', '/api/audit/options', '/api/reports/monthly', '/api/reports/offices',
  '/api/users', '/api/api-keys',
];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const apis: Record<string, { status: number; medianMs: number; maxMs: number }> = {};
for (const p of APIS) {
  const times: number[] = [];
  let status = 0;
  for (let i = 0; i <= RUNS; i++) {
    const t0 = performance.now();
    const res = await fetch(`${base}${p}`, { headers: { authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    status = res.status;
    if (i > 0) times.push(performance.now() - t0);
  }
  console.error(`${p}: ${times.map(Math.round).join(', ')} ms`);
  apis[p] = { status, medianMs: Math.round(median(times)), maxMs: Math.round(Math.max(...times)) };
}

const pages: Record<string, { medianMs: number; maxMs: number }> = {};
if (hasChromium) {
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  await page.goto(`${base}/admin/login.html`);
  await page.fill('#username', 'bench-admin');
  await page.fill('#password', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/admin\/$/);
  // data: URLs (the favicon) report no end: only the server's requests count.
  const inFlight = new Set<object>();
  let lastDone = 0;
  page.on('request', (r) => { if (r.url().startsWith('http')) inFlight.add(r); });
  const done = (r: object) => { if (inFlight.delete(r)) lastDone = performance.now(); };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  const hrefs = await page.$$eval('#nav a', (links) => links.map((a) => a.getAttribute('href')!));
  for (const href of hrefs) {
    const times: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const t0 = performance.now();
      await page.goto(`${base}/admin/${href}`);
      // Loaded: nothing in flight for 150 ms; the time is that of the last request to finish.
      for (;;) {
        await new Promise((r) => setTimeout(r, 25));
        if (inFlight.size === 0 && performance.now() - lastDone > 150) break;
        if (performance.now() - t0 > 30_000) throw new Error(`${href} still loading after 30 s`);
      }
      if (i > 0) times.push(lastDone - t0);
    }
    console.error(`${href}: ${times.map(Math.round).join(', ')} ms`);
    pages[href] = { medianMs: Math.round(median(times)), maxMs: Math.round(Math.max(...times)) };
  }
  await browser.close();
}

console.log(JSON.stringify({ database: usePg ? 'postgres' : 'embedded', messages: await prisma.message.count(), apis, pages }, null, 2));
server.closeAllConnections();
await new Promise((r) => server.close(r));
await runtime.close();
await pg?.drop();
