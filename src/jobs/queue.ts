import { randomUUID } from 'node:crypto';
import type { Level, Logger } from 'pino';
import type { Database } from '../db/open.js';
import { coalesced } from '../db/coalesce.js';
import type { Prisma } from '../generated/prisma/client.js';

// Durable jobs in the database: processing inbound events, sending replies, notifications.
// At least once, with exponential backoff; a job interrupted by a crash comes back marked `inDoubt`
// so its handler can check what already happened before doing it again.

export interface JobSpec { kind: string; key: string; payload: Prisma.InputJsonValue; runAt?: Date }
export interface JobContext {
  id: number; key: string; attempts: number; inDoubt: boolean;
  /** The job's logger (its id, kind and key bound), made on first use. */
  log: Logger;
  /** Whether `level` is logged, without making the job's logger. */
  logs(level: Level): boolean;
}
/**
 * A handler may mark its job done in its own commit (the decision that recorded its work) and say so with
 * `{ markedDone: true }`: the queue then writes no mark of its own.
 */
export type JobHandler = (payload: any, ctx: JobContext) => Promise<void | { markedDone: true }>;

/** Thrown by a handler: `retry` backs off and tries again, `permanent` records the failure and stops. */
export class JobError extends Error {
  constructor(message: string, readonly kind: 'retry' | 'permanent', readonly retryAfterMs?: number) {
    super(message);
  }
}

type Tx = Pick<Prisma.TransactionClient, 'job'>;
export interface ClaimedJob { id: number; kind: string; key: string; payload: unknown; attempts: number; lastError: string | null }

const INTERRUPTED = 'interrupted';
// A job outlives its lease only if its instance died: sends time out after 10 s, so 30 s is safe.
const LEASE_MS = 30_000;

/**
 * Adds jobs inside the caller's transaction (the one way jobs are inserted outside the webhook's plain-SQL hot
 * path); a key already present is skipped, so writing the same work twice queues it once.
 */
export async function enqueueJobs(tx: Tx, specs: JobSpec[]): Promise<void> {
  if (specs.length === 0) return;
  await tx.job.createMany({
    data: specs.map((s) => ({ kind: s.kind, key: s.key, payload: s.payload, runAt: s.runAt })), // no runAt: the database's now()
    skipDuplicates: true,
  });
}

/**
 * The jobs of a jsonb array of `{ kind, key, payload }` (placeholder `rows`) as an INSERT a caller's statement can
 * end with (after its own data-modifying CTEs, so both commit together). With `claim` (a boolean placeholder) true
 * they are inserted claimed by `by` (a text placeholder), as claim() would leave them. A key already present is
 * skipped. It returns what `JobQueue.insertClaimed` hands to the worker.
 */
export function insertJobsSql(p: { rows: string; claim: string; by: string }): string {
  const claimed = `${p.claim}::boolean`;
  return `INSERT INTO "Job" (kind, key, payload, "updatedAt", status, attempts, "lockedAt", "lockedBy")
    SELECT kind, key, payload, now(), CASE WHEN ${claimed} THEN 'running' ELSE 'pending' END, CASE WHEN ${claimed} THEN 1 ELSE 0 END,
      CASE WHEN ${claimed} THEN now() END, CASE WHEN ${claimed} THEN ${p.by}::text END
    FROM jsonb_to_recordset(${p.rows}::jsonb) AS x(kind text, key text, payload jsonb)
    ON CONFLICT (key) DO NOTHING
    RETURNING id, kind, key, payload, attempts, "lastError"`;
}

/**
 * The UPDATE that marks the jobs of `ids` (an int[] expression) done, as the queue does when a handler returns: a
 * handler's own statement may end with it (as a WITH member) and answer `{ markedDone: true }`.
 */
export const markDoneSql = (ids: string) =>
  `UPDATE "Job" SET status = 'done', "lockedAt" = NULL, "lastError" = NULL, "updatedAt" = now() WHERE id = ANY(${ids})`;

/** Jobs of these kinds run in their own budget (e.g. one per channel's sending), never taking the others' slots. */
export interface Lane { kinds: string[]; concurrency: number; maxAttempts?: number }

export interface QueueOptions { concurrency: number; pollMs?: number; maxAttempts?: number; baseBackoffMs?: number; lanes?: Lane[] }

/**
 * A lane's budget and its kinds as a claim condition (`arg` turns a value into a placeholder). `backlog`: its last
 * claim took all the room it had (or it had none), so more of its jobs may be due: a job of it that ends claims again.
 */
interface LaneState {
  concurrency: number; maxAttempts?: number; inFlight: number; backlog: boolean; kindIs: (arg: (v: unknown) => string) => string;
  /** Counts the times jobs of the lane were inserted pending while it was full (a claim running then may miss them). */
  inserted: number;
}

export class JobQueue {
  readonly instanceId = randomUUID();
  private readonly handlers = new Map<string, JobHandler>();
  private readonly inFlight = new Set<Promise<void>>();
  private running = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private lastSweep = 0;
  /** The default lane (every kind no other lane names, `concurrency`) first, then the configured lanes. */
  private readonly lanes: LaneState[];
  /** The lane of each kind a configured lane names; every other kind runs in the default lane, `lanes[0]`. */
  private readonly laneOfKind = new Map<string, LaneState>();
  private poked = false;
  private first: () => Promise<void> | undefined = () => undefined;

  constructor(private readonly db: Database, private readonly log: Logger, private readonly opts: QueueOptions) {
    const named = (opts.lanes ?? []).flatMap((l) => l.kinds);
    this.lanes = [{ concurrency: opts.concurrency, inFlight: 0, backlog: true, inserted: 0, kindIs: (arg) => `kind <> ALL(${arg(named)}::text[])` }];
    for (const { kinds, concurrency, maxAttempts } of opts.lanes ?? []) {
      // One kind (a channel's sends): an equality the (status, kind, runAt) index returns in order.
      const lane: LaneState = { concurrency, maxAttempts, inFlight: 0, backlog: true, inserted: 0,
        kindIs: kinds.length === 1 ? (arg) => `kind = ${arg(kinds[0])}` : (arg) => `kind = ANY(${arg(kinds)}::text[])` };
      this.lanes.push(lane);
      for (const kind of kinds) this.laneOfKind.set(kind, lane);
    }
  }

  register(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  /** Adds jobs (inside the caller's transaction when given); a key already present is skipped. */
  enqueue(specs: JobSpec[], tx: Tx = this.db.prisma): Promise<void> {
    return enqueueJobs(tx, specs);
  }

  /** Work that goes first: before each claim the worker waits for what this returns (the webhooks' commits). */
  giveWayTo(first: () => Promise<void> | undefined): void {
    this.first = first;
  }

  /**
   * Inserts jobs of `kinds` (one entry per job) with `write`, whose statement ends with `insertJobsSql` (`claim` its
   * value). When the worker runs and every lane they fall in has room for all of them, they are inserted claimed by
   * this instance and run as soon as `write` returns them: no claim statement, no wait for the next pass (the room is
   * held while `write` runs). Otherwise they are inserted pending and the worker is told. A crash leaves claimed ones
   * 'running', like any claimed job: taken back at the next start, or by another instance once their lease expires.
   */
  async insertClaimed(kinds: string[], write: (claim: boolean) => Promise<ClaimedJob[]>): Promise<void> {
    const wanted = new Map<LaneState, number>();
    for (const lane of kinds.map((kind) => this.laneOf(kind))) wanted.set(lane, (wanted.get(lane) ?? 0) + 1);
    const claim = this.running && kinds.length > 0 && [...wanted].every(([lane, n]) => lane.concurrency - lane.inFlight >= n);
    if (claim) for (const [lane, n] of wanted) lane.inFlight += n;
    let jobs: ClaimedJob[] = [];
    try {
      jobs = await write(claim);
    } finally {
      if (claim) {
        for (const [lane, n] of wanted) lane.inFlight -= n;
        for (const job of jobs) this.launch(job, this.laneOf(job.kind));
      }
      // Pending ones, or keys already there (a redelivery: its job may still be pending), are the worker's to claim:
      // at once if their lane has room; a full lane claims them when one of its jobs ends (under a flood, a poke at
      // every group commit made a claim statement that found room only in the other lanes, and nothing there).
      const full = [...wanted.keys()].filter((lane) => lane.inFlight >= lane.concurrency);
      for (const lane of full) {
        lane.backlog = true;
        lane.inserted++;
      }
      if (claim ? jobs.length < kinds.length : kinds.length > 0 && (full.length < wanted.size || !this.running)) this.poke();
    }
  }

  /** Some job is running on this instance. */
  get busy(): boolean {
    return this.inFlight.size > 0;
  }

  /** Wakes the worker now instead of at its next poll (or right after the pass it is making). */
  poke(): void {
    if (this.wake) this.wake();
    else this.poked = true;
  }

  async start(): Promise<void> {
    if (this.running) return;
    await this.recover(this.db.kind !== 'postgres');
    this.running = true;
    this.loop = this.run();
  }

  /** Stops claiming work and waits for the jobs in flight. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Returns interrupted jobs to the queue: all running ones for a single-process database, expired leases otherwise. */
  private async recover(all: boolean): Promise<void> {
    const cutoff = new Date(Date.now() - (all ? -1000 : LEASE_MS));
    const n = await this.db.prisma.job.updateMany({
      where: { status: 'running', lockedAt: { lt: cutoff } },
      data: { status: 'pending', lockedAt: null, lockedBy: null, lastError: INTERRUPTED },
    });
    if (n.count) this.log.warn({ jobs: n.count }, 'resuming jobs interrupted by a restart');
  }

  private async run(): Promise<void> {
    const pollMs = this.opts.pollMs ?? 250;
    while (this.running) {
      this.poked = false;
      // One statement claims for every lane with room (a statement per lane cost a round trip each, mostly for
      // lanes with nothing to do).
      const wants = this.lanes.map((lane) => ({ lane, n: lane.concurrency - lane.inFlight })).filter((w) => w.n > 0);
      let claimed: Array<{ job: ClaimedJob; lane: LaneState }> = [];
      let inserted = this.lanes.map((lane) => lane.inserted);
      if (wants.length) {
        await this.first();
        try {
          if (this.db.kind === 'postgres' && Date.now() - this.lastSweep > LEASE_MS / 4) {
            this.lastSweep = Date.now();
            await this.recover(false);
          }
          inserted = this.lanes.map((lane) => lane.inserted);
          claimed = await this.claim(wants);
        } catch (err) {
          if (!this.running) break;
          this.log.error({ err }, 'claiming jobs failed');
        }
      }
      // A lane that got less than its room has nothing more due: its jobs that end need not claim again (measured at
      // a steady 200 events/s on PostgreSQL: half of all claims found nothing, one statement in five), unless jobs of
      // it were inserted pending while it was full since the claim began (the claim may not have seen them).
      this.lanes.forEach((lane, i) => {
        const want = wants.find((w) => w.lane === lane);
        lane.backlog = !want || claimed.filter((c) => c.lane === lane).length >= want.n || lane.inserted !== inserted[i];
      });
      for (const { job, lane } of claimed) this.launch(job, lane);
      // A lane either took what it had room for or emptied the queue of its kinds: wait for a job to end, a poke or the poll.
      if (!this.poked && this.running) { // stop() may have come during the pass: its wake found no wait
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, pollMs);
          this.wake = () => { clearTimeout(t); resolve(); };
        });
        this.wake = undefined;
      }
    }
  }

  /** Runs a job in its lane; when it ends, the worker claims again if the lane may have more due. */
  private launch(job: ClaimedJob, lane: LaneState): void {
    lane.inFlight++;
    const p = this.execute(job, lane).finally(() => {
      lane.inFlight--;
      this.inFlight.delete(p);
      if (lane.backlog) this.poke();
    });
    this.inFlight.add(p);
  }

  /**
   * Finished jobs are marked done in batches: the jobs that end while a mark is being written share the next one.
   * Handlers are idempotent, so a job whose mark was lost in a crash merely runs again and finds nothing left to do.
   */
  private readonly markDone = coalesced(async (ids: number[]) => {
    await this.db.sql.query(markDoneSql('$1::int[]'), [ids]);
  });

  /**
   * Claims up to `n` due jobs for each lane, oldest first. Each lane reads its own kinds through the
   * (status, kind, runAt) index, so a lane with nothing to do costs nothing however long another lane's backlog.
   */
  private async claim(wants: Array<{ lane: LaneState; n: number }>): Promise<Array<{ job: ClaimedJob; lane: LaneState }>> {
    const params: unknown[] = [this.instanceId];
    const arg = (v: unknown) => `$${params.push(v)}`;
    const picks = wants.map(({ lane, n }, i) => `l${i} AS (SELECT id FROM "Job" WHERE status = 'pending' AND ${lane.kindIs(arg)}
        AND "runAt" <= now() ORDER BY "runAt", id LIMIT ${arg(n)} FOR UPDATE SKIP LOCKED)`);
    const rows = await this.db.sql.query<ClaimedJob>(`WITH ${picks.join(', ')}
      UPDATE "Job" SET status = 'running', "lockedAt" = now(), "lockedBy" = $1, attempts = attempts + 1, "updatedAt" = now()
      WHERE id IN (${wants.map((_, i) => `SELECT id FROM l${i}`).join(' UNION ALL ')})
      RETURNING id, kind, key, payload, attempts, "lastError"`, params);
    return rows.sort((a, b) => a.id - b.id).map((job) => ({ job, lane: this.laneOf(job.kind) }));
  }

  private laneOf(kind: string): LaneState {
    return this.laneOfKind.get(kind) ?? this.lanes[0];
  }

  private async execute(job: ClaimedJob, lane: LaneState): Promise<void> {
    // The job's logger is made when something is logged: a child logger serialises (and redacts) its bindings, and
    // most jobs log nothing (quick bench: ~4 % of the bot thread's allocations were these children).
    let child: Logger | undefined;
    const parent = this.log;
    const ctx: JobContext = {
      id: job.id, key: job.key, attempts: job.attempts, inDoubt: job.lastError === INTERRUPTED,
      get log() { return (child ??= parent.child({ job: job.id, kind: job.kind, key: job.key })); },
      logs: (level) => parent.isLevelEnabled(level),
    };
    const handler = this.handlers.get(job.kind);
    try {
      if (!handler) throw new JobError(`no handler for job kind ${job.kind}`, 'permanent');
      const outcome = await handler(job.payload, ctx);
      if (!outcome?.markedDone) await this.markDone(job.id);
    } catch (err) {
      const e = err instanceof JobError ? err : new JobError((err as Error)?.message ?? String(err), 'retry');
      const max = lane.maxAttempts ?? this.opts.maxAttempts ?? 10;
      const give = e.kind === 'permanent' || job.attempts >= max;
      const base = this.opts.baseBackoffMs ?? 1000;
      const delay = e.retryAfterMs ?? Math.min(base * 2 ** (job.attempts - 1), 10 * 60_000) * (0.8 + Math.random() * 0.4);
      ctx.log[give ? 'error' : 'warn']({ err: e.message, attempts: job.attempts, retryInMs: give ? undefined : Math.round(delay) },
        give ? 'job failed for good' : 'job failed, will retry');
      await this.db.prisma.job.update({
        where: { id: job.id },
        data: give
          ? { status: 'failed', lockedAt: null, lastError: e.message.slice(0, 2000) }
          : { status: 'pending', lockedAt: null, lockedBy: null, runAt: new Date(Date.now() + delay), lastError: e.message.slice(0, 2000) },
      }).catch((updateErr) => ctx.log.error({ err: updateErr }, 'recording the job outcome failed'));
    }
  }
}
