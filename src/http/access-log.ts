import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { AppDeps } from '../deps.js';

// One JSON line per request: id, method, path (never the query string: it may carry tokens), status, time.
// No headers at all, so no cookie, signature, bearer token or API key can reach the log.
// Written here rather than with pino-http: pino-http makes a child logger for every request, even when its line is
// below LOG_LEVEL; measured under a flood of webhooks, that was 18 % of the bot's time (this: about 2 %).

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

const pathOf = (url: string | undefined) => (url ?? '').split('?')[0].slice(0, 300);

const UNLOGGED = new Set(['/healthz', '/metrics']);

/** Gives a request its id (X-Request-Id) and, when ACCESS_LOG is on, writes its line once it ends. */
export function requestLog(deps: Pick<AppDeps, 'log' | 'config'>): (req: IncomingMessage, res: ServerResponse) => void {
  const log = deps.log.child({ component: 'http' });
  const enabled = deps.config.ACCESS_LOG;
  return (req, res) => {
    // A request id from the proxy in front is kept (it ties the two logs together), else a new one.
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', id);
    const path = pathOf(req.url);
    if (!enabled || UNLOGGED.has(path)) return;
    const started = performance.now();
    const done = () => {
      res.off('finish', done);
      res.off('close', done);
      const aborted = !res.writableFinished;
      const status = res.statusCode;
      // The web chat polls and pages load their files: those successful reads are debug, everything else info.
      const level = aborted || status >= 500 ? 'error'
        : req.method === 'GET' && status < 400 && (!path.startsWith('/api/') || path === '/api/chat/messages') ? 'debug' : 'info';
      if (!log.isLevelEnabled(level)) return;
      log[level]({ reqId: id, req: { id, method: req.method, path }, res: { status }, responseTime: Math.round(performance.now() - started) },
        `${req.method} ${path} ${aborted ? 'aborted' : status}`);
    };
    res.on('finish', done);
    res.on('close', done);
  };
}

/** The same as express middleware (the first of the app: `req.url` is still the URL as received). */
export function accessLog(deps: Pick<AppDeps, 'log' | 'config'>): RequestHandler {
  const logRequest = requestLog(deps);
  return (req, res, next) => {
    logRequest(req, res);
    next();
  };
}
