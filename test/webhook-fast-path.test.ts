import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { signMessengerBody } from '../src/channels/messenger/signature.js';
import { signZaloBody } from '../src/channels/zalo/signature.js';
import { MESSENGER, messengerText, startTestServer, ZALO, zaloText, type TestServer } from './helpers/server.js';

// The server answers POST /webhooks/<channel> before express (src/http/webhooks.ts, webhookFastPath). Each request
// below goes to it and to the same app served by express alone (`createServer(app)`): the answers must be the same
// (status, body, headers), and the events recorded the same.

let s: TestServer;
let expressOnly: Server;
let expressUrl: string;

beforeAll(async () => {
  s = await startTestServer();
  expressOnly = createServer(createApp(s.runtime.deps));
  await new Promise<void>((resolve) => expressOnly.listen(0, '127.0.0.1', resolve));
  expressUrl = `http://127.0.0.1:${(expressOnly.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  expressOnly.closeAllConnections();
  await new Promise((r) => expressOnly.close(r));
  await s.close();
});

const signedZalo = (event: object) => {
  const body = JSON.stringify({ app_id: ZALO.appId, timestamp: String(Date.now()), ...event });
  return { body, headers: { 'content-type': 'application/json', 'x-zevent-signature': signZaloBody(body, ZALO.appId, JSON.parse(body).timestamp, ZALO.oaSecret) } };
};
const signedMessenger = (payload: object | string) => {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return { body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMessengerBody(body, MESSENGER.appSecret) } };
};

/** What may differ between two answers: when, which request, and how the bytes were framed. */
const VARYING = new Set(['date', 'x-request-id', 'etag', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

async function both(path: string, init: { body: string | Buffer; headers: Record<string, string> }) {
  const answer = async (base: string) => {
    const r = await fetch(`${base}${path}`, { method: 'POST', body: init.body as BodyInit, headers: init.headers });
    const headers = Object.fromEntries([...r.headers].filter(([k]) => !VARYING.has(k)));
    return { status: r.status, body: await r.text(), headers, requestId: r.headers.get('x-request-id') };
  };
  return { fast: await answer(s.url), express: await answer(expressUrl) };
}

describe('webhooks answered before express', () => {
  it('answer as express does: accepted, bad signature, not JSON, unknown shape, too large, on both channels', async () => {
    const cases: Array<[string, string, { body: string | Buffer; headers: Record<string, string> }]> = [
      ['zalo accepted', '/webhooks/zalo', signedZalo(zaloText('fp-z1', 'xin chào'))],
      ['zalo bad signature', '/webhooks/zalo', { body: JSON.stringify(zaloText('fp-z2', 'x')), headers: { 'content-type': 'application/json', 'x-zevent-signature': 'mac=00' } }],
      ['zalo unknown shape', '/webhooks/zalo', signedZalo({ event_name: 'user_send_text', message: 42 })],
      ['messenger accepted', '/webhooks/messenger', signedMessenger(messengerText('fp-m1', 'xin chào'))],
      ['messenger not JSON', '/webhooks/messenger', signedMessenger('{not json')],
      ['messenger no signature', '/webhooks/messenger', { body: '{}', headers: { 'content-type': 'application/json' } }],
      ['too large', '/webhooks/zalo', { body: 'x'.repeat(s.runtime.deps.config.MAX_BODY_BYTES + 1), headers: { 'content-type': 'application/json' } }],
    ];
    for (const [name, path, init] of cases) {
      const { fast, express } = await both(path, init);
      expect({ status: fast.status, body: fast.body }, name).toEqual({ status: express.status, body: express.body });
      expect(fast.headers, name).toEqual(express.headers);
      expect(fast.requestId, name).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('records an event once whichever way it came (a redelivery is not a second event)', async () => {
    const event = signedZalo(zaloText('fp-z3', 'làm khai sinh cần gì', 'fp-msg-1'));
    const { fast, express } = await both('/webhooks/zalo', event);
    expect([fast.status, express.status]).toEqual([200, 200]);
    const [{ n }] = await s.runtime.deps.db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "InboundEvent" WHERE "channel" = 'zalo' AND "eventId" = 'fp-msg-1'`);
    expect(n).toBe(1);
  });

  it('leaves to express what it does not answer itself: a compressed body, another path, another method', async () => {
    const event = signedZalo(zaloText('fp-z4', 'xin chào'));
    const gz = await fetch(`${s.url}/webhooks/zalo`, { method: 'POST', body: gzipSync(event.body) as BodyInit, headers: { ...event.headers, 'content-encoding': 'gzip' } });
    expect(gz.status).toBe(200); // express.raw inflates it
    expect((await fetch(`${s.url}/webhooks/nowhere`, { method: 'POST', body: '{}' })).status).toBe(404);
    const handshake = await fetch(`${s.url}/webhooks/messenger?hub.mode=subscribe&hub.verify_token=${MESSENGER.verifyToken}&hub.challenge=42`);
    expect([handshake.status, await handshake.text()]).toEqual([200, '42']);
  });
});
