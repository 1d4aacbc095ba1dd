/**
 * One statement for many callers: the calls made during one turn of the event loop (e.g. every send whose answer
 * came in the same I/O phase) are passed together to `run`, which answers each of them in order. Under load this
 * turns one round trip per message into one per turn; a lone call waits only for the end of its turn.
 * If `run` fails for several calls, each is run again alone, so one bad call fails alone.
 */
export function coalesced<A, R>(run: (args: A[]) => Promise<R[]>): (arg: A) => Promise<R> {
  let calls: Array<{ arg: A; resolve: (r: R) => void; reject: (err: unknown) => void }> = [];
  const flush = async () => {
    const these = calls;
    calls = [];
    try {
      const results = await run(these.map((c) => c.arg));
      these.forEach((c, i) => c.resolve(results[i]));
    } catch (err) {
      if (these.length === 1) return these[0].reject(err);
      for (const c of these) await run([c.arg]).then(([r]) => c.resolve(r), c.reject);
    }
  };
  return (arg) => new Promise<R>((resolve, reject) => {
    if (calls.push({ arg, resolve, reject }) === 1) setImmediate(() => void flush());
  });
}
