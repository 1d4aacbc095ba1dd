import { createServer, type Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { channelHealth } from './channels/health.js';
import type { AppDeps } from './deps.js';
import { createConsoleRouter } from './console/index.js';
import { createDossierConsoleRouter, createIntegrationRouter } from './dossiers/routes.js';
import { chatRouter } from './http/chat.js';
import { errorAnswer, serverFault } from './http/errors.js';
import { webhookFastPath, webhookRouter } from './http/webhooks.js';
import { HELMET_OPTIONS, TRUST_PROXY } from './http/security.js';
import { accessLog } from './http/access-log.js';
import { metricsHandler } from './metrics.js';

/** Builds the HTTP app from its dependencies; listening and signals belong to the entry file. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', TRUST_PROXY);
  app.use(accessLog(deps));
  app.use(helmet(HELMET_OPTIONS));

  app.get('/metrics', metricsHandler(deps));
  app.get('/healthz', (_req, res) => { res.json({ status: 'ok' }); });
  // Unauthenticated: says what is wrong in a few fixed words; the error itself goes to the log only.
  app.get('/readyz', async (_req, res) => {
    try {
      await deps.db.sql.query('SELECT 1');
    } catch (err) {
      deps.log.warn({ err }, 'readiness check: database unavailable');
      res.status(503).json({ status: 'not ready', reason: 'database unavailable' });
      return;
    }
    if (!deps.kb.loaded) res.status(503).json({ status: 'not ready', reason: 'knowledge base not loaded' });
    else res.json({ status: 'ready', kbVersion: deps.kb.snapshot.version, procedures: deps.kb.snapshot.procedures.length, channels: await channelHealth(deps) });
  });
  app.use(webhookRouter(deps));
  app.use(chatRouter(deps));
  app.use(createConsoleRouter(deps));
  app.use(createIntegrationRouter(deps));
  app.use(createDossierConsoleRouter(deps));
  app.get('/', (_req, res) => res.redirect('/chat'));

  app.use((_req, res) => { res.status(404).json({ error: 'not found' }); });
  app.use((err: Error, req: Request, res: Response, _next: NextFunction) => {
    const answer = errorAnswer(err);
    if (answer.status >= 500 && (serverFault(err, answer) || res.headersSent)) deps.log.error({ err, path: req.path }, 'request failed');
    if (res.headersSent) return;
    if (answer.retryAfterS) res.setHeader('Retry-After', String(answer.retryAfterS));
    res.status(answer.status).json(answer.body);
  });
  // The server it listens with answers webhooks before express (webhookFastPath); mounted in another app, or called
  // as a handler, the app answers them itself, the same way.
  const fast = webhookFastPath(deps);
  app.listen = ((...args: unknown[]) => {
    const server = createServer((req, res) => { if (!fast(req, res)) app(req, res); });
    return (server.listen as (...a: unknown[]) => Server).apply(server, args);
  }) as express.Express['listen'];
  return app;
}
