import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { createApiKey, createUser } from '../src/console/auth.js';
import { createConsoleRouter } from '../src/console/index.js';
import { loadConfig } from '../src/config.js';
import { notifyHandler } from '../src/dossiers/notify.js';
import { createDossierConsoleRouter, createIntegrationRouter } from '../src/dossiers/routes.js';
import { dossierStatusInputSchema, noticesForEvents, upsertDossierStatus } from '../src/dossiers/service.js';
import type { AppDeps } from '../src/deps.js';
import { createLogger } from '../src/logger.js';
import { startRuntime, type Runtime } from '../src/runtime.js';
import { openTestDb } from './helpers/db.js';
import { startFakeGraph, type FakeGraph } from './helpers/fake-graph.js';
import { startFakeZalo, type FakeZalo } from './helpers/fake-zalo.js';

// The status feed end to end: the integration API on the real app and runtime (in-memory PGlite, job worker
// running), notices going out through the web channel, a fake Zalo OA API, a fake ZNS endpoint and a fake Graph API.

const HOUR = 3600_000;
const PASSWORD = 'mat-khau-thu-nghiem';
const ZNS_TEMPLATE = '250001';

interface ZnsCall { accessToken?: string; body: Record<string, unknown> }
interface FakeZns { url: string; calls: ZnsCall[]; failPhone: Map<string, { error: number; message: string }>; close(): Promise<void> }

/** ZNS answers HTTP 200 with { error, message, data }; `failPhone` makes it refuse a phone with a given error. */
async function startFakeZns(): Promise<FakeZns> {
  const calls: ZnsCall[] = [];
  const failPhone = new Map<string, { error: number; message: string }>();
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    calls.push({ accessToken: req.headers.access_token as string | undefined, body });
    const failure = failPhone.get(String(body.phone));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(failure
      ?? { error: 0, message: 'Success', data: { msg_id: `zns-${calls.length}`, sent_time: String(Date.now()) } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls, failPhone,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

let runtime: Runtime;
let server: Server;
let base: string;
let apiKey: string;
let revokedKey: string;
let consoleToken: string;
let zalo: FakeZalo;
let graph: FakeGraph;
let zns: FakeZns;

beforeAll(async () => {
  [zalo, graph, zns] = await Promise.all([startFakeZalo(), startFakeGraph(), startFakeZns()]);
  const config = loadConfig({
    NODE_ENV: 'test', DATABASE_URL: 'memory:', LOG_LEVEL: 'silent',
    ZALO_APP_ID: 'fake-app', ZALO_APP_SECRET: 'fake-app-secret', ZALO_OA_SECRET_KEY: 'oa-secret',
    ZALO_ACCESS_TOKEN: 'fake-access-0', ZALO_REFRESH_TOKEN: 'fake-refresh-0',
    ZALO_API_BASE_URL: zalo.url, ZALO_OAUTH_BASE_URL: zalo.url, ZALO_ZNS_BASE_URL: zns.url, ZALO_ZNS_TEMPLATE_ID: ZNS_TEMPLATE,
    MESSENGER_APP_SECRET: 'app-secret', MESSENGER_PAGE_ACCESS_TOKEN: graph.token, MESSENGER_VERIFY_TOKEN: 'verify',
    MESSENGER_GRAPH_BASE_URL: graph.url,
  });
  runtime = await startRuntime(config, createLogger('silent'));
  const { deps } = runtime;
  deps.queue.register('notify', notifyHandler(deps));
  // Mounted ahead of the app, as the lead mounts them before its 404 handler.
  const app = express();
  app.use(createIntegrationRouter(deps), createDossierConsoleRouter(deps), createConsoleRouter(deps), createApp(deps));
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  apiKey = (await createApiKey(deps.db.prisma, 'one-stop system')).key;
  const revoked = await createApiKey(deps.db.prisma, 'old system');
  revokedKey = revoked.key;
  await deps.db.prisma.apiKey.update({ where: { id: revoked.record.id }, data: { revokedAt: new Date() } });
  await createUser(deps.db.prisma, { username: 'viewer', password: PASSWORD, role: 'viewer' });
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'viewer', password: PASSWORD }),
  });
  consoleToken = ((await login.json()) as { token: string }).token;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await runtime?.close();
  await Promise.all([zalo?.close(), graph?.close(), zns?.close()]);
});

async function request(method: string, path: string, opts: { key?: string | null; body?: unknown; raw?: string; token?: string } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const key = opts.key === undefined ? apiKey : opts.key;
  if (key) headers['x-api-key'] = key;
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const res = await fetch(`${base}${path}`, { method, headers, body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any };
}

const put = (code: string, body: unknown, key?: string | null) => request('PUT', `/api/integration/dossiers/${encodeURIComponent(code)}`, { body, key });
const consoleGet = (path: string) => request('GET', path, { key: null, token: consoleToken });

let seq = 0;
function dossierBody(overrides: Record<string, unknown> = {}) {
  return {
    procedureName: 'Đăng ký khai sinh', status: 'received', applicantName: 'Nguyễn Văn An', applicantPhone: '0912 345 678',
    office: 'Bộ phận Một cửa phường 5', receivedAt: '2026-01-05', dueAt: '2099-01-09', ...overrides,
  };
}
const newCode = () => `H12.26-260105-${String(++seq).padStart(4, '0')}`;

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until no notify or send job is left to run. */
async function settle() {
  const { prisma } = runtime.deps.db;
  await waitFor('jobs to finish', async () =>
    (await prisma.job.count({ where: { OR: [{ kind: { in: ['notify', 'process'] } }, { kind: { startsWith: 'send' } }], status: { in: ['pending', 'running'] } } })) === 0);
}

/** A subscriber who proved the dossier is theirs (as the Zalo contact form does). */
async function subscriber(channel: 'zalo' | 'messenger', userId: string, code: string, lastInboundAt: Date | null) {
  const { prisma } = runtime.deps.db;
  const d = await prisma.dossier.findUniqueOrThrow({ where: { code } });
  await prisma.conversation.create({ data: { channel, userId, lastInboundAt } });
  await prisma.subscription.create({ data: { dossierId: d.id, channel, userId } });
  await owner(code, channel, userId);
}

/** Records that `userId` proved ownership of `code` (the bot does it when the shared phone matches). */
async function owner(code: string, channel: string, userId: string) {
  const { prisma } = runtime.deps.db;
  const d = await prisma.dossier.findUniqueOrThrow({ where: { code } });
  await prisma.dossierOwner.create({ data: { dossierId: d.id, channel, userId, method: 'test' } });
}

async function chat(sessionId: string, message: { text?: string; payload?: string }) {
  const res = await fetch(`${base}/api/chat/messages`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sessionId, ...message }),
  });
  expect(res.status).toBe(202);
  await settle();
}

async function notices(channel: string, userId: string) {
  const { prisma } = runtime.deps.db;
  return prisma.message.findMany({ where: { sentBy: 'notification', conversation: { channel, userId } }, orderBy: { id: 'asc' } });
}

describe('integration API authentication and validation', () => {
  it('answers 401 JSON to a missing, unknown or revoked X-Api-Key, for PUT and GET', async () => {
    const code = newCode();
    for (const key of [null, 'ck_unknownkeyunknownkeyunknownkey', revokedKey, 'not-even-a-key']) {
      const r = await put(code, dossierBody(), key);
      expect(r.status).toBe(401);
      expect(r.body.error).toBe('unauthorized');
      expect((await request('GET', `/api/integration/dossiers/${code}`, { key })).status).toBe(401);
    }
    expect(await runtime.deps.db.prisma.dossier.count({ where: { code } })).toBe(0);
  });

  it('answers 400 naming the field for a missing field, a bad date, a bad phone, bad JSON or a bad code', async () => {
    const { applicantName: _omit, ...noName } = dossierBody();
    const cases: Array<[unknown, string]> = [
      [noName, 'applicantName'],
      [dossierBody({ dueAt: '09/01/2026' }), 'dueAt'],
      [dossierBody({ applicantPhone: '12345' }), 'applicantPhone'],
      [dossierBody({ procedureName: undefined }), 'procedureCode'],
      [dossierBody({ dueAt: '2025-12-31' }), 'dueAt'],
    ];
    for (const [body, field] of cases) {
      const r = await put(newCode(), body);
      expect(r.status, field).toBe(400);
      expect(r.body.error).toBe('invalid');
      expect(r.body.issues.map((i: { path: string }) => i.path)).toContain(field);
    }
    const badJson = await request('PUT', `/api/integration/dossiers/${newCode()}`, { raw: '{"status":' });
    expect(badJson.status).toBe(400);
    expect(badJson.body.error).toBe('invalid');
    const badCode = await put('a b', dossierBody());
    expect(badCode.status).toBe(400);
    expect(badCode.body.issues[0].path).toBe('code');
  });

  it('answers 400 on an unknown status and on an unknown procedure code without a name', async () => {
    const r = await put(newCode(), dossierBody({ status: 'lost_in_the_mail' }));
    expect(r.status).toBe(400);
    expect(r.body.issues[0].path).toBe('status');
    const p = await put(newCode(), dossierBody({ procedureName: undefined, procedureCode: '9.999999' }));
    expect(p.status).toBe(400);
    expect(p.body.issues).toEqual([{ path: 'procedureCode', message: expect.stringContaining('9.999999') }]);
  });

  it('resolves the procedure name from a known procedure code', async () => {
    const code = newCode();
    const r = await put(code, dossierBody({ procedureName: undefined, procedureCode: '1.001193' }));
    expect(r.status).toBe(201);
    const got = await request('GET', `/api/integration/dossiers/${code}`);
    expect(got.body).toMatchObject({ code, procedureCode: '1.001193', procedureName: 'Đăng ký khai sinh', applicantPhone: '0912345678' });
  });
});

describe('status feed', () => {
  it('creates with 201, is idempotent (same body twice: one event, changed false) and stores the code upper-cased', async () => {
    const code = newCode();
    const first = await put(code.toLowerCase(), dossierBody());
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ code, status: 'received', statusLabel: 'Đã tiếp nhận', changed: true });
    const again = await put(code, dossierBody());
    expect(again.status).toBe(200);
    expect(again.body.changed).toBe(false);
    expect(again.body.history).toHaveLength(1);
    const d = await runtime.deps.db.prisma.dossier.findUniqueOrThrow({ where: { code }, include: { events: true } });
    expect(d.events).toHaveLength(1);
  });

  it('appends every status change to the history, in order', async () => {
    const code = newCode();
    await put(code, dossierBody());
    await put(code, dossierBody({ status: 'processing' }));
    const r = await put(code, dossierBody({ status: 'needs_supplement', note: 'Bản sao giấy chứng sinh' }));
    expect(r.status).toBe(200);
    expect(r.body.changed).toBe(true);
    expect(r.body.history.map((h: { status: string }) => h.status)).toEqual(['received', 'processing', 'needs_supplement']);
    expect(r.body.history[2]).toMatchObject({ statusLabel: 'Cần bổ sung hồ sơ', note: 'Bản sao giấy chứng sinh' });
  });

  it('sends a subscribed web user exactly one notice per change, and nothing to a user who stopped them', async () => {
    const code = newCode();
    await put(code, dossierBody());
    await owner(code, 'web', 'citizen-web-0001');
    await owner(code, 'web', 'citizen-web-0002');
    await chat('citizen-web-0001', { payload: `#sub:${code}` });
    await chat('citizen-web-0002', { payload: `#sub:${code}` });
    await chat('citizen-web-0002', { text: `ngừng thông báo hồ sơ ${code}` });
    // Said without the word "thông báo" and without a code: every notice of that user stops.
    await owner(code, 'web', 'citizen-web-0009');
    await chat('citizen-web-0009', { payload: `#sub:${code}` });
    await chat('citizen-web-0009', { text: 'stop, đừng gửi tin nữa ạ' });
    // "bỏ theo dõi" (unfollow) stops them too; it never subscribes.
    await owner(code, 'web', 'citizen-web-0010');
    await chat('citizen-web-0010', { payload: `#sub:${code}` });
    await chat('citizen-web-0010', { text: 'bỏ theo dõi trang ni sao v, tin nhắn tới hoài' });
    const { prisma } = runtime.deps.db;
    expect(await prisma.subscription.count({ where: { dossier: { code }, active: true } })).toBe(1);

    await put(code, dossierBody({ status: 'needs_supplement', note: 'Bản sao giấy chứng sinh', notePublic: true }));
    await put(code, dossierBody({ status: 'needs_supplement', note: 'Bản sao giấy chứng sinh', notePublic: true }));
    const first = await waitFor('the notice', async () => {
      const m = await notices('web', 'citizen-web-0001');
      return m.length > 0 && m.every((x) => x.deliveryStatus === 'sent') ? m : undefined;
    });
    await settle();
    expect(first).toHaveLength(1);
    expect(first[0].text).toContain('Cần bổ sung hồ sơ');
    expect(first[0].text).toContain('Bản sao giấy chứng sinh');
    expect(first[0].text).not.toContain('Nguyễn Văn An');
    expect(first[0].text).not.toMatch(/0912|912345678/);

    await put(code, dossierBody({ status: 'processing' }));
    await settle();
    expect(await notices('web', 'citizen-web-0001')).toHaveLength(2);
    expect(await notices('web', 'citizen-web-0002')).toHaveLength(0);
  });

  it('apologises with the new date when the due date moves later on an unfinished dossier', async () => {
    const code = newCode();
    await put(code, dossierBody({ status: 'processing', dueAt: '2099-01-09' }));
    await owner(code, 'web', 'citizen-web-0003');
    await chat('citizen-web-0003', { payload: `#sub:${code}` });
    const r = await put(code, dossierBody({ status: 'processing', dueAt: '2099-01-16' }));
    expect(r.body.changed).toBe(true);
    await settle();
    const [notice] = await notices('web', 'citizen-web-0003');
    expect(notice.text).toContain('xin lỗi');
    expect(notice.text).toContain('16/01/2099');
    expect(notice.text).toContain('09/01/2099');
  });
});

describe('delivery by channel and window', () => {
  it('sends a Zalo user within 7 days a CS message; asks for a rating when the result is returned', async () => {
    const code = newCode();
    await put(code, dossierBody({ status: 'done' }));
    await subscriber('zalo', '1000000000000000001', code, new Date(Date.now() - 3 * 24 * HOUR));
    await put(code, dossierBody({ status: 'returned' }));
    await settle();
    const sent = zalo.sent.filter((s) => s.userId === '1000000000000000001');
    expect(sent).toHaveLength(1);
    // A status notice is a transaction message (its own endpoint), not a consultation message.
    expect(sent[0].path).toBe('/v3.0/oa/message/transaction');
    const payload = (sent[0].message.attachment as { payload: { elements: Array<{ content: string }>; buttons: Array<{ payload: unknown }> } }).payload;
    expect(payload.elements[1].content).toContain('Đã trả kết quả');
    const buttons = payload.buttons;
    expect(buttons.map((b) => b.payload)).toContain(`#rate:${code}`);
    const [m] = await notices('zalo', '1000000000000000001');
    expect(m.deliveryStatus).toBe('sent');
  });

  it('records a Zalo notice outside the 7-day window as undelivered when there is no phone for ZNS', async () => {
    const code = newCode();
    await put(code, dossierBody({ applicantPhone: null }));
    await subscriber('zalo', '1000000000000000002', code, new Date(Date.now() - 8 * 24 * HOUR));
    await put(code, dossierBody({ applicantPhone: null, status: 'processing' }));
    await settle();
    const n = await runtime.deps.db.prisma.notification.findFirstOrThrow({ where: { userId: '1000000000000000002' } });
    expect(n).toMatchObject({ status: 'undelivered', detail: expect.stringContaining('no phone') });
    expect(zalo.sent.filter((s) => s.userId === '1000000000000000002')).toHaveLength(0);

    const list = await consoleGet('/api/notifications?status=undelivered');
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { id: number }) => i.id)).toContain(n.id);
    expect(list.body.items.find((i: { id: number }) => i.id === n.id)).toMatchObject({ dossierCode: code, channel: 'zalo' });
  });

  it('sends a ZNS template to the applicant phone (84 format) with the OA token outside the window', async () => {
    const code = newCode();
    await put(code, dossierBody({ applicantPhone: '+84 912 000 111' }));
    await subscriber('zalo', '1000000000000000003', code, null);
    await put(code, dossierBody({ applicantPhone: '+84 912 000 111', status: 'awaiting_payment' }));
    await settle();
    const call = zns.calls.find((c) => (c.body.template_data as { code?: string }).code === code);
    expect(call?.accessToken).toBe(zalo.tokens.accessToken);
    expect(call?.body).toMatchObject({ phone: '84912000111', template_id: ZNS_TEMPLATE, template_data: { code, status: 'Chờ nộp phí, lệ phí' } });
    const n = await runtime.deps.db.prisma.notification.findFirstOrThrow({ where: { userId: '1000000000000000003' } });
    expect(n.status).toBe('sent');
  });

  it('records a ZNS refusal of the phone number as undelivered, with Zalo\'s reason', async () => {
    const code = newCode();
    zns.failPhone.set('84912000222', { error: -108, message: 'Phone number invalid' });
    await put(code, dossierBody({ applicantPhone: '0912000222' }));
    await subscriber('zalo', '1000000000000000004', code, new Date(Date.now() - 30 * 24 * HOUR));
    await put(code, dossierBody({ applicantPhone: '0912000222', status: 'processing' }));
    await settle();
    const n = await runtime.deps.db.prisma.notification.findFirstOrThrow({ where: { userId: '1000000000000000004' } });
    expect(n).toMatchObject({ status: 'undelivered', detail: expect.stringContaining('error -108 (Phone number invalid)') });
  });

  it('tags a Messenger notice ACCOUNT_UPDATE outside 24 h and sends it as UPDATE inside', async () => {
    const code = newCode();
    await put(code, dossierBody());
    await subscriber('messenger', '2000000000000001', code, new Date(Date.now() - 30 * HOUR));
    await subscriber('messenger', '2000000000000002', code, new Date(Date.now() - HOUR));
    await put(code, dossierBody({ status: 'processing' }));
    await settle();
    const outside = graph.sent.filter((s) => s.psid === '2000000000000001');
    const inside = graph.sent.filter((s) => s.psid === '2000000000000002');
    expect(outside).toHaveLength(1);
    expect(outside[0]).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'ACCOUNT_UPDATE' });
    expect(inside).toHaveLength(1);
    expect(inside[0].messaging_type).toBe('UPDATE');
    expect(String(inside[0].message.text)).toContain('Đang giải quyết');
  });

  it('shows a notice the platform refused as undelivered in the console', async () => {
    const code = newCode();
    await put(code, dossierBody());
    await subscriber('messenger', '2000000000000003', code, new Date(Date.now() - HOUR));
    graph.setFailure((req) => (req.psid === '2000000000000003' && req.kind === 'message' ? 'outside_window' : null));
    try {
      await put(code, dossierBody({ status: 'suspended', note: 'Chờ xác minh' }));
      await settle();
    } finally {
      graph.setFailure(null);
    }
    const detail = await consoleGet(`/api/dossiers/${code}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ code, applicantName: 'Nguyễn Văn An', status: 'suspended', subscriptions: { active: 1, total: 1 } });
    expect(detail.body.history).toHaveLength(2);
    expect(detail.body.notifications).toEqual([expect.objectContaining({ status: 'undelivered', channel: 'messenger', detail: expect.stringContaining('2018278') })]);
    const list = await consoleGet('/api/notifications?status=undelivered');
    expect(list.body.items.map((i: { dossierCode: string }) => i.dossierCode)).toContain(code);
  });
});

describe('concurrency, limits and bulk imports', () => {
  it('records one dossier and one event when the same first report and the same change arrive concurrently', async () => {
    const code = newCode();
    const created = await Promise.all(Array.from({ length: 5 }, () => put(code, dossierBody())));
    expect(created.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    const changed = await Promise.all(Array.from({ length: 5 }, () => put(code, dossierBody({ status: 'processing' }))));
    expect(changed.filter((r) => r.body.changed)).toHaveLength(1);
    const d = await runtime.deps.db.prisma.dossier.findUniqueOrThrow({ where: { code }, include: { events: true } });
    expect(d.events.map((e) => e.status)).toEqual(['received', 'processing']);
  });

  it('answers 429 once a key goes over its rate limit', async () => {
    const app = express().use(createIntegrationRouter(runtime.deps, { ratePerMinute: 2 }));
    const limited = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => limited.once('listening', () => resolve()));
    try {
      const url = `http://127.0.0.1:${(limited.address() as AddressInfo).port}/api/integration/dossiers/KHONG-CO-0002`;
      // Counts are shared by every router on the database: a key of its own starts from zero.
      const fresh = (await createApiKey(runtime.deps.db.prisma, 'limited system')).key;
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await fetch(url, { headers: { 'x-api-key': fresh } })).status);
      expect(statuses).toEqual([404, 404, 429]);
    } finally {
      await new Promise<void>((resolve) => limited.close(() => resolve()));
    }
  });

  it('queues notices for status events a bulk import wrote, once per event', async () => {
    const code = newCode();
    await put(code, dossierBody());
    await owner(code, 'web', 'citizen-web-0004');
    await chat('citizen-web-0004', { payload: `#sub:${code}` });
    const { prisma } = runtime.deps.db;
    const d = await prisma.dossier.findUniqueOrThrow({ where: { code } });
    const hook = noticesForEvents(runtime.deps);
    await prisma.$transaction(async (tx) => {
      await tx.dossier.update({ where: { id: d.id }, data: { status: 'done' } });
      const event = await tx.dossierEvent.create({ data: { dossierId: d.id, status: 'done', dueAt: d.dueAt } });
      await hook(tx, [event]);
      await hook(tx, [event]);
    });
    runtime.deps.queue.poke();
    await settle();
    const sent = await notices('web', 'citizen-web-0004');
    expect(sent).toHaveLength(1);
    expect(sent[0].text).toContain('Đã có kết quả, chờ trả');
  });
});

describe('status feed on the PostgreSQL server', () => {
  it('keeps one dossier, one event per change and one notice per subscriber under concurrent reports', async () => {
    const t = await openTestDb('postgres', { seed: false });
    try {
      let pokes = 0;
      const deps = { ...runtime.deps, db: t.db, queue: { poke: () => { pokes++; } } } as unknown as AppDeps;
      const code = 'PG.26-260105-0001';
      const input = (status: string) => dossierStatusInputSchema.parse(dossierBody({ status }));
      const first = await Promise.all(Array.from({ length: 8 }, () => upsertDossierStatus(deps, code, input('received'))));
      expect(first.filter((r) => r.created)).toHaveLength(1);
      const d = await t.db.prisma.dossier.findUniqueOrThrow({ where: { code } });
      await t.db.prisma.subscription.createMany({ data: [{ dossierId: d.id, channel: 'web', userId: 'a' }, { dossierId: d.id, channel: 'zalo', userId: 'b' }] });
      const changes = await Promise.all(Array.from({ length: 8 }, () => upsertDossierStatus(deps, code, input('processing'))));
      expect(changes.filter((r) => r.changed)).toHaveLength(1);
      expect(await t.db.prisma.dossierEvent.count({ where: { dossierId: d.id } })).toBe(2);
      expect(await t.db.prisma.notification.count({ where: { dossierId: d.id } })).toBe(2);
      expect(await t.db.prisma.job.count({ where: { kind: 'notify' } })).toBe(2);
      expect(pokes).toBe(1);
    } finally {
      await t.close();
    }
  });
});

describe('console dossier views', () => {
  it('lists and searches dossiers for a viewer, and refuses without a session', async () => {
    const code = newCode();
    await put(code, dossierBody({ applicantName: 'Trần Thị Bình', status: 'awaiting_payment' }));
    const hit = await consoleGet(`/api/dossiers?q=${encodeURIComponent('trần thị')}&status=awaiting_payment`);
    expect(hit.status).toBe(200);
    expect(hit.body.items.map((d: { code: string }) => d.code)).toEqual([code]);
    expect(hit.body.total).toBe(1);
    expect((await consoleGet('/api/dossiers?status=bogus')).status).toBe(400);
    expect((await request('GET', '/api/dossiers', { key: null })).status).toBe(401);
    expect((await consoleGet('/api/dossiers/KHONG-CO-0001')).status).toBe(404);
  });
});
