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
