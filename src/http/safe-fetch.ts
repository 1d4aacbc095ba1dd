import { lookup as dnsLookup } from 'node:dns';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

// The one way the server fetches a URL that someone other than the operator wrote (a procedure's form file, an
// image): http(s) only, public addresses only, optionally only listed hosts, bounded in size and time, each
// redirect checked again. The address is checked inside the connection's own DNS lookup, so the socket connects
// to exactly the address that was checked and a second DNS answer (rebinding) cannot switch it.
// Platform APIs (base URLs from the environment) and the operator's own webhooks do not go through here.

/** The request was refused before or while connecting: nothing was read from the address. */
export class FetchRefusedError extends Error {}

export interface SafeGetOptions { maxBytes: number; timeoutMs: number }
export interface Fetched { data: Uint8Array; contentType?: string; url: string }
export type SafeGet = (url: string, opts: SafeGetOptions) => Promise<Fetched>;

export interface SafeFetchPolicy {
  /** Host patterns ("dichvucong.gov.vn", "*.gov.vn"); empty: any host with a public address. */
  allowedHosts: string[];
  /** Hosts the operator trusts on a private network (an intranet file server; tests' fake servers). */
  privateHosts: string[];
  /** DNS resolution (tests give their own); defaults to the system resolver. */
  lookup?: typeof dnsLookup;
}

const MAX_REDIRECTS = 3;
const HOST_PATTERN = /^(\*\.)?([a-z0-9-]+\.)*[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/i;

/** True for an address anyone on the internet could reach: not private, loopback, link-local, CGNAT, multicast, ULA, reserved, tunnels. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6' && ip.range() === 'ipv4Mapped') ip = (ip as ipaddr.IPv6).toIPv4Address();
  return ip.range() === 'unicast';
}

/** The entries of a comma-separated host list that are not host patterns (for the start-up check). */
export function invalidHostPatterns(list: string[]): string[] {
  return list.filter((h) => !HOST_PATTERN.test(h));
}

export const hostList = (value: string) => value.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);

const matches = (host: string, pattern: string) =>
  (pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) : host === pattern);

export function createSafeGet(policy: SafeFetchPolicy): SafeGet {
  const resolve = policy.lookup ?? dnsLookup;

  /** Resolves like the system does, but answers only with addresses that passed the check. */
  const checkedLookup = (host: string): LookupFunction => (hostname, options, callback) => {
    resolve(hostname, { all: true, family: options.family ?? 0 }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as Array<{ address: string; family: number }>;
      const trusted = policy.privateHosts.includes(host);
      const refused = list.find((a) => !trusted && !isPublicAddress(a.address));
      if (refused || list.length === 0) {
        return callback(new FetchRefusedError(`${hostname} resolves to ${refused?.address ?? 'nothing'}, not a public address`), '', 0);
      }
      if (options.all) callback(null, list);
      else callback(null, list[0].address, list[0].family);
    });
  };

  function check(url: URL): void {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchRefusedError(`${url.protocol} URLs are not fetched`);
    if (url.username || url.password) throw new FetchRefusedError('URLs with credentials are not fetched');
    const host = url.hostname.toLowerCase();
    if (policy.allowedHosts.length && !policy.allowedHosts.some((p) => matches(host, p))) {
      throw new FetchRefusedError(`${host} is not in FETCH_ALLOWED_HOSTS`);
    }
    // An address written in the URL is connected to without any lookup: check it here.
    const literal = host.replace(/^\[|\]$/g, '');
    if (ipaddr.isValid(literal) && !isPublicAddress(literal) && !policy.privateHosts.includes(host)) {
      throw new FetchRefusedError(`${literal} is not a public address`);
    }
  }

  function request(url: URL, signal: AbortSignal): Promise<IncomingMessage> {
    const client = url.protocol === 'https:' ? https : http;
    return new Promise((resolveRes, reject) => {
      const req = client.get(url, { signal, lookup: checkedLookup(url.hostname.toLowerCase()), agent: false,
        headers: { 'user-agent': 'cchc-chatbot', accept: '*/*' } }, resolveRes);
      req.on('error', reject);
    });
  }

  async function read(res: IncomingMessage, maxBytes: number, where: string): Promise<Uint8Array> {
    const declared = Number(res.headers['content-length'] ?? 0);
    if (declared > maxBytes) {
      res.destroy();
      throw new Error(`${where} is ${declared} bytes, over the ${maxBytes}-byte limit`);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of res) {
      total += (chunk as Buffer).length;
      if (total > maxBytes) {
        res.destroy();
        throw new Error(`${where} is over the ${maxBytes}-byte limit`);
      }
      chunks.push(chunk as Buffer);
    }
    return new Uint8Array(Buffer.concat(chunks));
  }

  return async (input, { maxBytes, timeoutMs }) => {
    const signal = AbortSignal.timeout(timeoutMs);
    let url = new URL(input);
    for (let redirects = 0; ; redirects++) {
      check(url);
      const res = await request(url, signal);
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (redirects >= MAX_REDIRECTS) throw new Error(`GET ${input}: more than ${MAX_REDIRECTS} redirects`);
        url = new URL(res.headers.location, url);
        continue;
      }
      if (status < 200 || status >= 300) {
        res.resume();
        throw new Error(`GET ${url.href} answered HTTP ${status}`);
      }
      return { data: await read(res, maxBytes, url.href), contentType: res.headers['content-type'], url: url.href };
    }
  };
}
