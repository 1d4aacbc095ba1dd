import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Keeps a process's calls to a platform under its documented rate (Zalo: about 4,000 calls a minute per app), so a
 * burst of sends goes out without being refused (-32) and each send backing off on its own. Calls keep their order:
 * each reserves the next slot when it asks.
 *
 * The rate is counted per minute, as Zalo states it: at most `perMinute` calls in any 60 s, so a burst (1,000
 * dossier notices at once) uses the minute's budget at once instead of being stretched to the average pace (15 s at
 * 67 a second). Within that, a second's worth goes at once and the rest at most PEAK times the average pace; after
 * the platform says "too many", the pace falls to the average for a minute: its limit is then not what we counted.
 */
export interface Pacer {
  /** Resolves when this call may go out. */
  take(): Promise<void>;
  /** The platform said "too many": no call goes out for `ms`, then a minute at the average pace. */
  holdFor(ms: number): void;
}

const MINUTE_MS = 60_000;
/** How much faster than the average pace calls may go while the minute's budget lasts. */
const PEAK = 4;

/** The milliseconds each call must wait, as a pure schedule. */
export function paceSchedule(perMinute: number, now: () => number) {
  const interval = MINUTE_MS / perMinute;
  const burst = Math.max(0, Math.floor(perMinute / 60) - 1); // calls beyond the first that may go at once
  // The slots of the last `perMinute` calls, oldest at `head`: a call may go a minute after the one perMinute back.
  const slots = new Float64Array(perMinute).fill(-Infinity);
  let head = 0;
  let theoretical = -Infinity; // the next call's time at the current pace (generic cell rate)
  let heldUntil = -Infinity;
  let calmUntil = -Infinity; // until then, the average pace (the platform refused a faster one)
  return {
    reserve(): number {
      const t = now();
      const step = t < calmUntil ? interval : interval / PEAK;
      const slot = Math.max(t, theoretical - burst * step, slots[head]! + MINUTE_MS, heldUntil);
      theoretical = Math.max(theoretical, slot) + step;
      slots[head] = slot;
      head = (head + 1) % perMinute;
      return slot - t;
    },
    holdFor(ms: number): void {
      const t = now();
      heldUntil = Math.max(heldUntil, t + ms);
      calmUntil = heldUntil + MINUTE_MS;
      theoretical = Math.max(theoretical, heldUntil + burst * interval);
    },
  };
}

/** A pacer at `perMinute` calls a minute; 0 paces nothing. */
export function pacer(perMinute: number, now: () => number = () => performance.now()): Pacer {
  if (perMinute <= 0) return { take: async () => undefined, holdFor: () => undefined };
  const schedule = paceSchedule(perMinute, now);
  return {
    async take() {
      const wait = schedule.reserve();
      if (wait > 0) await sleep(wait);
    },
    holdFor: (ms) => schedule.holdFor(ms),
  };
}
