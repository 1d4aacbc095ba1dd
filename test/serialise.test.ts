import { describe, expect, it } from 'vitest';
import { keyedSerialiser, serialiser } from '../src/db/serialise.js';

// The one in-process serialiser (the embedded database's lock, one decision at a time).

const tick = () => new Promise((r) => setImmediate(r));

describe('serialiser', () => {
  it('runs calls one at a time in call order, and a failure does not stop the next', async () => {
    const serial = serialiser();
    const log: string[] = [];
    const job = (name: string, fail = false) => serial(async () => {
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
      if (fail) throw new Error(name);
      return name;
    });
    const results = await Promise.allSettled([job('a'), job('b', true), job('c')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('per key: the same key waits, another key runs alongside', async () => {
    const lock = keyedSerialiser();
    const log: string[] = [];
    const job = (key: number, name: string) => lock(key, async () => { log.push(`start ${name}`); await tick(); log.push(`end ${name}`); });
    await Promise.all([job(1, 'a'), job(1, 'b'), job(2, 'x')]);
    expect(log.indexOf('end a')).toBeLessThan(log.indexOf('start b'));
    expect(log.indexOf('start x')).toBeLessThan(log.indexOf('end a'));
  });
});
