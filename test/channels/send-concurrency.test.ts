import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueOutbound, SEND_JOBS_PER_CALL } from '../../src/pipeline/outbound.js';
import { startTestServer, waitFor, type TestServer } from '../helpers/server.js';

// SEND_CONCURRENCY bounds a channel's platform calls in flight, not its send jobs: the lane holds more jobs than
// that, so a job reading or recording its message never keeps a call from going out. The fake Zalo API holds every
// send until it is released.

const CALLS = 3;
let s: TestServer;

beforeAll(async () => {
  s = await startTestServer({ SEND_CONCURRENCY: String(CALLS) });
}, 300_000);
afterAll(() => s?.close());

describe('platform calls in flight', () => {
  it(`never more than SEND_CONCURRENCY (${CALLS}) per channel, with ${SEND_JOBS_PER_CALL}× as many send jobs under way`, async () => {
    let inFlight = 0;
    let most = 0;
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => { release = resolve; });
    s.zalo.setFailure(async (req) => {
      if (!req.path.startsWith('/v3.0/oa/message/')) return undefined;
      most = Math.max(most, ++inFlight);
      await released;
      inFlight--;
      return undefined;
    });
    const users = Array.from({ length: 12 }, (_, i) => `concurrency-${i}`);
    const { prisma } = s.runtime.deps.db;
    for (const userId of users) {
      await prisma.$transaction(async (tx) => {
        const conv = await tx.conversation.create({ data: { channel: 'zalo', userId, lastInboundAt: new Date() } });
        await enqueueOutbound(tx, { conversationId: conv.id, channel: 'zalo', replies: [{ text: `Dạ, trả lời cho ${userId}` }], sentBy: 'bot', key: `conc:${userId}` });
      });
    }
    s.runtime.deps.queue.poke();

    await waitFor(async () => inFlight === CALLS, 10_000);
    const running = () => prisma.job.count({ where: { kind: 'send:zalo', status: 'running' } });
    await waitFor(async () => (await running()) === CALLS * SEND_JOBS_PER_CALL, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(inFlight).toBe(CALLS);
    expect(await running()).toBe(CALLS * SEND_JOBS_PER_CALL);

    release();
    await waitFor(async () => (await prisma.message.count({ where: { cause: { in: users.map((u) => `conc:${u}`) }, deliveryStatus: 'sent' } })) === users.length, 20_000);
    expect(most).toBe(CALLS);
    expect(new Set(s.zalo.sent.map((m) => m.userId))).toEqual(new Set(users));
    s.zalo.setFailure(undefined);
  }, 60_000);
});
