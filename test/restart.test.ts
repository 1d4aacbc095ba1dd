import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signZaloBody } from '../src/channels/zalo/signature.js';
import { exited, startServerProcess } from './helpers/processes.js';
import { startFakeZalo, type FakeZalo } from './helpers/fake-zalo.js';

// Zero lost and zero duplicated replies across a SIGKILL mid-load: the server runs as a child process on an
// embedded database; 200 signed events are posted, the process is killed once about half were acknowledged,
// a new process takes over the same database directory, Zalo-style redeliveries are posted, and every
// acknowledged event must end with exactly one reply at the fake Zalo API.

const APP_ID = '1234567890123456789';
const APP_SECRET = 'restart-app-secret';
const OA_SECRET = 'restart-oa-secret';
const OA_ID = '5555555555555555555';
const N = 200;
const BATCH = 10;
const REDELIVER_ACKED = 20;
const QUESTIONS = [
  'Thủ tục đăng ký khai sinh cần những giấy tờ gì?',
  'Lệ phí cấp căn cước công dân là bao nhiêu?',
  'Làm giấy đăng ký kết hôn ở đâu ạ?',
  'Đăng ký thường trú cần chuẩn bị hồ sơ gì?',
  'Chứng thực bản sao từ bản chính ở đâu?',
  'Xin chào',
];

let fake: FakeZalo;
let dbDir: string;
const children: ChildProcess[] = [];
const childLog: string[] = [];

function startServer() {
  return startServerProcess({
    DATABASE_URL: `file:${dbDir}`,
    ZALO_APP_ID: APP_ID, ZALO_APP_SECRET: APP_SECRET, ZALO_OA_SECRET_KEY: OA_SECRET,
    ZALO_ACCESS_TOKEN: 'restart-access-0', ZALO_REFRESH_TOKEN: 'restart-refresh-0',
    ZALO_API_BASE_URL: fake.url, ZALO_OAUTH_BASE_URL: fake.url, ZALO_ZNS_BASE_URL: fake.url,
  }, childLog, children);
}

interface Ev { i: number; userId: string; raw: string; signature: string }

function makeEvent(i: number): Ev {
  const userId = `rs${String(i).padStart(6, '0')}`;
  const timestamp = String(Date.now());
  const raw = JSON.stringify({
    app_id: APP_ID, user_id_by_app: userId, event_name: 'user_send_text', timestamp,
    sender: { id: userId }, recipient: { id: OA_ID },
    message: { msg_id: `restart-msg-${i}`, text: QUESTIONS[i % QUESTIONS.length] },
  });
  return { i, userId, raw, signature: signZaloBody(raw, APP_ID, timestamp, OA_SECRET) };
}

async function post(url: string, ev: Ev): Promise<boolean> {
  try {
    const res = await fetch(`${url}/webhooks/zalo`, {
      method: 'POST', body: ev.raw, signal: AbortSignal.timeout(10_000),
      headers: { 'content-type': 'application/json', 'x-zevent-signature': ev.signature },
    });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false; // the process died under this request: not acknowledged, Zalo would redeliver it
  }
}

beforeAll(async () => {
  dbDir = mkdtempSync(path.join(tmpdir(), 'restart-db-'));
  fake = await startFakeZalo({ appId: APP_ID, appSecret: APP_SECRET, accessToken: 'restart-access-0', refreshToken: 'restart-refresh-0' });
});

afterAll(async () => {
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) {
      c.kill('SIGTERM');
      await Promise.race([exited(c), new Promise((r) => setTimeout(r, 10_000))]);
      if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    }
  }
  await fake?.close();
  if (dbDir) rmSync(dbDir, { recursive: true, force: true });
});

describe('restart under load', () => {
  it('loses and duplicates no reply when the process is SIGKILLed mid-load and restarted', async () => {
    const events = Array.from({ length: N }, (_, i) => makeEvent(i));
    const acked = new Set<number>();

    // Phase 1: post in concurrent batches; SIGKILL once about half were acknowledged.
    const first = await startServer();
    let killed = false;
    let killedAtSends = 0;
    for (let b = 0; b < N && !killed; b += BATCH) {
      await Promise.all(events.slice(b, b + BATCH).map(async (ev) => {
        if (await post(first.url, ev)) acked.add(ev.i);
        if (!killed && acked.size >= N / 2) {
          killed = true;
          killedAtSends = fake.sent.length;
          first.child.kill('SIGKILL');
        }
      }));
    }
    await exited(first.child);
    expect(first.child.signalCode).toBe('SIGKILL');
    const ackedBeforeKill = acked.size;
    const sentBeforeRestart = fake.sent.length;

    // Phase 2: a new process on the same directory takes over the stale lock and finishes the work.
    const second = await startServer();
    const unacked = events.filter((ev) => !acked.has(ev.i));
    const redeliveries = events.filter((ev) => acked.has(ev.i)).slice(0, REDELIVER_ACKED);
    const again = [...unacked, ...redeliveries];
    for (let b = 0; b < again.length; b += BATCH) {
      await Promise.all(again.slice(b, b + BATCH).map(async (ev) => {
        expect(await post(second.url, ev), `event ${ev.i} refused after the restart`).toBe(true);
        acked.add(ev.i);
      }));
    }
    expect(acked.size).toBe(N);

    // Quiescence: every user answered and nothing new sent for 2 s.
    const deadline = Date.now() + 60_000;
    let lastCount = -1;
    let stableSince = Date.now();
    while (Date.now() < deadline) {
      const users = new Set(fake.sent.map((s) => s.userId));
      const all = events.every((ev) => users.has(ev.userId));
      if (fake.sent.length !== lastCount) { lastCount = fake.sent.length; stableSince = Date.now(); }
      if (all && Date.now() - stableSince > 2000) break;
      await new Promise((r) => setTimeout(r, 200));
    }

    const byUser = new Map<string, string[]>();
    for (const s of fake.sent) {
      const list = byUser.get(s.userId) ?? [];
      list.push(JSON.stringify(s.message));
      byUser.set(s.userId, list);
    }
    const lost = events.filter((ev) => !byUser.has(ev.userId)).map((ev) => ev.userId);
    // Each of these questions is answered with one message: a second send to a user, same text or not, is a duplicate.
    const duplicated = [...byUser].filter(([, msgs]) => msgs.length !== 1).map(([u, msgs]) => `${u} x${msgs.length}`);
    const stranger = [...byUser.keys()].filter((u) => !events.some((ev) => ev.userId === u));
    const counts = new Map<number, number>();
    for (const msgs of byUser.values()) counts.set(msgs.length, (counts.get(msgs.length) ?? 0) + 1);
    console.info(JSON.stringify({
      ackedBeforeKill, killedAtSends, sentBeforeRestart, reposted: again.length, unackedReposted: unacked.length,
      totalSent: fake.sent.length, usersAnswered: byUser.size, messagesPerUser: Object.fromEntries(counts),
      lost: lost.length, duplicated: duplicated.length,
    }));
    if (lost.length || duplicated.length) console.info(childLog.join('').slice(-4000));
    expect(lost, 'users whose acknowledged event got no reply').toEqual([]);
    expect(duplicated, 'users who received the same reply twice').toEqual([]);
    expect(stranger).toEqual([]);
  }, 120_000);
});
