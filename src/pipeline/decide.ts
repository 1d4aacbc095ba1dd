import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Prisma } from '../generated/prisma/client.js';
import type { InboundMessage } from '../channels/types.js';
import type { AppDeps } from '../deps.js';
import { markDoneSql, type ClaimedJob, type JobContext } from '../jobs/queue.js';
import type { Query } from '../db/open.js';
import { outboundRows, recordOutboundSql, sendJob, sendJobKind } from './outbound.js';
import { metrics } from '../metrics.js';
import type { Foreseen } from '../nlu/thread-client.js';

// The 'process' job of an inbound event (queued with it by ./inbound.ts): the bot understands it and decides the
// replies, which are recorded with their send job in the same transaction.

/**
 * Decisions in batches: the 'process' jobs claimed together are decided in ONE transaction (one BEGIN/COMMIT for up
 * to LIMITS' events, or as many as fit its time budget, instead of one each), with one statement that claims every
 * event of the batch and one that records every decision. Each batch starts on a new turn of the event loop, so
 * webhook requests already received are read and recorded between two batches. A batch holds one event per person;
 * a person's later events wait for the next batch, in order. `batches`: how many may be under way at once (the
 * second only for a backlog, and never with an event of someone the first holds).
 */
interface BatchLimits { events: number; budgetMs: number; batches: number }
/**
 * On the embedded database a webhook's commit waits for any transaction running: the batch is decided outside one
 * (decideThenRecord), and its budget bounds how long the replies of its first events wait for its last; a larger
 * batch shares the statements of its read and record among more events (quick bench, the same hour: 16 events /
 * 30 ms replied 186-195/s, 32 / 60 ms 203-257/s, ack p99 at 200/s 48-109 against 94-153 ms). A server runs the
 * webhooks' commits alongside the batch's transaction.
 * Embedded, two batches may be under way: while one waits for its read or its record (the database's thread), the
 * other decides on the bot's thread (quick benches, alternating: replied after the load stopped 632-669/s with one,
 * 639-793/s with two). On a server too, since its messages are understood on the NLU thread (nlu/thread-client.ts):
 * while one batch waits for that thread or the server, the other decides (quick benches, alternating: replied after
 * the load stopped 991-996/s with one, 1,045-1,052/s with two). Two batches' transactions hold disjoint people and
 * lock the dashboard's counters in key order, at their record statement only (as two instances do).
 */
const LIMITS: Record<'postgres' | 'embedded', BatchLimits & { decide: typeof decideBatch }> = {
  postgres: { events: 32, budgetMs: 100, batches: 2, decide: decideBatch }, embedded: { events: 32, budgetMs: 50, batches: 2, decide: decideThenRecord } };

interface EventKey { channel: string; eventId: string; userId?: string }
interface Pending {
  key: EventKey; cause: string; ctx: JobContext; resolve: (d: Decided) => void; reject: (err: unknown) => void;
  /** Whose event it is (a job queued by an older version names no person: it is its own). */
  who: string;
  /** Decided once already, and its conversation had changed before the decision was recorded (decideThenRecord). */
  raced?: boolean;
}
/**
 * The ids of the messages a decision recorded (for the dashboard's counters) and whether its send job went in claimed
 * (it runs already: nothing for the worker to claim); null when the event was already decided. A decision recorded
 * marks its own 'process' job done in the same statement.
 */
type Decided = { messageIds: number[]; sending: boolean } | null;

export function processHandler(deps: AppDeps) {
  let waiting: Pending[] = [];
  let pumps = 0;
  /** The people with an event in a batch under way: their later events wait for it (order, and the state it leaves). */
  const busy = new Set<string>();
  const limits = LIMITS[deps.db.kind === 'postgres' ? 'postgres' : 'embedded'];
  /** Takes the first `n` waiting events of people with no batch under way, in order; the others keep their places. */
  const takeHead = (n: number): Pending[] => {
    const head: Pending[] = [];
    const left: Pending[] = [];
    for (const p of waiting) (head.length < n && !busy.has(p.who) ? head : left).push(p);
    waiting = left;
    return head;
  };
  const pump = async () => {
    // A batch beside the one under way only for a backlog (a full batch waiting): a steady trickle gains nothing by it.
    if (pumps >= limits.batches || (pumps > 0 && waiting.length < limits.events)) return;
    pumps++;
    try {
      while (waiting.length) {
        await nextTurn();
        await deps.inbound.idle(); // webhooks first
        const head = takeHead(limits.events);
        if (!head.length) break; // all theirs: the batch under way takes them up when it ends
        const people = new Set(head.map((p) => p.who));
        for (const who of people) busy.add(who);
        let rest: Pending[];
        try {
          rest = await limits.decide(deps, head, limits.budgetMs);
        } finally {
          for (const who of people) busy.delete(who);
        }
        waiting = [...rest, ...waiting];
        void pump(); // another batch may start beside this one
      }
    } finally {
      pumps--;
    }
  };
  return async (payload: EventKey, ctx: JobContext): Promise<void | { markedDone: true }> => {
    const cause = `${payload.channel}:${payload.eventId}`;
    const decided = await new Promise<Decided>((resolve, reject) => {
      const who = payload.userId === undefined ? `event:${cause}` : `${payload.channel}:${payload.userId}`;
      waiting.push({ key: payload, cause, ctx, resolve, reject, who });
      void pump();
    });
    // The send job was queued in the decision's transaction. Already decided (a redelivery, or an event decided by
    // a version that queued it after the commit): queue it again, harmlessly (its key is taken once).
    if (decided === null) await deps.queue.enqueue([sendJob(payload.channel, cause)]);
    if (!decided?.sending) deps.queue.poke();
    if (decided) return { markedDone: true };
  };
}

/** Thrown when the bot reaches for the database during the plain-SQL attempt: decide again inside Prisma. */
class NeedsDatabase extends Error {}
const NO_DATABASE = new Proxy({}, { get() { throw new NeedsDatabase('this turn needs the database'); } }) as Prisma.TransactionClient;

/** The first event of each person, in order. */
function onePerPerson(head: Pending[]): Pending[] {
  const seen = new Set<string>();
  return head.filter((p) => {
    if (seen.has(p.who)) return false;
    seen.add(p.who);
    return true;
  });
}

/**
 * Most turns (questions about procedures, models, contacts) need nothing from the database but this bookkeeping,
 * done in plain SQL, many events in one transaction. A turn that looks something up or writes (dossiers, tickets,
 * ratings...) is put back and decided alone in a Prisma transaction. If the batch fails, each of its events is
 * decided alone, so one bad event never holds the others back. Returns the events of `head` not decided, in order.
 */
async function decideBatch(deps: AppDeps, head: Pending[], budgetMs: number): Promise<Pending[]> {
  const batch = onePerPerson(head);
  const now = deps.now();
  let decided: Decided[] = [];
  let alone: Pending | undefined; // needs the database: decided alone, after this transaction
  try {
    await claimingSends(deps, batch, (claim) => deps.db.sql.interactive(async (query) => {
      const claimed = await claimEvents(query, batch.map((p) => p.key));
      const { decisions, reached, alone: needsDatabase } = await decideInOrder(deps, batch, claimed, budgetMs, now);
      alone = needsDatabase;
      // The events claimed here but not decided (out of time, or one needing the database and those after it) are
      // given back: the claims are the only thing their turns wrote (the bot asks before it touches anything).
      const back = batch.filter((_, i) => i >= reached && claimed[i]).map((p) => p.key);
      if (back.length) {
        await query(`UPDATE "InboundEvent" e SET status = 'pending' FROM unnest($1::text[], $2::text[]) AS k(channel, "eventId")
          WHERE e.channel = k.channel AND e."eventId" = k."eventId"`, [back.map((k) => k.channel), back.map((k) => k.eventId)]);
      }
      const { ids, jobs } = await recordDecisions(query, decisions, now, claim);
      decided = batch.slice(0, reached).map(() => null); // null: decided before
      decisions.forEach((d, k) => { decided[d.at] = { messageIds: ids[k], sending: jobs.has(d.pending.cause) }; });
      return [...jobs.values()];
    }));
    if (decided.length) metrics.decisionBatch.observe(decided.length);
  } catch (err) {
    await decideEachAlone(deps, batch, err);
    return head.filter((p) => !batch.includes(p));
  }
  decided.forEach((d, i) => batch[i].resolve(d));
  return afterBatch(deps, head, new Set(batch.slice(0, decided.length)), alone);
}

/**
 * The embedded database's batch. PGlite runs one transaction at a time and a webhook's commit (its acknowledgement)
 * waits for the one running, so the deciding (NLU, dialogue: milliseconds of CPU per event) happens outside any
 * transaction, from what one statement read; then one statement (RECORD_AS_READ_SQL: no BEGIN and COMMIT, the
 * database is held for that statement only) claims the events and records the decisions, each only if its event is
 * still pending and its conversation still as it was read (an official's action in the console meanwhile: that
 * event is decided again, from the new state; twice in a row: alone, in a transaction). Nothing is claimed that is
 * not recorded in the same statement, so a crash in between loses nothing.
 */
async function decideThenRecord(deps: AppDeps, head: Pending[], budgetMs: number): Promise<Pending[]> {
  const batch = onePerPerson(head);
  const now = deps.now();
  const done = new Set<Pending>();
  let decisions: Array<Decision & { seen: string }> = [];
  let alone: Pending | undefined; // needs the database: decided alone, after the others are recorded
  let recorded: Recorded & { kept: typeof decisions } = { kept: [], ids: [], jobs: new Map() };
  try {
    const read = await readEvents(deps.db.sql.query, batch.map((p) => p.key));
    const { reached, ...decided } = await decideInOrder(deps, batch, read, budgetMs, now);
    ({ decisions, alone } = decided);
    batch.slice(0, reached).forEach((p, i) => {
      if (read[i]) return;
      p.resolve(null); // already answered: a redelivery never gets a second reply
      done.add(p);
    });
    if (decisions.length) {
      await claimingSends(deps, decisions.map((d) => d.pending), async (claim) => {
        recorded = await recordAsRead(deps.db.sql.query, decisions, now, claim);
        return [...recorded.jobs.values()];
      });
    }
  } catch (err) {
    await decideEachAlone(deps, batch.filter((p) => !done.has(p)), err);
    return head.filter((p) => !batch.includes(p));
  }
  if (recorded.kept.length) metrics.decisionBatch.observe(recorded.kept.length);
  recorded.kept.forEach((d, k) => {
    d.pending.resolve({ messageIds: recorded.ids[k], sending: recorded.jobs.has(d.pending.cause) });
    done.add(d.pending);
  });
  for (const { pending: p } of decisions.filter((d) => !recorded.kept.includes(d))) {
    // Decided by now (the next read says so), or its conversation changed: decided again from what it is now.
    if (!p.raced) p.raced = true;
    else {
      done.add(p);
      await decideAlone(deps, p).then(p.resolve, p.reject);
    }
  }
  return afterBatch(deps, head, done, alone);
}

/**
 * Decides the batch's events in order from what was claimed or read (undefined: decided before, skipped), each on
 * a new turn of the event loop (webhooks received meanwhile are stored between two turns, not after the whole
 * batch), until the budget is spent (counted from here: the deciding, not the wait for the database) or an event
 * needs the database (`alone`). `reached`: how many events of the batch were dealt with.
 */
async function decideInOrder<C extends Claim>(deps: AppDeps, batch: Pending[], got: Array<C | undefined>, budgetMs: number, now: Date):
  Promise<{ decisions: Array<C & Decision>; reached: number; alone?: Pending }> {
  const started = performance.now();
  const foreseen = foreseeAll(deps, got, now);
  const decisions: Array<C & Decision> = [];
  let reached = 0;
  for (; reached < batch.length; reached++) {
    if (reached && performance.now() - started > budgetMs) break;
    const c = got[reached];
    if (!c) continue;
    if (decisions.length) await nextTurn();
    const d = await decideWithoutDatabase(deps, c, reached, batch[reached], now, foreseen[reached]);
    if (!d) return { decisions, reached, alone: batch[reached] };
    decisions.push(d);
  }
  return { decisions, reached };
}

/**
 * The NLU thread, when there is one, understands the batch's messages while this thread decides them in order: one
 * request for the batch, each answer back as soon as it is ready (see nlu/thread-client.ts).
 */
function foreseeAll(deps: AppDeps, got: Array<Claim | undefined>, now: Date): Array<Foreseen | undefined> {
  return deps.nluThread?.foresee(got.map((c) => (c ? deps.bot.foresee(c.msg, c.conv, now) : undefined))) ?? [];
}

/**
 * Whether the send jobs a batch's decisions queue go in claimed, and by whom (`JobQueue.insertClaimed`): `on` when
 * the send lanes have room for one job per event of `events`.
 */
interface SendClaim { on: boolean; by: string }

/**
 * Runs `record` (which queues the send jobs of `events`' replies, one per event at most) so that its send jobs go in
 * claimed when their lanes have room, and start as soon as it returns them: no claim statement for them and no wait
 * for the worker's next pass.
 */
function claimingSends(deps: AppDeps, events: Pending[], record: (claim: SendClaim) => Promise<ClaimedJob[]>): Promise<void> {
  return deps.queue.insertClaimed(events.map((p) => sendJobKind(p.key.channel)), (on) => record({ on, by: deps.queue.instanceId }));
}

/** A batch failed: each of its events alone, in order, so the one that failed fails alone. */
async function decideEachAlone(deps: AppDeps, events: Pending[], err: unknown): Promise<void> {
  if (events.length === 1) events[0].reject(err);
  else for (const p of events) await decideAlone(deps, p).then(p.resolve, p.reject);
}

/**
 * After a batch: the event that needs the database is decided alone in a Prisma transaction; the rest of `head`
 * not `done` go back to the front of the line, in order (one may be the same person's next message).
 */
async function afterBatch(deps: AppDeps, head: Pending[], done: Set<Pending>, alone: Pending | undefined): Promise<Pending[]> {
  if (alone) {
    done.add(alone);
    await decideWithPrisma(deps, alone).then(alone.resolve, alone.reject);
  }
  return head.filter((p) => !done.has(p));
}

/** The bot's decision on what was read, the `at`-th of its batch; undefined when the turn needs the database. */
async function decideWithoutDatabase<C extends Claim>(deps: AppDeps, c: C, at: number, pending: Pending, now: Date, foreseen?: Foreseen): Promise<(C & Decision) | undefined> {
  try {
    return { ...c, at, pending, result: await deps.bot.handle(c.msg, c.conv, NO_DATABASE, now, foreseen) };
  } catch (err) {
    if (!(err instanceof NeedsDatabase)) throw err;
    return undefined;
  }
}

/** One event in its own transaction: plain SQL first, Prisma when the turn needs the database. */
async function decideAlone(deps: AppDeps, p: Pending): Promise<Decided> {
  try {
    return await deps.db.sql.interactive((query) => decideIn(deps, query, NO_DATABASE, p));
  } catch (err) {
    if (!(err instanceof NeedsDatabase)) throw err;
  }
  return decideWithPrisma(deps, p);
}

/** A turn that reads or writes through the bot's data access (dossiers, tickets, ratings...). */
function decideWithPrisma(deps: AppDeps, p: Pending): Promise<Decided> {
  return deps.db.prisma.$transaction(
    (tx) => decideIn(deps, (text, params = []) => tx.$queryRawUnsafe(text, ...params), tx, p),
    { timeout: 30_000, maxWait: 60_000 });
}

/** Claims one event and records what the bot decided in the caller's transaction; null when it was already decided. */
async function decideIn(deps: AppDeps, query: Query, tx: Prisma.TransactionClient, p: Pending): Promise<Decided> {
  const [claimed] = await claimEvents(query, [p.key]);
  if (!claimed) return null; // already answered: a redelivery never gets a second reply
  const now = deps.now();
  const result = await deps.bot.handle(claimed.msg, claimed.conv, tx, now);
  const { ids: [messageIds] } = await recordDecisions(query, [{ ...claimed, at: 0, pending: p, result }], now, { on: false, by: '' });
  return { messageIds, sending: false };
}

interface ConversationRow { id: number; state: Prisma.JsonValue; pausedUntil: Date | null; handoffStatus: string | null }
interface Claim { msg: InboundMessage; conv: ConversationRow }
/** What the bot decided for the claimed event of `pending`, the `at`-th of its batch. */
interface Decision extends Claim { at: number; pending: Pending; result: Awaited<ReturnType<AppDeps['bot']['handle']>> }

/**
 * One statement claims the events still pending (in `keys`' order; undefined for one already decided) and upserts,
 * and so locks, their conversations, in a fixed order (two instances never wait on each other in a circle): two
 * events of one person are decided one after the other. Timestamps leave the database with their zone, so no
 * driver reads them in the server's local time.
 */
async function claimEvents(query: Query, keys: EventKey[]): Promise<Array<Claim | undefined>> {
  const rows = await query<ConversationRow & { n: number; body: InboundMessage }>(`WITH ev AS (
      UPDATE "InboundEvent" e SET status = 'processed'
      FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(channel, "eventId", n)
      WHERE e.channel = k.channel AND e."eventId" = k."eventId" AND e.status = 'pending' RETURNING k.n, e.body
    ), conv AS (
      INSERT INTO "Conversation" (channel, "userId", state, "createdAt", "updatedAt")
      SELECT body->>'channel', body->>'userId', '{}'::jsonb, now(), now() FROM ev ORDER BY 1, 2
      ON CONFLICT (channel, "userId") DO UPDATE SET "updatedAt" = now()
      RETURNING id, channel, "userId", state, "pausedUntil" AT TIME ZONE 'UTC' AS "pausedUntil", "handoffStatus"
    ) SELECT ev.n::int AS n, ev.body, conv.id, conv.state, conv."pausedUntil", conv."handoffStatus"
      FROM ev JOIN conv ON conv.channel = ev.body->>'channel' AND conv."userId" = ev.body->>'userId'`,
  [keys.map((k) => k.channel), keys.map((k) => k.eventId)]);
  const out: Array<Claim | undefined> = keys.map(() => undefined);
  for (const { n, body, ...conv } of rows) out[n - 1] = { msg: body, conv };
  return out;
}

/** What a decision read of its conversation, to check at the claim that it is unchanged. */
const FINGERPRINT = `md5(c.state::text || '|' || coalesce(c."pausedUntil"::text, '') || '|' || coalesce(c."handoffStatus", ''))`;

/**
 * One statement reads the events still pending (in `keys`' order; undefined for one already decided) with their
 * conversations, creating those that do not exist yet (a turn needs its conversation's id), and a fingerprint of
 * each conversation's state. Claims nothing.
 */
async function readEvents(query: Query, keys: EventKey[]): Promise<Array<(Claim & { seen: string }) | undefined>> {
  const rows = await query<ConversationRow & { n: number; body: InboundMessage; seen: string }>(`WITH ev AS (
      SELECT k.n, e.body FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(channel, "eventId", n)
      JOIN "InboundEvent" e ON e.channel = k.channel AND e."eventId" = k."eventId" AND e.status = 'pending'
    ), created AS (
      INSERT INTO "Conversation" (channel, "userId", state, "createdAt", "updatedAt")
      SELECT body->>'channel', body->>'userId', '{}'::jsonb, now(), now() FROM ev ORDER BY 1, 2
      ON CONFLICT (channel, "userId") DO NOTHING
      RETURNING id, channel, "userId", state, "pausedUntil", "handoffStatus"
    ), c AS (
      SELECT id, channel, "userId", state, "pausedUntil", "handoffStatus" FROM "Conversation"
      WHERE (channel, "userId") IN (SELECT body->>'channel', body->>'userId' FROM ev)
      UNION ALL SELECT * FROM created
    ) SELECT ev.n::int AS n, ev.body, c.id, c.state, c."pausedUntil" AT TIME ZONE 'UTC' AS "pausedUntil", c."handoffStatus",
        ${FINGERPRINT} AS seen
      FROM ev JOIN c ON c.channel = ev.body->>'channel' AND c."userId" = ev.body->>'userId'`,
  [keys.map((k) => k.channel), keys.map((k) => k.eventId)]);
  const out: Array<(Claim & { seen: string }) | undefined> = keys.map(() => undefined);
  for (const { n, body, seen, ...conv } of rows) out[n - 1] = { msg: body, conv, seen };
  return out;
}

/** How sure the answered procedure was, for the review list's close calls: its probability and its lead over the second. */
function closeness(u: NonNullable<Decision['result']['understanding']>) {
  if (!u.procedure || u.clarify) return {};
  return { procedureScore: Math.round(u.procedureScore * 1000) / 1000,
    margin: u.procedureRunnerUp > 0 ? Math.round((u.procedureScore / u.procedureRunnerUp) * 100) / 100 : null };
}

/** The inbound message as stored, with what the bot understood of it. */
function inboundRow({ msg, conv, result }: Decision): Prisma.MessageCreateManyInput {
  const u = result.understanding;
  return {
    conversationId: conv.id, direction: 'in', channel: msg.channel, platformMsgId: msg.eventId, kind: msg.kind,
    text: (msg.text ?? msg.payload ?? `[${msg.kind}]`).slice(0, 10_000), sentBy: msg.kind === 'admin_reply' ? 'official' : 'citizen',
    payload: msg as unknown as Prisma.InputJsonValue, intent: u?.intent ?? null, confidence: u?.confidence ?? null,
    entities: u ? { ...u.entities, procedure: u.procedure?.name ?? null, model: u.model?.name ?? null, matched: result.matched ?? null, ...(result.form ? { form: result.form } : {}),
      ...closeness(u) } as unknown as Prisma.InputJsonValue
      : result.form ? { form: result.form } as unknown as Prisma.InputJsonValue : undefined,
  };
}

/**
 * The statement that records a batch's decisions: each event's messages in order (the outbound ids are the order the
 * replies are sent in), its conversation's new state, the send job of its replies (decided and queued together, or
 * neither) and its "which procedure?" question or choice. With `claim`, it first claims the decided events still
 * pending whose conversations are as they were read (decideThenRecord) and records only theirs; without, the caller
 * claimed them earlier in its transaction. Every row names its decision (`at`). Placeholders:
 * - $1 the messages, $2 the send jobs, $3 the conversations' new states (jsonb arrays), $4 the conversations' ids
 *   again, $5 and $6 whether the send jobs go in claimed and by whom (see JobQueue.insertClaimed);
 * - $7-$15 the clarifications, one array per column: at, channel, user, event, and for a question its text, aspect
 *   and options, for a choice the procedure and how it was picked;
 * - $16 and $17 the decisions' own 'process' jobs (at, job id), marked done with them: no statement of their own;
 * - with `claim`, $18-$22 the events to claim: at, channel, event id, conversation and its fingerprint as read.
 * It returns the messages' ids in order, the send jobs queued (`job`) and, with `claim`, the `at` of each event claimed.
 *
 * The planner takes any jsonb_to_recordset for 100 rows whatever it holds: without `= ANY($4)` a batch of 4 decisions
 * scanned every conversation (12 ms at 10,000) instead of reading 4 by their key. The claim and the clarifications
 * take arrays (`unnest`, counted right): as a jsonb record set the claim preferred scanning the whole event table to
 * its unique index (1.4 ms at 10,000 events, growing). A new question closes the person's open ones (abandoned); a
 * choice, or a message about something else, closes the latest open one; a batch holds one event per person, so no
 * two rows touch the same person's questions.
 */
function recordSql(claim: boolean): string {
  // The rows of the decisions recorded: with a claim, those of the events claimed (kept in order).
  const only = (rows: string) => (!claim ? rows : `(SELECT coalesce(jsonb_agg(a.e ORDER BY a.n), '[]'::jsonb)
      FROM jsonb_array_elements(${rows}::jsonb) WITH ORDINALITY AS a(e, n) WHERE (a.e->>'at')::int IN (SELECT at FROM claimed))`);
  return `WITH ${!claim ? '' : `claimed AS (
      UPDATE "InboundEvent" e SET status = 'processed'
      FROM unnest($18::int[], $19::text[], $20::text[], $21::int[], $22::text[]) AS k(at, channel, "eventId", conv, seen)
      JOIN "Conversation" c ON c.id = k.conv AND ${FINGERPRINT} = k.seen
      WHERE e.channel = k.channel AND e."eventId" = k."eventId" AND e.status = 'pending' RETURNING k.at
    ), `}${recordOutboundSql({ rows: only('$1'), jobs: only('$2'), claim: '$5', by: '$6' })}, c AS (
      UPDATE "Conversation" c SET state = x.state, "updatedAt" = now(),
        "lastInboundAt" = CASE WHEN x.inbound THEN now() ELSE c."lastInboundAt" END,
        "pausedUntil" = COALESCE(x."pausedUntil" AT TIME ZONE 'UTC', c."pausedUntil"),
        "handoffStatus" = CASE WHEN x.handoff THEN 'waiting' ELSE c."handoffStatus" END,
        "handoffAt" = CASE WHEN x.handoff THEN now() ELSE c."handoffAt" END
      FROM jsonb_to_recordset(${only('$3')}::jsonb) AS x(id int, state jsonb, inbound boolean, "pausedUntil" timestamptz, handoff boolean)
      WHERE c.id = x.id AND c.id = ANY($4::int[])
    ), q AS (
      SELECT * FROM unnest($7::int[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::int[], $15::text[])
        AS q(at, channel, "userId", event, text, aspect, options, "procedureId", "by")
      ${claim ? 'WHERE q.at IN (SELECT at FROM claimed)' : ''}
    ), closed AS (
      UPDATE "Clarification" o SET status = CASE WHEN q.event = 'picked' THEN 'picked' ELSE 'abandoned' END, "resolvedAt" = now(),
        "pickedProcedureId" = CASE WHEN q.event = 'picked' THEN q."procedureId" ELSE o."pickedProcedureId" END,
        "pickedBy" = CASE WHEN q.event = 'picked' THEN q."by" ELSE o."pickedBy" END
      FROM q WHERE o.channel = q.channel AND o."userId" = q."userId" AND o.status = 'open'
        AND (q.event = 'asked' OR o.id = (SELECT max(l.id) FROM "Clarification" l
          WHERE l.channel = q.channel AND l."userId" = q."userId" AND l.status = 'open'))
    ), asked AS (
      INSERT INTO "Clarification" (channel, "userId", text, aspect, options, status, "createdAt")
      SELECT channel, "userId", text, aspect, options::jsonb, 'open', now() FROM q WHERE event = 'asked'
    ), finished AS (${markDoneSql(`ARRAY(SELECT job FROM unnest($16::int[], $17::int[]) AS d(at, job)${claim ? ' WHERE d.at IN (SELECT at FROM claimed)' : ''})`)}
    ) SELECT id, NULL::jsonb AS job, NULL::int AS at FROM m UNION ALL SELECT NULL, to_jsonb(j.*), NULL FROM j${claim ? `
      UNION ALL SELECT NULL, NULL, at FROM claimed` : ''}`;
}
export const RECORD_DECISIONS_SQL = recordSql(false);
export const RECORD_AS_READ_SQL = recordSql(true);

/** A batch's decisions as recordSql's arguments $1-$17 (every row names its decision's `at`). */
function recordArgs(decisions: Decision[], now: Date, claim: SendClaim): unknown[] {
  const outbound = decisions.map(({ msg, conv, result, pending }) => outboundRows({ conversationId: conv.id, channel: msg.channel,
    replies: result.replies, sentBy: 'bot', key: pending.cause, intent: result.understanding?.intent }));
  const messages = decisions.flatMap((d, k) => [inboundRow(d), ...outbound[k]].map((m) => ({ ...m, at: d.at })));
  const jobs = decisions.filter((_, k) => outbound[k].length).map((d) => ({ ...sendJob(d.msg.channel, d.pending.cause), at: d.at }));
  const conversations = decisions.map(({ msg, conv, result, at }) => ({ at, id: conv.id, state: result.state, inbound: msg.kind !== 'admin_reply',
    handoff: Boolean(result.handoff), pausedUntil: result.pauseMinutes ? new Date(now.getTime() + result.pauseMinutes * 60_000).toISOString() : null }));
  const clarifications = decisions.flatMap(({ at, msg, result: { clarification: c } }) => {
    if (!c) return [];
    const asked = c.event === 'asked' ? c : undefined;
    const picked = c.event === 'picked' ? c : undefined;
    return [[at, msg.channel, msg.userId, c.event, asked?.text ?? null, asked?.aspect ?? null, asked ? JSON.stringify(asked.options) : null,
      picked?.procedureId ?? null, picked?.by ?? null]];
  });
  const columns = Array.from({ length: 9 }, (_, i) => clarifications.map((row) => row[i]));
  return [JSON.stringify(messages), JSON.stringify(jobs), JSON.stringify(conversations), conversations.map((c) => c.id), claim.on, claim.by, ...columns,
    decisions.map((d) => d.at), decisions.map((d) => d.pending.ctx.id)];
}

/** Each recorded decision's message ids, and the send jobs it inserted claimed, by cause (none when they went in pending). */
type Recorded = { ids: number[][]; jobs: Map<string, ClaimedJob> };

/** The record statement's rows as `Recorded`, for the decisions recorded (in their order). */
function readRecorded(rows: Array<{ id: number | null; job: ClaimedJob | null }>, recorded: Decision[], claim: SendClaim): Recorded {
  const ids = rows.filter((r) => r.id !== null).map((r) => r.id!);
  const jobs = new Map(!claim.on ? [] : rows.filter((r) => r.job).map(({ job }) => [(job!.payload as { cause: string }).cause, job!]));
  let from = 0;
  const per = recorded.map((d) => ids.slice(from, (from += 1 + d.result.replies.length))); // the inbound message, then the replies
  for (const { result, pending } of recorded) {
    if (pending.ctx.logs('debug')) pending.ctx.log.debug({ intent: result.understanding?.intent, replies: result.replies.length }, 'event decided');
    if (result.clarification) metrics.clarifications.inc({ event: result.clarification.event });
  }
  return { ids: per, jobs };
}

/** Records decisions whose events the caller's transaction claimed. */
async function recordDecisions(query: Query, decisions: Decision[], now: Date, claim: SendClaim): Promise<Recorded> {
  if (!decisions.length) return { ids: [], jobs: new Map() };
  return readRecorded(await query(RECORD_DECISIONS_SQL, recordArgs(decisions, now, claim)), decisions, claim);
}

/**
 * Claims the decided events still pending whose conversations are unchanged since they were read and records their
 * decisions, in one statement (no transaction to begin and end: the embedded database is held for one statement).
 */
async function recordAsRead(query: Query, decisions: Array<Decision & { seen: string }>, now: Date, claim: SendClaim): Promise<Recorded & { kept: typeof decisions }> {
  const rows = await query<{ id: number | null; job: ClaimedJob | null; at: number | null }>(RECORD_AS_READ_SQL, [...recordArgs(decisions, now, claim),
    decisions.map((d) => d.at), decisions.map((d) => d.pending.key.channel), decisions.map((d) => d.pending.key.eventId),
    decisions.map((d) => d.conv.id), decisions.map((d) => d.seen)]);
  const claimed = new Set(rows.filter((r) => r.at !== null).map((r) => r.at));
  const kept = decisions.filter((d) => claimed.has(d.at));
  return { kept, ...readRecorded(rows, kept, claim) };
}
