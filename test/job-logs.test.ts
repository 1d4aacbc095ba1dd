import { describe, expect, it } from 'vitest';
import { migrate } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open.js';
import { JobError, JobQueue } from '../src/jobs/queue.js';
import { createLogger } from '../src/logger.js';

// A job's logger is made only when the job logs (a child logger per job was a share of the bot's allocations),
// and what it logs still names the job, its kind and its key.

describe('job logs', () => {
  it('name the job when it logs or fails, and a quiet job writes nothing', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const log = createLogger('info', { write: (s: string) => { lines.push(JSON.parse(s)); } });
    const db = await openDatabase('memory:');
    const queue = new JobQueue(db, log, { concurrency: 1, pollMs: 20, baseBackoffMs: 60_000 });
    try {
      await migrate(db.sql);
      const seen: Array<{ debug: boolean; info: boolean }> = [];
      queue.register('quiet', async (_payload, ctx) => { seen.push({ debug: ctx.logs('debug'), info: ctx.logs('info') }); });
      queue.register('talks', async (_payload, ctx) => { ctx.log.info({ step: 1 }, 'working'); });
      queue.register('fails', async () => { throw new JobError('the platform said no', 'retry'); });
      await queue.enqueue([
        { kind: 'quiet', key: 'quiet-1', payload: {} },
        { kind: 'talks', key: 'talks-1', payload: {} },
        { kind: 'fails', key: 'fails-1', payload: {} },
      ]);
      await queue.start();
      for (let i = 0; i < 300 && lines.length < 2; i++) await new Promise((r) => setTimeout(r, 20));

      expect(seen).toEqual([{ debug: false, info: true }]);
      expect(lines.find((l) => l.msg === 'working')).toMatchObject({ kind: 'talks', key: 'talks-1', step: 1, job: expect.any(Number) });
      expect(lines.find((l) => l.msg === 'job failed, will retry')).toMatchObject({ kind: 'fails', key: 'fails-1', err: 'the platform said no', attempts: 1 });
      expect(lines.filter((l) => l.key === 'quiet-1')).toEqual([]);
    } finally {
      await queue.stop();
      await db.close();
    }
  }, 60_000);
});
