import { fsyncSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { messages, PGlite, type Transaction } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { preparedStatements } from './prepared.js';
import { TEXT_ARRAYS, textArray } from './text-arrays.js';

/**
 * The embedded database's own thread (see embedded-client.ts): PGlite's WebAssembly, its protocol parsing and its
 * fsyncs run here, so the bot's thread only verifies, parses, decides and sends. One message in, one answer out;
 * a transaction keeps its statements in order and holds the database until its end message (PGlite's own lock).
 */

export interface ThreadData {
  dataDir: string | undefined;
  options: { startParams: string[] };
  /** Counts the data and WAL files written through to the disk (shared with the bot's thread). */
  fsyncs: Int32Array;
}

export type Request =
  | { id: number; op: 'query'; sql: string; params: unknown[]; prisma: boolean; tx?: number }
  | { id: number; op: 'exec'; sql: string }
  | { id: number; op: 'begin' }
  | { id: number; op: 'rollback'; tx: number }
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'batch'; script: string; statements: Array<[string, unknown[]]>; durable: boolean }
  | { id: number; op: 'close' };

export type Reply = { id: number; value: unknown } | { id: number; error: SerialisedError };
export interface SerialisedError { message: string; database: boolean; fields: Record<string, unknown> }

/** The value parsers Prisma's PGlite adapter passes with each of its queries (functions: they cannot cross threads). */
async function prismaParsers(): Promise<Record<number, unknown>> {
  let parsers: Record<number, unknown> = {};
  const capture = { query: async (_sql: string, _params: unknown[], opts: { parsers: Record<number, unknown> }) => {
    parsers = opts.parsers;
    return { fields: [], rows: [] };
  } };
  const adapter = await new PrismaPGlite(capture as unknown as PGlite).connect();
  await adapter.queryRaw({ sql: 'SELECT 1', args: [], argTypes: [] });
  return parsers;
}

/**
 * On disk, PGlite runs with fsync off and its file system ignores fsync; here every sync reaches the disk as
 * decided in open.ts (DURABLE): data files and pg_control always, the WAL at a durable commit (a batch marked
 * durable: the webhooks' group commit) and after data files were synced, otherwise left to the OS.
 */
function syncToDisk(pglite: PGlite, fsyncs: Int32Array): { durable: number } {
  const nodefs = (pglite.Module as unknown as { NODEFS?: { stream_ops: { fsync?: (s: { nfd: number; path?: string }) => number } } }).NODEFS;
  if (!nodefs) throw new Error('PGlite no longer exposes NODEFS: cannot make the embedded database durable');
  const state = { durable: 0 };
  let dataSynced = false;
  nodefs.stream_ops.fsync = (stream) => {
    const wal = stream.path?.includes('/pg_wal/') ?? false;
    if (wal && !state.durable && !dataSynced) return 0;
    if (wal) dataSynced = false;
    else dataSynced = true;
    Atomics.add(fsyncs, 0, 1);
    fsyncSync(stream.nfd);
    return 0;
  };
  return state;
}

function serialise(err: unknown): SerialisedError {
  const e = err as Error & Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e ?? {})) if (v === undefined || ['string', 'number', 'boolean'].includes(typeof v)) fields[k] = v;
  return { message: e?.message ?? String(err), database: err instanceof messages.DatabaseError, fields };
}

async function main(port: NonNullable<typeof parentPort>, data: ThreadData): Promise<void> {
  // In memory, PGlite takes its options as its only argument: given after an undefined directory they were ignored.
  const pglite = data.dataDir ? new PGlite(data.dataDir, data.options) : new PGlite(data.options);
  await pglite.waitReady;
  // Set after start-up: PGlite's start makes a parser for every array type, over any given in its options.
  for (const oid of TEXT_ARRAYS) pglite.parsers[oid] = textArray;
  const disk = data.dataDir ? syncToDisk(pglite, data.fsyncs) : { durable: 0 };
  await pglite.exec("SET TIME ZONE 'UTC'");
  // Prisma's adapter always asks for rows as arrays, with its parsers; the SQL runner for objects, with PGlite's.
  const prismaOptions = { rowMode: 'array', parsers: await prismaParsers() } as Parameters<PGlite['query']>[2];
  // Every statement with parameters, the bot's and Prisma's, by name once it repeats (prepared.ts).
  const { run } = preparedStatements(pglite);

  let nextTx = 1;
  /** Open transactions: their handle, the end their callback waits for, and their statements' line. */
  const open = new Map<number, { tx: Transaction; end: (commit: boolean) => void; settled: Promise<unknown>; line: Promise<unknown> }>();
  const inTx = (txId: number, work: (tx: Transaction) => Promise<unknown>): Promise<unknown> => {
    const t = open.get(txId);
    if (!t) return Promise.reject(new Error(`transaction ${txId} is not open`));
    const run = t.line.then(() => work(t.tx));
    t.line = run.catch(() => undefined);
    return run;
  };

  const handle = async (m: Request): Promise<unknown> => {
    switch (m.op) {
      case 'query': {
        const opts = m.prisma ? prismaOptions : undefined;
        return m.tx ? inTx(m.tx, (tx) => run(m.sql, m.params, opts, tx)) : run(m.sql, m.params, opts, undefined);
      }
      case 'exec':
        return pglite.exec(m.sql);
      case 'begin':
        return new Promise((begun, failed) => {
          const txId = nextTx++;
          const settled = pglite.transaction((tx) => new Promise<void>((commit, rollback) => {
            open.set(txId, { tx, end: (ok) => (ok ? commit() : rollback(new Error('rolled back'))), settled, line: Promise.resolve() });
            begun(txId);
          }));
          settled.catch(failed).finally(() => open.delete(txId));
        });
      case 'rollback':
        return inTx(m.tx, (tx) => tx.rollback());
      case 'end': {
        const t = open.get(m.tx);
        if (!t) throw new Error(`transaction ${m.tx} is not open`);
        await t.line;
        t.end(m.commit);
        if (m.commit) return t.settled;
        return t.settled.catch(() => undefined);
      }
      case 'batch': {
        // Durable from inside the transaction: while it waits for the one running, that one's commit would pay
        // for an fsync it does not need.
        let durable = false;
        try {
          return await pglite.transaction(async (tx) => {
            if (m.durable) disk.durable++;
            durable = m.durable;
            if (m.script) await tx.exec(m.script);
            let rows: unknown[] = [];
            for (const [text, params] of m.statements) rows = (await run(text, params, undefined, tx)).rows;
            return rows;
          });
        } finally {
          if (durable) disk.durable--;
        }
      }
      case 'close':
        await pglite.close();
        return null;
    }
  };

  port.on('message', (m: Request) => {
    handle(m).then(
      (value) => port.postMessage({ id: m.id, value } satisfies Reply),
      (err) => port.postMessage({ id: m.id, error: serialise(err) } satisfies Reply),
    );
  });
  port.postMessage({ id: 0, value: 'ready' } satisfies Reply);
}

if (parentPort) {
  const port = parentPort;
  main(port, workerData as ThreadData).catch((err) => port.postMessage({ id: 0, error: serialise(err) } satisfies Reply));
}
