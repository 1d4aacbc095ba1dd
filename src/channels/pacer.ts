import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Spaces a process's calls to a platform under its documented rate (Zalo: about 4,000 calls a minute per app),
 * so a burst of sends goes out at that rate instead of being refused (-32) and each send backing off on its own.
 * Calls keep their order: each reserves the next slot when it asks. Up to one second's worth go out at once.
 */
export interface Pacer {
  /** Resolves when this call may go out. */
  take(): Promise<void>;
  /** The platform said "too many": no call goes out for `ms` (then the pace resumes). */
  holdFor(ms: number): void;
}

/** The milliseconds each call must wait, as a pure schedule (generic cell rate: slot = interval, burst = 1 s). */
export function paceSchedule(perMinute: number, now: () => number) {
  const interval = 60_000 / perMinute;
  const tolerance = Math.max(0, Math.floor(perMinute / 60) - 1) * interval;
  let next = -Infinity; // the theoretical time of the next call at the steady pace
  return {
    reserve(): number {
      const t = now();
      const slot = Math.max(next, t);
      next = slot + interval;
      return Math.max(0, slot - tolerance - t);
    },
    holdFor(ms: number): void {
      next = Math.max(next, now() + ms + tolerance);
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
