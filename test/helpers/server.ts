import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp } from '../../src/app.js';
import { signMessengerBody } from '../../src/channels/messenger/signature.js';
import { signZaloBody } from '../../src/channels/zalo/signature.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startRuntime, type Runtime } from '../../src/runtime.js';
import { startFakeGraph, type FakeGraph } from './fake-graph.js';
import { startFakeZalo, type FakeZalo } from './fake-zalo.js';

// The real app on 127.0.0.1 with both channels enabled against fake platform APIs.

export const ZALO = { appId: 'fake-app', appSecret: 'fake-app-secret', oaSecret: 'oa-secret-key' };
export const MESSENGER = { appSecret: 'meta-app-secret', verifyToken: 'verify-me' };

export interface TestServer {
  url: string;
  runtime: Runtime;
  zalo: FakeZalo;
  graph: FakeGraph;
  postZalo(event: Record<string, unknown>): Promise<Response>;
  postMessenger(body: Record<string, unknown>): Promise<Response>;
  close(): Promise<void>;
}

export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const zalo = await startFakeZalo({ appId: ZALO.appId, appSecret: ZALO.appSecret });
  const graph = await startFakeGraph();
  const config = loadConfig({
    DATABASE_URL: 'memory:', LOG_LEVEL: 'silent', KB_POLL_MS: '200',
    ZALO_APP_ID: ZALO.appId, ZALO_APP_SECRET: ZALO.appSecret, ZALO_OA_SECRET_KEY: ZALO.oaSecret,
    ZALO_ACCESS_TOKEN: zalo.tokens.accessToken, ZALO_REFRESH_TOKEN: zalo.tokens.refreshToken,
    ZALO_API_BASE_URL: zalo.url, ZALO_OAUTH_BASE_URL: zalo.url,
    MESSENGER_APP_SECRET: MESSENGER.appSecret, MESSENGER_PAGE_ACCESS_TOKEN: graph.token, MESSENGER_VERIFY_TOKEN: MESSENGER.verifyToken,
    MESSENGER_GRAPH_BASE_URL: graph.url,
    ...env,
  });
  const runtime = await startRuntime(config, createLogger('silent'), { });
  const app = createApp(runtime.deps);
  const server: Server = await new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url, runtime, zalo, graph,
    postZalo(event) {
      const body = JSON.stringify({ app_id: ZALO.appId, timestamp: String(Date.now()), ...event });
      const ts = JSON.parse(body).timestamp as string;
      return fetch(`${url}/webhooks/zalo`, {
        method: 'POST', body,
        headers: { 'content-type': 'application/json', 'x-zevent-signature': signZaloBody(body, ZALO.appId, ts, ZALO.oaSecret) },
      });
    },
    postMessenger(payload) {
      const body = JSON.stringify(payload);
      return fetch(`${url}/webhooks/messenger`, {
        method: 'POST', body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMessengerBody(body, MESSENGER.appSecret) },
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await runtime.close();
      await zalo.close();
      await graph.close();
    },
  };
}

let seq = 0;
export function zaloText(userId: string, text: string, msgId = `m${Date.now()}${++seq}`) {
  return { event_name: 'user_send_text', sender: { id: userId }, recipient: { id: 'oa-1' }, user_id_by_app: `app-${userId}`, message: { msg_id: msgId, text } };
}

export function messengerText(psid: string, text: string, mid = `mid.${Date.now()}${++seq}`) {
  return { object: 'page', entry: [{ id: 'page-1', time: Date.now(), messaging: [{ sender: { id: psid }, recipient: { id: 'page-1' }, timestamp: Date.now(), message: { mid, text } }] }] };
}

export async function waitFor<T>(fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
