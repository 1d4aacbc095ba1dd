import type { Worker } from 'node:worker_threads';
import { messages } from '@electric-sql/pglite';
import type { Reply, Request, SerialisedError, ThreadData } from './embedded-thread.js';
import { metrics } from '../metrics.js';
import { startThread } from '../threads.js';

type Fields = Array<{ name: string; dataTypeID: number }>;
export interface Results<T> { rows: T[]; fields: Fields; affectedRows?: number }
type QueryOptions = { parsers?: unknown };
/** A request before the client numbers it (over each member of the union). */
type Unnumbered<T> = T extends unknown ? Omit<T, 'id'> : never;

/** What Prisma's PGlite adapter and the SQL runner call on a transaction. */
export interface ThreadTransaction {
  query<T>(sql: string, params?: unknown[], opts?: QueryOptions): Promise<Results<T>>;
  rollback(): Promise<void>;
}

const fsyncCounter = new Int32Array(new SharedArrayBuffer(4));
/** How many times an embedded database of this process wrote a file through to the disk (benchmarks, tests). */
export const embeddedFsyncs = () => Atomics.load(fsyncCounter, 0);

function revive(e: SerialisedError): Error {
  const err = e.database ? new messages.DatabaseError(e.message, 0, 'error') : new Error(e.message);
  for (const [k, v] of Object.entries(e.fields)) if (k !== 'message' && k !== 'length') (err as unknown as Record<string, unknown>)[k] = v;
  return err;
}

/**
 * PGlite in a thread of its own (embedded-thread.ts), with the part of PGlite's interface the bot uses: query,
 * exec, transaction. Its WebAssembly used to run on the bot's thread, ~50 % of that thread's time under load;
 * each statement now costs a message each way instead. The value parsers Prisma's adapter asks for run there
 * too (they are functions: the thread has its own copy), and a database error comes back as PGlite's own
 * DatabaseError, so Prisma maps it (unique violation, ...) as before.
 */
// The thread's young generation capped at 8 MB (the default grows to ~48 MB under load and V8 keeps it): idle RSS
// after the bench's load 378-389 MB against 423-448 MB, replies no slower (quick benches, alternating, same hour).
const resourceLimits = { maxYoungGenerationSizeMb: 8 };

export class EmbeddedThread {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly waitReady: Promise<void>;
  /** Settles when the thread stops or fails other than through close(): the database is gone for this process. */
  readonly lost: Promise<Error>;
  private failure: Error | undefined;
  private closing = false;

  constructor(dataDir: string | undefined, options: ThreadData['options']) {
    const workerData: ThreadData = { dataDir, options, fsyncs: fsyncCounter };
    this.worker = startThread(import.meta.url, 'embedded-thread', workerData, resourceLimits);
    this.waitReady = new Promise((resolve, reject) => this.pending.set(0, { resolve: () => resolve(), reject }));
    this.worker.on('message', (reply: Reply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if ('error' in reply) p.reject(revive(reply.error));
      else p.resolve(reply.value);
    });
    let onLost: (err: Error) => void = () => undefined;
    this.lost = new Promise((resolve) => { onLost = resolve; });
    const fail = (err: Error) => {
      if (!this.failure && !this.closing) onLost(err);
      this.failure ??= err;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    this.worker.on('error', (err) => fail(new Error(`the embedded database's thread failed: ${err.message}`)));
    this.worker.on('exit', (code) => fail(new Error(`the embedded database's thread stopped (exit code ${code})`)));
  }

  private call<T>(request: Unnumbered<Request>): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    // A batch is BEGIN, its script, its statements and COMMIT; the rest one each (ready and close are not statements).
    if (request.op === 'batch') metrics.dbStatements.inc(request.statements.length + (request.script ? 3 : 2));
    else if (request.op !== 'close') metrics.dbStatements.inc();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  query<T>(sql: string, params: unknown[] = [], opts?: QueryOptions, tx?: number): Promise<Results<T>> {
    // Only Prisma's adapter passes options (rows as arrays, its parsers): the thread holds its own copy of them.
    return this.call({ op: 'query', sql, params, prisma: opts?.parsers !== undefined, tx });
  }

  exec(sql: string): Promise<unknown> {
    return this.call({ op: 'exec', sql });
  }

  /** Runs `fn` in a transaction: committed when it resolves, rolled back when it throws (or called rollback()). */
  async transaction<T>(fn: (tx: ThreadTransaction) => Promise<T>): Promise<T> {
    const txId = await this.call<number>({ op: 'begin' });
    const tx: ThreadTransaction = {
      query: (sql, params, opts) => this.query(sql, params, opts, txId),
      rollback: () => this.call({ op: 'rollback', tx: txId }),
    };
    let result: T;
    try {
      result = await fn(tx);
    } catch (err) {
      await this.call({ op: 'end', tx: txId, commit: false }).catch(() => undefined);
      throw err;
    }
    await this.call({ op: 'end', tx: txId, commit: true });
    return result;
  }

  /** Runs a script and statements in one transaction (durable: its commit waits for the disk); the last one's rows. */
  batch<T>(script: string, statements: Array<[string, unknown[]]>, durable: boolean): Promise<T[]> {
    return this.call({ op: 'batch', script, statements, durable });
  }

  /** Seconds the thread has spent working (not waiting for a message) since it started: its share of the CPU. */
  busySeconds(): number {
    return this.worker.performance.eventLoopUtilization().active / 1000;
  }

  async close(): Promise<void> {
    this.closing = true;
    if (!this.failure) await this.call({ op: 'close' }).catch(() => undefined);
    await this.worker.terminate();
  }
}
