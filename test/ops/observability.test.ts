import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { listen } from './listen.js';
import { startTestServer, waitFor, zaloText, type TestServer } from '../helpers/server.js';

// /metrics in Prometheus format (local only, or with a token) and an access log without secrets.

let s: TestServer;
let logged: string[] = [];
let server: Awaited<ReturnType<typeof listen>>;
let url = '';

beforeAll(async () => {
  s = await startTestServer();
  // The same app with a logger we can read.
  const log = createLogger('debug', new Writable({ write(chunk, _e, done) { logged.push(String(chunk)); done(); } }));
  server = await listen(createApp({ ...s.runtime.deps, log }));
  url = server.url;
}, 180_000);
afterAll(async () => {
  await server?.close();
  await s?.close();
});

describe('/metrics', () => {
  it('reports webhook, send, NLU, queue, hand-off and KB figures in Prometheus format', async () => {
    const statements = async () => Number(/^cchc_db_statements_total ([0-9.e+-]+)$/m.exec(await (await fetch(`${s.url}/metrics`)).text())?.[1]);
    const before = await statements();
    expect((await s.postZalo(zaloText('metrics-user', 'lệ phí khai sinh bao nhiêu'))).status).toBe(200);
    await waitFor(() => s.zalo.sent.some((m) => m.userId === 'metrics-user'));
    // Stored (BEGIN, the insert, COMMIT), read, recorded, and the send's read: at least six statements for one answer.
    expect(await statements() - before).toBeGreaterThanOrEqual(6);
    const res = await fetch(`${s.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    for (const name of ['cchc_webhook_ack_seconds_bucket{le="0.05",channel="zalo"}', 'cchc_inbound_events_total{channel="zalo",outcome="accepted"}',
      'cchc_sends_total{channel="zalo",outcome="sent",error_kind=""}', 'cchc_nlu_seconds_count', 'cchc_job_queue_depth', 'cchc_handoff_waiting',
      'cchc_kb_version', 'cchc_process_resident_memory_bytes']) {
      expect(text, name).toContain(name);
    }
    // The embedded database's thread reports the time it worked (the test server runs on in-memory PGlite).
    expect(Number(/^cchc_embedded_thread_busy_seconds ([0-9.e+-]+)$/m.exec(text)?.[1])).toBeGreaterThan(0);
    // A tampered webhook counts as rejected.
    await fetch(`${s.url}/webhooks/zalo`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', 'x-zevent-signature': 'nope' } });
    expect(await (await fetch(`${s.url}/metrics`)).text()).toMatch(/cchc_inbound_events_total\{channel="zalo",outcome="rejected_signature"\} [1-9]/);
  });

  it('is refused through a proxy without a token, and needs the token when one is set', async () => {
    expect((await fetch(`${s.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } })).status).toBe(403);
    const cfg = s.runtime.deps.config;
    cfg.METRICS_TOKEN = 'metrics-token-0123456789';
    try {
      expect((await fetch(`${s.url}/metrics`)).status).toBe(401);
      expect((await fetch(`${s.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
      expect((await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${cfg.METRICS_TOKEN}` } })).status).toBe(200);
    } finally {
      cfg.METRICS_TOKEN = undefined;
    }
  });
});

describe('access log', () => {
  it('one line per request with its id, method, path and status; no query string, cookie, signature or token', async () => {
    logged = [];
    const res = await fetch(`${url}/api/chat/messages?sessionId=access-log-0001&token=secret-in-query`, {
      headers: { cookie: 'sid=cookie-secret-value', authorization: 'Bearer header-secret-value', 'x-request-id': 'proxy-req-12345678' },
    });
    expect(res.headers.get('x-request-id')).toBe('proxy-req-12345678');
    await fetch(`${url}/webhooks/zalo`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', 'x-zevent-signature': 'mac=signature-secret' } });
    const fresh = await fetch(`${url}/healthz`);
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    await waitFor(() => logged.some((l) => l.includes('/webhooks/zalo')));
    const lines = logged.filter((l) => l.includes('"component":"http"')).map((l) => JSON.parse(l) as Record<string, any>);
    const chat = lines.find((l) => l.req?.path === '/api/chat/messages');
    // The web chat's polls are debug lines; a refused webhook is an info line.
    expect(chat).toMatchObject({ level: 20, reqId: 'proxy-req-12345678', req: { method: 'GET', path: '/api/chat/messages' }, res: { status: 200 } });
    expect(typeof chat?.responseTime).toBe('number');
    expect(lines.find((l) => l.req?.path === '/webhooks/zalo')).toMatchObject({ level: 30, res: { status: 401 } });
    const all = logged.join('\n');
    for (const secret of ['secret-in-query', 'cookie-secret-value', 'header-secret-value', 'signature-secret']) expect(all).not.toContain(secret);
  });
});
