import type { Prisma } from '../generated/prisma/client.js';

// Rate limits shared by every instance on one database: a row per key and fixed window, incremented by one
// atomic upsert (INSERT ... ON CONFLICT DO UPDATE ... RETURNING), so N instances admit N, not N times N.
// The previous window's count, weighted by how much of it still overlaps the sliding window, smooths the edge
// (no burst of 2N across a window boundary).

/** Runs one parameterised statement: `deps.db.sql.query` on the server path, a Prisma transaction in the bot. */
export type RateQuery = <T>(sql: string, params: unknown[]) => Promise<T[]>;

export interface RateResult {
  allowed: boolean;
  /** Hits counted in the sliding window, this one included. */
  count: number;
  /** When the window has room again (ms since the epoch); meaningful when refused. */
  resetAt: number;
}

const HIT_SQL = `
WITH cur AS (
  INSERT INTO "RateCounter" ("key", "windowStart", "count") VALUES ($1, $2::timestamp(3), 1)
  ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = "RateCounter"."count" + 1
  RETURNING "count"
)
SELECT (SELECT "count" FROM cur) AS cur,
       COALESCE((SELECT "count" FROM "RateCounter" WHERE "key" = $1 AND "windowStart" = $3::timestamp(3)), 0) AS prev`;

const PEEK_SQL = `
SELECT COALESCE((SELECT "count" FROM "RateCounter" WHERE "key" = $1 AND "windowStart" = $2::timestamp(3)), 0) AS cur,
       COALESCE((SELECT "count" FROM "RateCounter" WHERE "key" = $1 AND "windowStart" = $3::timestamp(3)), 0) AS prev`;

function windows(windowMs: number, now: Date) {
  const start = Math.floor(now.getTime() / windowMs) * windowMs;
  const weight = 1 - (now.getTime() - start) / windowMs;
  // ISO strings cast to timestamp: the same UTC instant Prisma stores, whatever the session's time zone.
  return { start, cur: new Date(start).toISOString(), prev: new Date(start - windowMs).toISOString(), weight };
}

function result(row: { cur: unknown; prev: unknown } | undefined, limit: number, windowMs: number, now: Date, counting: boolean): RateResult {
  const { start, weight } = windows(windowMs, now);
  const cur = Number(row?.cur ?? 0);
  const count = Math.floor(Number(row?.prev ?? 0) * weight) + cur;
  return { allowed: counting ? count <= limit : count < limit, count, resetAt: count <= limit ? now.getTime() : start + windowMs };
}

/** Counts one hit of `key`; refused when more than `limit` hits fell in the last `windowMs` (refused hits count too). */
export async function hitRate(query: RateQuery, key: string, limit: number, windowMs: number, now: Date): Promise<RateResult> {
  const w = windows(windowMs, now);
  const rows = await query<{ cur: unknown; prev: unknown }>(HIT_SQL, [key, w.cur, w.prev]);
  return result(rows[0], limit, windowMs, now, true);
}

/** Whether one more hit of `key` would be admitted, without counting it. */
export async function peekRate(query: RateQuery, key: string, limit: number, windowMs: number, now: Date): Promise<RateResult> {
  const w = windows(windowMs, now);
  const rows = await query<{ cur: unknown; prev: unknown }>(PEEK_SQL, [key, w.cur, w.prev]);
  return result(rows[0], limit, windowMs, now, false);
}

/** The same store through a Prisma (transaction) client, for code that already holds one. */
export const prismaRateQuery = (tx: Pick<Prisma.TransactionClient, '$queryRawUnsafe'>): RateQuery =>
  (sql, params) => tx.$queryRawUnsafe(sql, ...params);
