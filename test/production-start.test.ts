import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { signZaloBody } from '../src/channels/zalo/signature.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/open.js';
import { createLogger } from '../src/logger.js';
import { startRuntime } from '../src/runtime.js';
import { createPgDatabase } from './helpers/db.js';
import { startFakeZalo } from './helpers/fake-zalo.js';
import { ROOT, exited, freePort, waitReady } from './helpers/processes.js';

// `npm start` is the compiled server under npm: a SIGTERM sent to npm reaches it, it drains and closes the embedded
// database (lock released, exit 0), and it exits within SHUTDOWN_TIMEOUT_MS even when a platform call hangs.
// /readyz tells an unauthenticated caller only "database unavailable"; the error goes to the log.

const dir = mkdtempSync(path.join(tmpdir(), 'cchc-prod-start-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** `npm start` (its prestart builds dist/ when stale) with `env`; everything printed is collected. */
async function npmStart(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; output: () => string; dbDir: string }> {
  const port = await freePort();
  const dbDir = path.join(dir, `db-${port}`);
  let output = '';
  const child = spawn('npm', ['start'], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1',
      DATABASE_URL: `file:${dbDir}`, LOG_LEVEL: 'info', ...env },
  });
  children.push(child);
  child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(`${url}/readyz`, child, 240_000).catch((err) => { throw new Error(`${(err as Error).message}\n${output}`); });
  return { child, url, output: () => output, dbDir };
}

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

describe('npm start', () => {
  it('exits 0 on SIGTERM sent to npm, with the server process gone and the embedded database free', async () => {
    const { child, output, dbDir } = await npmStart({});
    const serverPid = Number(readFileSync(path.join(dbDir, '.app.lock'), 'utf8'));
    expect(serverPid).not.toBe(child.pid); // Node runs the server, not npm
    child.kill('SIGTERM');
    await exited(child);
    expect(child.exitCode, output()).toBe(0);
    expect(output()).toContain('"msg":"stopped"');
    expect(alive(serverPid)).toBe(false);
    expect(existsSync(path.join(dbDir, '.app.lock'))).toBe(false);
    const again = await openDatabase(`file:${dbDir}`); // another process may open it now
    await again.close();
  }, 300_000);

  it('exits within SHUTDOWN_TIMEOUT_MS when a reply is stuck on a platform that never answers', async () => {
    const APP_ID = '1234567890123456789';
    const OA_SECRET = 'oa-secret-prod';
    const fake = await startFakeZalo({ appId: APP_ID, accessToken: 'prod-access-0', refreshToken: 'prod-refresh-0' });
    let sendStarted = false;
    fake.setFailure((req) => {
      if (req.path !== '/v3.0/oa/message/cs') return undefined;
      sendStarted = true;
      return new Promise(() => {}); // hangs
    });
    try {
      const { child, url, output, dbDir } = await npmStart({
        SHUTDOWN_TIMEOUT_MS: '1500', ZALO_APP_ID: APP_ID, ZALO_APP_SECRET: 'prod-app-secret', ZALO_OA_SECRET_KEY: OA_SECRET,
        ZALO_ACCESS_TOKEN: 'prod-access-0', ZALO_REFRESH_TOKEN: 'prod-refresh-0', ZALO_API_BASE_URL: fake.url, ZALO_OAUTH_BASE_URL: fake.url,
      });
      const timestamp = String(Date.now());
      const raw = JSON.stringify({ app_id: APP_ID, user_id_by_app: 'app-u1', event_name: 'user_send_text', timestamp,
        sender: { id: 'u1' }, recipient: { id: 'oa-1' }, message: { msg_id: 'prod-hang-1', text: 'Xin chào' } });
      const res = await fetch(`${url}/webhooks/zalo`, { method: 'POST', body: raw,
        headers: { 'content-type': 'application/json', 'x-zevent-signature': signZaloBody(raw, APP_ID, timestamp, OA_SECRET) } });
      expect(res.status).toBe(200);
      for (let i = 0; i < 300 && !sendStarted; i++) await new Promise((r) => setTimeout(r, 200));
      expect(sendStarted).toBe(true);
      child.kill('SIGTERM');
      await exited(child);
      expect(child.exitCode).toBe(1);
      expect(output()).toContain('shutdown took too long');
      expect(existsSync(path.join(dbDir, '.app.lock'))).toBe(false);
    } finally {
      await fake.close();
    }
  }, 300_000);
});

describe('/readyz', () => {
  it('says "database unavailable" when the database is gone, and logs the error itself', async () => {
    const { url, drop } = await createPgDatabase();
    const lines: string[] = [];
    const log = createLogger('warn', { write: (line: string) => { lines.push(line); } });
    const runtime = await startRuntime(loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'warn' }), log, { worker: false });
    const server: Server = await new Promise((resolve) => { const s = createApp(runtime.deps).listen(0, '127.0.0.1', () => resolve(s)); });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      await drop();
      const res = await fetch(`${base}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'not ready', reason: 'database unavailable' });
      expect(lines.join('')).toMatch(/readiness check: database unavailable/);
      expect(lines.join('')).toMatch(/terminat|does not exist|connection/i);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await runtime.close().catch(() => undefined);
      await drop().catch(() => undefined);
    }
  }, 180_000);
});
