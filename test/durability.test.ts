import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../src/channels/types.js';
import { migrate } from '../src/db/migrate.js';
import { embeddedFsyncs, openDatabase, type Database } from '../src/db/open.js';
import { JobQueue } from '../src/jobs/queue.js';
import { createLogger } from '../src/logger.js';
import { InboundRecorder } from '../src/pipeline/inbound.js';

// An event the platform got a 200 for is on the disk (not only in the OS cache), and events arriving
// together share one commit and one fsync.

const event = (i: number): InboundMessage => ({
  channel: 'zalo', eventId: `durable-${i}`, eventName: 'user_send_text', userId: `u${i}`, kind: 'text', text: 'xin chào', timestamp: Date.now(),
});

describe('inbound events on the embedded database', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cchc-durable-'));
  let db: Database;
  let recorder: InboundRecorder;
  beforeAll(async () => {
    db = await openDatabase(`file:${dir}`);
    await migrate(db.sql);
    recorder = new InboundRecorder({ db, log: createLogger('silent'), queue: new JobQueue(db, createLogger('silent'), { concurrency: 1 }) });
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('are written through to the disk before record() resolves', async () => {
    const before = embeddedFsyncs();
    await recorder.record([event(0)]);
    expect(embeddedFsyncs()).toBeGreaterThan(before);
  });

  it('are the only commits that wait for the disk (others are written to the OS, flushed by the next one)', async () => {
    const before = embeddedFsyncs();
    await db.sql.query(`INSERT INTO "Setting" (key, value, "updatedAt") VALUES ('durability-test', '1'::jsonb, now())`);
    expect(embeddedFsyncs()).toBe(before);
  });

  it('arriving together are stored in one commit', async () => {
    const { batches, events } = recorder;
    await Promise.all(Array.from({ length: 50 }, (_, i) => recorder.record([event(100 + i)])));
    expect(recorder.events - events).toBe(50);
    expect(recorder.batches - batches).toBe(1);
    const [{ n }] = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "InboundEvent" WHERE "eventId" LIKE 'durable-1%'`);
    expect(n).toBe(50);
  });

  it('survive closing and reopening the database', async () => {
    await db.close();
    db = await openDatabase(`file:${dir}`);
    const [{ n }] = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Job" WHERE kind = 'process'`);
    expect(n).toBe(51);
  }, 60_000);
});

describe('webhooks first', () => {
  const log = createLogger('silent');
  const withRecorder = async (fn: (recorder: InboundRecorder) => Promise<void>) => {
    const db = await openDatabase('memory:');
    try {
      await migrate(db.sql);
      await fn(new InboundRecorder({ db, log, queue: new JobQueue(db, log, { concurrency: 1 }) }));
    } finally {
      await db.close();
    }
  };

  it('a webhook waiting for its commit is seen by the worker, which goes on once it is stored', () => withRecorder(async (recorder) => {
    expect(recorder.idle()).toBeUndefined();
    const order: string[] = [];
    const stored = recorder.record([event(900)]).then(() => order.push('stored'));
    const idle = recorder.idle();
    expect(idle).toBeInstanceOf(Promise);
    await idle!.then(() => order.push('worker goes on'));
    await stored;
    expect(order).toEqual(['stored', 'worker goes on']);
    expect(recorder.idle()).toBeUndefined();
  }), 60_000);

  it('the worker waits for the webhooks received before it asked, not for those that keep coming', () => withRecorder(async (recorder) => {
    const order: string[] = [];
    // A flood: each webhook stored brings the next one, so the recorder is never idle for 30 commits.
    const flood = (async () => {
      for (let i = 0; i < 30; i++) await recorder.record([event(1000 + i)]).then(() => order.push(`stored ${i}`));
    })();
    const idle = recorder.idle(60_000);
    expect(idle).toBeInstanceOf(Promise);
    await idle!.then(() => order.push('worker goes on'));
    await flood;
    expect(order.indexOf('worker goes on')).toBeLessThan(order.indexOf('stored 3'));
    expect(order.indexOf('worker goes on')).toBeGreaterThan(order.indexOf('stored 0'));
  }), 60_000);

  it('under a flood of webhooks the worker also waits for those that keep coming, until the recorder is idle', () => withRecorder(async (recorder) => {
    let stored = 0;
    const later: Array<Promise<void>> = [];
    // 300 at once (two commits); when the second commit is done, 10 more come (a third one).
    const flood = Array.from({ length: 300 }, (_, i) => recorder.record([event(2000 + i)]).then(() => {
      if (++stored === 257) for (let k = 0; k < 10; k++) later.push(recorder.record([event(3000 + k)]).then(() => { stored++; }));
    }));
    await recorder.idle(60_000);
    expect(stored).toBe(310);
    await Promise.all([...flood, ...later]);
  }), 60_000);

  it('while connections are opened one after the other (a burst being accepted) the worker waits until they stop', () => withRecorder(async (recorder) => {
    recorder.noteConnection();
    expect(recorder.idle()).toBeUndefined(); // one connection is no burst
    let last = performance.now();
    const open = () => { recorder.noteConnection(); last = performance.now(); };
    for (let i = 0; i < 8; i++) open();
    const burst = setInterval(open, 2);
    const idle = recorder.idle(60_000);
    expect(idle).toBeInstanceOf(Promise);
    setTimeout(() => clearInterval(burst), 100);
    await idle;
    expect(performance.now() - last).toBeGreaterThanOrEqual(20); // held until they stopped coming
    expect(recorder.idle()).toBeUndefined();
  }), 60_000);

  it('the job worker claims nothing until the work that goes first is done', async () => {
    const db = await openDatabase('memory:');
    const queue = new JobQueue(db, log, { concurrency: 1, pollMs: 20 });
    try {
      await migrate(db.sql);
      let release!: () => void;
      const webhooks = new Promise<void>((resolve) => { release = resolve; });
      let busy = true;
      queue.giveWayTo(() => (busy ? webhooks : undefined));
      const ran: string[] = [];
      queue.register('note', async () => { ran.push('job'); });
      await queue.enqueue([{ kind: 'note', key: 'note-1', payload: {} }]);
      await queue.start();
      await new Promise((r) => setTimeout(r, 300)); // fifteen polls
      expect(ran).toEqual([]);
      busy = false;
      release();
      for (let i = 0; i < 200 && !ran.length; i++) await new Promise((r) => setTimeout(r, 20));
      expect(ran).toEqual(['job']);
    } finally {
      await queue.stop();
      await db.close();
    }
  }, 60_000);
});

describe('process jobs claimed as they are stored', () => {
  const log = createLogger('silent');
  const jobs = (db: Database) => db.sql.query<{ key: string; status: string; attempts: number; lockedBy: string | null }>(
    `SELECT key, status, attempts, "lockedBy" FROM "Job" WHERE kind = 'process' ORDER BY id`);

  it('go to the worker at once when it has room, or wait pending when it has none; a redelivery runs nothing', async () => {
    const db = await openDatabase('memory:');
    // No polls during the test: a job runs only if it is handed over, or claimed after a poke.
    const queue = new JobQueue(db, log, { concurrency: 1, pollMs: 60_000 });
    let release = () => {};
    let letClaim = () => {};
    try {
      await migrate(db.sql);
      const recorder = new InboundRecorder({ db, log, queue });
      const ran: string[] = [];
      const held = new Promise<void>((resolve) => { release = resolve; });
      let seenLockedBy: string | null = null;
      queue.register('process', async (payload: { eventId: string }) => {
        ran.push(payload.eventId);
        if (payload.eventId === 'adopt-1') {
          seenLockedBy = (await jobs(db)).find((j) => j.key === 'process:zalo:adopt-1')?.lockedBy ?? null;
          await held;
        }
      });
      // The worker's claims wait while `claimsHeld`: a job that runs meanwhile was handed over, not claimed.
      let claimsHeld = true;
      const claims = new Promise<void>((resolve) => { letClaim = resolve; });
      queue.giveWayTo(() => (claimsHeld ? claims : undefined));
      await queue.start();
      const event = (id: string): InboundMessage => ({ channel: 'zalo', eventId: id, eventName: 'user_send_text', userId: id, kind: 'text', text: 'xin chào', timestamp: Date.now() });

      await recorder.record([event('adopt-1')]); // the one slot is free: inserted claimed, run at once
      await expect.poll(() => ran).toEqual(['adopt-1']);
      await expect.poll(() => seenLockedBy).toBe(queue.instanceId);
      expect((await jobs(db))[0]).toMatchObject({ status: 'running', attempts: 1 });
      claimsHeld = false;
      letClaim();

      await recorder.record([event('adopt-2')]); // the slot is taken: pending, claimed once it is free
      expect((await jobs(db))[1]).toMatchObject({ status: 'pending', attempts: 0, lockedBy: null });
      await recorder.record([event('adopt-1')]); // a redelivery while it runs: nothing new, no slot kept
      release();
      await expect.poll(() => ran, { timeout: 10_000 }).toEqual(['adopt-1', 'adopt-2']);
      await expect.poll(async () => (await jobs(db)).map((j) => j.status), { timeout: 10_000 }).toEqual(['done', 'done']);

      await recorder.record([event('adopt-1')]); // redelivered after it was done: nothing runs, the slot is free again
      await recorder.record([event('adopt-3')]);
      await expect.poll(() => ran, { timeout: 10_000 }).toEqual(['adopt-1', 'adopt-2', 'adopt-3']);
      expect((await jobs(db)).find((j) => j.key === 'process:zalo:adopt-3')).toMatchObject({ attempts: 1 });
    } finally {
      release();
      letClaim();
      await queue.stop();
      await db.close();
    }
  }, 60_000);

  it('a stopped worker gets them pending', async () => {
    const db = await openDatabase('memory:');
    try {
      await migrate(db.sql);
      const queue = new JobQueue(db, log, { concurrency: 8 });
      await new InboundRecorder({ db, log, queue }).record([{ channel: 'zalo', eventId: 'idle-1', eventName: 'user_send_text', userId: 'u', kind: 'text', text: 'a', timestamp: Date.now() }]);
      expect(await jobs(db)).toMatchObject([{ status: 'pending', attempts: 0, lockedBy: null }]);
    } finally {
      await db.close();
    }
  }, 60_000);
});
