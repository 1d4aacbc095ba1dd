import { reviewGroups } from '../src/console/review.js';
import { dashboardStats } from '../src/console/stats.js';
import { inboxCounts, inboxList, inboxThread } from '../src/console/inbox.js';
import { openTestDb, type DbKind } from '../test/helpers/db.js';

// `npm run bench:inbox [-- --pg]`: the inbox and review queries over 100,000 messages (2,000 conversations, 200 of
// them handed to officials, one in ten questions not understood) on in-memory PGlite, or a fresh database of the
// PostgreSQL server with --pg. Prints the median and worst of 5 runs per query, in ms, as one JSON object.
// --indexes first creates the indexes these queries can use (for comparison; the migrations decide which exist).

/** Indexes the inbox and review queries can use: history, unread counts and the review's window by conversation. */
const INDEXES = [
  'CREATE INDEX IF NOT EXISTS bench_message_conversation_id ON "Message" ("conversationId", id)',
  'CREATE INDEX IF NOT EXISTS bench_conversation_handoff ON "Conversation" ("handoffStatus", "handoffAt")',
  'CREATE INDEX IF NOT EXISTS bench_conversation_assigned ON "Conversation" ("assignedTo", "handoffStatus")',
];
const MESSAGES = 100_000;
const CONVERSATIONS = 2_000;
const HANDED = 200;
const RUNS = 5;

async function seed(prisma: Awaited<ReturnType<typeof openTestDb>>['db']['prisma']) {
  await prisma.$executeRawUnsafe(`INSERT INTO "Conversation" (channel, "userId", state, "updatedAt", "handoffStatus", "handoffAt", "assignedTo", "lastInboundAt")
    SELECT 'zalo', 'u' || g, '{}', now(), CASE WHEN g <= ${HANDED} THEN (CASE WHEN g % 2 = 0 THEN 'waiting' ELSE 'active' END) END,
      CASE WHEN g <= ${HANDED * 2} THEN now() - (g || ' minutes')::interval END, CASE WHEN g <= ${HANDED} AND g % 2 = 1 THEN 'agent' || (g % 5) END, now()
    FROM generate_series(1, ${CONVERSATIONS}) g`);
  await prisma.$executeRawUnsafe(`INSERT INTO "Handoff" ("conversationId", channel, "userId", status, "requestedAt")
    SELECT id, channel, "userId", "handoffStatus", "handoffAt" FROM "Conversation" WHERE "handoffStatus" IS NOT NULL`);
  const ids = await prisma.$queryRawUnsafe<Array<{ min: number }>>(`SELECT min(id)::int AS min FROM "Conversation"`);
  await prisma.$executeRawUnsafe(`INSERT INTO "Message" ("conversationId", direction, channel, text, intent, confidence, entities, "sentBy", "createdAt")
    SELECT ${ids[0].min} + (g % ${CONVERSATIONS}), CASE WHEN g % 2 = 0 THEN 'in' ELSE 'out' END, 'zalo',
      'tin nhắn số ' || g || CASE WHEN g % 20 = 0 THEN ' thời tiết hôm nay' ELSE ' thủ tục khai sinh' END,
      CASE WHEN g % 2 = 0 THEN (CASE WHEN g % 20 = 0 THEN 'out_of_scope' ELSE 'procedure_lookup' END) END,
      CASE WHEN g % 2 = 0 THEN 0.9 END,
      CASE WHEN g % 2 = 0 AND g % 20 <> 0 THEN '{"procedure":"Đăng ký khai sinh","matched":{"type":"procedure"},"procedureScore":0.97,"margin":40}'::jsonb
           WHEN g % 14 = 0 THEN '{"form":{"flow":"home_service","personal":true}}'::jsonb END,
      CASE WHEN g % 2 = 0 THEN 'citizen' ELSE 'bot' END, now() - ((${MESSAGES} - g) || ' seconds')::interval
    FROM generate_series(1, ${MESSAGES}) g`);
}

async function time(fn: () => Promise<unknown>) {
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { median: Math.round(ms[Math.floor(RUNS / 2)]), worst: Math.round(ms[RUNS - 1]) };
}

const kind: DbKind = process.argv.includes('--pg') ? 'postgres' : 'pglite';
const t = await openTestDb(kind, { seed: false });
try {
  const { prisma } = t.db;
  const t0 = performance.now();
  await seed(prisma);
  const seeded = Math.round(performance.now() - t0);
  const indexes = process.argv.includes('--indexes');
  if (indexes) for (const sql of INDEXES) await prisma.$executeRawUnsafe(sql);
  await prisma.$executeRawUnsafe('ANALYZE');
  const open = (await prisma.conversation.findFirstOrThrow({ where: { handoffStatus: 'waiting' } })).id;
  const page = { page: 1, pageSize: 50 };
  const results = {
    database: kind, extraIndexes: indexes, messages: MESSAGES, conversations: CONVERSATIONS, seededMs: seeded,
    'inbox queue': await time(() => inboxList(prisma, 'agent1', 'agent', { view: 'queue', ...page })),
    'inbox mine': await time(() => inboxList(prisma, 'agent1', 'agent', { view: 'mine', ...page })),
    'inbox search (message text)': await time(() => inboxList(prisma, 'admin', 'admin', { view: 'all', q: 'thời tiết', ...page })),
    'inbox counts': await time(() => inboxCounts(prisma, 'agent1')),
    'conversation (history, notes, contact)': await time(() => inboxThread(prisma, open, 'agent1', 'agent')),
    'review list': await time(() => reviewGroups(prisma, { threshold: 0.45 })),
    'dashboard (14 days)': await time(() => dashboardStats(prisma, { days: 14, threshold: 0.45, now: new Date() })),
  };
  console.log(JSON.stringify(results, null, 1));
} finally {
  await t.close();
}
