/**
 * One statement for many callers: a call made while none is running runs at once, alone; the calls made while one
 * runs are passed together to `run` once it is done, which answers each of them in order (or nothing, for a
 * statement that returns nothing). Under load this turns one round trip per message into one per round trip; a
 * lone call waits for nothing (waiting for the next turn of the event loop instead cost each call a turn, and under
 * load a turn is long). If `run` fails for several calls, each is run again alone, so one bad call fails alone.
 */
export function coalesced<A, R = void>(run: (args: A[]) => Promise<R[] | void>): (arg: A) => Promise<R> {
  let calls: Array<{ arg: A; resolve: (r: R) => void; reject: (err: unknown) => void }> = [];
  let running = false;
  const flush = async () => {
    running = true;
    while (calls.length) {
      const these = calls;
      calls = [];
      try {
        const results = await run(these.map((c) => c.arg));
        these.forEach((c, i) => c.resolve(results?.[i] as R));
      } catch (err) {
        if (these.length === 1) these[0].reject(err);
        else for (const c of these) await run([c.arg]).then((r) => c.resolve(r?.[0] as R), c.reject);
      }
    }
    running = false;
  };
  return (arg) => new Promise<R>((resolve, reject) => {
    calls.push({ arg, resolve, reject });
    if (!running) void flush();
  });
}
