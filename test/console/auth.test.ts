import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountError, createApiKey, createUser, findApiKey } from '../../src/console/auth.js';
import { PASSWORD, call, login, startConsoleApp, type ConsoleApp, type Session } from './console-app.js';

let app: ConsoleApp;
const s: Record<string, Session> = {};

beforeAll(async () => {
  app = await startConsoleApp('pglite');
  for (const role of ['admin', 'editor', 'agent', 'viewer']) s[role] = await login(app, role);
});
afterAll(async () => { await app?.close(); });

const faq = { questions: ['Câu hỏi thử nghiệm quyền'], answer: 'Dạ, đây là câu trả lời thử.' };

describe('login', () => {
  it('answers 200 with a token, a CSRF token and the role, and sets an HttpOnly SameSite=Strict cookie', async () => {
    const res = await fetch(`${app.url}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'Editor', password: PASSWORD }),
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual({ token: expect.any(String), csrfToken: expect.any(String), user: { username: 'editor', role: 'editor' } });
    const cookie = res.headers.getSetCookie()[0];
    expect(cookie).toMatch(new RegExp(`^sid=${body.token};`));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/i);
  });

  it('marks the cookie Secure when COOKIE_SECURE is set', async () => {
    app.deps.config.COOKIE_SECURE = true;
    try {
      const res = await fetch(`${app.url}/api/auth/login`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'viewer', password: PASSWORD }),
      });
      expect(res.headers.getSetCookie()[0]).toMatch(/;\s*Secure/i);
    } finally {
      app.deps.config.COOKIE_SECURE = false;
    }
  });

  it('answers 401 with the same message for a wrong password and an unknown user', async () => {
    const wrong = await call(app, 'POST', '/api/auth/login', { body: { username: 'agent', password: 'sai-mat-khau' } });
    const unknown = await call(app, 'POST', '/api/auth/login', { body: { username: 'nobody', password: 'sai-mat-khau' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error).toBe(unknown.body.error);
    expect(wrong.body.token).toBeUndefined();
  });

  it('answers 400 naming the missing field', async () => {
    const res = await call(app, 'POST', '/api/auth/login', { body: { username: 'admin' } });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid');
    expect(res.body.issues.map((i: { path: string }) => i.path)).toContain('password');
    expect((await call(app, 'POST', '/api/auth/login', { raw: '{"username":' })).status).toBe(400);
  });

  it('locks an account after 10 failed attempts (423 "đã bị khóa"), even with the right password', async () => {
    await createUser(app.deps.db.prisma, { username: 'target', password: PASSWORD, role: 'viewer' });
    for (let i = 0; i < 10; i++) {
      expect((await call(app, 'POST', '/api/auth/login', { body: { username: 'target', password: `guess-${i}` } })).status).toBe(401);
      app.advance(61_000); // past the growing delay between tries
    }
    const blocked = await call(app, 'POST', '/api/auth/login', { body: { username: 'target', password: PASSWORD } });
    expect(blocked.status).toBe(423);
    expect(blocked.body.error).toMatch(/đã bị khóa/);
    // Other accounts from the same address are not locked out.
    expect((await call(app, 'POST', '/api/auth/login', { body: { username: 'viewer', password: PASSWORD } })).status).toBe(200);
  });
});

describe('sessions', () => {
  it('answers 401 JSON without credentials or with a made-up token', async () => {
    for (const path of ['/api/auth/me', '/api/faqs', '/api/users', '/api/audit']) {
      const res = await call(app, 'GET', path);
      expect(res.status, path).toBe(401);
      expect(res.body.error).toEqual(expect.any(String));
    }
    const fake = await call(app, 'GET', '/api/faqs', { session: { token: 'x'.repeat(43), csrfToken: '', cookie: 'sid=x' } });
    expect(fake.status).toBe(401);
  });

  it('accepts the bearer token without a CSRF header', async () => {
    const me = await call(app, 'GET', '/api/auth/me', { session: s.editor });
    expect(me.body).toEqual({ username: 'editor', role: 'editor', csrfToken: s.editor.csrfToken, totp: false });
    expect((await call(app, 'POST', '/api/faqs', { session: s.editor, body: faq })).status).toBe(201);
  });

  it('requires X-CSRF-Token equal to the session token for cookie writes, not for cookie reads', async () => {
    expect((await call(app, 'GET', '/api/faqs', { session: s.editor, as: 'cookie-no-csrf' })).status).toBe(200);
    expect((await call(app, 'POST', '/api/faqs', { session: s.editor, as: 'cookie-no-csrf', body: faq })).status).toBe(403);
    const wrong = { ...s.editor, csrfToken: s.viewer.csrfToken };
    expect((await call(app, 'POST', '/api/faqs', { session: wrong, as: 'cookie', body: faq })).status).toBe(403);
    expect((await call(app, 'POST', '/api/faqs', { session: s.editor, as: 'cookie', body: faq })).status).toBe(201);
  });

  it('expires sessions after SESSION_TTL_HOURS', async () => {
    const session = await login(app, 'agent');
    expect((await call(app, 'GET', '/api/auth/me', { session })).status).toBe(200);
    app.advance(app.deps.config.SESSION_TTL_HOURS * 3600_000 + 1000);
    try {
      expect((await call(app, 'GET', '/api/auth/me', { session })).status).toBe(401);
    } finally {
      app.advance(-(app.deps.config.SESSION_TTL_HOURS * 3600_000 + 1000));
    }
    expect((await call(app, 'GET', '/api/auth/me', { session })).status).toBe(401);
  });

  it('ends the session on logout', async () => {
    const session = await login(app, 'agent');
    const out = await call(app, 'POST', '/api/auth/logout', { session, as: 'cookie' });
    expect(out.status).toBe(200);
    expect((await call(app, 'GET', '/api/auth/me', { session })).status).toBe(401);
  });

  it('leaves /api/chat and /api/integration to their owners', async () => {
    expect((await call(app, 'GET', '/api/chat/ping')).body).toEqual({ owner: 'chat' });
    expect((await call(app, 'POST', '/api/integration/ping', { body: {} })).body).toEqual({ owner: 'integration' });
    expect((await call(app, 'GET', '/webhooks/zalo')).status).toBe(404);
  });
});

describe('roles', () => {
  it('lets viewers and agents read but not change the knowledge base', async () => {
    const created = await call(app, 'POST', '/api/faqs', { session: s.editor, body: faq });
    for (const role of ['viewer', 'agent']) {
      expect((await call(app, 'GET', `/api/faqs/${created.body.id}`, { session: s[role] })).status).toBe(200);
      expect((await call(app, 'POST', '/api/faqs', { session: s[role], body: faq })).status).toBe(403);
      expect((await call(app, 'PATCH', `/api/faqs/${created.body.id}`, { session: s[role], body: { answer: 'x' } })).status).toBe(403);
      expect((await call(app, 'DELETE', `/api/faqs/${created.body.id}`, { session: s[role] })).status).toBe(403);
      expect((await call(app, 'POST', '/api/try', { session: s[role], body: { text: 'xin chào' } })).status).toBe(200);
    }
    expect((await call(app, 'GET', '/api/audit', { session: s.viewer })).status).toBe(200);
    expect((await call(app, 'GET', '/api/audit', { session: s.agent })).status).toBe(403);
  });

  it('keeps accounts and API keys to admins', async () => {
    for (const role of ['editor', 'agent', 'viewer']) {
      expect((await call(app, 'GET', '/api/users', { session: s[role] })).status).toBe(403);
      expect((await call(app, 'POST', '/api/api-keys', { session: s[role], body: { name: 'x' } })).status).toBe(403);
    }
    expect((await call(app, 'GET', '/api/users', { session: s.admin })).status).toBe(200);
  });
});

describe('accounts and API keys', () => {
  it('creates, changes and disables users without ever returning a password hash', async () => {
    const created = await call(app, 'POST', '/api/users', { session: s.admin, body: { username: 'can.bo1', password: 'mot-mat-khau-dai', role: 'viewer' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: 'can.bo1', role: 'viewer', disabled: false });
    expect((await call(app, 'POST', '/api/users', { session: s.admin, body: { username: 'can.bo1', password: 'mot-mat-khau-dai', role: 'viewer' } })).status).toBe(409);
    const bad = await call(app, 'POST', '/api/users', { session: s.admin, body: { username: 'x y', password: 'short', role: 'boss' } });
    expect(bad.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['password', 'role', 'username']);

    const officer = await login(app, 'can.bo1', 'mot-mat-khau-dai');
    const promoted = await call(app, 'PATCH', `/api/users/${created.body.id}`, { session: s.admin, body: { role: 'editor' } });
    expect(promoted.body.role).toBe('editor');
    expect((await call(app, 'GET', '/api/auth/me', { session: officer })).status).toBe(401);
    await call(app, 'PATCH', `/api/users/${created.body.id}`, { session: s.admin, body: { disabled: true } });
    const disabled = await call(app, 'POST', '/api/auth/login', { body: { username: 'can.bo1', password: 'mot-mat-khau-dai' } });
    expect(disabled.status).toBe(423);
    expect(disabled.body.error).toMatch(/đã bị khóa/);

    const list = await call(app, 'GET', '/api/users', { session: s.admin });
    expect(list.text).not.toMatch(/passwordHash|argon2/);
    const admin = list.body.items.find((u: { username: string }) => u.username === 'admin');
    expect((await call(app, 'PATCH', `/api/users/${admin.id}`, { session: s.admin, body: { role: 'viewer' } })).status).toBe(409);
  });

  it('shows an API key once, stores only its hash, and stops accepting it when revoked', async () => {
    const created = await call(app, 'POST', '/api/api-keys', { session: s.admin, body: { name: 'Cổng dịch vụ công' } });
    expect(created.status).toBe(201);
    const { key, apiKey } = created.body;
    expect(key).toMatch(/^ck_[A-Za-z0-9_-]{43}$/);
    expect(apiKey.prefix).toBe(key.slice(0, 8));
    expect(apiKey.hash).toBeUndefined();
    const list = await call(app, 'GET', '/api/api-keys', { session: s.admin });
    expect(list.text).not.toContain(key);
    expect(list.text).not.toMatch(/"hash"/);
    expect((await findApiKey(app.deps.db.prisma, key))?.id).toBe(apiKey.id);
    expect(await findApiKey(app.deps.db.prisma, `${key}x`)).toBeNull();

    expect((await call(app, 'DELETE', `/api/api-keys/${apiKey.id}`, { session: s.admin })).body.revokedAt).toEqual(expect.any(String));
    expect(await findApiKey(app.deps.db.prisma, key)).toBeNull();
    expect((await call(app, 'DELETE', '/api/api-keys/99999', { session: s.admin })).status).toBe(404);
  });

  it('createUser and createApiKey reject duplicates and bad roles, and return no secrets', async () => {
    await expect(createUser(app.deps.db.prisma, { username: 'admin', password: PASSWORD, role: 'admin' })).rejects.toThrow(AccountError);
    await expect(createUser(app.deps.db.prisma, { username: 'someone', password: PASSWORD, role: 'boss' })).rejects.toThrow(/Unknown role/);
    const { key, record } = await createApiKey(app.deps.db.prisma, 'script');
    expect(JSON.stringify(record)).not.toContain(key);
    expect(record).not.toHaveProperty('hash');
  });

  it('never writes passwords, tokens or hashes to the log', () => {
    const all = app.logs.join('\n');
    expect(all).toContain('console login');
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain(s.admin.token);
    expect(all).not.toMatch(/argon2/);
  });
});
