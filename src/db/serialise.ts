/** Runs the functions given to it one at a time, in call order; one that fails does not stop the next. */
export type Serialiser = <T>(fn: () => Promise<T>) => Promise<T>;

export function serialiser(): Serialiser {
  let tail: Promise<unknown> = Promise.resolve();
  return (fn) => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}

/** One serialiser per key: calls with the same key wait for each other, other keys run alongside. */
export function keyedSerialiser(): <T>(key: number, fn: () => Promise<T>) => Promise<T> {
  const byKey = new Map<number, Serialiser>();
  return (key, fn) => {
    let serial = byKey.get(key);
    if (!serial) byKey.set(key, (serial = serialiser()));
    return serial(fn);
  };
}
