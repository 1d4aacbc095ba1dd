import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import { Bot } from '../../src/bot/bot.js';
import { loadConfig } from '../../src/config.js';
import { createConsoleRouter } from '../../src/console/index.js';
import { createUser, type Role } from '../../src/console/auth.js';
import type { AppDeps } from '../../src/deps.js';
import { KbStore } from '../../src/kb/store.js';
import { createLogger } from '../../src/logger.js';
import { DEFAULT_NLU_OPTIONS } from '../../src/nlu/build.js';
import { loadNluData } from '../../src/nlu/data-files.js';
import { openTestDb, type DbKind, type TestDb } from '../helpers/db.js';

// The console router on a real database, a real KbStore and a real HTTP server on 127.0.0.1, as the lead's
// app mounts it, next to stand-ins for routes that belong to others (/api/chat, /api/integration).

export const PASSWORD = 'mat-khau-thu-nghiem';
export const ROLE_USERS: Role[] = ['admin', 'editor', 'agent', 'viewer'];

export interface ConsoleApp {
  url: string;
  deps: AppDeps;
  kb: KbStore;
  testDb: TestDb;
  /** Everything the app logged, as raw JSON lines. */
  logs: string[];
  /** Moves the app's clock (session expiry). */
  advance(ms: number): void;
  close(): Promise<void>;
}

export interface Session { token: string; csrfToken: string; cookie: string }

export async function startConsoleApp(kind: DbKind, opts: { realBot?: boolean } = {}): Promise<ConsoleApp> {
  const testDb = await openTestDb(kind);
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: testDb.url, LOG_LEVEL: 'debug' });
  const logs: string[] = [];
  const log = createLogger('debug', new Writable({ write(chunk, _enc, done) { logs.push(String(chunk)); done(); } }));
  const kb = new KbStore(testDb.db, loadNluData(), DEFAULT_NLU_OPTIONS);
  await kb.load();
  let offset = 0;
  // By default a stub stands in for the bot so these tests do not depend on its answers: it reports what
  // the NLU understood, in the shape of Bot.preview.
  const stubBot = {
    async preview(text: string) {
      const u = kb.nlu.understand(text);
      const faq = u.faq ? kb.snapshot.faqs.find((f) => f.id === u.faq!.faq.id) : undefined;
      return {
        understanding: { intent: u.intent, confidence: u.confidence, entities: u.entities },
        matched: faq ? { type: 'faq', id: faq.id, name: faq.questions[0] } : { type: null, id: null, name: null },
        replies: faq ? [{ text: faq.answer }] : [],
      };
    },
  };
  const deps: AppDeps = {
    config, db: testDb.db, log, kb,
    bot: opts.realBot ? new Bot(kb, config) : (stubBot as unknown as AppDeps['bot']),
    queue: {} as AppDeps['queue'],
    inbound: {} as AppDeps['inbound'], // the console receives no webhooks
    channels: {},
    now: () => new Date(Date.now() + offset),
  };
  for (const role of ROLE_USERS) await createUser(testDb.db.prisma, { username: role, password: PASSWORD, role });

  const app = express();
  app.use(createConsoleRouter(deps));
  app.get('/api/chat/ping', (_req, res) => void res.json({ owner: 'chat' }));
  app.post('/api/integration/ping', (_req, res) => void res.json({ owner: 'integration' }));
  app.use((_req, res) => void res.status(404).json({ error: 'not found' }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`, deps, kb, testDb, logs,
    advance: (ms) => { offset += ms; },
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await testDb.close();
    },
  };
}

export async function login(app: ConsoleApp, username: string, password = PASSWORD): Promise<Session> {
  const res = await fetch(`${app.url}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const body = await res.json() as { token: string; csrfToken: string };
  const cookie = res.headers.getSetCookie()[0].split(';')[0];
  return { token: body.token, csrfToken: body.csrfToken, cookie };
}

/** A JSON request; `as` picks bearer (default) or cookie authentication, with or without the CSRF header. */
export async function call(app: ConsoleApp, method: string, path: string, opts: {
  session?: Session; as?: 'bearer' | 'cookie' | 'cookie-no-csrf'; body?: unknown; raw?: string;
} = {}): Promise<{ status: number; body: any; text: string }> {
  const headers: Record<string, string> = {};
  if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] = 'application/json';
  if (opts.session) {
    if ((opts.as ?? 'bearer') === 'bearer') headers.authorization = `Bearer ${opts.session.token}`;
    else headers.cookie = opts.session.cookie;
    if (opts.as === 'cookie') headers['x-csrf-token'] = opts.session.csrfToken;
  }
  const res = await fetch(`${app.url}${path}`, {
    method, headers, body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
  });
  const text = await res.text();
  let body: unknown;
  try { body = JSON.parse(text); } catch { body = undefined; }
  return { status: res.status, body, text };
}
