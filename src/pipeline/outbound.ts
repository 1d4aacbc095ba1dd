import type { Message, Prisma } from '../generated/prisma/client.js';
import { SendError, type Reply, type SendPurpose } from '../channels/types.js';
import type { AppDeps } from '../deps.js';
import { JobError, enqueueJobs, insertJobsSql, markDoneSql, type JobContext, type JobSpec, type Lane } from '../jobs/queue.js';
import { metrics } from '../metrics.js';
import { coalesced } from '../db/coalesce.js';
import type { SqlRunner } from '../db/open.js';
import pLimit from 'p-limit';
import type { Config } from '../config.js';

// Outbound messages: recorded as Message rows (deliveryStatus 'pending', `cause` naming what produced them)
// in the transaction that decided them, then sent by a 'send:<channel>' job in the channel's own lane of the
// queue (a slow platform holds only its own budget). A reply the channel splits into several platform messages
// is sent part by part, each part recorded (`partsSent`); a retry resumes at the first part not sent, and a part
// whose answer left delivery unknown (timeout, reset, unreadable answer, a crash) is looked up in the platform's
// history before it is sent again. Transient failures are retried with backoff until SEND_DEADLINE_MINUTES, then
// the message is marked undelivered with the last error: never dropped silently.

export interface OutboundSpec {
  conversationId: number;
  channel: string;
  replies: Reply[];
  /** 'bot', 'agent:<username>', 'notification' */
  sentBy: string;
  /** Unique per cause (inbound event, notification, agent action): a retried cause enqueues nothing twice. */
  key: string;
  intent?: string | null;
  /** What the messages are for; the channel picks its message type or tag from it. Default: a reply. */
  purpose?: SendPurpose;
}

export const sendJobKind = (channel: string) => `send:${channel}`;
/** Sends retry until SEND_DEADLINE_MINUTES, not a count of attempts: this only stops a runaway. */
const SEND_MAX_ATTEMPTS = 1000;
/**
 * A channel's lane holds this many send jobs for each platform call it may have in flight (SEND_CONCURRENCY): a job
 * also reads its message and records the outcome, and those waits on the database overlap other jobs' calls.
 */
export const SEND_JOBS_PER_CALL = 2;

/** Each channel's lane of the job queue: a hung platform holds its own budget, never deciding or another channel. */
export function sendLanes(channels: string[], config: Pick<Config, 'SEND_CONCURRENCY'>): Lane[] {
  return channels.map((name) => ({ kinds: [sendJobKind(name)], concurrency: SEND_JOBS_PER_CALL * config.SEND_CONCURRENCY, maxAttempts: SEND_MAX_ATTEMPTS }));
}

/** The job that sends the pending messages of `cause` (its key makes enqueueing it twice harmless). */
export function sendJob(channel: string, cause: string): JobSpec {
  return { kind: sendJobKind(channel), key: `send:${cause}`, payload: { cause } };
}

export function outboundRows(spec: OutboundSpec): Prisma.MessageCreateManyInput[] {
  return spec.replies.map((r) => ({
    conversationId: spec.conversationId, direction: 'out', channel: spec.channel, kind: 'text', text: r.text,
    payload: r as unknown as Prisma.InputJsonValue, intent: spec.intent ?? null, sentBy: spec.sentBy,
    deliveryStatus: 'pending', cause: spec.key, purpose: spec.purpose ?? 'reply',
  }));
}

/**
 * Two members of a WITH clause for plain-SQL callers: `m` inserts the Message rows of the JSON array in `rows`
 * (`outboundRows`, or any Message fields), in order, returning their ids; `j` queues the send jobs of the JSON array
 * in `jobs` (`sendJob`s), each skipped when its key is taken, and returns them. With `claim` and `by` (placeholders of
 * a boolean and an instance id) the jobs go in claimed when `claim` is true (see `JobQueue.insertClaimed`).
 * The arguments are the caller's placeholders.
 */
export function recordOutboundSql(p: { rows: string; jobs: string; claim?: string; by?: string }): string {
  return `m AS (
      INSERT INTO "Message" ("conversationId", direction, channel, "platformMsgId", kind, text, payload, intent, confidence,
        entities, "sentBy", "deliveryStatus", cause, purpose)
      SELECT r."conversationId", r.direction, r.channel, r."platformMsgId", r.kind, r.text, r.payload, r.intent, r.confidence,
        r.entities, r."sentBy", r."deliveryStatus", r.cause, r.purpose
      FROM jsonb_array_elements(${p.rows}::jsonb) WITH ORDINALITY AS t(e, n), jsonb_populate_record(NULL::"Message", t.e) AS r
      ORDER BY t.n RETURNING id
    ), j AS (${insertJobsSql({ rows: p.jobs, claim: p.claim ?? 'false', by: p.by ?? 'NULL' })})`;
}

/** Records the replies and a durable send job for them (agent replies, notifications). */
export async function enqueueOutbound(tx: Prisma.TransactionClient, spec: OutboundSpec): Promise<number[]> {
  const rows = await tx.message.createManyAndReturn({ data: outboundRows(spec), select: { id: true } });
  if (rows.length) {
    await enqueueJobs(tx, [sendJob(spec.channel, spec.key)]);
  }
  return rows.map((r) => r.id);
}

type DeliveryContext = Pick<JobContext, 'id' | 'inDoubt' | 'log' | 'attempts'>;
type PendingRow = Pick<Message, 'id' | 'conversationId' | 'channel' | 'text' | 'payload' | 'createdAt' | 'purpose' | 'partsSent' | 'checkFrom' | 'deliveryError' | 'cause'>
  & { userId: string; lastInboundAt: Date | null; earlier: number | null };
interface Outcome { id: number; status: string; error: string | null; parts: number | null; platformId: string | null; job: number | null }

/**
 * How the sends went ($1 the outcomes, $2 their message ids again as an array) and the send jobs that ended with them
 * ($3, marked done here: no statement of their own): the planner takes any jsonb_to_recordset for 100 rows, so
 * without `= ANY($2)` a few outcomes against a mid-sized message table could be joined by scanning it.
 */
export const FINISH_SENDS_SQL = `WITH done AS (${markDoneSql('$3::int[]')}) UPDATE "Message" m SET "deliveryStatus" = x.status, "deliveryError" = x.error, "checkFrom" = NULL,
    "partsSent" = COALESCE(x.parts, m."partsSent"), "platformMsgId" = COALESCE(m."platformMsgId", x."platformId")
  FROM jsonb_to_recordset($1::jsonb) AS x(id int, status text, error text, parts int, "platformId" text)
  WHERE m.id = x.id AND m.id = ANY($2::int[])`;

/**
 * The two statements every send makes, each shared by the sends that reach it while the previous one runs
 * (`coalesced`): reading what a cause has still to send, and recording how a message went.
 */
function deliveryStatements(sql: SqlRunner) {
  return {
    // One person's messages go out in the order they were written: `earlier` names a message of another cause
    // still pending before this one (read in the same statement).
    pending: coalesced(async (causes: string[]) => {
      const rows = await sql.query<PendingRow>(`SELECT m.id, m."conversationId", m.channel, m.cause,
          m.text, m.payload, m."createdAt" AT TIME ZONE 'UTC' AS "createdAt", m.purpose, m."partsSent",
          m."checkFrom" AT TIME ZONE 'UTC' AS "checkFrom", m."deliveryError", c."userId", c."lastInboundAt" AT TIME ZONE 'UTC' AS "lastInboundAt",
          (SELECT min(e.id) FROM "Message" e WHERE e."conversationId" = m."conversationId" AND e.direction = 'out'
            AND e."deliveryStatus" = 'pending' AND e.id < m.id AND e.cause IS DISTINCT FROM m.cause) AS earlier
        FROM "Message" m JOIN "Conversation" c ON c.id = m."conversationId"
        WHERE m.cause = ANY($1::text[]) AND m.direction = 'out' AND m."deliveryStatus" = 'pending' ORDER BY m.id`, [causes]);
      const byCause = new Map(causes.map((cause) => [cause, [] as PendingRow[]]));
      for (const r of rows) byCause.get(r.cause!)?.push(r);
      return causes.map((cause) => byCause.get(cause)!);
    }),
    finish: coalesced(async (outcomes: Outcome[]) => {
      await sql.query(FINISH_SENDS_SQL, [JSON.stringify(outcomes), outcomes.map((o) => o.id), outcomes.flatMap((o) => (o.job === null ? [] : [o.job]))]);
    }),
  };
}

/**
 * What every send shares: the statements, and each enabled channel's platform calls, at most SEND_CONCURRENCY at once.
 * Only the call holds a place: a send job reads and records its message outside it, so the statements' waits overlap
 * other jobs' round trips.
 */
function delivery(deps: AppDeps) {
  const calls = new Map(Object.keys(deps.channels).map((name) => [name, pLimit(deps.config.SEND_CONCURRENCY)]));
  return {
    ...deliveryStatements(deps.db.sql),
    platform: <T>(channel: string, call: () => Promise<T>): Promise<T> => calls.get(channel)!(call),
  };
}
type Delivery = ReturnType<typeof delivery>;

/**
 * Sends every still-pending message of `cause`, in order; a retryable failure throws JobError. The job (`ctx.id`) is
 * marked done with the last message's outcome: true when it was.
 */
async function deliverPending(deps: AppDeps, st: Delivery, cause: string, ctx: DeliveryContext): Promise<boolean> {
  const pending = await st.pending(cause);
  if (!pending.length) return false;
  const { earlier } = pending[0];
  if (earlier && !pastDeadline(deps, pending[0])) {
    throw new JobError(`waiting for message ${earlier} of the same conversation`, 'retry', retryDelay(deps, ctx.attempts));
  }
  // Only the first message can have been under way when an attempt was interrupted: later ones never started.
  // Every way out of deliverOne but a throw records the message's outcome, so the last one's carries the job's end.
  for (const [i, m] of pending.entries()) {
    await deliverOne(deps, st, m, ctx, { last: i === pending.length - 1, inDoubt: ctx.inDoubt && i === 0 });
  }
  return true;
}

const retryDelay = (deps: AppDeps, attempts: number) =>
  Math.min(deps.config.SEND_RETRY_BASE_MS * 2 ** Math.max(attempts - 1, 0), 10 * 60_000) * (0.8 + Math.random() * 0.4);

const pastDeadline = (deps: AppDeps, m: Pick<PendingRow, 'createdAt'>) =>
  deps.now().getTime() - new Date(m.createdAt).getTime() > deps.config.SEND_DEADLINE_MINUTES * 60_000;

/**
 * Sends one recorded outbound message from its first unsent part and records each part and the outcome; the `last`
 * message of its job marks the job (`ctx.id`) done with its outcome. `inDoubt`: it may have been under way when an
 * attempt was interrupted (its delivery is looked up first).
 */
async function deliverOne(deps: AppDeps, st: Delivery, m: PendingRow, ctx: DeliveryContext,
  { last, inDoubt }: { last: boolean; inDoubt: boolean }): Promise<void> {
  const { sql } = deps.db;
  const channel = deps.channels[m.channel as keyof AppDeps['channels']];
  const finish = (status: string, error: string | null, parts?: number, platformId?: string) =>
    st.finish({ id: m.id, status, error: error?.slice(0, 1000) ?? null, parts: parts ?? null, platformId: platformId ?? null, job: last ? ctx.id : null });
  if (!channel) return void (await finish('failed', `channel ${m.channel} is not enabled`));
  if (pastDeadline(deps, m)) {
    await finish('undelivered', `not delivered within ${deps.config.SEND_DEADLINE_MINUTES} min; last error: ${m.deliveryError ?? 'none'}`);
    ctx.log.warn({ message: m.id, error: m.deliveryError }, 'reply not delivered before its deadline');
    return;
  }
  const reply = m.payload as unknown as Reply;
  let from = m.partsSent;
  // A part whose delivery is unknown (an answer lost, late or unreadable; a crash mid-send) is looked up first.
  if ((inDoubt || m.checkFrom) && channel.wasDelivered) {
    const since = m.checkFrom ?? new Date(new Date(m.createdAt).getTime() - 1000);
    let delivered: boolean;
    try {
      delivered = await st.platform(m.channel, () => channel.wasDelivered!(m.userId, reply, from, new Date(since)));
    } catch (err) {
      // Cannot tell: never resend blind, ask again later.
      const why = `could not check delivery: ${(err as Error).message}`;
      await sql.query(`UPDATE "Message" SET "deliveryError" = $2 WHERE id = $1`, [m.id, why.slice(0, 1000)]);
      throw new JobError(`${m.channel} message ${m.id}: ${why}`, 'retry', retryDelay(deps, ctx.attempts));
    }
    if (delivered) {
      from += 1;
      ctx.log.info({ message: m.id, part: from - 1 }, 'part was already delivered; not sending it again');
    }
  }
  let started = deps.now();
  let firstId: string | undefined;
  try {
    await st.platform(m.channel, () => channel.send(m.userId, reply, {
      purpose: (m.purpose ?? 'reply') as SendPurpose, lastInboundAt: m.lastInboundAt ? new Date(m.lastInboundAt) : null, fromPart: from,
      onPart: async (index, messageId, total) => {
        from = index + 1;
        started = deps.now();
        if (index === 0) firstId = `${m.channel}-out:${messageId}`;
        // The last part is recorded with the outcome below: one write for a message of one part.
        if (from < total) {
          await sql.query(`UPDATE "Message" SET "partsSent" = $2, "checkFrom" = NULL,
            "platformMsgId" = COALESCE("platformMsgId", $3) WHERE id = $1`, [m.id, from, firstId ?? null]);
        }
      },
    }));
    await finish('sent', null, from, firstId);
    metrics.sends.inc({ channel: m.channel, outcome: 'sent', error_kind: '' });
  } catch (err) {
    if (!(err instanceof SendError)) throw err;
    const why = `${err.code ?? ''} ${err.message}`.trim();
    metrics.sends.inc({ channel: m.channel, outcome: err.kind === 'retry' || err.kind === 'token' ? 'retry' : err.kind === 'window' || err.kind === 'recipient' ? 'undelivered' : 'failed', error_kind: err.kind });
    if (err.kind === 'retry' || err.kind === 'token') {
      // Still pending: the last error is kept (the console shows it) and, when delivery is unknown, when it began.
      await sql.query(`UPDATE "Message" SET "partsSent" = $2, "deliveryError" = $3,
        "checkFrom" = $4::timestamptz AT TIME ZONE 'UTC' WHERE id = $1`, [m.id, from, why.slice(0, 1000), err.ambiguous ? started.toISOString() : null]);
      // A request that got no answer at all may still be on its way to the platform: the history is read only
      // after it has had as long again to land, or the check could miss it and the part go out twice.
      const wait = err.retryAfterMs ?? retryDelay(deps, ctx.attempts);
      throw new JobError(`${m.channel} send to ${m.userId}: ${err.message}`, 'retry',
        err.ambiguous && err.extra.unanswered ? Math.max(wait, deps.config.SEND_TIMEOUT_MS) : wait);
    }
    const undelivered = err.kind === 'window' || err.kind === 'recipient';
    await finish(undelivered ? 'undelivered' : 'failed', why, from);
    ctx.log.warn({ message: m.id, code: err.code, kind: err.kind, part: from }, 'reply not delivered');
  }
}

/** The handler of every channel's send jobs (one, so the sends of all channels share their statements). */
export function sendHandler(deps: AppDeps) {
  const st = delivery(deps);
  return async (payload: { cause: string }, ctx: JobContext) =>
    ((await deliverPending(deps, st, payload.cause, ctx)) ? { markedDone: true as const } : undefined);
}
