import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { channelHealth } from './channels/health.js';
import type { AppDeps } from './deps.js';
import { createConsoleRouter } from './console/index.js';
import { createDossierConsoleRouter, createIntegrationRouter } from './dossiers/routes.js';
import { chatRouter } from './http/chat.js';
import { webhookRouter } from './http/webhooks.js';

/** Builds the HTTP app from its dependencies; listening and signals belong to the entry file. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(helmet({ contentSecurityPolicy: { directives: { 'script-src': ["'self'"], 'img-src': ["'self'", 'data:', 'https:'] } } }));

  app.get('/healthz', (_req, res) => { res.json({ status: 'ok' }); });
  app.get('/readyz', async (_req, res) => {
    try {
      await deps.db.sql.query('SELECT 1');
      if (!deps.kb.loaded) throw new Error('knowledge base not loaded');
      res.json({ status: 'ready', kbVersion: deps.kb.snapshot.version, procedures: deps.kb.snapshot.procedures.length,
        channels: await channelHealth(deps) });
    } catch (err) {
      res.status(503).json({ status: 'not ready', reason: (err as Error).message });
    }
  });
  app.use(webhookRouter(deps));
  app.use(chatRouter(deps));
  app.use(createConsoleRouter(deps));
  app.use(createIntegrationRouter(deps));
  app.use(createDossierConsoleRouter(deps));
  app.get('/', (_req, res) => res.redirect('/chat'));

  app.use((_req, res) => { res.status(404).json({ error: 'not found' }); });
  app.use((err: Error & { status?: number; type?: string }, req: Request, res: Response, _next: NextFunction) => {
    const status = err.status ?? 500;
    if (status >= 500) deps.log.error({ err, path: req.path }, 'request failed');
    if (res.headersSent) return;
    if (err.type === 'entity.too.large') res.status(413).json({ error: 'payload too large' });
    else if (err.type === 'entity.parse.failed') res.status(400).json({ error: 'body is not JSON' });
    else res.status(status).json({ error: status >= 500 ? 'internal error' : err.message });
  });
  return app;
}
