import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Database } from '../db/open.js';
import { metrics } from '../metrics.js';
import { anonymiseCitizen } from './anonymise.js';

// The retention job: deletes, in small batches, what has served its purpose (done jobs, processed webhook events,
// expired console sessions, old rate-limit rows, delivered notices) and anonymises conversations quiet for longer
// than MESSAGE_RETENTION_DAYS. Every instance may run it: the statements are idempotent and batches are small.

const DAY = 86_400_000;
/** Rate windows are at most a day and the previous window still counts: two days covers every limit. */
const RATE_ROWS_KEPT_MS = 2 * DAY;
/** A run stops after this many batches per table; the next run continues. */
const MAX_BATCHES = 50;

export type RetentionDeps = { db: Database; config: Config; log: Logger; now: () => Date };

const TABLES: Array<{ table: string; where: string; cutoff: (deps: RetentionDeps) => Date }> = [
  { table: 'Job', where: `status IN ('done', 'failed') AND "updatedAt" < $1`, cutoff: (d) => daysAgo(d, d.config.RETENTION_DAYS) },
  { table: 'InboundEvent', where: `status <> 'pending' AND "receivedAt" < $1`, cutoff: (d) => daysAgo(d, d.config.RETENTION_DAYS) },
  { table: 'Session', where: `"expiresAt" < $1`, cutoff: (d) => d.now() },
  { table: 'RateCounter', where: `"windowStart" < $1`, cutoff: (d) => new Date(d.now().getTime() - RATE_ROWS_KEPT_MS) },
  { table: 'RateHit', where: `"at" < $1`, cutoff: (d) => new Date(d.now().getTime() - RATE_ROWS_KEPT_MS) },
  { table: 'Notification', where: `status = 'sent' AND "updatedAt" < $1`, cutoff: (d) => daysAgo(d, d.config.RETENTION_DAYS) },
];

/** The tables the job trims: the queue-like ones, whose rows come and go (the embedded vacuum reclaims their space). */
export const RETAINED_TABLES = TABLES.map((t) => t.table);

const daysAgo = (d: RetentionDeps, days: number) => new Date(d.now().getTime() - days * DAY);
const keyOf = (table: string) => (table === 'RateCounter' ? 'ctid' : 'id');

/** One pass over every table; returns how many rows each lost (and how many conversations were anonymised). */
export async function runRetention(deps: RetentionDeps): Promise<Record<string, number>> {
  const { query } = deps.db.sql;
  const batch = deps.config.RETENTION_BATCH_SIZE;
  const counts: Record<string, number> = {};
  for (const t of TABLES) {
    const cutoff = t.cutoff(deps).toISOString();
    const key = keyOf(t.table);
    let total = 0;
    for (let i = 0; i < MAX_BATCHES; i++) {
      const rows = await query<{ n: number }>(`
        WITH gone AS (DELETE FROM "${t.table}" WHERE ${key} IN (
          SELECT ${key} FROM "${t.table}" WHERE ${t.where.replace('$1', '$1::timestamp(3)')} LIMIT ${batch}) RETURNING 1)
        SELECT count(*)::int AS n FROM gone`, [cutoff]);
      const n = Number(rows[0]?.n ?? 0);
      total += n;
      if (n < batch) break;
    }
    counts[t.table] = total;
    if (total) metrics.retention.inc({ table: t.table }, total);
  }
  counts.conversationsAnonymised = await anonymiseQuiet(deps);
  if (Object.values(counts).some((n) => n > 0)) deps.log.info({ retention: counts }, 'retention: old rows deleted, quiet conversations anonymised');
  return counts;
}

async function anonymiseQuiet(deps: RetentionDeps): Promise<number> {
  const days = deps.config.MESSAGE_RETENTION_DAYS;
  if (days === 0) return 0;
  // Quiet past the period, and never anonymised or written to since (anonymising touches updatedAt too).
  const quiet = await deps.db.sql.query<{ channel: string; userId: string }>(`
    SELECT channel, "userId" FROM "Conversation"
    WHERE "updatedAt" < $1::timestamp(3) AND "handoffStatus" IS NULL
      AND ("anonymisedAt" IS NULL OR "anonymisedAt" < "updatedAt" - interval '1 second')
    ORDER BY id LIMIT ${deps.config.RETENTION_BATCH_SIZE}`, [daysAgo(deps, days).toISOString()]);
  for (const c of quiet) await anonymiseCitizen(deps.db, c.channel, c.userId, deps.now(), { onRequest: false });
  if (quiet.length) metrics.retention.inc({ table: 'Conversation' }, quiet.length);
  return quiet.length;
}

/** Runs the job soon after start and every RETENTION_INTERVAL_MINUTES; a failed run is logged and retried next time.
 * Returns the stop function, which waits for a run in progress. */
export function startRetention(deps: RetentionDeps): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const run = () => {
    running = runRetention(deps).catch((err: unknown) => deps.log.error({ err }, 'retention run failed; it runs again at the next interval'));
  };
  const first = setTimeout(run, 30_000);
  const timer = setInterval(run, deps.config.RETENTION_INTERVAL_MINUTES * 60_000);
  first.unref();
  timer.unref();
  return async () => { clearTimeout(first); clearInterval(timer); await running; };
}
