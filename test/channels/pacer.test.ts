import { describe, expect, it } from 'vitest';
import { paceSchedule, pacer } from '../../src/channels/pacer.js';

/** The slot times of `n` calls asked at once at `t`. */
function slotsOf(s: ReturnType<typeof paceSchedule>, n: number, t: number): number[] {
  return Array.from({ length: n }, () => t + s.reserve());
}

describe('pacing calls to a platform', () => {
  it('lets a second\'s worth go at once, then four times the average pace, in the order asked', () => {
    let now = 0;
    const s = paceSchedule(600, () => now); // 10 a second on average
    const waits = Array.from({ length: 13 }, () => s.reserve());
    expect(waits).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 25, 50, 75]);
    now = 5_000; // after a quiet while the burst is available again
    expect(Array.from({ length: 11 }, () => s.reserve()).at(-1)).toBe(25);
  });

  it('sends a burst of 1,000 at Zalo\'s 4,000 a minute within a few seconds, not stretched over 15', () => {
    const s = paceSchedule(4000, () => 0);
    const slots = slotsOf(s, 1000, 0);
    expect(slots.at(-1)).toBeLessThan(4000); // 66 at once, then 267 a second
    expect(slots).toEqual([...slots].sort((a, b) => a - b));
  });

  it('never lets more than the minute\'s budget go in any 60 seconds', () => {
    let now = 0;
    const s = paceSchedule(600, () => now);
    const slots: number[] = [];
    for (let i = 0; i < 2500; i++) {
      if (i % 500 === 0) now = i * 20; // calls asked in bursts, faster than the budget
      slots.push(now + s.reserve());
    }
    expect(slots).toEqual([...slots].sort((a, b) => a - b));
    for (let i = 600; i < slots.length; i++) expect(slots[i]! - slots[i - 600]!).toBeGreaterThanOrEqual(60_000);
    // The budget used at once, then the next minute's as it frees.
    expect(slots[599]).toBeLessThan(60_000);
    expect(slots[600]).toBe(slots[0]! + 60_000);
  });

  it('holds every call after the platform says "too many", then a minute at the average pace', () => {
    let now = 0;
    const s = paceSchedule(4000, () => now);
    expect(s.reserve()).toBe(0);
    s.holdFor(1000);
    expect(s.reserve()).toBeCloseTo(1000, 6);
    expect(s.reserve()).toBeCloseTo(1015, 6); // no burst after the hold: one every 15 ms
    now = 3000; // a quiet second: a second's worth at once again, the rest at the average pace
    const calm = Array.from({ length: 67 }, () => s.reserve());
    expect(calm.slice(0, 66).every((w) => w === 0)).toBe(true);
    expect(calm[66]).toBeCloseTo(15, 6);
    now = 70_000; // the minute is over: a second's worth at once again, then the peak pace
    const waits = Array.from({ length: 67 }, () => s.reserve());
    expect(waits.slice(0, 66).every((w) => w === 0)).toBe(true);
    expect(waits[66]).toBeCloseTo(3.75, 6);
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
