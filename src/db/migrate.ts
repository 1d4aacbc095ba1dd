import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { SqlRunner } from './open.js';
import { MIGRATIONS_DIR, migrationDirectories } from './schema-diff.js';

// Applies prisma/migrations at start-up, recording them in `_prisma_migrations` exactly as
// `prisma migrate deploy` does (sha256 checksums), so either tool can take over.

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;
export const MIGRATION_LOCK_KEY = 72707369;

export class MigrationError extends Error {}

/** Each migration's name, script and checksum, in the order they apply. */
export function migrationScripts(dir = MIGRATIONS_DIR): Array<{ name: string; script: string; checksum: string }> {
  return migrationDirectories(dir).map((name) => {
    const script = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
    return { name, script, checksum: createHash('sha256').update(script).digest('hex') };
  });
}

export async function migrate(sql: SqlRunner, dir = MIGRATIONS_DIR): Promise<string[]> {
  return sql.withLock(MIGRATION_LOCK_KEY, async () => {
    await sql.query(CREATE_TABLE);
    const rows = await sql.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL');
    const done = new Map(rows.map((r) => [r.migration_name, r]));
    const applied: string[] = [];
    for (const { name, script, checksum } of migrationScripts(dir)) {
      const row = done.get(name);
      if (row) {
        if (!row.finished_at) throw new MigrationError(`Migration ${name} failed earlier; fix the database, then mark it rolled back.`);
        if (row.checksum !== checksum) throw new MigrationError(`Migration ${name} was modified after it was applied (checksum differs).`);
        continue;
      }
      await sql.transaction(script, [[
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES ($1, $2, $3, now(), now(), 1)`, [randomUUID(), checksum, name]]]);
      applied.push(name);
    }
    return applied;
  });
}
