import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECORD_AS_READ_SQL, RECORD_DECISIONS_SQL } from '../src/pipeline/decide.js';
import { FINISH_SENDS_SQL } from '../src/pipeline/outbound.js';
import { openTestDb, DB_KINDS, type TestDb } from './helpers/db.js';

// Every console and chat query has an index: EXPLAIN on a small synthetic log with sequential scans
// disabled must name the index the query relies on (a plan that still scans the table would say "Seq Scan").

const QUERIES: Array<{ what: string; sql: string; params: unknown[]; index: string }> = [
  { what: 'web-chat poll (replies after the last one seen)', index: 'Message_conversationId_id_idx',
    sql: `SELECT * FROM "Message" WHERE "conversationId" = $1 AND id > $2 AND direction = 'out' ORDER BY id LIMIT 50`, params: [1, 0] },
  { what: "console conversation view (a conversation's last 200 messages)", index: 'Message_conversationId_id_idx',
    sql: `SELECT * FROM "Message" WHERE "conversationId" = $1 ORDER BY id DESC LIMIT 200`, params: [1] },
  { what: "hand-off inbox (conversations waiting or with an official)", index: 'Conversation_handoffStatus_handoffAt_idx',
    sql: `SELECT * FROM "Conversation" WHERE "handoffStatus" IN ('waiting', 'active') ORDER BY "handoffAt", id LIMIT 500`, params: [] },
  { what: 'dashboard waiting count and oldest wait', index: 'Conversation_handoffStatus_handoffAt_idx',
    sql: `SELECT count(*), min("handoffAt") FROM "Conversation" WHERE "handoffStatus" = 'waiting'`, params: [] },
  // Newest first along "createdAt", stopping at the limit: most messages are inbound, unreviewed texts, so an
  // index on those columns would select little more (and cost every insert).
  { what: 'review list (unreviewed inbound texts, newest first)', index: 'Index Scan Backward using "Message_createdAt_idx"',
    sql: `SELECT id, text, intent, confidence, "createdAt", entities FROM "Message"
      WHERE direction = 'in' AND kind = 'text' AND "reviewStatus" IS NULL AND intent IS NOT NULL
        AND (intent = 'out_of_scope' OR confidence < $1 OR intent = 'procedure_lookup')
      ORDER BY "createdAt" DESC LIMIT 20`, params: [0.45] }, // the real limit is to a year's log what 20 is to this one
  { what: 'dashboard roll-up', index: 'MessageDaily_pkey',
    sql: `SELECT day, metric, key, count FROM "MessageDaily" WHERE day >= $1::date ORDER BY day, metric, key`, params: ['2026-03-01'] },
  { what: 'escalation marks of the conversations in the inbox', index: 'AuditLog_entityType_entityId_createdAt_idx',
    sql: `SELECT "entityId", detail FROM "AuditLog" WHERE action = 'handoff.escalated' AND "entityType" = 'conversation'
      AND "entityId" = ANY($1::text[]) AND "createdAt" >= $2::timestamp`, params: [['1', '2'], '2026-03-01'] },
  { what: 'resuming the sending of an event\'s replies', index: 'Message_cause_idx',
    sql: `SELECT * FROM "Message" WHERE cause = $1 AND direction = 'out' AND "deliveryStatus" = 'pending' ORDER BY id`, params: ['zalo:e1'] },
  { what: 'claiming jobs', index: 'Job_status_runAt_idx',
    sql: `SELECT id FROM "Job" WHERE status = 'pending' AND kind <> ALL($1::text[]) AND "runAt" <= now() ORDER BY "runAt", id LIMIT 64`,
    params: [['send:zalo', 'send:messenger', 'send:web']] },
  // A channel's send lane finds its jobs without walking the backlog of the other kinds.
  { what: "claiming a send lane's jobs behind a backlog of others", index: 'Job_status_kind_runAt_idx',
    sql: `SELECT id FROM "Job" WHERE status = 'pending' AND kind = $1 AND "runAt" <= now() ORDER BY "runAt", id LIMIT 64`, params: ['send:messenger'] },
];

describe.each(DB_KINDS)('query plans on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind, { seed: false });
    // Many conversations, as in life: a conversation's messages are a small part of the log.
    await t.db.sql.query(`INSERT INTO "Conversation" (channel, "userId", state, "handoffStatus", "handoffAt", "createdAt", "updatedAt")
      SELECT 'web', 's' || c, '{}'::jsonb, CASE WHEN c % 10 = 0 THEN 'waiting' END, CASE WHEN c % 10 = 0 THEN now() END, now(), now()
      FROM generate_series(1, 40) c`);
    await t.db.sql.query(`INSERT INTO "Message" ("conversationId", channel, direction, text, intent, confidence)
      SELECT c.id, 'web', CASE WHEN i % 2 = 1 THEN 'out' ELSE 'in' END, 'm' || i, CASE WHEN i % 2 = 0 THEN 'out_of_scope' END, 0.3
      FROM "Conversation" c CROSS JOIN generate_series(1, 25) i`);
    await t.db.sql.query(`INSERT INTO "Job" (kind, key, payload, "updatedAt")
      SELECT CASE WHEN i % 100 = 0 THEN 'send:messenger' ELSE 'process' END, 'k' || i, '{}'::jsonb, now() FROM generate_series(1, 2000) i`);
    // Most of the table is done work kept until retention; what is pending came over the last minutes.
    await t.db.sql.query(`UPDATE "Job" SET "runAt" = now() - (2000 - id) * interval '1 second',
      status = CASE WHEN id <= 1600 THEN 'done' ELSE 'pending' END`);
    await t.db.sql.query('ANALYZE');
  }, 180_000);
  afterAll(async () => { await t.close(); });

  it.each(QUERIES)('$what uses $index', async ({ sql, params, index }) => {
    const plan = await t.db.sql.interactive(async (query) => {
      await query('SET LOCAL enable_seqscan = off');
      return query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params);
    });
    const text = plan.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toContain(index);
    expect(text).not.toContain('Seq Scan');
  });
});

// The pipeline's batch statements pass their rows as jsonb or arrays. The planner takes any jsonb_to_recordset for
// 100 rows, so a batch of a few events against a few thousand conversations was joined by scanning the whole table
// (cost-based: `enable_seqscan` stays on here). Each must read the rows it touches by their key.
const recorded = (ids: number[]) => ['[]', '[]', JSON.stringify(ids.map((id, at) => ({ at, id, state: {}, inbound: true, pausedUntil: null, handoff: false }))), ids,
  false, null, ids.map((_, at) => at), ids.map(() => 'zalo'), ids.map((id) => `u${id}`), ids.map((_, i) => (i % 2 ? 'asked' : 'picked')),
  ids.map(() => 'q'), ids.map(() => null), ids.map(() => '[]'), ids.map(() => 1), ids.map(() => 'number'), ids.map((_, at) => at), ids];
const BATCH_STATEMENTS: Array<{ what: string; sql: string; params: (ids: number[]) => unknown[] }> = [
  { what: 'recording decisions (Conversation, Clarification)', sql: RECORD_DECISIONS_SQL, params: recorded },
  { what: 'claiming decided events and recording them (InboundEvent, Conversation, Clarification)', sql: RECORD_AS_READ_SQL,
    params: (ids) => [...recorded(ids), ids.map((_, i) => i), ids.map(() => 'zalo'), ids.map((id) => `e${id}`), ids, ids.map(() => 'x')] },
  { what: 'recording how sends went (Message)', sql: FINISH_SENDS_SQL,
    params: (ids) => [JSON.stringify(ids.map((id) => ({ id, status: 'sent', error: null, parts: null, platformId: null }))), ids, ids] },
];

describe.each(DB_KINDS)('batch statements on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind, { seed: false });
    await t.db.sql.query(`INSERT INTO "Conversation" (channel, "userId", state, "createdAt", "updatedAt")
      SELECT 'zalo', 'u' || c, '{}'::jsonb, now(), now() FROM generate_series(1, 5000) c`);
    await t.db.sql.query(`INSERT INTO "InboundEvent" (channel, "eventId", "eventName", body, status)
      SELECT 'zalo', 'e' || c, 'user_send_text', '{}'::jsonb, CASE WHEN c > 4990 THEN 'pending' ELSE 'processed' END FROM generate_series(1, 5000) c`);
    await t.db.sql.query(`INSERT INTO "Message" ("conversationId", channel, direction, text)
      SELECT c.id, 'zalo', 'out', 'm' FROM "Conversation" c`);
    await t.db.sql.query(`INSERT INTO "Clarification" (channel, "userId", text, options, status, "createdAt")
      SELECT 'zalo', 'u' || c, 'q', '[]'::jsonb, CASE WHEN c % 50 = 0 THEN 'open' ELSE 'picked' END, now() FROM generate_series(1, 5000) c`);
    await t.db.sql.query('ANALYZE');
  }, 180_000);
  afterAll(async () => { await t.close(); });

  it.each(BATCH_STATEMENTS)('$what: a batch of 4 reads by key, never a whole table', async ({ sql, params }) => {
    const ids = (await t.db.sql.query<{ id: number }>(`SELECT id FROM "Conversation" ORDER BY id DESC LIMIT 4`)).map((r) => r.id);
    const plan = await t.db.sql.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params(ids));
    const text = plan.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).not.toMatch(/Seq Scan on "(Conversation|InboundEvent|Message|Clarification)"/);
  });
});
