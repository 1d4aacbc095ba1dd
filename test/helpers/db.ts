import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { prepareDatabase } from '../../src/db/prepare.js';
import type { Database } from '../../src/db/open.js';

// Test databases: in-memory PGlite, and a fresh database on the PostgreSQL server (TEST_PG_URL, default the
// local server CI starts) for the production path. Each PostgreSQL test database is dropped afterwards.

export const TEST_PG_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const DB_KINDS = ['pglite', 'postgres'] as const;
export type DbKind = (typeof DB_KINDS)[number];

export async function createPgDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `t_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: TEST_PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface TestDb { db: Database; url: string; close: () => Promise<void> }

/** A migrated database with the sample knowledge base. */
export async function openTestDb(kind: DbKind, opts: { seed?: boolean } = {}): Promise<TestDb> {
  if (kind === 'pglite') {
    const db = await prepareDatabase('memory:', { seed: opts.seed ?? true });
    return { db, url: 'memory:', close: () => db.close() };
  }
  const { url, drop } = await createPgDatabase();
  const db = await prepareDatabase(url, { seed: opts.seed ?? true });
  return { db, url, close: async () => { await db.close(); await drop(); } };
}
