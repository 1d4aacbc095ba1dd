import express from 'express';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/console/auth.js';
import { createConsoleRouter } from '../../src/console/index.js';
import { listen } from './listen.js';
import { PASSWORD, call, login, startConsoleApp, type ConsoleApp } from '../console/console-app.js';

// Console sign-in: per account and per address, locks an admin lifts, the last admin under concurrency,
// the role before anything, and the optional TOTP second factor.

describe('console sign-in on PGlite', () => {
  let app: ConsoleApp;
  let server: Awaited<ReturnType<typeof listen>>;
  let url = '';
  beforeAll(async () => {
    app = await startConsoleApp('pglite');
    // As the real app: the address comes from X-Forwarded-For when the request comes through a local proxy.
    server = await listen(express().set('trust proxy', 'loopback').use(createConsoleRouter(app.deps)));
    url = server.url;
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    await app?.close();
  });

  const post = (body: unknown, from?: string) => fetch(`${url}/api/auth/login`, {
    method: 'POST', body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...(from ? { 'x-forwarded-for': from } : {}) },
  }).then(async (r) => ({ status: r.status, body: await r.json() as Record<string, unknown> }));

  it('200 guesses from 200 forwarded addresses: at most 10 are checked, then the account is locked', async () => {
    await createUser(app.deps.db.prisma, { username: 'guessed', password: PASSWORD, role: 'editor' });
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) =>
      post({ username: 'guessed', password: `guess-${i}` }, `10.0.${i >> 8}.${i & 255}`)));
    const checked = results.filter((r) => r.status === 401).length;
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThanOrEqual(app.deps.config.LOGIN_LOCK_AFTER_FAILURES);
    expect(results.every((r) => [401, 423, 429].includes(r.status))).toBe(true);
    // Sequential guesses, each after its delay, lock it; the right password then gets "locked", not "wrong".
    for (let i = 0; i < 12; i++) { app.advance(61_000); await post({ username: 'guessed', password: `again-${i}` }); }
    const locked = await post({ username: 'guessed', password: PASSWORD });
    expect(locked.status).toBe(423);
    expect(locked.body.error).toMatch(/Tài khoản đã bị khóa/);
    const row = await app.deps.db.prisma.user.findUniqueOrThrow({ where: { username: 'guessed' } });
    expect(row.failedLogins).toBeGreaterThanOrEqual(10);

    // An admin lifts the lock on the accounts page.
    const admin = await login(app, 'admin');
    const unlocked = await call(app, 'PATCH', `/api/users/${row.id}`, { session: admin, body: { unlock: true } });
    expect(unlocked.status).toBe(200);
    expect(unlocked.body).toMatchObject({ failedLogins: 0, lockedUntil: null });
    expect((await post({ username: 'guessed', password: PASSWORD })).status).toBe(200);
  });

  it('officials behind one proxy without X-Forwarded-For do not lock each other out', async () => {
    await createUser(app.deps.db.prisma, { username: 'clumsy', password: PASSWORD, role: 'agent' });
    for (let i = 0; i < 12; i++) { app.advance(61_000); await post({ username: 'clumsy', password: `typo-${i}` }); }
    expect((await post({ username: 'clumsy', password: PASSWORD })).status).toBe(423);
    for (const name of ['editor', 'agent', 'viewer']) expect((await post({ username: name, password: PASSWORD })).status, name).toBe(200);
  });

  it('waits longer after each failure from the third on (429 with Retry-After)', async () => {
    await createUser(app.deps.db.prisma, { username: 'slow', password: PASSWORD, role: 'viewer' });
    for (let i = 0; i < 3; i++) expect((await post({ username: 'slow', password: 'x' })).status).toBe(401);
    const wait = await post({ username: 'slow', password: PASSWORD });
    expect(wait.status).toBe(429);
    expect(wait.body.error).toMatch(/thử lại sau \d+ giây/);
    app.advance(2_000);
    expect((await post({ username: 'slow', password: PASSWORD })).status).toBe(200);
  });

  it('a disabled account with the right password is told it is locked; a wrong password is just wrong', async () => {
    await app.deps.db.prisma.user.create({ data: { username: 'gone', role: 'viewer', disabled: true, passwordHash: (await app.deps.db.prisma.user.findUniqueOrThrow({ where: { username: 'viewer' } })).passwordHash } });
    const right = await post({ username: 'gone', password: PASSWORD });
    expect(right.status).toBe(423);
    expect(right.body.error).toMatch(/Tài khoản đã bị khóa/);
    expect((await post({ username: 'gone', password: 'sai-mat-khau' })).status).toBe(401);
  });

  it('checks the role before the body or its type (403, not 400, 413 or 415)', async () => {
    const agent = await login(app, 'agent');
    const viewer = await login(app, 'viewer');
    const importAs = (token: string) => fetch(`${url}/api/imports/procedures?dryRun=1`, {
      method: 'POST', body: 'not a spreadsheet', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
    });
    expect((await importAs(agent.token)).status).toBe(403);
    expect((await importAs(viewer.token)).status).toBe(403);
    const raw = (token: string | undefined, body: string) => fetch(`${url}/api/faqs`, {
      method: 'POST', body, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    }).then((r) => r.status);
    expect(await raw(viewer.token, '{"questions":')).toBe(403);
    expect(await raw(viewer.token, JSON.stringify({ answer: 'x'.repeat(app.deps.config.MAX_BODY_BYTES + 10) }))).toBe(403);
    expect(await raw(undefined, '{"questions":')).toBe(401);
    expect((await call(app, 'POST', '/api/users', { session: agent, raw: '{' })).status).toBe(403);
    const admin = await login(app, 'admin');
    expect((await call(app, 'POST', '/api/faqs', { session: admin, raw: '{"questions":' })).status).toBe(400);
  });

  it('an admin anonymises one citizen on request from the console (others get 403); it is audited', async () => {
    const { prisma } = app.deps.db;
    const conv = await prisma.conversation.create({ data: { channel: 'zalo', userId: 'z-erase-me', displayName: 'Đỗ Văn Giang' } });
    await prisma.message.create({ data: { conversationId: conv.id, direction: 'in', channel: 'zalo', text: 'số tôi 0912345678' } });
    const editor = await login(app, 'editor');
    expect((await call(app, 'POST', '/api/privacy/anonymise', { session: editor, body: { conversationId: conv.id } })).status).toBe(403);
    const admin = await login(app, 'admin');
    expect((await call(app, 'POST', '/api/privacy/anonymise', { session: admin, body: { channel: 'zalo', userId: 'nobody-here' } })).status).toBe(404);
    const done = await call(app, 'POST', '/api/privacy/anonymise', { session: admin, body: { conversationId: conv.id } });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ conversation: true, messages: 1 });
    expect((await prisma.message.findFirstOrThrow({ where: { conversationId: conv.id } })).text).toBe('số tôi [số điện thoại]');
    expect(await prisma.auditLog.count({ where: { action: 'privacy.anonymise', entityId: 'zalo:z-erase-me' } })).toBe(1);
  });

  it('TOTP: an admin enrols with a secret shown once, then signs in with a code; another admin removes it', async () => {
    await createUser(app.deps.db.prisma, { username: 'admin2', password: PASSWORD, role: 'admin' });
    const s = await login(app, 'admin2');
    const setup = await call(app, 'POST', '/api/auth/totp/setup', { session: s });
    expect(setup.status).toBe(200);
    expect(setup.body.uri).toMatch(/^otpauth:\/\/totp\//);
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(setup.body.secret) });
    const code = () => totp.generate({ timestamp: app.deps.now().getTime() });
    expect((await call(app, 'POST', '/api/auth/totp/confirm', { session: s, body: { code: '000000' === code() ? '111111' : '000000' } })).status).toBe(400);
    // The clock is the real one plus app.advance(): the enrolment's code is kept, as a 30 s step may end meanwhile.
    const enrolment = code();
    expect((await call(app, 'POST', '/api/auth/totp/confirm', { session: s, body: { code: enrolment } })).status).toBe(200);
    // Only the enabled secret is kept; the listing says "totp" but never shows it.
    const listed = await call(app, 'GET', '/api/users', { session: await login(app, 'admin') });
    const row = listed.body.items.find((u: { username: string }) => u.username === 'admin2');
    expect(row).toMatchObject({ totp: true });
    expect(JSON.stringify(listed.body)).not.toContain(setup.body.secret);

    const without = await post({ username: 'admin2', password: PASSWORD });
    expect(without.status).toBe(401);
    expect(without.body.totpRequired).toBe(true);
    expect((await post({ username: 'admin2', password: 'sai-mat-khau', totp: code() })).status).toBe(401);
    // The code used at enrolment cannot sign in; the next step's code can, once.
    expect((await post({ username: 'admin2', password: PASSWORD, totp: enrolment })).status).toBe(401);
    app.advance(30_000);
    const next = code();
    expect((await post({ username: 'admin2', password: PASSWORD, totp: next })).status).toBe(200);
    expect((await post({ username: 'admin2', password: PASSWORD, totp: next })).status).toBe(401);

    // The phone is lost: another admin removes the second factor.
    const removed = await call(app, 'PATCH', `/api/users/${row.id}`, { session: await login(app, 'admin'), body: { totp: false } });
    expect(removed.body.totp).toBe(false);
    expect((await post({ username: 'admin2', password: PASSWORD })).status).toBe(200);
    // An editor cannot enrol (admins only).
    expect((await call(app, 'POST', '/api/auth/totp/setup', { session: await login(app, 'editor') })).status).toBe(403);
  });
});

describe('the last admin on PostgreSQL', () => {
  let app: ConsoleApp;
  beforeAll(async () => { app = await startConsoleApp('postgres'); }, 180_000);
  afterAll(async () => { await app?.close(); });

  it('two admins disabling each other at the same moment leave one admin (10 rounds)', async () => {
    const { prisma } = app.deps.db;
    for (let round = 0; round < 10; round++) {
      const names = [`ra${round}`, `rb${round}`];
      await prisma.user.updateMany({ where: { role: 'admin' }, data: { disabled: true } });
      for (const n of names) await createUser(prisma, { username: n, password: PASSWORD, role: 'admin' });
      const [a, b] = await Promise.all(names.map((n) => login(app, n)));
      const [ida, idb] = await Promise.all(names.map(async (n) => (await prisma.user.findUniqueOrThrow({ where: { username: n } })).id));
      const results = await Promise.all([
        call(app, 'PATCH', `/api/users/${idb}`, { session: a, body: { disabled: true } }),
        call(app, 'PATCH', `/api/users/${ida}`, { session: b, body: { disabled: true } }),
      ]);
      // The loser is refused either as the last admin (409) or, when the winner's change committed before its own
      // request was signed in, as a disabled user (401): both leave one admin.
      const [first, second] = results.map((r) => r.status).sort();
      expect(first).toBe(200);
      expect([401, 409]).toContain(second);
      expect(await prisma.user.count({ where: { role: 'admin', disabled: false } })).toBe(1);
    }
  });
});
