import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { AppDeps } from '../deps.js';

// One JSON line per request: id, method, path (never the query string: it may carry tokens), status, time.
// No headers at all, so no cookie, signature, bearer token or API key can reach the log.

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

const pathOf = (url: string | undefined) => (url ?? '').split('?')[0].slice(0, 300);

export function accessLog(deps: Pick<AppDeps, 'log' | 'config'>): RequestHandler {
  const log = pinoHttp({
    logger: deps.log.child({ component: 'http' }),
    // A request id from the proxy in front is kept (it ties the two logs together), else a new one.
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' },
    // The web chat polls and pages load their files: those successful reads are debug, everything else info.
    customLogLevel: (req, res, err) => (err || res.statusCode >= 500 ? 'error'
      : req.method === 'GET' && res.statusCode < 400 && (!pathOf(req.url).startsWith('/api/') || pathOf(req.url) === '/api/chat/messages') ? 'debug' : 'info'),
    customSuccessMessage: (req, res) => `${req.method} ${pathOf(req.url)} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${pathOf(req.url)} ${res.statusCode}`,
    serializers: {
      req: (req: { id: unknown; method: string; url: string; raw?: IncomingMessage }) =>
        ({ id: req.id, method: req.method, path: pathOf(req.url) }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
    },
    quietReqLogger: true,
  });
  if (!deps.config.ACCESS_LOG) {
    return (req, res, next) => { res.setHeader('X-Request-Id', REQUEST_ID.test(String(req.headers['x-request-id'])) ? String(req.headers['x-request-id']) : randomUUID()); next(); };
  }
  return (req, res, next) => log(req, res, next);
}
