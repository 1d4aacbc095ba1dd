import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { signMessengerBody } from '../src/channels/messenger/signature.js';
import { signZaloBody } from '../src/channels/zalo/signature.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startRuntime, type Runtime } from '../src/runtime.js';
import { startFakeGraph, type FakeGraph } from './helpers/fake-graph.js';
import { startFakeZalo, type FakeZalo } from './helpers/fake-zalo.js';

// Bad input against both webhooks of an in-process app: fixed cases for each kind of rejection, then fast-check
// payloads (random JSON, strings, bytes, wrong shapes, oversized), signed or not. Never a 5xx, never a crash,
// and nothing rejected ever produces a reply at the fake platform APIs.

const APP_ID = '1234567890123456789';
const OA_SECRET = 'fuzz-oa-secret';
const OA_ID = '5555555555555555555';
const MESSENGER_SECRET = 'fuzz-app-secret';
const VERIFY_TOKEN = 'fuzz-verify-token';
const LIMIT = 256 * 1024;
const ALLOWED = [200, 400, 401, 413];

let fakeZalo: FakeZalo;
let fakeGraph: FakeGraph;
let runtime: Runtime;
let server: Server;
let base: string;

beforeAll(async () => {
  fakeZalo = await startFakeZalo({ appId: APP_ID });
  fakeGraph = await startFakeGraph();
  const config = loadConfig({
    DATABASE_URL: 'memory:', LOG_LEVEL: 'silent', MAX_BODY_BYTES: String(LIMIT),
    ZALO_APP_ID: APP_ID, ZALO_APP_SECRET: 'fake-app-secret', ZALO_OA_SECRET_KEY: OA_SECRET,
    ZALO_ACCESS_TOKEN: 'fake-access-0', ZALO_REFRESH_TOKEN: 'fake-refresh-0',
    ZALO_API_BASE_URL: fakeZalo.url, ZALO_OAUTH_BASE_URL: fakeZalo.url, ZALO_ZNS_BASE_URL: fakeZalo.url,
    MESSENGER_APP_SECRET: MESSENGER_SECRET, MESSENGER_PAGE_ACCESS_TOKEN: fakeGraph.token, MESSENGER_VERIFY_TOKEN: VERIFY_TOKEN,
    MESSENGER_GRAPH_BASE_URL: fakeGraph.url,
  });
  runtime = await startRuntime(config, createLogger('silent'));
  expect(Object.keys(runtime.deps.channels).sort()).toEqual(['messenger', 'web', 'zalo']);
  server = createApp(runtime.deps).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await runtime?.close();
  await fakeZalo?.close();
  await fakeGraph?.close();
});

type Sign = 'none' | 'wrong' | 'right';
type Target = 'zalo' | 'messenger';

/** The signature headers for a body: the right one, one made with another secret, or none. */
function signatureHeaders(target: Target, raw: Buffer | string, sign: Sign): Record<string, string> {
  if (sign === 'none') return {};
  if (target === 'messenger') {
    return { 'x-hub-signature-256': signMessengerBody(raw, sign === 'right' ? MESSENGER_SECRET : 'not-the-secret') };
  }
  // Zalo signs app_id + body + timestamp + secret, with app_id and timestamp read from the body.
  let appId = APP_ID;
  let timestamp = '';
  try {
    const parsed = JSON.parse(Buffer.isBuffer(raw) ? raw.toString('utf8') : raw) as Record<string, unknown>;
    if (parsed && typeof parsed === 'object') {
      if (typeof parsed.app_id === 'string' || typeof parsed.app_id === 'number') appId = String(parsed.app_id);
      if (typeof parsed.timestamp === 'string' || typeof parsed.timestamp === 'number') timestamp = String(parsed.timestamp);
    }
  } catch { /* not JSON: sign with defaults, the server cannot verify it anyway */ }
  const text = Buffer.isBuffer(raw) ? raw.toString('latin1') : raw;
  const mac = Buffer.isBuffer(raw)
    ? signZaloBodyBytes(raw, appId, timestamp, sign === 'right' ? OA_SECRET : 'not-the-secret')
    : signZaloBody(text, appId, timestamp, sign === 'right' ? OA_SECRET : 'not-the-secret');
  return { 'x-zevent-signature': mac, 'x-zevent-timestamp': timestamp || '0' };
}

/** signZaloBody takes a string; bytes that are not UTF-8 are hashed as they are, as Zalo would. */
function signZaloBodyBytes(raw: Buffer, appId: string, timestamp: string, secret: string): string {
  return `mac=${createHash('sha256').update(appId).update(raw).update(timestamp).update(secret).digest('hex')}`;
}

async function post(target: Target, raw: Buffer | string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const body = Buffer.isBuffer(raw) ? new Uint8Array(raw) : raw;
  try {
    const res = await fetch(`${base}/webhooks/${target}`, {
      method: 'POST', body, headers: { 'content-type': 'application/json', ...headers }, signal: AbortSignal.timeout(10_000),
    });
    return { status: res.status, text: await res.text() };
  } catch (err) {
    // A 413 may close the socket before the whole body was written; ask again for the status on a fresh request.
    throw new Error(`POST /webhooks/${target} failed: ${(err as Error).message}`);
  }
}

const now = () => String(Date.now());
const zaloText = (userId: string, msgId: string, text: string) => ({
  app_id: APP_ID, user_id_by_app: userId, event_name: 'user_send_text', timestamp: now(),
  sender: { id: userId }, recipient: { id: OA_ID }, message: { msg_id: msgId, text },
});
const messengerText = (psid: string, mid: string, text: string) => ({
  object: 'page',
  entry: [{ id: fakeGraph.pageId, time: Date.now(), messaging: [{
    sender: { id: psid }, recipient: { id: fakeGraph.pageId }, timestamp: Date.now(), message: { mid, text },
  }] }],
});

describe('webhook bad input: fixed cases', () => {
  it('answers 401 for a missing or wrong signature on both webhooks', async () => {
    const z = JSON.stringify(zaloText('fx-user-1', 'fx-msg-1', 'Xin chào'));
    expect((await post('zalo', z, {})).status).toBe(401);
    expect((await post('zalo', z, signatureHeaders('zalo', z, 'wrong'))).status).toBe(401);
    expect((await post('zalo', z, { 'x-zevent-signature': 'mac=zz' })).status).toBe(401);
    const m = JSON.stringify(messengerText('fx-psid-1', 'fx-mid-1', 'Xin chào'));
    expect((await post('messenger', m, {})).status).toBe(401);
    expect((await post('messenger', m, signatureHeaders('messenger', m, 'wrong'))).status).toBe(401);
    expect((await post('messenger', m, { 'x-hub-signature-256': 'sha256=abc' })).status).toBe(401);
  });

  it('answers 400 for a signed body that is not JSON (Messenger; a Zalo signature cannot cover non-JSON)', async () => {
    const raw = 'this is {not json';
    expect((await post('messenger', raw, signatureHeaders('messenger', raw, 'right'))).status).toBe(400);
    // Zalo's signature needs app_id from the body, so a non-JSON body can only be unauthenticated.
    expect((await post('zalo', raw, signatureHeaders('zalo', raw, 'right'))).status).toBe(401);
  });

  it('answers 400 for signed JSON of the wrong shape', async () => {
    const zaloBad = [
      { app_id: APP_ID, timestamp: now() },
      { app_id: APP_ID, event_name: 'user_send_text', timestamp: now(), sender: { id: 'u' }, recipient: { id: OA_ID } },
      { ...zaloText('fx-user-2', 'fx-msg-2', 'x'), message: { msg_id: 'fx-msg-2', text: 42 } },
      { ...zaloText('fx-user-3', 'fx-msg-3', 'x'), timestamp: 'yesterday' },
      { app_id: APP_ID, event_name: '', timestamp: now() },
    ];
    for (const b of zaloBad) {
      const raw = JSON.stringify(b);
      const res = await post('zalo', raw, signatureHeaders('zalo', raw, 'right'));
      expect(res.status, raw).toBe(400);
    }
    const messengerBad: unknown[] = [[], 'page', 42, null, { object: 'user', entry: [] }, { object: 'page' }, { object: 'page', entry: [{ id: 5 }] }];
    for (const b of messengerBad) {
      const raw = JSON.stringify(b);
      const res = await post('messenger', raw, signatureHeaders('messenger', raw, 'right'));
      expect(res.status, raw).toBe(400);
    }
  });

  it('answers 413 above the body limit, signed or not', async () => {
    const pad = 'a'.repeat(LIMIT + 10);
    const raw = JSON.stringify({ ...zaloText('fx-user-4', 'fx-msg-4', pad) });
    expect((await post('zalo', raw, signatureHeaders('zalo', raw, 'right'))).status).toBe(413);
    expect((await post('zalo', raw, {})).status).toBe(413);
    const m = JSON.stringify(messengerText('fx-psid-4', 'fx-mid-4', pad));
    expect((await post('messenger', m, signatureHeaders('messenger', m, 'right'))).status).toBe(413);
  });

  it('records an unknown Zalo event_name as ignored, answers 200 and replies nothing', async () => {
    const raw = JSON.stringify({
      app_id: APP_ID, event_name: 'user_received_hologram', timestamp: now(),
      sender: { id: 'fx-user-5' }, recipient: { id: OA_ID }, message: { msg_id: 'fx-unknown-1' },
    });
    const res = await post('zalo', raw, signatureHeaders('zalo', raw, 'right'));
    expect(res.status).toBe(200);
    const ev = await runtime.deps.db.prisma.inboundEvent.findUnique({ where: { channel_eventId: { channel: 'zalo', eventId: 'fx-unknown-1' } } });
    expect(ev?.status).toBe('ignored');
    expect(ev?.eventName).toBe('user_received_hologram');
    // The same event redelivered is still a 200 and still one row.
    expect((await post('zalo', raw, signatureHeaders('zalo', raw, 'right'))).status).toBe(200);
    expect(await runtime.deps.db.prisma.inboundEvent.count({ where: { channel: 'zalo', eventId: 'fx-unknown-1' } })).toBe(1);
  });

  it('answers the Messenger GET handshake with the challenge, 403 otherwise', async () => {
    const ok = await fetch(`${base}/webhooks/messenger?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const wrong = await fetch(`${base}/webhooks/messenger?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`);
    expect(wrong.status).toBe(403);
    const noMode = await fetch(`${base}/webhooks/messenger?hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`);
    expect(noMode.status).toBe(403);
  });
});

// ---- fuzzing -------------------------------------------------------------------------------------------------

interface Case { target: Target; raw: Buffer | string; sign: Sign; expect?: number; label: string }

const sign = fc.constantFrom<Sign>('none', 'wrong', 'right');
const target = fc.constantFrom<Target>('zalo', 'messenger');

/** A valid user_send_text turned invalid by exactly one mutation (so it never reaches the bot). */
const zaloWrongShape = fc.tuple(
  fc.constantFrom('no-message', 'text-number', 'sender-empty', 'msgid-null', 'timestamp-word', 'event-number', 'sender-string', 'attachments-bad'),
  fc.string(), fc.anything(),
).map(([mutation, s, any]) => {
  const e: Record<string, any> = zaloText('fz-user', 'fz-msg', s);
  switch (mutation) {
    case 'no-message': delete e.message; break;
    case 'text-number': e.message.text = 7; break;
    case 'sender-empty': e.sender = {}; break;
    case 'msgid-null': e.message.msg_id = null; break;
    case 'timestamp-word': e.timestamp = `t${s}`; break;
    case 'event-number': e.event_name = 12; break;
    case 'sender-string': e.sender = `${s}x`; break;
    case 'attachments-bad': e.event_name = 'user_send_location'; e.message = { msg_id: 'fz-loc', attachments: [{ type: 'location', payload: { coordinates: any === null ? 'x' : { latitude: 'north' } } }] }; break;
  }
  return JSON.stringify(e);
});

const messengerWrongShape = fc.oneof(
  fc.jsonValue().filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)),
  fc.record({ object: fc.string().filter((s) => s !== 'page'), entry: fc.array(fc.jsonValue(), { maxLength: 3 }) }),
  fc.record({ object: fc.constant('page'), entry: fc.oneof(fc.string(), fc.integer(), fc.array(fc.record({ id: fc.integer() }), { minLength: 1, maxLength: 2 })) }),
).map((v) => JSON.stringify(v));

/** Signed and well-formed but not something the bot answers: 200, recorded, no reply. */
const zaloUnknown = fc.tuple(fc.string({ minLength: 1, maxLength: 20 }), fc.nat()).map(([name, n]) => JSON.stringify({
  app_id: APP_ID, event_name: `fuzz_${name.trim() || 'x'}`, timestamp: now(),
  sender: { id: `fz-unknown-user-${n}` }, message: { msg_id: `fz-unknown-${n}-${name.length}` },
}));
const messengerIgnored = fc.array(fc.oneof(
  fc.record({ sender: fc.record({ id: fc.string() }), read: fc.record({ watermark: fc.nat() }) }),
  fc.record({ sender: fc.record({ id: fc.string() }), delivery: fc.record({ mids: fc.array(fc.string(), { maxLength: 2 }) }) }),
  fc.dictionary(fc.string().map((k) => `zz${k}`), fc.jsonValue(), { maxKeys: 3 }),
), { maxLength: 3 }).map((messaging) => JSON.stringify({ object: 'page', entry: [{ id: '1000000000000001', time: Date.now(), messaging }] }));

const fuzzCase: fc.Arbitrary<Case> = fc.oneof(
  fc.tuple(target, sign, fc.jsonValue()).map(([t, s, v]): Case => ({ target: t, sign: s, raw: JSON.stringify(v) ?? 'null', label: 'random JSON' })),
  fc.tuple(target, sign, fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 6 })).map(([t, s, v]): Case => ({
    target: t, sign: s, label: 'random object with app_id',
    raw: JSON.stringify({ app_id: APP_ID, timestamp: now(), ...v, ...(t === 'zalo' && 'event_name' in v ? { event_name: `fuzz_${String(v.event_name)}` } : {}) }),
  })),
  fc.tuple(target, sign, fc.string({ unit: 'binary', maxLength: 500 })).map(([t, s, v]): Case => ({ target: t, sign: s, raw: v, label: 'random string' })),
  fc.tuple(target, sign, fc.uint8Array({ maxLength: 1000 })).map(([t, s, v]): Case => ({ target: t, sign: s, raw: Buffer.from(v), label: 'random bytes' })),
  fc.tuple(sign, zaloWrongShape).map(([s, raw]): Case => ({ target: 'zalo', sign: s, raw, label: 'zalo wrong shape', expect: s === 'right' ? 400 : 401 })),
  fc.tuple(sign, messengerWrongShape).map(([s, raw]): Case => ({ target: 'messenger', sign: s, raw, label: 'messenger wrong shape', expect: s === 'right' ? 400 : 401 })),
  fc.tuple(sign, zaloUnknown).map(([s, raw]): Case => ({ target: 'zalo', sign: s, raw, label: 'zalo unknown event', expect: s === 'right' ? 200 : 401 })),
  fc.tuple(sign, messengerIgnored).map(([s, raw]): Case => ({ target: 'messenger', sign: s, raw, label: 'messenger ignored items', expect: s === 'right' ? 200 : 401 })),
  fc.tuple(target, sign, fc.integer({ min: 1, max: 4096 })).map(([t, s, extra]): Case => ({
    target: t, sign: s, raw: JSON.stringify({ app_id: APP_ID, timestamp: now(), pad: 'x'.repeat(LIMIT + extra) }), label: 'oversized', expect: 413,
  })),
);

describe('webhook fuzzing (fast-check)', () => {
  it('never answers 5xx, stays up, and sends no reply for anything rejected', async () => {
    const seen: Record<string, Record<number, number>> = {};
    await fc.assert(fc.asyncProperty(fuzzCase, async (c) => {
      const res = await post(c.target, c.raw, signatureHeaders(c.target, c.raw, c.sign));
      (seen[c.label] ??= {})[res.status] = ((seen[c.label] ??= {})[res.status] ?? 0) + 1;
      expect(ALLOWED, `${c.label} -> ${res.status} ${res.text}`).toContain(res.status);
      // Without a valid signature nothing is accepted (the body limit applies before the signature).
      if (c.sign !== 'right' && c.expect !== 413) expect(res.status, c.label).toBe(401);
      if (c.expect !== undefined) expect(res.status, `${c.label}: ${res.text}`).toBe(c.expect);
    }), { numRuns: 150 });
    // Still alive and healthy.
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    // Give the job worker time to act on anything that was (wrongly) accepted, then check nothing was sent.
    runtime.deps.queue.poke();
    await new Promise((r) => setTimeout(r, 1500));
    expect(fakeZalo.sent).toEqual([]);
    expect(fakeGraph.sent).toEqual([]);
    expect(await runtime.deps.db.prisma.job.count({ where: { kind: { startsWith: 'send' } } })).toBe(0);
    console.info('fuzz status counts by case:', JSON.stringify(seen));
  }, 60_000);

  it('valid signed events are answered exactly once, redeliveries included', async () => {
    const zaloUsers = ['fv-zalo-1', 'fv-zalo-2', 'fv-zalo-3'];
    const psids = ['fv-psid-1', 'fv-psid-2'];
    for (const [i, u] of zaloUsers.entries()) {
      const raw = JSON.stringify(zaloText(u, `fv-msg-${i}`, 'Thủ tục đăng ký khai sinh cần giấy tờ gì?'));
      for (let k = 0; k < 2; k++) expect((await post('zalo', raw, signatureHeaders('zalo', raw, 'right'))).status).toBe(200);
    }
    for (const [i, p] of psids.entries()) {
      const raw = JSON.stringify(messengerText(p, `fv-mid-${i}`, 'Lệ phí cấp căn cước là bao nhiêu?'));
      for (let k = 0; k < 2; k++) expect((await post('messenger', raw, signatureHeaders('messenger', raw, 'right'))).status).toBe(200);
    }
    const deadline = Date.now() + 20_000;
    const done = () => zaloUsers.every((u) => fakeZalo.sent.some((s) => s.userId === u)) && psids.every((p) => fakeGraph.sent.some((s) => s.psid === p));
    while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(done()).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    for (const u of zaloUsers) {
      const msgs = fakeZalo.sent.filter((s) => s.userId === u).map((s) => JSON.stringify(s.message));
      expect(new Set(msgs).size, u).toBe(msgs.length);
    }
    for (const p of psids) {
      const msgs = fakeGraph.sent.filter((s) => s.psid === p).map((s) => JSON.stringify(s.message));
      expect(new Set(msgs).size, p).toBe(msgs.length);
    }
    // Replies only ever went to these users.
    expect(new Set(fakeZalo.sent.map((s) => s.userId))).toEqual(new Set(zaloUsers));
    expect(new Set(fakeGraph.sent.map((s) => s.psid))).toEqual(new Set(psids));
  }, 60_000);
});
