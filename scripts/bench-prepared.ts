// What a named prepared statement saves (src/db/prepared.ts on the embedded database, node-postgres's named
// statements on the server): the decision's record statement and a one-table read, each run N times unnamed and
// named, in alternating rounds in one process (compare the ratio, not the times), on an empty migrated database.
// Usage: npm run bench:prepared [-- --rounds 3]
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { migrationScripts } from '../src/db/migrate.js';
import { CUSTOM_PLANS, SERVER_OPTIONS } from '../src/db/open.js';
import { preparedStatements } from '../src/db/prepared.js';
import { RECORD_AS_READ_SQL } from '../src/pipeline/decide.js';
import { createPgDatabase } from '../test/helpers/db.js';

const ROUNDS = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 3;
const migrations = migrationScripts().map((m) => m.script);
const db = new PGlite({ startParams: [...PGlite.defaultStartParams, ...CUSTOM_PLANS] });
for (const m of migrations) await db.exec(m);
await db.exec("SET TIME ZONE 'UTC'"); // as embedded-thread.ts
const { run } = preparedStatements(db);
const server = await createPgDatabase();
const client = new pg.Client({ connectionString: server.url, options: SERVER_OPTIONS });
await client.connect();
for (const m of migrations) await client.query(m);
const names = new Map<string, string>();
const name = (sql: string) => names.get(sql) ?? names.set(sql, `s${names.size + 1}`).get(sql)!;

// Nothing to claim: the statement is parsed, planned and run over empty inputs (its fixed cost).
const record: unknown[] = ['[]', '[]', '[]', [], true, 'bench', [], [], [], [], [], [], [], [], [], [], [], [1], ['zalo'], ['e1'], [1], ['x']];
const read: unknown[] = ['zalo', 'u1'];
const cases = [
  { name: 'record statement', sql: RECORD_AS_READ_SQL, params: record, n: 300 },
  { name: 'one-table read', sql: 'SELECT id, state FROM "Conversation" WHERE channel = $1 AND "userId" = $2', params: read, n: 2000 },
];
type Way = (sql: string, p: unknown[]) => Promise<unknown>;
const databases: Record<string, { unnamed: Way; named: Way }> = {
  embedded: { unnamed: (sql, p) => db.query(sql, p), named: (sql, p) => run(sql, p, undefined, undefined) },
  postgres: { unnamed: (sql, p) => client.query(sql, p), named: (sql, p) => client.query({ name: name(sql), text: sql, values: p }) },
};

const results: Record<string, { unnamed: number[]; named: number[] }> = {};
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const [database, ways] of Object.entries(databases)) {
      for (const c of cases) {
        for (const [way, fn] of Object.entries(ways) as Array<['unnamed' | 'named', Way]>) {
          const started = performance.now();
          for (let i = 0; i < c.n; i++) await fn(c.sql, c.params);
          ((results[`${database}: ${c.name}`] ??= { unnamed: [], named: [] })[way]).push((performance.now() - started) / c.n);
        }
      }
    }
  }
} finally {
  await client.end();
  await server.drop();
  await db.close();
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [statement, r] of Object.entries(results)) {
  const [u, n] = [median(r.unnamed), median(r.named)];
  console.log(JSON.stringify({ statement, unnamedMs: +u.toFixed(3), namedMs: +n.toFixed(3), ratio: +(n / u).toFixed(2) }));
}
