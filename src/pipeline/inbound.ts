import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { InboundMessage } from '../channels/types.js';
import type { AppDeps } from '../deps.js';
import { insertJobsSql, type ClaimedJob } from '../jobs/queue.js';
import { HttpError } from '../http/errors.js';

// Inbound events: stored (idempotently, by platform message id) before the platform gets its 200, then
// understood and answered by a durable 'process' job (./decide.ts): one statement records what the bot
// decided (replies included), then the replies are sent; after a crash the job resumes the sending.

interface Waiting { messages: InboundMessage[]; resolve: () => void; reject: (err: unknown) => void }
const MAX_BATCH = 256;

/**
 * The longest the worker gives way to webhooks before its next batch or claim: a flood that keeps the commits
 * going still lets a batch of decisions through about twice a second. Each batch holds the embedded database for its
 * statements, and every webhook waits for it: quick benches, embedded, alternating, the same hour (7 December), 600
 * against 250 ms: accepted 55-83 % against 35-49 % of express, replied 366-512 against 336-392 per s, burst ack p99
 * 428-542 against 452-536 ms, event -> reply p99 at 200/s unchanged (no flood); 1,000 ms: no more accepted, a
 * slower burst.
 */
const IDLE_MAX_WAIT_MS = 600;
/** Webhooks waiting for their commit from which on the worker waits for the recorder to be idle (see idle()). */
const FLOOD = 16;
/** Connections opened within 100 ms from which on the worker gives its turns to the server (see noteConnection()). */
const ACCEPTING = 8;
/** The longest a group commit waits for more requests while a burst of connections is accepted. */
const BURST_GATHER_MS = 20;

/** Group commit: events arriving while a write is in flight are stored together in the next one. */
export class InboundRecorder {
  private waiting: Waiting[] = [];
  private flushing = false;
  /** Group commits done and the webhook requests they stored or refused (their ratio is the batch size). */
  batches = 0;
  events = 0;
  /** Webhook requests handed to record() so far. */
  private received = 0;
  private idleWaiters: Array<{ upTo: number; resolve: () => void }> = [];

  /** When the last ACCEPTING connections were opened (oldest first). */
  private opened: number[] = [];

  constructor(private readonly deps: Pick<AppDeps, 'db' | 'queue' | 'log'>) {}

  /**
   * The webhook routes call this for the first webhook of each connection. Node accepts one connection per turn of
   * the event loop: a burst of new connections waits in the kernel's queue for as many turns, so while they keep
   * coming the worker's turns are what delays them (measured: a server busy 5 ms per turn answered a burst of 1,300
   * new connections with p99 7.6 s, an idle one 0.5 s). Other clients (the console, the status feed) do not count:
   * their requests are not held up by the worker's turns in the same way and their work must not be held back.
   */
  noteConnection(): void {
    this.opened.push(performance.now());
    if (this.opened.length > ACCEPTING) this.opened.shift();
  }

  /** Connections are being opened one per turn: ACCEPTING of them within the last 100 ms, the last one just now. */
  private accepting(): boolean {
    const now = performance.now();
    return this.opened.length === ACCEPTING && now - this.opened[0] < 100 && now - this.opened[ACCEPTING - 1] < 20;
  }

  /** Some webhook is waiting for its commit. */
  get busy(): boolean {
    return this.received > this.events;
  }

  /**
   * Undefined when no webhook is waiting for its commit and no burst of connections is being accepted; otherwise
   * resolves once the webhooks received until now are stored (the ones that come later do not hold it back), or
   * after `maxWaitMs`. Under a flood (FLOOD webhooks waiting, or connections being opened one per turn) it waits
   * until the recorder is idle and the connections stop coming. The worker waits on it before each batch of
   * decisions and each claim: under overload processing slows down, acceptance does not.
   */
  idle(maxWaitMs = IDLE_MAX_WAIT_MS): Promise<void> | undefined {
    const backlog = this.received - this.events;
    if (this.accepting()) return this.whileAccepting(maxWaitMs);
    if (backlog === 0) return undefined;
    // A flood (a burst, or more than the bot can answer): the worker also waits for the webhooks that keep coming.
    const upTo = backlog >= FLOOD ? Infinity : this.received;
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, maxWaitMs);
      this.idleWaiters.push({ upTo, resolve: () => { clearTimeout(timer); resolve(); } });
    });
  }

  /** Gives the turns to the server while it accepts a burst: looks again every few milliseconds. */
  private async whileAccepting(maxWaitMs: number): Promise<void> {
    const until = performance.now() + maxWaitMs;
    while (performance.now() < until && (this.accepting() || this.flushing)) await sleep(5);
  }

  /** Resolves once the messages are stored (or were already): only then may the platform get its 200. */
  record(messages: InboundMessage[]): Promise<void> {
    if (messages.length === 0) return Promise.resolve();
    this.received++;
    return new Promise((resolve, reject) => {
      this.waiting.push({ messages, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      for (;;) {
        // Let the requests the server has already received reach record() first: one commit (and one fsync)
        // for all of them. Without this turn the first event of a burst was written alone, and the next ones
        // were parsed only after its commit: every batch had one event.
        await nextTurn();
        // While a burst of connections is accepted one per turn, a commit per turn would cost each turn its fsync:
        // the requests of a few milliseconds go in one.
        const until = performance.now() + BURST_GATHER_MS;
        while (this.accepting() && performance.now() < until) await sleep(2);
        if (!this.waiting.length) break;
        const batch = this.waiting.splice(0, MAX_BATCH);
        try {
          await this.write(batch.flatMap((b) => b.messages));
          batch.forEach((b) => b.resolve());
        } catch (err) {
          // Nothing was kept (disk full, database down...): the platform is told to send it again later.
          this.deps.log.error({ err, events: batch.length }, 'storing inbound events failed; answering 503');
          const unavailable = new HttpError(503, { error: 'cannot store the event now; send it again later' });
          unavailable.retryAfterS = 5;
          batch.forEach((b) => b.reject(unavailable));
        }
        this.batches++;
        this.events += batch.length;
        const ready = this.idleWaiters.filter((w) => w.upTo <= this.events);
        this.idleWaiters = this.idleWaiters.filter((w) => w.upTo > this.events);
        ready.forEach((w) => w.resolve());
      }
    } finally {
      this.flushing = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      waiters.forEach((w) => w.resolve());
    }
  }

  /**
   * Plain SQL on the hot path: one statement per batch, whatever its size (an ORM call costs several times more),
   * so on PostgreSQL one round trip (measured at a steady 200 events/s: ack p50 / p99 19 / 89 ms with BEGIN, two
   * INSERTs and COMMIT; see README). The 'process' jobs go in claimed when the worker has room for them
   * (`JobQueue.insertClaimed`): no claim statement, one in three of all statements at a steady rate. Pending
   * ones are due at once: the worker is told at each commit when their lane has room (a full lane takes them as its
   * jobs end), not once a steady stream of webhooks stops.
   */
  private async write(messages: InboundMessage[]): Promise<void> {
    const { queue, db } = this.deps;
    const events = messages.map((m) => ({ channel: m.channel, eventId: m.eventId, eventName: m.eventName, body: m, status: m.kind === 'ignored' ? 'ignored' : 'pending' }));
    const jobs = messages.filter((m) => m.kind !== 'ignored')
      .map((m) => ({ kind: 'process', key: `process:${m.channel}:${m.eventId}`, payload: { channel: m.channel, eventId: m.eventId, userId: m.userId } }));
    await queue.insertClaimed(jobs.map((j) => j.kind), (claim) => db.sql.transaction<ClaimedJob>('', [
      [`WITH stored AS (
          INSERT INTO "InboundEvent" (channel, "eventId", "eventName", body, status)
          SELECT channel, "eventId", "eventName", body, status
          FROM jsonb_to_recordset($1::jsonb) AS x(channel text, "eventId" text, "eventName" text, body jsonb, status text)
          ON CONFLICT (channel, "eventId") DO NOTHING
        ) ${insertJobsSql({ rows: '$2', claim: '$3', by: '$4' })}`, [JSON.stringify(events), JSON.stringify(jobs), claim, queue.instanceId]],
    ], { durable: true })); // the platform's 200 promises the event is kept: this commit waits for the disk
  }
}
