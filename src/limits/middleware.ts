import type { Request, RequestHandler, Response } from 'express';
import type { AppDeps } from '../deps.js';
import { hitRate } from './rate-store.js';

/** Express middleware over the shared rate store: `key` names who is counted (undefined: not limited). */
export function rateLimit(deps: Pick<AppDeps, 'db' | 'now'>, opts: {
  limit: number | (() => number);
  windowMs: number;
  key: (req: Request, res: Response) => string | undefined;
  onLimit: (req: Request, res: Response) => void;
}): RequestHandler {
  return async (req, res, next) => {
    const key = opts.key(req, res);
    if (key === undefined) return next();
    const limit = typeof opts.limit === 'function' ? opts.limit() : opts.limit;
    const r = await hitRate(deps.db.sql.query, key, limit, opts.windowMs, deps.now());
    res.setHeader('RateLimit-Policy', `${limit};w=${Math.round(opts.windowMs / 1000)}`);
    if (r.allowed) return next();
    res.setHeader('Retry-After', String(Math.max(1, Math.ceil((r.resetAt - deps.now().getTime()) / 1000))));
    opts.onLimit(req, res);
  };
}
