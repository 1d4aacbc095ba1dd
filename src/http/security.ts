import type { IncomingMessage } from 'node:http';
import helmet from 'helmet';
import proxyaddr from 'proxy-addr';

// What every answer of the app carries, and whom it trusts for the client's address: shared by the express app
// (app.ts) and the webhooks it answers before express (webhooks.ts), so both answer alike.

/** Security headers on every answer. */
export const HELMET_OPTIONS: Parameters<typeof helmet>[0] = {
  contentSecurityPolicy: { directives: { 'script-src': ["'self'"], 'img-src': ["'self'", 'data:', 'https:'] } },
};

/** A proxy on the same host (nginx, Caddy) may say whom it forwards for; nobody else. express's 'trust proxy'. */
export const TRUST_PROXY = 'loopback';
const trusted = proxyaddr.compile(TRUST_PROXY);

/** The client's address, as express's `req.ip` gives it with TRUST_PROXY. */
export const clientIp = (req: IncomingMessage): string => proxyaddr(req, trusted);

/** The headers helmet sets with HELMET_OPTIONS, taken once from helmet itself. */
export function helmetHeaders(): Array<[string, string]> {
  const headers = new Map<string, string>();
  const res = {
    setHeader: (name: string, value: unknown) => { headers.set(name, String(value)); },
    removeHeader: (name: string) => { headers.delete(name); },
    getHeader: (name: string) => headers.get(name),
  };
  helmet(HELMET_OPTIONS)({} as never, res as never, () => {});
  return [...headers];
}
