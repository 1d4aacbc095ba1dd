import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitText } from '../../src/channels/text.js';
import { createUser } from '../../src/console/auth.js';
import type { Reply } from '../../src/channels/types.js';
import { enqueueOutbound } from '../../src/pipeline/outbound.js';
import type { FakeZaloFailure } from '../helpers/fake-zalo.js';
import type { FakeFailure } from '../helpers/fake-graph.js';
import { messengerText, startTestServer, waitFor, zaloText, type TestServer } from '../helpers/server.js';

// Sending, end to end through the queue's send lanes against the fake Zalo and Graph APIs: a reply of several
// platform messages is delivered part by part, each part exactly once and in order, whatever fails where; sends
// whose answer is lost or late are checked in the platform's history instead of being repeated; transient answers
// (429, 5xx, a proxy's HTML) are retried until delivered; a hung platform holds only its own lane.

type Ch = 'zalo' | 'messenger';
let s: TestServer;

beforeAll(async () => {
  s = await startTestServer({ SEND_TIMEOUT_MS: '2000', SEND_RETRY_BASE_MS: '20' });
}, 300_000);
afterAll(() => s?.close());

/** Three paragraphs of ~1,450 characters: three platform messages on both channels. */
const longText = (tag: string) => [1, 2, 3].map((i) => `Phần ${i} (${tag}). ${`Nội dung phần ${i} của câu trả lời. `.repeat(40)}`).join('\n\n');

/** Per user: fail the send call number `at` (0-based, counting this user's send calls) once with `failure`. */
const plans = new Map<string, { at: number; failure: FakeZaloFailure | FakeFailure; calls: number }>();
function planFailure(userId: string, at: number, failure: FakeZaloFailure | FakeFailure) {
  plans.set(userId, { at, failure, calls: 0 });
}
function pick(userId: string | undefined) {
  const plan = userId ? plans.get(userId) : undefined;
  if (!plan) return undefined;
  return plan.calls++ === plan.at ? plan.failure : undefined;
}

beforeAll(() => {
  s.zalo.setFailure((req) => (req.path.startsWith('/v3.0/oa/message/') ? pick(req.userId) as FakeZaloFailure | undefined : undefined));
  s.graph.setFailure((req) => (req.kind === 'message' ? pick(req.psid) as FakeFailure | undefined : undefined));
});

async function enqueue(channel: Ch, userId: string, replies: Reply[], key: string): Promise<void> {
  await s.runtime.deps.db.prisma.$transaction(async (tx) => {
    const conv = await tx.conversation.upsert({ where: { channel_userId: { channel, userId } },
      create: { channel, userId, lastInboundAt: new Date() }, update: {} });
    await enqueueOutbound(tx, { conversationId: conv.id, channel, replies, sentBy: 'bot', key });
  });
  s.runtime.deps.queue.poke();
}

/** What the user received, in order, as text (a message without text shows as its kind). */
function received(channel: Ch, userId: string): string[] {
  if (channel === 'zalo') return s.zalo.sent.filter((m) => m.userId === userId).map((m) => String(m.message.text ?? 'attachment'));
  return s.graph.sent.filter((m) => m.psid === userId).map((m) => String(m.message.text ?? 'attachment'));
}

async function settled(keys: string[], timeoutMs = 30_000) {
  const { prisma } = s.runtime.deps.db;
  await waitFor(async () => (await prisma.message.count({ where: { cause: { in: keys }, deliveryStatus: 'pending' } })) === 0, timeoutMs);
  return prisma.message.findMany({ where: { cause: { in: keys } }, orderBy: { id: 'asc' } });
}

describe('a reply of several messages', () => {
  const failures = ['http500', 'drop', 'lost_answer', 'rate_limit', 'not_json'] as const;

  it.each(['zalo', 'messenger'] as const)('%s: a failure at every part position delivers each part once, in order', async (channel) => {
    const cases = failures.flatMap((failure) => [0, 1, 2].map((at) => ({ failure, at, user: `${channel}-part-${failure}-${at}` })));
    for (const c of cases) planFailure(c.user, c.at, c.failure);
    await Promise.all(cases.map((c) => enqueue(channel, c.user, [{ text: longText(c.user) }], `parts:${c.user}`)));
    const rows = await settled(cases.map((c) => `parts:${c.user}`));
    expect(rows.map((r) => r.deliveryStatus)).toEqual(cases.map(() => 'sent'));
    const wrong = cases.filter((c) => JSON.stringify(received(channel, c.user)) !== JSON.stringify(splitText(longText(c.user), 2000)));
    expect(wrong.map((c) => [c.failure, c.at, received(channel, c.user).map((t) => t.slice(0, 7))].join(' '))).toEqual([]);
    expect(splitText(longText('x'), 2000)).toHaveLength(3);
  }, 60_000);

  it.each(['zalo', 'messenger'] as const)('%s: one person\'s replies keep their order when the first fails', async (channel) => {
    const user = `${channel}-order`;
    planFailure(user, 0, 'http500');
    await enqueue(channel, user, [{ text: 'Thứ nhất' }], `order-a:${user}`);
    await enqueue(channel, user, [{ text: 'Thứ hai' }, { text: 'Thứ ba' }], `order-b:${user}`);
    await settled([`order-a:${user}`, `order-b:${user}`]);
    expect(received(channel, user)).toEqual(['Thứ nhất', 'Thứ hai', 'Thứ ba']);
  });
});

describe('sends whose delivery is unknown are checked, not repeated', () => {
  it.each(['zalo', 'messenger'] as const)('%s: delivered but the answer lost, 20 of 20 sent once', async (channel) => {
    const users = Array.from({ length: 20 }, (_, i) => `${channel}-lost-${i}`);
    for (const u of users) planFailure(u, 0, 'lost_answer');
    await Promise.all(users.map((u) => enqueue(channel, u, [{ text: `Dạ, câu trả lời cho ${u}.` }], `lost:${u}`)));
    const rows = await settled(users.map((u) => `lost:${u}`));
    expect(rows.every((r) => r.deliveryStatus === 'sent')).toBe(true);
    expect(users.filter((u) => received(channel, u).length !== 1)).toEqual([]);
  }, 60_000);

  it.each(['zalo', 'messenger'] as const)('%s: an answer after the timeout, 10 of 10 sent once', async (channel) => {
    const users = Array.from({ length: 10 }, (_, i) => `${channel}-late-${i}`);
    for (const u of users) planFailure(u, 0, { lateMs: 3000 });
    await Promise.all(users.map((u) => enqueue(channel, u, [{ text: `Dạ, trả lời muộn cho ${u}.` }], `late:${u}`)));
    const rows = await settled(users.map((u) => `late:${u}`));
    expect(rows.every((r) => r.deliveryStatus === 'sent')).toBe(true);
    expect(users.filter((u) => received(channel, u).length !== 1)).toEqual([]);
  }, 60_000);
});

describe('transient platform answers', () => {
  it.each(['zalo', 'messenger'] as const)('%s: 429, 5xx and a proxy\'s HTML page: 0 lost, 0 repeated after the platform recovers', async (channel) => {
    const kinds = ['http429', 'http500', 'not_json', 'rate_limit'] as const;
    const users = Array.from({ length: 20 }, (_, i) => `${channel}-transient-${i}`);
    // Each user's first two calls fail (two different ways), the third goes through.
    const calls = new Map<string, number>();
    const fail = (u: string | undefined) => {
      if (!u || !users.includes(u)) return pick(u);
      const n = calls.get(u) ?? 0;
      calls.set(u, n + 1);
      return n < 2 ? kinds[(users.indexOf(u) + n) % kinds.length] : undefined;
    };
    s.zalo.setFailure((req) => (req.path.startsWith('/v3.0/oa/message/') ? fail(req.userId) as FakeZaloFailure | undefined : undefined));
    s.graph.setFailure((req) => (req.kind === 'message' ? fail(req.psid) as FakeFailure | undefined : undefined));
    await Promise.all(users.map((u) => enqueue(channel, u, [{ text: `Dạ, trả lời cho ${u}.` }], `transient:${u}`)));
    const rows = await settled(users.map((u) => `transient:${u}`));
    expect(rows.filter((r) => r.deliveryStatus !== 'sent')).toEqual([]);
    expect(users.filter((u) => received(channel, u).length !== 1)).toEqual([]);
  }, 60_000);

  it('marks a message undelivered with the last error once its deadline has passed, never dropping it silently', async () => {
    const user = 'zalo-deadline';
    s.zalo.setFailure((req) => (req.userId === user ? 'http500' : undefined));
    await enqueue('zalo', user, [{ text: 'Dạ, trả lời quá hạn.' }], `deadline:${user}`);
    const { prisma } = s.runtime.deps.db;
    await waitFor(async () => (await prisma.message.findFirst({ where: { cause: `deadline:${user}`, deliveryError: { not: null } } })));
    // As if the deadline had passed: the message was written 2 hours ago.
    await prisma.message.updateMany({ where: { cause: `deadline:${user}` }, data: { createdAt: new Date(Date.now() - 2 * 3600_000) } });
    const [row] = await settled([`deadline:${user}`]);
    expect(row.deliveryStatus).toBe('undelivered');
    expect(row.deliveryError).toMatch(/not delivered within 60 min; last error: .*HTTP 500/);
  });
});

describe('faults stay in their channel', () => {
  it('a hung Zalo API delays neither Messenger nor the web chat', async () => {
    s.zalo.setFailure((req) => (req.path.startsWith('/v3.0/oa/message/') ? 'hang' : undefined));
    s.graph.setFailure(null);
    const zaloUsers = Array.from({ length: 20 }, (_, i) => `zalo-hung-${i}`);
    const psids = Array.from({ length: 10 }, (_, i) => `messenger-free-${i}`);
    await Promise.all(zaloUsers.map((u) => s.postZalo(zaloText(u, 'Lệ phí đăng ký khai sinh bao nhiêu?'))));
    await new Promise((r) => setTimeout(r, 300)); // every Zalo send slot now waits on the hung API
    await Promise.all(psids.map((p) => s.postMessenger(messengerText(p, 'Lệ phí đăng ký khai sinh bao nhiêu?'))));
    const web = await fetch(`${s.url}/api/chat/messages`, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId: 'web-free-session-1', clientMessageId: 'c1', text: 'Lệ phí đăng ký khai sinh bao nhiêu?' }) });
    expect(web.status).toBe(202);
    const { prisma } = s.runtime.deps.db;
    await waitFor(() => psids.every((p) => received('messenger', p).length > 0), 10_000);
    await waitFor(async () => (await prisma.message.count({ where: { channel: 'web', direction: 'out', deliveryStatus: 'sent',
      conversation: { userId: 'web-free-session-1' } } })) > 0, 10_000);
    // Answered while not one Zalo reply had gone out.
    expect(zaloUsers.filter((u) => received('zalo', u).length > 0)).toEqual([]);
    s.zalo.setFailure(undefined);
    await waitFor(() => zaloUsers.every((u) => received('zalo', u).length > 0), 30_000);
    await settled((await prisma.message.findMany({ where: { channel: 'zalo', direction: 'out', conversation: { userId: { in: zaloUsers } } } })).map((m) => m.cause!));
    const counts = zaloUsers.map((u) => received('zalo', u).length);
    const expected = await Promise.all(zaloUsers.map(async (u) => (await prisma.message.count({ where: { channel: 'zalo', direction: 'out', conversation: { userId: u } } }))));
    expect(counts).toEqual(expected);
  }, 60_000);
});

describe('text PostgreSQL cannot store', () => {
  it('NUL and lone surrogates are cleaned at the boundary and answered on every channel', async () => {
    s.zalo.setFailure(undefined);
    s.graph.setFailure(null);
    const bad = 'Lệ phí\u0000 đăng ký khai sinh \uD800bao nhiêu\uDC00?';
    expect((await s.postZalo(zaloText('zalo-nul', bad))).status).toBe(200);
    expect((await s.postMessenger(messengerText('messenger-nul', bad))).status).toBe(200);
    const web = await fetch(`${s.url}/api/chat/messages`, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId: 'web-nul-session', clientMessageId: 'n1', text: bad }) });
    expect(web.status).toBe(202);
    await waitFor(() => received('zalo', 'zalo-nul').length > 0 && received('messenger', 'messenger-nul').length > 0);
    const { prisma } = s.runtime.deps.db;
    await waitFor(async () => (await prisma.message.count({ where: { channel: 'web', direction: 'out', conversation: { userId: 'web-nul-session' } } })) > 0);
    const stored = await prisma.message.findFirstOrThrow({ where: { direction: 'in', conversation: { userId: 'zalo-nul' } } });
    expect(stored.text).toBe('Lệ phí đăng ký khai sinh \uFFFDbao nhiêu\uFFFD?');
  });
});

describe('a Zalo refresh token the OAuth server refuses', () => {
  let r: TestServer;
  beforeAll(async () => {
    r = await startTestServer({ ZALO_ACCESS_TOKEN: 'revoked-access', ZALO_REFRESH_TOKEN: 'revoked-refresh', SEND_RETRY_BASE_MS: '20' });
  }, 300_000);
  afterAll(() => r?.close());

  it('is detected once: no refresh loop, the channel degraded in /readyz, replies kept with why', async () => {
    const users = Array.from({ length: 5 }, (_, i) => `zalo-revoked-${i}`);
    await Promise.all(users.map((u) => r.postZalo(zaloText(u, 'Lệ phí đăng ký khai sinh bao nhiêu?'))));
    const ready = await waitFor(async () => {
      const body = (await (await fetch(`${r.url}/readyz`)).json()) as { channels?: Record<string, { status: string; reason?: string }> };
      return body.channels?.zalo?.status === 'degraded' && body;
    });
    expect(ready.channels?.messenger).toEqual({ status: 'ok' });
    expect(ready.channels?.zalo.reason).toMatch(/-14014/);
    expect(JSON.stringify(ready)).not.toMatch(/revoked-(access|refresh)/);
    const { prisma } = r.runtime.deps.db;
    await waitFor(async () => (await prisma.message.count({ where: { channel: 'zalo', direction: 'out', deliveryError: { contains: 're-authorise' } } })) >= users.length);
    await new Promise((res) => setTimeout(res, 1000)); // several more retries of every reply
    expect(r.zalo.refreshCalls).toBe(1);
    expect(await prisma.message.count({ where: { channel: 'zalo', direction: 'out', deliveryStatus: 'pending' } })).toBeGreaterThanOrEqual(users.length);
    expect(r.zalo.sent).toEqual([]);
    // The console sees it too.
    await createUser(prisma, { username: 'xem', password: 'mat-khau-xem-123', role: 'viewer' });
    const login = await fetch(`${r.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'xem', password: 'mat-khau-xem-123' }) });
    const { token } = (await login.json()) as { token: string };
    const channels = await (await fetch(`${r.url}/api/channels`, { headers: { authorization: `Bearer ${token}` } })).json();
    expect(channels).toMatchObject({ channels: { zalo: { status: 'degraded' }, messenger: { status: 'ok' }, web: { status: 'ok' } } });
  }, 120_000);
});
