import type { Message, Prisma } from '../generated/prisma/client.js';
import type { InboundMessage } from '../channels/types.js';
import type { ClarificationEvent } from '../bot/context.js';
import type { AppDeps } from '../deps.js';
import type { JobContext } from '../jobs/queue.js';
import type { Query } from '../db/open.js';
import { deliverOne, deliverPending, outboundRows } from './outbound.js';

// Inbound events: stored (idempotently, by platform message id) before the platform gets its 200, then
// understood and answered by a durable 'process' job: one short transaction records what the bot decided
// (replies included), then the replies are sent; after a crash the job resumes the sending.

interface Waiting { messages: InboundMessage[]; resolve: () => void; reject: (err: unknown) => void }
const MAX_BATCH = 256;

/** Group commit: events arriving while a write is in flight are stored together in the next one. */
export class InboundRecorder {
  private waiting: Waiting[] = [];
  private flushing = false;
  /** Group commits done and the webhook requests they stored (their ratio is the batch size). */
  batches = 0;
  events = 0;

  constructor(private readonly deps: Pick<AppDeps, 'db' | 'queue'>) {}

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
          batch.forEach((b) => b.reject(err));
        }
        this.batches++;
        this.events += batch.length;
      }
    } finally {
      this.flushing = false;
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
 * Lets one decision transaction run at a time: webhooks' inserts then wait for at most one of them. Each decision
 * starts on a new turn of the event loop, so webhook requests already received are read and recorded between two
 * decisions; chained directly, a backlog of decisions ran back to back and acks waited for all of them.
 */
class Gate {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(() => new Promise<void>((resolve) => setImmediate(resolve))).then(fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

export function processHandler(deps: AppDeps) {
  const gate = new Gate();
  return async (payload: { channel: string; eventId: string }, ctx: JobContext) => {
    const cause = `${payload.channel}:${payload.eventId}`;
    const decided = await gate.run(() => decide(deps, payload, cause, ctx));
    if (decided) {
      for (const m of decided.outbound) await deliverOne(deps, m, decided.userId, ctx);
    } else {
      // Already decided: a redelivery, or a crash interrupted the sending of the answer.
      await deliverPending(deps, cause, ctx);
    }
  };
}

interface ConversationRow { id: number; state: Prisma.JsonValue; pausedUntil: Date | null; handoffStatus: string | null }
type OutboundRow = Pick<Message, 'id' | 'direction' | 'channel' | 'text' | 'payload' | 'createdAt'>;

/** Thrown when the bot reaches for the database during the plain-SQL attempt: decide again inside Prisma. */
class NeedsDatabase extends Error {}
const NO_DATABASE = new Proxy({}, { get() { throw new NeedsDatabase('this turn needs the database'); } }) as Prisma.TransactionClient;

/**
 * Records the bot's decision for one event atomically with claiming it. Most turns (questions about
 * procedures, models, contacts) need nothing from the database but this bookkeeping, done in plain SQL;
 * a turn that looks something up or writes (dossiers, tickets, ratings...) runs again in a Prisma transaction.
 */
async function decide(deps: AppDeps, key: { channel: string; eventId: string }, cause: string, ctx: JobContext) {
  try {
    return await deps.db.sql.interactive((query) => decideIn(deps, query, NO_DATABASE, key, cause, ctx));
  } catch (err) {
    if (!(err instanceof NeedsDatabase)) throw err;
  }
  return deps.db.prisma.$transaction(
    (tx) => decideIn(deps, (text, params = []) => tx.$queryRawUnsafe(text, ...params), tx, key, cause, ctx),
    { timeout: 30_000, maxWait: 60_000 });
}

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
    entities: u ? { ...u.entities, procedure: u.procedure?.name ?? null, model: u.model?.name ?? null, matched: result.matched ?? null, ...(result.form ? { form: result.form } : {}) } as unknown as Prisma.InputJsonValue
      : result.form ? { form: result.form } as unknown as Prisma.InputJsonValue : undefined,
  };
  const outbound = outboundRows({ conversationId: conv.id, channel: msg.channel, replies: result.replies, sentBy: 'bot', key: cause, intent: u?.intent });
  const pausedUntil = result.pauseMinutes ? new Date(now.getTime() + result.pauseMinutes * 60_000) : null;
  // The messages in order (the outbound ids are the order the replies are sent in) and the conversation's new state.
  const rows = await query<OutboundRow>(`WITH m AS (
      INSERT INTO "Message" ("conversationId", direction, channel, "platformMsgId", kind, text, payload, intent, confidence,
        entities, "sentBy", "deliveryStatus", cause)
      SELECT r."conversationId", r.direction, r.channel, r."platformMsgId", r.kind, r.text, r.payload, r.intent, r.confidence,
        r.entities, r."sentBy", r."deliveryStatus", r.cause
      FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(e, n), jsonb_populate_record(NULL::"Message", t.e) AS r
      ORDER BY t.n RETURNING id, direction, channel, text, payload, "createdAt" AT TIME ZONE 'UTC' AS "createdAt"
    ), c AS (
      UPDATE "Conversation" SET state = $3::jsonb, "updatedAt" = now(),
        "lastInboundAt" = CASE WHEN $4::boolean THEN now() ELSE "lastInboundAt" END,
        "pausedUntil" = COALESCE($5::timestamptz AT TIME ZONE 'UTC', "pausedUntil"),
        "handoffStatus" = CASE WHEN $6::boolean THEN 'waiting' ELSE "handoffStatus" END,
        "handoffAt" = CASE WHEN $6::boolean THEN now() ELSE "handoffAt" END
      WHERE id = $2
    ) SELECT * FROM m`, [JSON.stringify([inbound, ...outbound]), conv.id, JSON.stringify(result.state), msg.kind !== 'admin_reply',
    pausedUntil?.toISOString() ?? null, Boolean(result.handoff)]);
  if (result.clarification) await recordClarification(query, msg, result.clarification);
  ctx.log.debug({ intent: u?.intent, replies: result.replies.length }, 'event decided');
  return { userId: msg.userId, outbound: rows.filter((r) => r.direction === 'out').sort((a, b) => a.id - b.id) };
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
