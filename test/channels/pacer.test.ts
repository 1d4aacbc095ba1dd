import { describe, expect, it } from 'vitest';
import { paceSchedule, pacer } from '../../src/channels/pacer.js';

describe('pacing calls to a platform', () => {
  it('lets a second\'s worth go at once, then one per interval, in the order asked', () => {
    let now = 0;
    const s = paceSchedule(600, () => now); // 10 a second
    const waits = Array.from({ length: 13 }, () => s.reserve());
    expect(waits).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100, 200, 300]);
    now = 5_000; // after a quiet while the burst is available again
    expect(Array.from({ length: 11 }, () => s.reserve()).at(-1)).toBe(100);
  });

  it('holds every call after the platform says "too many", then resumes the pace', () => {
    let now = 0;
    const s = paceSchedule(4000, () => now);
    expect(s.reserve()).toBe(0);
    s.holdFor(1000);
    expect(s.reserve()).toBeCloseTo(1000, 6);
    expect(s.reserve()).toBeCloseTo(1015, 6);
    now = 2000;
    expect(s.reserve()).toBe(0);
  });

  it('paces nothing at 0', async () => {
    const p = pacer(0);
    const started = performance.now();
    for (let i = 0; i < 1000; i++) await p.take();
    p.holdFor(60_000);
    await p.take();
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
