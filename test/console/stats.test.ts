import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createUser } from '../../src/console/auth.js';
import { authRouter } from '../../src/console/login.js';
import { createDataRouter } from '../../src/console/data-routes.js';
import { dashboardStats, dayRange } from '../../src/console/stats.js';
import type { AppDeps } from '../../src/deps.js';
import type { Prisma, PrismaClient } from '../../src/generated/prisma/client.js';
import { createLogger } from '../../src/logger.js';
import { openTestDb, type TestDb } from '../helpers/db.js';

// Dashboard numbers from the message log, with days counted in Viet Nam time (UTC+7).

const NOW = new Date('2026-03-12T05:00:00Z'); // 12:00 on 12/03 in Viet Nam
const THRESHOLD = 0.45;

/** A small message log: three days, two channels, a late-evening message that belongs to the next Vietnamese day. */
async function seedLog(prisma: PrismaClient): Promise<void> {
  const zalo = await prisma.conversation.create({ data: { channel: 'zalo', userId: 'z1', handoffStatus: 'waiting', handoffAt: new Date('2026-03-12T03:00:00Z') } });
  const fb = await prisma.conversation.create({ data: { channel: 'messenger', userId: 'm1', handoffStatus: 'waiting', handoffAt: new Date('2026-03-12T04:30:00Z') } });
  await prisma.conversation.create({ data: { channel: 'web', userId: 'w1', handoffStatus: 'active' } });
  const msg = (conv: { id: number; channel: string }, at: string, m: Partial<Prisma.MessageCreateManyInput> = {}): Prisma.MessageCreateManyInput =>
    ({ conversationId: conv.id, channel: conv.channel, direction: 'in', text: 'x', createdAt: new Date(at), ...m });
  const birth = { procedure: 'Đăng ký khai sinh', model: null };
  await prisma.message.createMany({
    data: [
      msg(zalo, '2026-03-10T02:00:00Z', { intent: 'procedure_lookup', confidence: 0.9, entities: birth }),
      msg(zalo, '2026-03-10T02:00:01Z', { direction: 'out', sentBy: 'bot' }),
      msg(zalo, '2026-03-10T03:00:00Z', { intent: 'out_of_scope', confidence: 0.8, entities: { procedure: null } }),
      // 18:00 UTC on 10/03 is 01:00 on 11/03 in Viet Nam.
      msg(fb, '2026-03-10T18:00:00Z', { intent: 'procedure_lookup', confidence: 0.3, entities: { procedure: 'Đăng ký kết hôn' } }),
      msg(fb, '2026-03-11T02:00:00Z', { intent: 'procedure_lookup', confidence: 0.9, entities: birth }),
      msg(fb, '2026-03-11T02:00:01Z', { direction: 'out', sentBy: 'bot' }),
      msg(zalo, '2026-03-12T01:00:00Z', { intent: 'greeting', confidence: 0.99 }),
      msg(zalo, '2026-03-12T01:10:00Z', { intent: 'contact_info', confidence: 0.2 }),
      // Out of scope for the classifier, but an officials' FAQ answered it: understood.
      msg(zalo, '2026-03-12T01:20:00Z', { intent: 'out_of_scope', confidence: 0.9, entities: { matched: { type: 'faq', id: 1, name: 'Giờ làm việc' } } }),
      msg(zalo, '2026-03-12T01:30:00Z', { intent: 'model_info', confidence: 0.9, entities: { procedure: null, model: 'Một cửa thông minh' } }),
      // Before the window.
      msg(zalo, '2026-02-01T01:00:00Z', { intent: 'procedure_lookup', confidence: 0.9, entities: birth }),
    ],
  });
}

describe('dashboard stats', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb('pglite');
    await seedLog(t.db.prisma);
  });
  afterAll(async () => { await t.close(); });

  it('counts the days in Viet Nam time, oldest first', () => {
    const { since, days } = dayRange(NOW, 3);
    expect(days).toEqual(['2026-03-10', '2026-03-11', '2026-03-12']);
    expect(since.toISOString()).toBe('2026-03-09T17:00:00.000Z');
    expect(dayRange(new Date('2026-03-11T17:30:00Z'), 1).days).toEqual(['2026-03-12']);
  });

  it('reports messages per day by channel, top intents, most asked procedures and models, and waiting hand-offs', async () => {
    const s = await dashboardStats(t.db.prisma, { days: 3, threshold: THRESHOLD, now: NOW });
    expect(s.messagesPerDay).toEqual([
      { day: '2026-03-10', channel: 'zalo', inbound: 2, outbound: 1 },
      { day: '2026-03-11', channel: 'messenger', inbound: 2, outbound: 1 },
      { day: '2026-03-12', channel: 'zalo', inbound: 4, outbound: 0 },
    ]);
    expect(s.channels).toEqual(['messenger', 'zalo']);
    expect(s.topIntents).toEqual([
      { intent: 'procedure_lookup', count: 3 }, { intent: 'out_of_scope', count: 2 },
      { intent: 'contact_info', count: 1 }, { intent: 'greeting', count: 1 }, { intent: 'model_info', count: 1 },
    ]);
    expect(s.topProcedures).toEqual([{ name: 'Đăng ký khai sinh', count: 2 }, { name: 'Đăng ký kết hôn', count: 1 }]);
    expect(s.topModels).toEqual([{ name: 'Một cửa thông minh', count: 1 }]);
    expect(s.handoffs).toEqual({ waiting: 2, oldestWaitingSince: new Date('2026-03-12T03:00:00Z') });
  });

  it('gives the share of inbound messages not understood per day (out of scope or below the threshold, unless an entry answered)', async () => {
    const s = await dashboardStats(t.db.prisma, { days: 4, threshold: THRESHOLD, now: NOW });
    expect(s.notUnderstood).toEqual([
      { day: '2026-03-09', inbound: 0, notUnderstood: 0, share: 0 },
      { day: '2026-03-10', inbound: 2, notUnderstood: 1, share: 0.5 },
      { day: '2026-03-11', inbound: 2, notUnderstood: 1, share: 0.5 },
      { day: '2026-03-12', inbound: 4, notUnderstood: 1, share: 0.25 },
    ]);
  });

  it('serves GET /api/stats to any signed-in role and refuses a bad number of days', async () => {
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'memory:', LOG_LEVEL: 'silent', NLU_CONFIDENCE_THRESHOLD: '0.45' });
    const deps = { config, db: t.db, log: createLogger('silent'), kb: {}, queue: {}, channels: {}, now: () => NOW } as unknown as AppDeps;
    const server = express().use(express.json()).use(authRouter(deps)).use(createDataRouter(deps)).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await createUser(t.db.prisma, { username: 'viewer', password: 'mat-khau-thu-nghiem', role: 'viewer' });
      const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'viewer', password: 'mat-khau-thu-nghiem' }) });
      const auth = { authorization: `Bearer ${((await login.json()) as { token: string }).token}` };
      const ok = await fetch(`${url}/api/stats?days=3`, { headers: auth });
      expect(ok.status).toBe(200);
      const body = await ok.json() as { days: string[]; handoffs: { waiting: number } };
      expect(body.days).toEqual(['2026-03-10', '2026-03-11', '2026-03-12']);
      expect(body.handoffs.waiting).toBe(2);
      const bad = await fetch(`${url}/api/stats?days=0`, { headers: auth });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { issues: Array<{ path: string }> }).issues[0].path).toBe('days');
      expect((await fetch(`${url}/api/stats`)).status).toBe(401);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('gives the same numbers on PostgreSQL', async () => {
    const pg = await openTestDb('postgres', { seed: false });
    try {
      await seedLog(pg.db.prisma);
      const [a, b] = await Promise.all([t, pg].map((d) => dashboardStats(d.db.prisma, { days: 4, threshold: THRESHOLD, now: NOW })));
      expect(b).toEqual(a);
    } finally {
      await pg.close();
    }
  });
});
