import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/open.js';
import { prepareDatabase } from '../src/db/prepare.js';
import { SAMPLE_SEEDED, seedIfEmpty } from '../src/kb/seed.js';
import { createLogger } from '../src/logger.js';
import { startRuntime } from '../src/runtime.js';
import { exited, spawnNode } from './helpers/processes.js';

// The sample knowledge base goes into a new database once; what officials do with it afterwards (even
// deleting every procedure) is theirs. And `npm run nlu` answers from the configured database or not at all.

const dir = mkdtempSync(path.join(tmpdir(), 'cchc-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the sample knowledge base', () => {
  it('is seeded once: with every procedure deleted, the bot starts on an empty list instead of seeding again', async () => {
    const url = `file:${path.join(dir, 'kb')}`;
    const first = await prepareDatabase(url, { seed: true });
    const models = await first.prisma.reformModel.count();
    expect(await first.prisma.procedure.count()).toBeGreaterThan(0);
    expect(await first.prisma.setting.findUnique({ where: { key: SAMPLE_SEEDED } })).not.toBeNull();
    await first.prisma.procedure.deleteMany();
    await first.close();

    const runtime = await startRuntime(loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent' }), createLogger('silent'), { worker: false });
    try {
      expect(runtime.deps.kb.snapshot.procedures).toEqual([]);
      expect(runtime.deps.kb.snapshot.models).toHaveLength(models);
      expect(runtime.deps.kb.nlu.understand('làm giấy khai sinh cho con').procedure).toBeNull();
    } finally {
      await runtime.close();
    }
  });

  it('is not put into a database that already holds entries of its own', async () => {
    const db = await prepareDatabase('memory:', { seed: false });
    try {
      await db.prisma.faq.create({ data: { questions: ['Giờ làm việc?'], answer: 'Dạ, giờ hành chính ạ.' } });
      expect(await seedIfEmpty(db.prisma)).toBe(false);
      expect(await db.prisma.procedure.count()).toBe(0);
    } finally {
      await db.close();
    }
  });
});

/** `node --import tsx src/cli/<script>` on DATABASE_URL; resolves with the exit code and everything printed. */
async function runCli(script: string, args: string[], url: string): Promise<{ code: number | null; output: string }> {
  let output = '';
  const child = spawnNode(['--import', 'tsx', `src/cli/${script}`, ...args],
    { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent', NODE_ENV: 'test' }, (chunk) => { output += chunk; });
  await exited(child);
  return { code: child.exitCode, output };
}

describe('npm run import -- national', () => {
  it('prints what it did and the time, and nothing to do the second time', async () => {
    const url = `file:${path.join(dir, 'national')}`;
    const fixture = path.resolve(import.meta.dirname, 'fixtures/national-sample.jsonl');
    const first = await runCli('import.ts', ['national', fixture], url);
    expect(first.code).toBe(0);
    expect(first.output).toContain('Đã nhập: 7 thủ tục cấp tỉnh, xã (bỏ qua 2/9 bản ghi cấp khác), 5 mới, 2 cập nhật, 0 không đổi.');
    expect(first.output).toMatch(/Thời gian: [\d,]+ giây\./);
    const second = await runCli('import.ts', ['national', fixture, '--levels', 'xa,tinh'], url);
    expect(second.output).toContain('0 mới, 0 cập nhật, 7 không đổi.');
    const bad = await runCli('import.ts', ['national', fixture, '--levels', 'huyen'], url);
    expect(bad.code).toBe(1);
    expect(bad.output).toContain('--levels "huyen": use xa, tinh, bo (comma-separated) or all.');
  }, 60_000);
});

describe('npm run nlu', () => {
  it('stops with a clear message and exit 1 while another process holds the embedded database', async () => {
    const url = `file:${path.join(dir, 'held')}`;
    const held = await openDatabase(url);
    try {
      const { code, output } = await runCli('nlu.ts', ['làm giấy khai sinh'], url);
      expect(code).toBe(1);
      expect(output).toMatch(/in use by another process \(pid \d+\)/);
      expect(output).toContain('stop the server first');
      expect(output).not.toContain('"intent"');
    } finally {
      await held.close();
    }
  }, 60_000);
});
