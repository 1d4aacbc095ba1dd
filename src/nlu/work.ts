import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';

// Long computations (building the NLU over the national catalogue takes 1-2 s) written as generators: each
// `yield` is a point where the work may pause. Run at once (`runNow`: start-up, CLI, tests) or in slices
// between which the event loop answers webhooks and replies (`runSliced`: a rebuild after an official's edit).

export type Work<T> = Generator<void, T, void>;

export function runNow<T>(work: Work<T>): T {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
  }
}

/**
 * Runs `work` for at most about `sliceMs` at a time, letting queued I/O and timers run in between. When other
 * work was waiting (the pause took longer than a moment), the thread is left to it for `restMs` more: a request
 * that needs several turns of the event loop is not held up by a slice at each of them.
 */
export async function runSliced<T>(work: Work<T>, { sliceMs = 4, restMs = 16 } = {}): Promise<T> {
  for (;;) {
    const started = performance.now();
    for (;;) {
      const step = work.next();
      if (step.done) return step.value;
      if (performance.now() - started >= sliceMs) break;
    }
    const paused = performance.now();
    await nextTurn();
    if (performance.now() - paused > 1) await sleep(restMs);
  }
}

/** `for (const x of items) body(x)`, with a pause point every `every` items. */
export function* eachOf<T>(items: Iterable<T>, body: (item: T, index: number) => void, every = 16): Work<void> {
  let i = 0;
  for (const item of items) {
    body(item, i);
    if (++i % every === 0) yield;
  }
}

/** `items.map(fn)`, with a pause point every `every` items. */
export function* mapOf<T, U>(items: readonly T[], fn: (item: T, index: number) => U, every = 16): Work<U[]> {
  const out: U[] = new Array(items.length);
  yield* eachOf(items, (item, i) => { out[i] = fn(item, i); }, every);
  return out;
}
