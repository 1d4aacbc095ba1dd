import { parse, protocol, type PGlite, type QueryOptions, type Results } from '@electric-sql/pglite';

/**
 * Named prepared statements for the embedded database's thread. PGlite's own `query` sends every statement as an
 * unnamed one: six calls into its WebAssembly (parse, describe, bind, describe, execute, sync), and PostgreSQL
 * parses and analyses the text again each time. Here a text seen a second time is prepared once under a name of its
 * own, and each run is one call: bind, describe, execute, sync. Measured by scripts/bench-prepared.ts (the fixed cost
 * of a statement, empty tables): the decision's record statement (decide.ts) 2.3 -> 1.6 ms, a one-table read
 * 0.135 -> 0.09 ms (ratio 0.7); in a quick bench, the sends' statements and the webhooks' insert 15-29 % less time.
 * Each run is still planned for its values (open.ts starts it with plan_cache_mode force_custom_plan: PostgreSQL's own
 * choice of generic plans made the sends' statements three times slower in the bench), so what a name saves is the
 * parsing, the analysis and five of the six calls.
 *
 * Only statements with parameters (the bot's and Prisma's; a one-off text has none), by `secondSighting`; anything
 * else runs as before. A statement the server no longer has (DEALLOCATE, DISCARD) or whose result columns changed under
 * it (DDL at run time) is forgotten and, outside a transaction, prepared and run again; inside one the error stands,
 * as it would for any failed statement.
 */
/** At most this many names per session (the bot's own SQL and Prisma's query shapes are a few dozen). */
export const MAX_NAMED = 200;
/** Texts seen once that are remembered (a few kB each): then forgotten all at once. */
const MAX_COUNTED = 1_000;

/**
 * The rule both databases name statements by (here and `namedStatements` in open.ts): a text not yet named gets a
 * name the second time it is seen, while fewer than `max` are named.
 */
export function secondSighting(max = MAX_NAMED): (text: string, named: number) => boolean {
  const seen = new Set<string>();
  return (text, named) => {
    if (named >= max) return false;
    if (seen.delete(text)) return true;
    if (seen.size >= MAX_COUNTED) seen.clear();
    seen.add(text);
    return false;
  };
}

/** SQLSTATEs of a named statement gone stale: the session no longer has it; its result columns changed under it. */
export const STALE = { gone: '26000', changed: '0A000' } as const;

interface Prepared { name: string; types: number[] }
/** PGlite's internals this uses: the two locks its own query takes, public at run time but not in its types. */
interface Locks {
  _runExclusiveQuery<T>(fn: () => Promise<T>): Promise<T>;
  _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T>;
}

const { serialize } = protocol;
const concat = (parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};
/** What follows every run's bind: the same bytes each time. */
const DESCRIBE_EXECUTE_SYNC = concat([serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync()]);

export type Run = (sql: string, params: unknown[], options: QueryOptions | undefined, tx: { query: PGlite['query'] } | undefined) => Promise<Results>;

export function preparedStatements(pglite: PGlite): { run: Run } {
  const locks = pglite as unknown as Locks;
  const prepared = new Map<string, Prepared>();
  const worth = secondSighting();
  let next = 1;

  const prepare = async (sql: string): Promise<Prepared> => {
    const name = `cchc_${next++}`;
    const messages = await pglite.execProtocolStream(concat([serialize.parse({ name, text: sql }),
      serialize.describe({ type: 'S', name }), serialize.sync()]), { syncToFs: false });
    const p = { name, types: parse.parseDescribeStatementResults(messages) };
    prepared.set(sql, p);
    return p;
  };

  const execute = async (p: Prepared, params: unknown[], options: QueryOptions | undefined): Promise<Results> => {
    // As PGlite's query serialises a value: by the parameter's type, else its text.
    const values = params.map((v, i) => {
      if (v === null || v === undefined) return null;
      const s = options?.serializers?.[p.types[i]] ?? pglite.serializers[p.types[i]];
      return s ? s(v) : String(v);
    });
    const messages = await pglite.execProtocolStream(concat([serialize.bind({ statement: p.name, values }), DESCRIBE_EXECUTE_SYNC]),
      { syncToFs: false });
    return parse.parseResults(messages, pglite.parsers, options)[0];
  };

  const forget = async (sql: string, p: Prepared): Promise<void> => {
    prepared.delete(sql);
    await pglite.execProtocolStream(concat([serialize.close({ type: 'S', name: p.name }), serialize.sync()]), { syncToFs: false })
      .catch(() => undefined);
  };

  const run: Run = async (sql, params, options, tx) => {
    if (!prepared.has(sql) && (!params.length || !worth(sql, prepared.size))) return tx ? tx.query(sql, params, options) : pglite.query(sql, params, options);
    const attempt = async () => {
      const once = () => locks._runExclusiveQuery(async () => execute(prepared.get(sql) ?? await prepare(sql), params, options));
      if (tx) return once();
      const result = await locks._runExclusiveTransaction(once);
      await pglite.syncToFs();
      return result;
    };
    try {
      return await attempt();
    } catch (err) {
      const code = (err as { code?: string }).code;
      const p = prepared.get(sql);
      if (!p || (code !== STALE.gone && code !== STALE.changed)) throw err;
      if (code === STALE.gone) prepared.clear();
      else await locks._runExclusiveQuery(() => forget(sql, p));
      if (tx) throw err;
      return attempt(); // named again
    }
  };

  return { run };
}
