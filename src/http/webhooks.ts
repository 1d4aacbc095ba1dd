import express, { type Request, type Response, type Router } from 'express';
import { ParseError, type Channel } from '../channels/types.js';
import type { AppDeps } from '../deps.js';
import { metrics } from '../metrics.js';

// Webhooks: raw bytes kept for the signature, verify -> validate -> record -> 200. Work happens in jobs.

type RawRequest = Request & { rawBody?: Buffer };

function rawJson(limit: number) {
  return express.raw({ type: () => true, limit });
}

/** Connections that have brought a webhook: the first one on each tells the recorder a connection was opened. */
const webhookSockets = new WeakSet<object>();

function receive(deps: AppDeps, channel: Channel) {
  const log = deps.log.child({ channel: channel.name }); // once per channel, not per request
  return async (req: RawRequest, res: Response) => {
    if (!webhookSockets.has(req.socket)) {
      webhookSockets.add(req.socket);
      deps.inbound.noteConnection();
    }
    const ack = metrics.webhookAck.startTimer({ channel: channel.name });
    res.once('finish', () => ack());
    req.rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    let body: unknown;
    try {
      body = JSON.parse(req.rawBody.toString('utf8'));
    } catch {
      // Parse first only to read the fields some signatures cover (Zalo's); a bad signature still answers 401.
      body = undefined;
    }
    (req as { body: unknown }).body = body;
    if (!channel.verify(req)) {
      log.warn({ ip: req.ip }, 'webhook rejected: missing or wrong signature');
      metrics.events.inc({ channel: channel.name, outcome: 'rejected_signature' });
      res.status(401).json({ error: 'invalid signature' });
      return;
    }
    if (body === undefined) {
      metrics.events.inc({ channel: channel.name, outcome: 'rejected_json' });
      res.status(400).json({ error: 'body is not JSON' });
      return;
    }
    let messages;
    try {
      messages = channel.parse(body);
    } catch (err) {
      if (err instanceof ParseError) {
        log.warn({ reason: err.message }, 'webhook rejected: unknown shape');
        metrics.events.inc({ channel: channel.name, outcome: 'rejected_shape' });
        res.status(400).json({ error: 'invalid payload', reason: err.message });
        return;
      }
      throw err;
    }
    await deps.inbound.record(messages);
    metrics.events.inc({ channel: channel.name, outcome: 'accepted' }, messages.length);
    res.status(200).json({ ok: true });
  };
}

export function webhookRouter(deps: AppDeps): Router {
  const router = express.Router();
  const limit = deps.config.MAX_BODY_BYTES;
  for (const channel of Object.values(deps.channels)) {
    if (!channel?.webhook) continue;
    const path = `/webhooks/${channel.name}`;
    const { handshake } = channel.webhook;
    if (handshake) {
      router.get(path, (req, res) => {
        const r = handshake(req.query as Record<string, unknown>);
        if (r.ok) res.status(200).type('text/plain').send(r.challenge);
        else res.status(403).send('Forbidden');
      });
    }
    router.post(path, rawJson(limit), receive(deps, channel));
  }
  return router;
}
