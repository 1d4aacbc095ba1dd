import { describe, expect, it } from 'vitest';
import { coalesced } from '../src/db/coalesce.js';

describe('coalesced statements', () => {
  it('runs a lone call at once and the calls made meanwhile together, each with its own result, in order', async () => {
    const runs: number[][] = [];
    const double = coalesced(async (xs: number[]) => { runs.push(xs); await new Promise((r) => setTimeout(r, 5)); return xs.map((x) => x * 2); });
    expect(await Promise.all([double(1), double(2), double(3)])).toEqual([2, 4, 6]);
    expect(await double(5)).toBe(10);
    expect(runs).toEqual([[1], [2, 3], [5]]);
  });

  it('runs each call alone when the shared run fails, so only the bad one fails', async () => {
    const runs: number[][] = [];
    const check = coalesced(async (xs: number[]) => {
      runs.push(xs);
      if (xs.includes(13)) throw new Error('13 is refused');
      return xs;
    });
    const results = await Promise.allSettled([check(1), check(13), check(2)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('13 is refused');
    expect(runs).toEqual([[1], [13, 2], [13], [2]]);
  });
});
