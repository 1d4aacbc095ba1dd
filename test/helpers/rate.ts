import type { Database } from '../../src/db/open.js';
import { peekRate } from '../../src/limits/rate-store.js';

/** Hits counted now in the shared rate store under every key starting with `prefix` (sliding windows of `windowMs`). */
export async function usedRate(db: Database, prefix: string, windowMs: number, now: Date): Promise<number> {
  const { query } = db.sql;
  const keys = await query<{ key: string }>('SELECT DISTINCT "key" FROM "RateCounter" WHERE "key" LIKE $1', [`${prefix}%`]);
  let n = 0;
  for (const { key } of keys) n += (await peekRate(query, key, 1, windowMs, now)).count;
  return n;
}
