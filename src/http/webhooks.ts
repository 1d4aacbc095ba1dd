import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import express, { type Request, type Response, type Router } from 'express';
import { ParseError, type Channel } from '../channels/types.js';
import type { AppDeps } from '../deps.js';
import type { Logger } from '../logger.js';
import { metrics } from '../metrics.js';
import { requestLog } from './access-log.js';
import { errorAnswer, serverFault } from './errors.js';
import { clientIp, helmetHeaders } from './security.js';

// Webhooks: raw bytes kept for the signature, verify -> validate -> record -> 200. Work happens in jobs.
// A POST to /webhooks/<channel> is answered before express sees it (`webhookFastPath`): express's own work per
// request (its request and response objects, the router, body-parser, res.json) cost more than the rest of
// accepting an event. The express route below answers the same way for what the fast path leaves to it.

type Answer = { status: number; body: Record<string, unknown> };

/** Connections that have brought a webhook: the first one on each tells the recorder a connection was opened. */
const webhookSockets = new WeakSet<object>();

/** The first webhook of a connection tells the recorder; the ack is timed from here to the answer's end. */
function arrive(deps: AppDeps, channel: Channel, req: IncomingMessage, res: ServerResponse): void {
  if (!webhookSockets.has(req.socket)) {
    webhookSockets.add(req.socket);
    deps.inbound.noteConnection();
  }
  const ack = metrics.webhookAck.startTimer({ channel: channel.name });
  res.once('finish', () => ack());
}

/**
 * Verify -> validate -> record, whichever way the bytes arrived. Throws what recording throws (HttpError 503). `ip` is
 * read only to log a rejection (proxy-addr parses addresses: not for every accepted event).
 */
async function accept(deps: AppDeps, channel: Channel, log: Logger, rawBody: Buffer, headers: IncomingHttpHeaders, ip: () => string | undefined): Promise<Answer> {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    // Parse first only to read the fields some signatures cover (Zalo's); a bad signature still answers 401.
    body = undefined;
  }
  if (!channel.verify({ rawBody, headers })) {
    log.warn({ ip: ip() }, 'webhook rejected: missing or wrong signature');
    metrics.events.inc({ channel: channel.name, outcome: 'rejected_signature' });
    return { status: 401, body: { error: 'invalid signature' } };
  }
  if (body === undefined) {
    metrics.events.inc({ channel: channel.name, outcome: 'rejected_json' });
    return { status: 400, body: { error: 'body is not JSON' } };
  }
  let messages;
  try {
    messages = channel.parse(body);
  } catch (err) {
    if (err instanceof ParseError) {
      log.warn({ reason: err.message }, 'webhook rejected: unknown shape');
      metrics.events.inc({ channel: channel.name, outcome: 'rejected_shape' });
      return { status: 400, body: { error: 'invalid payload', reason: err.message } };
    }
    throw err;
  }
  await deps.inbound.record(messages);
  metrics.events.inc({ channel: channel.name, outcome: 'accepted' }, messages.length);
  return { status: 200, body: { ok: true } };
}

/** Channels that take webhooks, each with its logger (made once per channel, not per request). */
function webhookChannels(deps: AppDeps): Array<{ path: string; channel: Channel; log: Logger }> {
  return Object.values(deps.channels).filter((c): c is Channel => Boolean(c?.webhook))
    .map((channel) => ({ path: `/webhooks/${channel.name}`, channel, log: deps.log.child({ channel: channel.name }) }));
}

export function webhookRouter(deps: AppDeps): Router {
  const router = express.Router();
  const limit = deps.config.MAX_BODY_BYTES;
  for (const { path, channel, log } of webhookChannels(deps)) {
    const { handshake } = channel.webhook!;
    if (handshake) {
      router.get(path, (req, res) => {
        const r = handshake(req.query as Record<string, unknown>);
        if (r.ok) res.status(200).type('text/plain').send(r.challenge);
        else res.status(403).send('Forbidden');
      });
    }
    router.post(path, express.raw({ type: () => true, limit }), async (req: Request, res: Response) => {
      arrive(deps, channel, req, res);
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const answer = await accept(deps, channel, log, raw, req.headers, () => req.ip);
      res.status(answer.status).json(answer.body);
    });
  }
  return router;
}

/**
 * POST /webhooks/<channel> answered without express, exactly as the route above answers it (statuses, bodies,
 * headers, access log, metrics, a 503 with Retry-After when the database cannot store). Returns false, having read
 * nothing, for every other request, and for a compressed body (express.raw inflates it).
 */
export function webhookFastPath(deps: AppDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  const routes = new Map(webhookChannels(deps).map((r) => [r.path, r]));
  const limit = deps.config.MAX_BODY_BYTES;
  const security = helmetHeaders();
  const logRequest = requestLog(deps);
  return (req, res) => {
    if (req.method !== 'POST') return false;
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const route = routes.get(q < 0 ? url : url.slice(0, q));
    if (!route) return false;
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;
    logRequest(req, res);
    for (const [name, value] of security) res.setHeader(name, value);
    arrive(deps, route.channel, req, res);
    const answer = (status: number, body: Record<string, unknown>, retryAfterS?: number) => {
      if (res.headersSent) return;
      const text = JSON.stringify(body);
      if (retryAfterS) res.setHeader('Retry-After', String(retryAfterS));
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
    };
    const fail = (err: unknown) => {
      const a = errorAnswer(err);
      if (serverFault(err, a)) deps.log.error({ err, path: route.path }, 'request failed');
      answer(a.status, a.body, a.retryAfterS);
    };
    const tooLarge = () => {
      // A body over the limit is not read; the connection closes once the answer is out.
      res.setHeader('Connection', 'close');
      req.resume();
      fail({ status: 413, type: 'entity.too.large' });
    };
    if (Number(req.headers['content-length']) > limit) {
      tooLarge();
      return true;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (size > limit) return;
      size += chunk.length;
      if (size > limit) tooLarge();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > limit) return;
      accept(deps, route.channel, route.log, Buffer.concat(chunks, size), req.headers, () => clientIp(req)).then((a) => answer(a.status, a.body), fail);
    });
    return true;
  };
}
