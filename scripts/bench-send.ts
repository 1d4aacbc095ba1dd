import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { enqueueOutbound } from '../src/pipeline/outbound.js';
import { startRuntime } from '../src/runtime.js';
import { startFakeGraph } from '../test/helpers/fake-graph.js';
import { startFakeZalo } from '../test/helpers/fake-zalo.js';

// Sending throughput and isolation, on the embedded in-memory database against the fake platform APIs:
// 1. N replies to N Zalo users with the platform taking 100 ms per send: replies per second (SEND_CONCURRENCY).
// 2. The same while the Zalo API hangs: how long Messenger replies take (they must not wait for Zalo).
// Usage: npm run bench:send [-- --n 400 --concurrency 16]

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg('n', 400);
const CONCURRENCY = arg('concurrency', 16);

const zalo = await startFakeZalo();
const graph = await startFakeGraph();
const config = loadConfig({
  DATABASE_URL: 'memory:', LOG_LEVEL: 'silent', SEND_CONCURRENCY: String(CONCURRENCY), SEND_TIMEOUT_MS: '5000',
  ZALO_APP_ID: 'fake-app', ZALO_APP_SECRET: 'fake-app-secret', ZALO_OA_SECRET_KEY: 'oa-secret',
  ZALO_ACCESS_TOKEN: zalo.tokens.accessToken, ZALO_REFRESH_TOKEN: zalo.tokens.refreshToken,
  ZALO_API_BASE_URL: zalo.url, ZALO_OAUTH_BASE_URL: zalo.url, ZALO_CALLS_PER_MINUTE: process.env.ZALO_CALLS_PER_MINUTE ?? '0',
  MESSENGER_APP_SECRET: 'app-secret', MESSENGER_PAGE_ACCESS_TOKEN: graph.token, MESSENGER_VERIFY_TOKEN: 'verify', MESSENGER_GRAPH_BASE_URL: graph.url,
});
const runtime = await startRuntime(config, createLogger('silent'));
const { prisma } = runtime.deps.db;

async function enqueue(channel: 'zalo' | 'messenger', users: string[], tag: string) {
  await prisma.$transaction(async (tx) => {
    for (const userId of users) {
      const conv = await tx.conversation.create({ data: { channel, userId, lastInboundAt: new Date() } });
      await enqueueOutbound(tx, { conversationId: conv.id, channel, replies: [{ text: `Dạ, trả lời ${tag} cho ${userId}.` }], sentBy: 'bot', key: `${tag}:${userId}` });
    }
  });
  runtime.deps.queue.poke();
}

async function until(done: () => boolean) {
  while (!done()) await new Promise((r) => setTimeout(r, 20));
}

try {
  zalo.setFailure((req) => (req.path.startsWith('/v3.0/oa/message/') ? { lateMs: 100 } : undefined));
  const users = Array.from({ length: N }, (_, i) => `bench-z-${i}`);
  let t = performance.now();
  await enqueue('zalo', users, 'throughput');
  await until(() => zalo.sent.length >= N);
  const secs = (performance.now() - t) / 1000;
  console.log(`${N} Zalo replies, 100 ms per send, SEND_CONCURRENCY=${CONCURRENCY}: ${secs.toFixed(2)} s = ${(N / secs).toFixed(0)} replies/s`);

  zalo.setFailure((req) => (req.path.startsWith('/v3.0/oa/message/') ? 'hang' : undefined));
  await enqueue('zalo', users.map((u) => `${u}-hung`), 'hung');
  await new Promise((r) => setTimeout(r, 300));
  const psids = Array.from({ length: 50 }, (_, i) => `bench-m-${i}`);
  t = performance.now();
  await enqueue('messenger', psids, 'beside');
  await until(() => graph.sent.length >= psids.length);
  console.log(`while the Zalo API hangs (${CONCURRENCY} sends held): ${psids.length} Messenger replies in ${((performance.now() - t) / 1000).toFixed(2)} s`);
} finally {
  zalo.setFailure(undefined);
  await runtime.close();
  await zalo.close();
  await graph.close();
}
