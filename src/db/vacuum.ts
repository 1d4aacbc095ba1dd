import type { Logger } from 'pino';
import type { Database } from './open.js';
import { metrics } from '../metrics.js';
import { RETAINED_TABLES } from '../retention/job.js';

/**
 * The embedded database (PGlite) has no autovacuum: without this, every updated or deleted row stays on disk and in
 * the indexes for good. The database only grows, and each claim of a job walks the dead entries of the pending ones
 * (measured after a quick bench: a job claim 3.8 -> 1.5 ms, a send's read of its messages 3.6 -> 2.3 ms after one
 * VACUUM), and the planner has no statistics (the dashboard's roll-up of a batch 4.8 -> 1.3 ms once it had them).
 * So an instance on the embedded database vacuums the queue tables every minute (small: retention keeps them so),
 * and every table that changes, with ANALYZE, every hour. The hourly pass is the costly one, and PGlite runs it on
 * the bot's thread: measured with a million messages, VACUUM "Message" after a minute's 6,000 new messages took
 * 0.85 s and ANALYZE 0.5-0.6 s, a stall of the webhooks' answers once an hour. A server's autovacuum does all this on
 * its own processes, so on PostgreSQL nothing runs here.
 */
// The queue tables are those the retention job trims (jobs, webhook events, notices, rate rows, sessions).
const CHURNING_TABLES = [...RETAINED_TABLES, 'Message', 'Conversation', 'Clarification', 'Handoff'];
const VACUUM_EVERY_MS = 60_000;
/** Every this many passes, all of CHURNING_TABLES with ANALYZE (the first pass included). */
const FULL_EVERY = 60;
/**
 * A table is analysed once it holds this many rows. Statistics of an empty or nearly empty table are worse than none:
 * with the tables analysed empty at start, recording a batch of decisions took 19 ms instead of 5-9 (the planner
 * expects no conversations and scans them all).
 */
const ANALYSE_FROM_ROWS = 1000;

/** One pass: each table in its own statement, so webhooks are stored between two of them. */
export async function vacuumEmbedded(db: Pick<Database, 'kind' | 'sql'>, { tables = CHURNING_TABLES, analyse = true } = {}): Promise<number> {
  if (db.kind === 'postgres') return 0;
  const started = performance.now();
  for (const table of tables) {
    const analyseIt = analyse && (await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM "${table}" LIMIT ${ANALYSE_FROM_ROWS}) x`))[0].n >= ANALYSE_FROM_ROWS;
    await db.sql.query(`VACUUM ${analyseIt ? '(ANALYZE) ' : ''}"${table}"`);
  }
  const ms = performance.now() - started;
  metrics.embeddedVacuum.observe(ms / 1000);
  return ms;
}

/** How often the timer looks whether a pass is due and the bot is quiet. */
const LOOK_EVERY_MS = 5_000;
/** A pass waits for a moment without webhooks or jobs at most this long (a steady load has none). */
const WAIT_FOR_QUIET_MS = 10 * 60_000;

/**
 * On the embedded database: the queue tables every minute, all of them with ANALYZE at the first pass and hourly.
 * A due pass waits for a moment when no webhook waits for its commit and no job runs (up to WAIT_FOR_QUIET_MS):
 * run in the middle of a flood, the first pass held the bot's thread for 0.5 s (a full bench's ack p99 at 200/s
 * embedded 841 ms, event-loop delay max 493 ms).
 */
export function startEmbeddedVacuum(deps: { db: Database; log: Logger; busy: () => boolean },
  { everyMs = VACUUM_EVERY_MS, lookMs = LOOK_EVERY_MS, waitForQuietMs = WAIT_FOR_QUIET_MS } = {}): () => Promise<void> {
  if (deps.db.kind === 'postgres') return async () => {};
  let running: Promise<unknown> | undefined;
  let passes = 0;
  let last = performance.now();
  let dueSince: number | undefined;
  const timer = setInterval(() => {
    const now = performance.now();
    if (running || now - last < everyMs) return;
    dueSince ??= now;
    if (deps.busy() && now - dueSince < waitForQuietMs) return;
    const full = passes++ % FULL_EVERY === 0;
    running = vacuumEmbedded(deps.db, full ? {} : { tables: RETAINED_TABLES, analyse: false })
      .then((ms) => deps.log.debug({ ms: Math.round(ms), full }, 'embedded database vacuumed'))
      .catch((err: unknown) => deps.log.warn({ err }, 'vacuuming the embedded database failed; it runs again in a minute'))
      .finally(() => { running = undefined; last = performance.now(); dueSince = undefined; });
  }, lookMs);
  timer.unref();
  return async () => { clearInterval(timer); await running; };
}
