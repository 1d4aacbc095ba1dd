import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitText } from '../src/channels/text.js';
import { createPgDatabase } from './helpers/db.js';
import { startFakeZalo, type FakeZalo } from './helpers/fake-zalo.js';
import { exited, startServerProcess, stop } from './helpers/processes.js';

// kill -9 between the parts of a reply: the server runs as a child process on a PostgreSQL database; a reply of
// three Zalo messages is queued for two citizens; the fake Zalo API holds the second part of each (for one it never
// arrived, for the other it was delivered but the answer never came); the process is killed with SIGKILL; a new
// process takes the job over (its lease made to have run out, as 30 s would) and each citizen ends with each part
// exactly once, in order.

const APP_ID = '1234567890123456780';
const APP_SECRET = 'send-restart-app-secret';
const OA_SECRET = 'send-restart-oa-secret';
const USERS = { notArrived: '7000000000000000001', deliveredNoAnswer: '7000000000000000002' } as const;

let fake: FakeZalo;
let db: { url: string; drop: () => Promise<void> };
const children: ChildProcess[] = [];
const log: string[] = [];

function startServer() {
  return startServerProcess({
    DATABASE_URL: db.url, SEND_RETRY_BASE_MS: '50',
    ZALO_APP_ID: APP_ID, ZALO_APP_SECRET: APP_SECRET, ZALO_OA_SECRET_KEY: OA_SECRET,
    ZALO_ACCESS_TOKEN: 'sr-access-0', ZALO_REFRESH_TOKEN: 'sr-refresh-0',
    ZALO_API_BASE_URL: fake.url, ZALO_OAUTH_BASE_URL: fake.url, ZALO_ZNS_BASE_URL: fake.url,
  }, log, children);
}

const text = (user: string) => [1, 2, 3].map((i) => `Phần ${i} cho ${user}. ${`Hướng dẫn bước ${i} của thủ tục. `.repeat(45)}`).join('\n\n');

beforeAll(async () => {
  fake = await startFakeZalo({ appId: APP_ID, appSecret: APP_SECRET, accessToken: 'sr-access-0', refreshToken: 'sr-refresh-0' });
  db = await createPgDatabase();
});

afterAll(async () => {
  for (const c of children) await stop(c, 'SIGKILL');
  await fake?.close();
  await db?.drop();
});

describe('kill -9 between the parts of a reply', () => {
  it('resumes at the first part not delivered: each part once, in order', async () => {
    expect(splitText(text(USERS.notArrived), 2000)).toHaveLength(3);
    let held = 0;
    let onHeld: () => void = () => {};
    const bothHeld = new Promise<void>((resolve) => { onHeld = resolve; });
    const calls = new Map<string, number>();
    fake.setFailure((req) => {
      if (!req.path.startsWith('/v3.0/oa/message/') || !req.userId) return undefined;
      const n = calls.get(req.userId) ?? 0;
      calls.set(req.userId, n + 1);
      if (n !== 1) return undefined;
      if (++held === 2) onHeld();
      // The second part: never arrives for one citizen; arrives but is never answered for the other.
      return req.userId === USERS.notArrived ? 'hang' : { lateMs: 3_600_000 };
    });

    const first = await startServer();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      for (const user of Object.values(USERS)) {
        const { rows: [conv] } = await client.query(`INSERT INTO "Conversation" (channel, "userId", state, "lastInboundAt", "updatedAt")
          VALUES ('zalo', $1, '{}', now(), now()) RETURNING id`, [user]);
        const cause = `restart-parts:${user}`;
        await client.query(`INSERT INTO "Message" ("conversationId", direction, channel, kind, text, payload, "sentBy", "deliveryStatus", cause, purpose)
          VALUES ($1, 'out', 'zalo', 'text', $2, $3, 'bot', 'pending', $4, 'reply')`, [conv.id, text(user), JSON.stringify({ text: text(user) }), cause]);
        await client.query(`INSERT INTO "Job" (kind, key, payload, "updatedAt") VALUES ('send:zalo', $1, $2, now())`,
          [`send:${cause}`, JSON.stringify({ cause })]);
      }
      await bothHeld;
      first.child.kill('SIGKILL');
      await exited(first.child);
      expect(first.child.signalCode).toBe('SIGKILL');
      expect(Object.values(USERS).map((u) => fake.sent.filter((s) => s.userId === u).length)).toEqual([1, 2]);

      // The dead process's lease would run out after 30 s; make it so now, then start the next process.
      await client.query(`UPDATE "Job" SET "lockedAt" = now() - interval '1 hour' WHERE status = 'running'`);
      await startServer();
      const deadline = Date.now() + 60_000;
      for (;;) {
        const { rows } = await client.query(`SELECT count(*)::int AS n FROM "Message" WHERE cause LIKE 'restart-parts:%' AND "deliveryStatus" = 'pending'`);
        if (rows[0].n === 0) break;
        if (Date.now() > deadline) throw new Error(`still pending after the restart:\n${log.join('')}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const { rows } = await client.query(`SELECT "deliveryStatus", "partsSent" FROM "Message" WHERE cause LIKE 'restart-parts:%' ORDER BY id`);
      expect(rows).toEqual([{ deliveryStatus: 'sent', partsSent: 3 }, { deliveryStatus: 'sent', partsSent: 3 }]);
    } finally {
      await client.end();
    }
    for (const user of Object.values(USERS)) {
      expect(fake.sent.filter((s) => s.userId === user).map((s) => s.message.text)).toEqual(splitText(text(user), 2000));
    }
  }, 400_000);
});
