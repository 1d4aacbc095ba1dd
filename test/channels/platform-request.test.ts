import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformRequest, refused } from '../../src/channels/http.js';
import { createGraphClient } from '../../src/channels/messenger/client.js';
import { SendError } from '../../src/channels/types.js';

// The channel clients call their platforms over undici's request (http.ts), not fetch: what they read of an answer,
// and how a failed call is told apart (refused: never sent; reset or timeout: perhaps sent), must be as with fetch.

let server: http.Server;
let base: string;
const seen: Array<{ method?: string; body: string; contentType?: string }> = [];
beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      seen.push({ method: req.method, body, contentType: req.headers['content-type'] });
      if (req.url?.includes('reset')) return void req.socket.destroy();
      if (req.url?.includes('hang')) return;
      res.writeHead(req.url?.includes('busy') ? 429 : 200, { 'content-type': 'application/json', 'Retry-After': '7', 'set-cookie': ['a=1', 'b=2'] });
      res.end(JSON.stringify({ message_id: 'm.1', got: body }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => { server.closeAllConnections(); server.close(); });

/** A port nothing listens on. */
async function closedPort(): Promise<string> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return `http://127.0.0.1:${port}`;
}

describe('platformRequest', () => {
  it('sends the method, headers and body, and reads status, headers (any case) and text', async () => {
    const res = await platformRequest(`${base}/ok`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":"Dạ"}' });
    expect([res.status, res.ok]).toEqual([200, true]);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.headers.get('Retry-After')).toBe('7');
    expect(res.headers.get('set-cookie')).toBe('a=1, b=2');
    expect(res.headers.get('x-none')).toBeNull();
    expect(JSON.parse(await res.text())).toMatchObject({ got: '{"a":"Dạ"}' });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', contentType: 'application/json' });
    const busy = await platformRequest(`${base}/busy`, { method: 'GET' });
    expect([busy.status, busy.ok]).toEqual([429, false]);
    await busy.text();
  });

  it('a refused connection is told apart from a reset and a timeout (which may have reached the platform)', async () => {
    const err = async (p: Promise<unknown>) => p.then(() => { throw new Error('resolved'); }, (e: unknown) => e);
    expect(refused(await err(platformRequest(`${await closedPort()}/x`, { method: 'GET' })))).toBe(true);
    expect(refused(await err(platformRequest(`${base}/reset`, { method: 'GET' })))).toBe(false);
    const timeout = await err(platformRequest(`${base}/hang`, { method: 'GET', signal: AbortSignal.timeout(100) }));
    expect([(timeout as Error).name, refused(timeout)]).toEqual(['TimeoutError', false]);
  });

  it('in a channel client: a refused send is certainly not delivered, a reset one perhaps', async () => {
    const send = async (baseUrl: string) => {
      const client = createGraphClient({ baseUrl, version: 'v23.0', pageToken: 'token', timeoutMs: 500 });
      return client.sendMessage('psid-1', { text: 'Dạ' }).then(() => undefined, (e: unknown) => e as SendError);
    };
    const notSent = await send(await closedPort());
    expect(notSent).toBeInstanceOf(SendError);
    expect([notSent!.kind, notSent!.ambiguous]).toEqual(['retry', false]);
    expect(notSent!.message).toMatch(/ECONNREFUSED/);
    const perhaps = await send(`${base}/reset`);
    expect([perhaps!.kind, perhaps!.ambiguous]).toEqual(['retry', true]);
    expect(perhaps!.message).not.toContain('token');
  });
});
