import path from 'node:path';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { AppDeps } from '../deps.js';
import { authenticate } from './auth.js';
import { authRouter } from './login.js';
import { KB_PATHS, kbRouter } from './kb-routes.js';
import { USERS_PATHS, usersRouter } from './users-routes.js';
import { DATA_PATHS, createDataRouter } from './data-routes.js';
import { AUDIT_PATHS, auditRouter } from './audit.js';
import { SERVICES_PATHS, createServicesRouter } from '../services/routes.js';
import { INBOX_PATHS, createInboxRouter } from './inbox-routes.js';
import { CANNED_PATHS, createCannedRouter } from './canned-routes.js';
import { PRIVACY_PATHS, privacyRouter } from '../retention/routes.js';

// The officials' console: its JSON API and its pages. Only its own path prefixes are touched, so the
// webhooks, /chat, /api/chat and /api/integration keep their own rules.

export const ADMIN_DIR = path.resolve(import.meta.dirname, '../../public/admin');

const TEXT = {
  badJson: 'Nội dung gửi lên không phải JSON hợp lệ.',
  tooLarge: 'Nội dung gửi lên quá lớn.',
  failed: 'Hệ thống gặp lỗi khi xử lý yêu cầu. Vui lòng thử lại sau ít phút.',
};

/** Pages may only run their own scripts: even a mistaken innerHTML of user data cannot execute. */
const pageHeaders = helmet({
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"], objectSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'self'"],
      formAction: ["'self'"], upgradeInsecureRequests: null,
    },
  },
});

/** Parses JSON bodies but raises a malformed or oversized body only when a handler reads `req.body`: so the
 * session and the role are checked first everywhere (a viewer's bad write is 403, not 400 or 413). */
function deferredJson(limit: number): RequestHandler {
  const parse = express.json({ limit });
  return (req, res, next) => parse(req, res, (err?: unknown) => {
    if (err) Object.defineProperty(req, 'body', { configurable: true, get() { throw err; } });
    next();
  });
}

export function createConsoleRouter(deps: AppDeps): express.Router {
  const router = express.Router();
  const protectedPaths = [...KB_PATHS, ...USERS_PATHS, ...AUDIT_PATHS, ...PRIVACY_PATHS];
  const apiPaths = ['/api/auth', ...protectedPaths, ...SERVICES_PATHS, ...DATA_PATHS, ...INBOX_PATHS, ...CANNED_PATHS]; // the services and data routers authenticate their own paths

  router.use('/admin', pageHeaders, express.static(ADMIN_DIR, { index: 'index.html', extensions: ['html'], maxAge: 0 }));
  router.use(apiPaths, deferredJson(deps.config.MAX_BODY_BYTES));
  router.use(authRouter(deps));
  router.use(protectedPaths, authenticate(deps));
  router.use(kbRouter(deps));
  router.use(usersRouter(deps));
  router.use(auditRouter(deps));
  router.use(privacyRouter(deps));
  router.use(createDataRouter(deps));
  router.use(createServicesRouter(deps));
  router.use(createInboxRouter(deps));
  router.use(createCannedRouter(deps));

  const onError: ErrorRequestHandler = (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const type = (err as { type?: string }).type;
    if (type === 'entity.parse.failed') return void res.status(400).json({ error: 'invalid', issues: [{ path: '', message: TEXT.badJson }] });
    if (type === 'entity.too.large') return void res.status(413).json({ error: TEXT.tooLarge });
    deps.log.error({ err, method: req.method, path: req.path }, 'console request failed');
    res.status(500).json({ error: TEXT.failed });
  };
  router.use(apiPaths, onError);
  return router;
}
