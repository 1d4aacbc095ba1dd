import type { Prisma } from '../generated/prisma/client.js';
import type { InboundMessage } from '../channels/types.js';
import type { ClarificationEvent } from '../bot/context.js';
import type { AppDeps } from '../deps.js';
import type { JobContext } from '../jobs/queue.js';
import type { Query } from '../db/open.js';
import { outboundRows, recordOutboundSql, sendJob } from './outbound.js';
import { metrics } from '../metrics.js';
import { HttpError } from '../http/errors.js';

// Inbound events: stored (idempotently, by platform message id) before the platform gets its 200, then
// understood and answered by a durable 'process' job: one short transaction records what the bot decided
// (replies included), then the replies are sent; after a crash the job resumes the sending.

interface Waiting { messages: InboundMessage[]; resolve: () => void; reject: (err: unknown) => void }
const MAX_BATCH = 256;

/**
 * The longest the worker gives way to webhooks before its next batch or claim: a flood that keeps the commits
 * going still lets a batch of decisions through four times a second.
 */
const IDLE_MAX_WAIT_MS = 250;

/** Group commit: events arriving while a write is in flight are stored together in the next one. */
export class InboundRecorder {
  private waiting: Waiting[] = [];
  private flushing = false;
  /** Group commits done and the webhook requests they stored (their ratio is the batch size). */
  batches = 0;
  events = 0;

  private idleWaiters: Array<() => void> = [];

  constructor(private readonly deps: Pick<AppDeps, 'db' | 'queue' | 'log'>) {}

  /**
   * Undefined when no webhook is waiting for its commit; otherwise resolves once none is, or after `maxWaitMs` (a
   * steady flood keeps the commits going: the worker still gets a turn that often). The worker waits on it before
   * each batch of decisions and each claim: under overload processing slows down, acceptance does not.
   */
  idle(maxWaitMs = IDLE_MAX_WAIT_MS): Promise<void> | undefined {
    if (!this.flushing && this.waiting.length === 0) return undefined;
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, maxWaitMs);
      this.idleWaiters.push(() => { clearTimeout(timer); resolve(); });
    });
  }

  /** Resolves once the messages are stored (or were already): only then may the platform get its 200. */
  record(messages: InboundMessage[]): Promise<void> {
    if (messages.length === 0) return Promise.resolve();
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
        await new Promise<void>((resolve) => setImmediate(resolve));
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
      }
    } finally {
      this.flushing = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      waiters.forEach((w) => w());
    }
    this.deps.queue.poke();
  }

  // Plain SQL on the hot path: two statements per batch, whatever its size (an ORM call costs several times more).
  private async write(messages: InboundMessage[]): Promise<void> {
    const events = messages.map((m) => ({ channel: m.channel, eventId: m.eventId, eventName: m.eventName, body: m, status: m.kind === 'ignored' ? 'ignored' : 'pending' }));
    const jobs = messages.filter((m) => m.kind !== 'ignored')
      .map((m) => ({ kind: 'process', key: `process:${m.channel}:${m.eventId}`, payload: { channel: m.channel, eventId: m.eventId } }));
    await this.deps.db.sql.transaction('', [
      [`INSERT INTO "InboundEvent" (channel, "eventId", "eventName", body, status)
        SELECT channel, "eventId", "eventName", body, status
        FROM jsonb_to_recordset($1::jsonb) AS x(channel text, "eventId" text, "eventName" text, body jsonb, status text)
        ON CONFLICT (channel, "eventId") DO NOTHING`, [JSON.stringify(events)]],
      [`INSERT INTO "Job" (kind, key, payload, "updatedAt")
        SELECT kind, key, payload, now() FROM jsonb_to_recordset($1::jsonb) AS x(kind text, key text, payload jsonb)
        ON CONFLICT (key) DO NOTHING`, [JSON.stringify(jobs)]],
    ], { durable: true }); // the platform's 200 promises the event is kept: this commit waits for the disk
  }
}


/**
 * Decisions in batches: the 'process' jobs claimed together are decided one after the other in ONE transaction
 * (one BEGIN/COMMIT for up to MAX_DECISIONS events, or as many as fit its time budget, instead of one each), one
 * batch at a time. Each batch starts on a new turn of the event loop, so webhook requests already received are
 * read and recorded between two batches.
 * Events of one person keep their order: a batch decides them in the order they were claimed.
 */
const MAX_DECISIONS = 32;

interface Pending { key: { channel: string; eventId: string }; cause: string; ctx: JobContext; resolve: (d: Decided) => void; reject: (err: unknown) => void }
type Decided = Awaited<ReturnType<typeof decideIn>>;

export function processHandler(deps: AppDeps) {
  const waiting: Pending[] = [];
  let running = false;
  const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
  const pump = async () => {
    if (running) return;
    running = true;
    try {
      while (waiting.length) {
        await nextTurn();
        await deps.inbound.idle(); // webhooks first
        const rest = await decideBatch(deps, waiting.splice(0, MAX_DECISIONS));
        waiting.unshift(...rest);
      }
    } finally {
      running = false;
    }
  };
  return async (payload: { channel: string; eventId: string }, ctx: JobContext) => {
    const cause = `${payload.channel}:${payload.eventId}`;
    const decided = await new Promise<Decided>((resolve, reject) => {
      waiting.push({ key: payload, cause, ctx, resolve, reject });
      void pump();
    });
    // The send job was queued in the decision's transaction. Already decided (a redelivery, or an event decided by
    // a version that queued it after the commit): queue it again, harmlessly (its key is taken once).
    if (decided === null) await deps.queue.enqueue([sendJob(payload.channel, cause)]);
    deps.queue.poke();
  };
}

/** Thrown when the bot reaches for the database during the plain-SQL attempt: decide again inside Prisma. */
class NeedsDatabase extends Error {}
const NO_DATABASE = new Proxy({}, { get() { throw new NeedsDatabase('this turn needs the database'); } }) as Prisma.TransactionClient;

/**
 * Most turns (questions about procedures, models, contacts) need nothing from the database but this bookkeeping,
 * done in plain SQL, many events in one transaction. A turn that looks something up or writes (dossiers, tickets,
 * ratings...) is put back and decided alone in a Prisma transaction. If the batch fails, each of its events is
 * decided alone, so one bad event never holds the others back.
 */
async function decideBatch(deps: AppDeps, batch: Pending[]): Promise<Pending[]> {
  // On the embedded database a webhook's commit waits for the whole transaction: a batch stops after a few
  // milliseconds, so an acknowledgement never waits long. A server runs the webhooks' commits alongside.
  const budgetMs = deps.db.kind === 'postgres' ? 200 : 15;
  const started = performance.now();
  let decided: Decided[] = [];
  let alone = false; // the event at decided.length needs the database: decided alone, after this transaction
  try {
    decided = await deps.db.sql.interactive(async (query) => {
      const out: Decided[] = [];
      // The dashboard's counters are added once, at the end, in key order (see message_daily_add_ids).
      await query(`SELECT set_config('cchc.rollup_deferred', 'on', true)`);
      for (const p of batch) {
        if (out.length && performance.now() - started > budgetMs) break;
        try {
          out.push(await decideIn(deps, query, NO_DATABASE, p.key, p.cause, p.ctx));
        } catch (err) {
          if (!(err instanceof NeedsDatabase)) throw err;
          // The claim is the only statement this turn made (the bot asks before it touches anything): undo it.
          await query(`UPDATE "InboundEvent" SET status = 'pending' WHERE channel = $1 AND "eventId" = $2`, [p.key.channel, p.key.eventId]);
          alone = true;
          break;
        }
      }
      const ids = out.flatMap((d) => d?.messageIds ?? []);
      if (ids.length) await query(`SELECT message_daily_add_ids($1::int[])`, [ids]);
      return out;
    });
    if (decided.length) metrics.decisionBatch.observe(decided.length);
  } catch (err) {
    if (batch.length === 1) batch[0].reject(err);
    // Each event alone, in order: the one that failed fails alone.
    else for (const p of batch) await decideAlone(deps, p).then(p.resolve, p.reject);
    return [];
  }
  decided.forEach((d, i) => batch[i].resolve(d));
  let next = decided.length;
  if (alone) {
    const p = batch[next++];
    await decideWithPrisma(deps, p).then(p.resolve, p.reject);
  }
  // The rest go back to the front of the line, in order (one may be the same person's next message).
  return batch.slice(next);
}

/** One event in its own transaction: plain SQL first, Prisma when the turn needs the database. */
async function decideAlone(deps: AppDeps, p: Pending): Promise<Decided> {
  try {
    return await deps.db.sql.interactive((query) => decideIn(deps, query, NO_DATABASE, p.key, p.cause, p.ctx));
  } catch (err) {
    if (!(err instanceof NeedsDatabase)) throw err;
  }
  return decideWithPrisma(deps, p);
}

/** A turn that reads or writes through the bot's data access (dossiers, tickets, ratings...). */
function decideWithPrisma(deps: AppDeps, p: Pending): Promise<Decided> {
  return deps.db.prisma.$transaction(
    (tx) => decideIn(deps, (text, params = []) => tx.$queryRawUnsafe(text, ...params), tx, p.key, p.cause, p.ctx),
    { timeout: 30_000, maxWait: 60_000 });
}

interface ConversationRow { id: number; state: Prisma.JsonValue; pausedUntil: Date | null; handoffStatus: string | null }

/** How sure the answered procedure was, for the review list's close calls: its probability and its lead over the second. */
function closeness(u: NonNullable<Awaited<ReturnType<AppDeps['bot']['handle']>>['understanding']>) {
  if (!u.procedure || u.clarify) return {};
  return { procedureScore: Math.round(u.procedureScore * 1000) / 1000,
    margin: u.procedureRunnerUp > 0 ? Math.round((u.procedureScore / u.procedureRunnerUp) * 100) / 100 : null };
}

/**
 * Claims one event and records what the bot decided (messages, conversation state, the send job) in the caller's
 * transaction; null when the event was already decided (a redelivery never gets a second reply).
 */
async function decideIn(deps: AppDeps, query: Query, tx: Prisma.TransactionClient, key: { channel: string; eventId: string }, cause: string, ctx: JobContext) {
  const now = deps.now();
  // One statement claims the event and upserts (and so locks) its conversation: two events of one user are
  // decided one after the other. Timestamps leave the database with their zone, so no driver reads them
  // in the server's local time.
  const [claimed] = await query<ConversationRow & { body: InboundMessage }>(`WITH ev AS (
      UPDATE "InboundEvent" SET status = 'processed' WHERE channel = $1 AND "eventId" = $2 AND status = 'pending' RETURNING body
    ), conv AS (
      INSERT INTO "Conversation" (channel, "userId", state, "createdAt", "updatedAt")
      SELECT body->>'channel', body->>'userId', '{}'::jsonb, now(), now() FROM ev
      ON CONFLICT (channel, "userId") DO UPDATE SET "updatedAt" = now()
      RETURNING id, state, "pausedUntil" AT TIME ZONE 'UTC' AS "pausedUntil", "handoffStatus"
    ) SELECT ev.body, conv.* FROM ev, conv`, [key.channel, key.eventId]);
  if (!claimed) return null; // already answered: a redelivery never gets a second reply
  const { body: msg, ...conv } = claimed;
  const result = await deps.bot.handle(msg, conv, tx, now);
  const u = result.understanding;
  const inbound: Prisma.MessageCreateManyInput = {
    conversationId: conv.id, direction: 'in', channel: msg.channel, platformMsgId: msg.eventId, kind: msg.kind,
    text: (msg.text ?? msg.payload ?? `[${msg.kind}]`).slice(0, 10_000), sentBy: msg.kind === 'admin_reply' ? 'official' : 'citizen',
    payload: msg as unknown as Prisma.InputJsonValue, intent: u?.intent ?? null, confidence: u?.confidence ?? null,
    entities: u ? { ...u.entities, procedure: u.procedure?.name ?? null, model: u.model?.name ?? null, matched: result.matched ?? null, ...(result.form ? { form: result.form } : {}),
      ...closeness(u) } as unknown as Prisma.InputJsonValue
      : result.form ? { form: result.form } as unknown as Prisma.InputJsonValue : undefined,
  };
  const outbound = outboundRows({ conversationId: conv.id, channel: msg.channel, replies: result.replies, sentBy: 'bot', key: cause, intent: u?.intent });
  // The replies' send job is queued in the same statement: decided and queued together, or neither.
  const send = sendJob(msg.channel, cause);
  const pausedUntil = result.pauseMinutes ? new Date(now.getTime() + result.pauseMinutes * 60_000) : null;
  // The messages in order (the outbound ids are the order the replies are sent in) and the conversation's new state.
  const rows = await query<{ id: number }>(`WITH ${recordOutboundSql({ rows: '$1', kind: '$7', key: '$8', payload: '$9', when: '$10' })}, c AS (
      UPDATE "Conversation" SET state = $3::jsonb, "updatedAt" = now(),
        "lastInboundAt" = CASE WHEN $4::boolean THEN now() ELSE "lastInboundAt" END,
        "pausedUntil" = COALESCE($5::timestamptz AT TIME ZONE 'UTC', "pausedUntil"),
        "handoffStatus" = CASE WHEN $6::boolean THEN 'waiting' ELSE "handoffStatus" END,
        "handoffAt" = CASE WHEN $6::boolean THEN now() ELSE "handoffAt" END
      WHERE id = $2
    ) SELECT * FROM m`, [JSON.stringify([inbound, ...outbound]), conv.id, JSON.stringify(result.state), msg.kind !== 'admin_reply',
    pausedUntil?.toISOString() ?? null, Boolean(result.handoff), send.kind, send.key, JSON.stringify(send.payload), outbound.length > 0]);
  if (result.clarification) metrics.clarifications.inc({ event: result.clarification.event });
  if (result.clarification) await recordClarification(query, msg, result.clarification);
  ctx.log.debug({ intent: u?.intent, replies: result.replies.length }, 'event decided');
  return { messageIds: rows.map((r) => r.id) }; // for the batch's dashboard counters
}

/**
 * "Which procedure?" questions and what citizens did with them, for the review list: a new question closes
 * any earlier one left open (abandoned); a choice or a message about something else closes the open one.
 */
async function recordClarification(query: Query, msg: InboundMessage, c: ClarificationEvent): Promise<void> {
  const latestOpen = `SELECT id FROM "Clarification" WHERE channel = $1 AND "userId" = $2 AND status = 'open' ORDER BY id DESC LIMIT 1`;
  if (c.event === 'asked') {
    await query(`WITH closed AS (
        UPDATE "Clarification" SET status = 'abandoned', "resolvedAt" = now() WHERE channel = $1 AND "userId" = $2 AND status = 'open'
      ) INSERT INTO "Clarification" (channel, "userId", text, aspect, options, status, "createdAt")
      VALUES ($1, $2, $3, $4, $5::jsonb, 'open', now())`, [msg.channel, msg.userId, c.text, c.aspect, JSON.stringify(c.options)]);
  } else if (c.event === 'picked') {
    await query(`UPDATE "Clarification" SET status = 'picked', "pickedProcedureId" = $3, "pickedBy" = $4, "resolvedAt" = now()
      WHERE id = (${latestOpen})`, [msg.channel, msg.userId, c.procedureId, c.by]);
  } else {
    await query(`UPDATE "Clarification" SET status = 'abandoned', "resolvedAt" = now() WHERE id = (${latestOpen})`, [msg.channel, msg.userId]);
  }
}
