import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { lookup } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZaloChannel } from '../src/channels/zalo/index.js';
import { ConfigError, configSchema, loadConfig } from '../src/config.js';
import { FetchRefusedError, createSafeGet, isPublicAddress } from '../src/http/safe-fetch.js';
import { createLogger } from '../src/logger.js';
import { openTestDb, type TestDb } from './helpers/db.js';
import { startFakeZalo, type FakeZalo } from './helpers/fake-zalo.js';

// An editor's form URL must never make the server read an internal address: every fetch of a URL that is not the
// operator's own goes through one checked fetch. "Internal" servers here listen on 127.0.0.1 and count requests.

interface Internal { url: string; hits: string[]; server: Server }
async function internalServer(handler: (path: string, res: ServerResponse) => void): Promise<Internal> {
  const hits: string[] = [];
  const server = createServer((req, res) => { hits.push(req.url ?? ''); handler(req.url ?? '', res); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, server };
}

/** A resolver that answers from a table and counts its calls. */
function fakeDns(table: Record<string, string[]>) {
  const calls: string[] = [];
  const fn = ((hostname: string, _opts: unknown, cb: (err: Error | null, list: Array<{ address: string; family: number }>) => void) => {
    calls.push(hostname);
    const list = table[hostname];
    if (!list) return cb(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
    cb(null, list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
  }) as unknown as typeof lookup;
  return { fn, calls };
}

const LIMITS = { maxBytes: 1024, timeoutMs: 2000 };
let secret: Internal;
let files: Internal;
let other: Internal;

beforeAll(async () => {
  secret = await internalServer((_p, res) => res.end('internal admin data'));
  other = await internalServer((_p, res) => res.end('other internal data'));
  files = await internalServer((p, res) => {
    if (p === '/form.pdf') return void res.writeHead(200, { 'content-type': 'application/pdf' }).end('%PDF-1.4 form');
    if (p === '/to-other') return void res.writeHead(302, { location: `${other.url.replace('127.0.0.1', 'localhost')}/x` }).end();
    if (p === '/to-form') return void res.writeHead(301, { location: '/form.pdf' }).end();
    if (p === '/loop') return void res.writeHead(302, { location: '/loop' }).end();
    if (p === '/big-declared') return void res.writeHead(200, { 'content-length': '5000' }).end('x'.repeat(5000));
    if (p === '/big-chunked') { res.writeHead(200); for (let i = 0; i < 10; i++) res.write('y'.repeat(500)); return void res.end(); }
    if (p === '/hang') return; // never answers
    res.writeHead(404).end();
  });
});
afterAll(async () => {
  for (const s of [secret, files, other]) { s.server.closeAllConnections(); await new Promise((r) => s.server.close(r)); }
});

describe('which addresses count as public', () => {
  it.each([
    '127.0.0.1', '127.1.2.3', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
    '224.0.0.1', '255.255.255.255', '192.0.2.1', '::1', '::', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'ff02::1',
    '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '64:ff9b::7f00:1', '2002:7f00:1::1', 'not-an-address',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });
  it.each(['8.8.8.8', '14.225.1.1', '2001:4860:4860::8888', '::ffff:8.8.8.8'])('accepts %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe('the checked fetch', () => {
  const safeGet = createSafeGet({ allowedHosts: [], privateHosts: [] });

  it.each([
    ['the loopback address', (u: string) => `${u}/secret`],
    ['localhost', (u: string) => `${u.replace('127.0.0.1', 'localhost')}/secret`],
    ['a decimal IPv4 address', (u: string) => `${u.replace('127.0.0.1', '2130706433')}/secret`],
    ['a short hexadecimal IPv4 address', (u: string) => `${u.replace('127.0.0.1', '0x7f.1')}/secret`],
    ['the IPv6 loopback', (u: string) => `${u.replace('127.0.0.1', '[::1]')}/secret`],
    ['an IPv4-mapped IPv6 address', (u: string) => `${u.replace('127.0.0.1', '[::ffff:127.0.0.1]')}/secret`],
  ])('never connects to %s', async (_name, make) => {
    await expect(safeGet(make(secret.url), LIMITS)).rejects.toBeInstanceOf(FetchRefusedError);
    expect(secret.hits).toEqual([]);
  });

  it('refuses other schemes and URLs with credentials', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://example.gov.vn/a.pdf', 'gopher://127.0.0.1:70/', `http://user:pw@${secret.url.slice(7)}/`]) {
      await expect(safeGet(url, LIMITS), url).rejects.toBeInstanceOf(FetchRefusedError);
    }
    expect(secret.hits).toEqual([]);
  });

  it('refuses a name that resolves to a private address, or to a public and a private one', async () => {
    const dns = fakeDns({ 'intranet.example': ['10.0.0.5'], 'mixed.example': ['93.184.216.34', '127.0.0.1'] });
    const get = createSafeGet({ allowedHosts: [], privateHosts: [], lookup: dns.fn });
    await expect(get('http://intranet.example/a.pdf', LIMITS)).rejects.toThrow(/10\.0\.0\.5, not a public address/);
    await expect(get('http://mixed.example/a.pdf', LIMITS)).rejects.toThrow(/127\.0\.0\.1, not a public address/);
  });

  it('connects to the address it checked: a trusted name is read from the address its one lookup gave', async () => {
    const dns = fakeDns({ 'files.example': ['127.0.0.1'] });
    const get = createSafeGet({ allowedHosts: [], privateHosts: ['files.example'], lookup: dns.fn });
    const port = new URL(files.url).port;
    const got = await get(`http://files.example:${port}/form.pdf`, LIMITS);
    expect(Buffer.from(got.data).toString()).toBe('%PDF-1.4 form');
    expect(dns.calls).toEqual(['files.example']);
  });

  it('checks each redirect again, and stops after three', async () => {
    const trusted = createSafeGet({ allowedHosts: [], privateHosts: ['127.0.0.1'] });
    const form = await trusted(`${files.url}/to-form`, LIMITS);
    expect(form.contentType).toBe('application/pdf');
    expect(form.url).toBe(`${files.url}/form.pdf`);
    await expect(trusted(`${files.url}/to-other`, LIMITS)).rejects.toBeInstanceOf(FetchRefusedError);
    expect(other.hits).toEqual([]);
    await expect(trusted(`${files.url}/loop`, LIMITS)).rejects.toThrow(/more than 3 redirects/);
  });

  it('stops at the size limit, declared or streamed, and at the time limit', async () => {
    const trusted = createSafeGet({ allowedHosts: [], privateHosts: ['127.0.0.1'] });
    await expect(trusted(`${files.url}/big-declared`, LIMITS)).rejects.toThrow(/5000 bytes, over the 1024-byte limit/);
    await expect(trusted(`${files.url}/big-chunked`, LIMITS)).rejects.toThrow(/over the 1024-byte limit/);
    await expect(trusted(`${files.url}/hang`, { maxBytes: 1024, timeoutMs: 300 })).rejects.toThrow(/abort|timeout/i);
  });

  it('with FETCH_ALLOWED_HOSTS, looks up nothing outside the list', async () => {
    const dns = fakeDns({ 'x.hanoi.gov.vn': ['127.0.0.1'] });
    const get = createSafeGet({ allowedHosts: ['dichvucong.gov.vn', '*.hanoi.gov.vn'], privateHosts: [], lookup: dns.fn });
    await expect(get('https://evil.example/a.pdf', LIMITS)).rejects.toThrow(/evil\.example is not in FETCH_ALLOWED_HOSTS/);
    await expect(get('https://hanoi.gov.vn.evil.example/a.pdf', LIMITS)).rejects.toBeInstanceOf(FetchRefusedError);
    expect(dns.calls).toEqual([]);
    await expect(get('http://x.hanoi.gov.vn/a.pdf', LIMITS)).rejects.toThrow(/not a public address/);
    expect(dns.calls).toEqual(['x.hanoi.gov.vn']);
  });

  it('stops start-up on a malformed FETCH_ALLOWED_HOSTS, naming it', () => {
    expect(loadConfig({ FETCH_ALLOWED_HOSTS: ' dichvucong.gov.vn, *.hanoi.gov.vn ' }).FETCH_ALLOWED_HOSTS).toEqual(['dichvucong.gov.vn', '*.hanoi.gov.vn']);
    expect(() => loadConfig({ FETCH_ALLOWED_HOSTS: 'dichvucong.gov.vn, http://x/' })).toThrow(ConfigError);
    expect(() => loadConfig({ FETCH_PRIVATE_HOSTS: 'a b' })).toThrow(/FETCH_PRIVATE_HOSTS: must be host names/);
  });
});

describe('a procedure form on an internal address, sent over Zalo', () => {
  let t: TestDb;
  let fake: FakeZalo;
  beforeAll(async () => {
    t = await openTestDb('pglite', { seed: false });
    fake = await startFakeZalo({ appId: '1234567890123456789' });
  }, 120_000);
  afterAll(async () => { await fake?.close(); await t?.close(); });

  it('is never fetched: the citizen gets the link instead of the file', async () => {
    const config = configSchema.parse({
      ZALO_APP_ID: '1234567890123456789', ZALO_APP_SECRET: 'fake-app-secret', ZALO_OA_SECRET_KEY: 'oa-secret',
      ZALO_ACCESS_TOKEN: 'fake-access-0', ZALO_REFRESH_TOKEN: 'fake-refresh-0', ZALO_API_BASE_URL: fake.url, ZALO_OAUTH_BASE_URL: fake.url,
    });
    const zalo = createZaloChannel({ config, db: t.db, log: createLogger('silent') })!;
    const url = `${secret.url}/admin/export.pdf`;
    await zalo.send('8765432109876543210', { text: 'Dạ, mẫu tờ khai đây ạ.', files: [{ name: 'to-khai.pdf', url }] });
    expect(secret.hits).toEqual([]);
    expect(fake.uploads).toEqual([]);
    expect(fake.sent.map((s) => s.message.text)).toEqual(['Dạ, mẫu tờ khai đây ạ.', `Dạ, anh/chị tải tệp "to-khai.pdf" tại: ${url}`]);
  });
});
