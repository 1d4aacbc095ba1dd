import { execFile } from 'node:child_process';
import { chmodSync, closeSync, cpSync, existsSync, fsyncSync, openSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from 'pino';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { metrics } from '../metrics.js';
import { PrismaClient } from '../generated/prisma/client.js';
import { EmbeddedThread } from './embedded-client.js';
import { LOCK_FILE, lockEmbeddedDir } from './embedded-lock.js';
import { secondSighting, STALE } from './prepared.js';
import { keyedSerialiser, serialiser } from './serialise.js';
import { TEXT_ARRAYS, textArray } from './text-arrays.js';

export type Query = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;

/** Plain SQL outside Prisma: migrations, advisory locks, and the per-message hot path (an ORM call costs 3-5x more). */
export interface SqlRunner {
  /** Runs `fn` in one transaction; committed when it resolves, rolled back when it throws. */
  interactive<T>(fn: (query: Query) => Promise<T>): Promise<T>;
  /**
   * Runs a multi-statement script and the given parameterised statements in one transaction; resolves to the rows
   * of the last statement. `durable`: the commit waits for the disk on the embedded database too (a server's
   * commits always do).
   */
  transaction<T = Record<string, unknown>>(script: string, statements: Array<[string, unknown[]]>, opts?: { durable?: boolean }): Promise<T[]>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Serialises `fn` across every process sharing this database. */
  withLock<T>(key: number, fn: () => Promise<T>): Promise<T>;
}

export interface Database {
  prisma: PrismaClient;
  sql: SqlRunner;
  kind: 'embedded' | 'memory' | 'postgres';
  describe: string;
  /**
   * The embedded database only: settles when its thread is gone (crashed, out of memory). Nothing more can be
   * recorded or answered, so the process stops and its supervisor starts it again; a server's connections are
   * replaced by the pool instead.
   */
  lost?: Promise<Error>;
  /** The embedded database only: seconds its thread has worked since it started (/metrics). */
  busySeconds?: () => number;
  close(): Promise<void>;
}

export class DatabaseUrlError extends Error {}

// PGlite's default 128 MB of shared buffers is sized for a server; the bot's working set is a few MB.
// Measured: 836 -> 710 MB RSS for the process at start.
const SMALL_BUFFERS = ['-c', 'shared_buffers=16MB'];
// Every run of a named statement planned for its values, on both databases (prepared.ts): with PostgreSQL's own
// choice of a generic plan after five runs, the sends' read of their messages took 4.8-6.1 ms and their outcomes
// 4.1-5.7 ms in a quick bench, embedded, against 1.4 and 1.6 ms planned each time.
export const CUSTOM_PLANS = ['-c', 'plan_cache_mode=force_custom_plan'];
/** The server connections' settings: timestamps are stored without zone, as UTC (Prisma's convention), and custom plans. */
export const SERVER_OPTIONS = ['-c', 'TimeZone=UTC', ...CUSTOM_PLANS].join(' ');
// On disk, PGlite runs with fsync off (-F) and its file system ignores fsync: an OS crash or power loss could lose
// acknowledged events, or leave a checkpoint pointing at WAL that never reached the disk. So fsync is on, every
// sync goes through fsync() (the one call that reaches syncToDisk in embedded-thread.ts), and syncToDisk decides:
// - data files and pg_control (checkpoints, new files): always written through;
// - the WAL, at the commit that records inbound events (a durable batch), and after data files were synced (the
//   checkpoint's own record): written through;
// - the WAL at any other commit: written to the OS (it survives the process being killed, as before) but not
//   waited for, so a decision costs no disk round trip; it reaches the disk with the next durable commit,
//   checkpoint or the kernel's write-back. An OS crash can lose the last such commits, never an acknowledged event.
const DURABLE = ['-c', 'wal_sync_method=fsync'];
const pgliteOptions = (onDisk: boolean) => ({
  startParams: [...PGlite.defaultStartParams.filter((p) => !onDisk || p !== '-F'), ...SMALL_BUFFERS, ...CUSTOM_PLANS, ...(onDisk ? DURABLE : [])],
});

export { embeddedFsyncs } from './embedded-client.js';

/**
 * A new database is created (initdb) by a PGlite in a process of its own: the instance that ran initdb keeps about
 * 430 MB of WebAssembly memory for its lifetime, one that opens an existing database about 140 MB, and even one
 * closed at once left the bot's first start about 100 MB above its later ones (measured: 486 against 405 MB at
 * ready, 426 against 371 MB idle after a collection).
 */
async function createInChild(dir: string): Promise<void> {
  const code = `const { PGlite } = await import(process.argv[1]);
    const db = await PGlite.create(process.argv[2], JSON.parse(process.argv[3])); await db.close();`;
  await promisify(execFile)(process.execPath, ['--input-type=module', '-e', code,
    import.meta.resolve('@electric-sql/pglite'), dir, JSON.stringify(pgliteOptions(true))], { timeout: 120_000 })
    .catch((err: Error & { stderr?: string }) => { throw new Error(`creating it failed: ${err.stderr?.trim() || err.message}`); });
}

const VERSION_FILE = 'PG_VERSION'; // what marks a directory as a database: copied last

/**
 * A new database as a copy of `template` (a database closed cleanly: db/template.ts): about 0.3 s instead of 3.5-5 s,
 * and no PGlite in this process but the one that will open it. The copy is this user's alone (directories 0700,
 * files 0600, the database's directory too when the bot owns it: it will hold citizens' messages; the template is
 * readable by all, as a build run by another user leaves it) and written through to the disk as initdb does,
 * PG_VERSION (what marks a database) last. Returns the error, with the directory emptied again, when the copy
 * failed: the caller creates the database the long way.
 */
function copyTemplate(template: string, dir: string): Error | undefined {
  try {
    cpSync(template, dir, { recursive: true, filter: (from) => ![LOCK_FILE, VERSION_FILE].includes(path.relative(template, from)) });
    eachEntry(dir, (file, isDir) => {
      if (path.basename(file) === LOCK_FILE) return;
      chmodSync(file, isDir ? 0o700 : 0o600);
      syncPath(file);
    });
    cpSync(path.join(template, VERSION_FILE), path.join(dir, VERSION_FILE));
    chmodSync(path.join(dir, VERSION_FILE), 0o600);
    syncPath(path.join(dir, VERSION_FILE));
    try {
      chmodSync(dir, 0o700); // what PGlite writes later is created with the default mode: none may enter but the bot
    } catch { /* a directory someone else owns and gave the bot: left as they set it */ }
    syncPath(dir);
    return undefined;
  } catch (err) {
    for (const name of readdirSync(dir)) if (name !== LOCK_FILE) rmSync(path.join(dir, name), { recursive: true, force: true });
    return err as Error;
  }
}

/** Calls `fn` on every file and directory under `dir` (not `dir` itself). */
export function eachEntry(dir: string, fn: (file: string, isDir: boolean) => void): void {
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() || entry.isDirectory()) fn(path.join(entry.parentPath, entry.name), entry.isDirectory());
  }
}

function syncPath(file: string): void {
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export interface OpenOptions {
  /**
   * A new embedded database is a copy of the one this names (db/template.ts) when it exists, instead of a new
   * initdb. Asked only when a database is created (its name is a hash of files: not worth reading at every start).
   */
  template?: () => string;
  log?: Pick<Logger, 'warn'>;
}

export async function openDatabase(databaseUrl: string, opts: OpenOptions = {}): Promise<Database> {
  if (databaseUrl === 'memory:') return openThreaded(new EmbeddedThread(undefined, pgliteOptions(false)), 'memory', 'in-memory PGlite');
  if (databaseUrl.startsWith('file:')) {
    const dir = path.resolve(databaseUrl.slice('file:'.length));
    const release = lockEmbeddedDir(dir);
    try {
      if (!existsSync(path.join(dir, VERSION_FILE))) {
        let copied = false;
        const template = opts.template?.();
        if (template && existsSync(path.join(template, VERSION_FILE))) {
          const err = copyTemplate(template, dir);
          if (err) opts.log?.warn({ err, template }, 'could not copy the template of a new database: creating it instead (a few seconds more)');
          copied = !err;
        }
        if (!copied) await createInChild(dir);
      }
      const db = await openThreaded(new EmbeddedThread(dir, pgliteOptions(true)), 'embedded', `embedded PGlite in ${dir}`);
      const close = db.close;
      return { ...db, close: async () => { await close(); release(); } };
    } catch (err) {
      release();
      throw new DatabaseUrlError(`Cannot open the embedded database in ${dir}: ${(err as Error).message}`);
    }
  }
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return openPostgres(databaseUrl);
  throw new DatabaseUrlError(
    `DATABASE_URL "${databaseUrl}" is not supported: use file:<directory>, memory: or postgres://user@host:port/db`);
}

for (const oid of TEXT_ARRAYS) pg.types.setTypeParser(oid, textArray);

async function openThreaded(thread: EmbeddedThread, kind: 'embedded' | 'memory', describe: string): Promise<Database> {
  try {
    await thread.waitReady;
  } catch (err) {
    await thread.close();
    throw err;
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(thread as unknown as PGlite) });
  // The database runs one statement at a time. Plain-SQL work (the job worker's claims, decisions and sends) waits
  // its turn in this line, not in PGlite's own: a durable commit (the webhooks' group commit) goes straight to the
  // thread and so waits for the statement running, never behind a line of them.
  const inLine = serialiser();
  const sql: SqlRunner = {
    transaction: <T>(script: string, statements: Array<[string, unknown[]]>, opts?: { durable?: boolean }) =>
      (opts?.durable ? thread.batch<T>(script, statements, true) : inLine(() => thread.batch<T>(script, statements, false))),
    query: <T>(text: string, params: unknown[] = []) => inLine(async () => (await thread.query<T>(text, params)).rows),
    interactive: (fn) => inLine(() => thread.transaction((tx) => fn(async (text, params = []) => (await tx.query(text, params)).rows as never))),
    // One process owns an embedded database, so an in-process queue is the lock.
    withLock: keyedSerialiser(),
  };
  return {
    prisma, sql, kind, describe, lost: thread.lost, busySeconds: () => thread.busySeconds(),
    close: async () => { await prisma.$disconnect(); await thread.close(); },
  };
}

type ClientQuery = (...args: unknown[]) => unknown;

/**
 * On the PostgreSQL server, a text with parameters seen a second time gets a name (the bot's SQL and Prisma's): node-postgres then sends it and
 * the server parses it once per connection, and each run is a bind and an execute (`npm run bench:prepared`: the
 * record statement 0.74, a one-table read 0.87 of the unnamed cost). Planned for its values each run, as embedded
 * (prepared.ts), named by the same rule (`secondSighting`). A named statement whose result columns changed
 * under it (DDL while the process runs: a rolling deploy's migration) fails once and its text gets a new name; one
 * its connection lost is sent again.
 */
function namedStatements(): (client: pg.PoolClient, query: ClientQuery) => ClientQuery {
  const names = new Map<string, string>();
  const worth = secondSighting();
  let next = 1;
  const nameOf = (text: string): string | undefined => {
    if (!names.has(text) && worth(text, names.size)) names.set(text, `cchc_${next++}`);
    return names.get(text);
  };
  return (client, query) => (...args) => {
    // query(text, values[, callback]) from the pool and the plain-SQL runner; query({ text, values, ... }) from Prisma.
    const first = args[0] as { name?: string; text?: unknown; values?: unknown } | string | null;
    const given = typeof first === 'object' && first !== null && !first.name ? first : undefined;
    const [text, values] = given ? [given.text, given.values] : args;
    const name = typeof text === 'string' && Array.isArray(values) && values.length ? nameOf(text) : undefined;
    if (!name) return query(...args);
    const stale = (err: unknown) => {
      const code = (err as { code?: string } | null)?.code;
      if (code === STALE.changed && names.get(text as string) === name) names.delete(text as string);
      const parsed = (client as unknown as { connection?: { parsedStatements?: Record<string, string> } }).connection?.parsedStatements;
      if (code === STALE.gone && parsed) delete parsed[name];
    };
    const config = { ...given, name, text, values };
    // pg.Pool's own query passes a callback last (query(text, values, cb), query(config, undefined, cb)); the
    // plain-SQL runner's transactions take the promise.
    const done = args.findLast((a) => typeof a === 'function') as ((err: unknown, res: unknown) => void) | undefined;
    if (done) {
      return query(config, (err: unknown, res: unknown) => { if (err) stale(err); done(err, res); });
    }
    return (query(config) as Promise<unknown>).catch((err: unknown) => { stale(err); throw err; });
  };
}

async function openPostgres(connectionString: string): Promise<Database> {
  // SQL that calls now() must agree with the UTC timestamps (SERVER_OPTIONS).
  const pool = new pg.Pool({ connectionString, max: 10, options: SERVER_OPTIONS });
  // An idle connection the server drops (restart, failover, DROP DATABASE ... FORCE) is discarded by the pool and
  // replaced on the next query; without a listener that 'error' event would crash the process.
  pool.on('error', () => undefined);
  // Every statement goes through a pooled connection's query(): the pool's own, the plain-SQL runner's and Prisma's.
  // Behind PgBouncer in transaction mode (Prisma's convention: `?pgbouncer=true`) a name made on one server connection
  // is unknown on the next: statements stay unnamed there.
  const named = URL.canParse(connectionString) && new URL(connectionString).searchParams.get('pgbouncer') === 'true'
    ? (_client: pg.PoolClient, query: ClientQuery) => query : namedStatements();
  pool.on('connect', (client) => {
    const query = named(client, client.query.bind(client) as ClientQuery);
    (client as unknown as { query: ClientQuery }).query = (...args) => { metrics.dbStatements.inc(); return query(...args); };
  });
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end();
    throw new DatabaseUrlError(`Cannot connect to the PostgreSQL server in DATABASE_URL: ${(err as Error).message}`);
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const sql: SqlRunner = {
    async transaction<T>(script: string, statements: Array<[string, unknown[]]>) {
      // One statement is a transaction of its own: one round trip instead of four (BEGIN, it, COMMIT, and the
      // connection's checkout). Under load each round trip's answer waits for a turn of the bot's event loop.
      if (!script && statements.length === 1) return (await pool.query(statements[0][0], statements[0][1])).rows as T[];
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        if (script) await client.query(script);
        let rows: T[] = [];
        for (const [text, params] of statements) rows = (await client.query(text, params)).rows as T[];
        await client.query('COMMIT');
        return rows;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async query<T>(text: string, params: unknown[] = []) {
      return (await pool.query(text, params)).rows as T[];
    },
    async interactive(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(async (text, params = []) => (await client.query(text, params)).rows as never);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async withLock(key, fn) {
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock($1)', [key]);
        try {
          return await fn();
        } finally {
          await client.query('SELECT pg_advisory_unlock($1)', [key]);
        }
      } finally {
        client.release();
      }
    },
  };
  const safe = connectionString.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
  return {
    prisma, sql, kind: 'postgres', describe: `PostgreSQL ${safe}`,
    close: async () => { await prisma.$disconnect(); await pool.end().catch(() => undefined); },
  };
}
