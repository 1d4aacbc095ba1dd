import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { anonymiseCitizen } from '../../src/retention/anonymise.js';
import { runRetention } from '../../src/retention/job.js';
import { redact } from '../../src/retention/redact.js';
import { DB_KINDS, openTestDb, type TestDb } from '../helpers/db.js';

// Retention deletes in batches what has served its purpose; anonymisation keeps the messages without the person.

const DAY = 86_400_000;

describe('redacting personal data from texts', () => {
  it('replaces names after cues, phones in any form, ID numbers, e-mails and addresses; keeps questions and dossier codes', () => {
    expect(redact('Tên tôi là Nguyễn Văn An, sđt 0912 345 678, CCCD 001234567890')).toBe('Tên tôi là [họ tên], sđt [số điện thoại], CCCD [số giấy tờ]');
    expect(redact('Họ và tên: Trần Thị Bình\nĐiện thoại: +84 912-345-678\nĐịa chỉ: Thôn 3, xã Hòa Vang'))
      .toBe('Họ và tên: [họ tên]\nĐiện thoại: [số điện thoại]\nĐịa chỉ: [địa chỉ]');
    expect(redact('email an.nguyen@gmail.com, CMND 123456789')).toBe('email [email], CMND [số giấy tờ]');
    expect(redact('chị Lan Phương hỏi giúp', { names: ['Lan Phương'] })).toBe('chị [họ tên] hỏi giúp');
    for (const kept of ['lệ phí khai sinh bao nhiêu', 'hồ sơ 000.00.19.H12-231123-0001 đến đâu rồi', 'mất 5 ngày làm việc']) expect(redact(kept)).toBe(kept);
  });
});

describe.each(DB_KINDS)('retention on %s', (kind) => {
  let t: TestDb;
  const now = new Date();
  const old = new Date(now.getTime() - 40 * DAY).toISOString();
  const config = loadConfig({ DATABASE_URL: 'memory:', RETENTION_DAYS: '30', RETENTION_BATCH_SIZE: '10', MESSAGE_RETENTION_DAYS: '365' });
  const deps = () => ({ db: t.db, config, log: createLogger('silent'), now: () => now });
  const q = (sql: string, params: unknown[] = []) => t.db.sql.query(sql, params);
  const count = async (table: string) => Number((await q(`SELECT count(*)::int AS n FROM "${table}"`))[0].n);

  beforeAll(async () => { t = await openTestDb(kind, { seed: false }); }, 180_000);
  afterAll(async () => { await t?.close(); });

  it('deletes old done jobs, processed events, expired sessions, old rate rows and delivered notices, in batches; keeps the rest', async () => {
    const { prisma } = t.db;
    for (let i = 0; i < 25; i++) await prisma.job.create({ data: { kind: 'send', key: `old-done-${i}`, payload: {}, status: 'done' } });
    await prisma.job.create({ data: { kind: 'send', key: 'old-pending', payload: {}, status: 'pending' } });
    await prisma.job.create({ data: { kind: 'send', key: 'new-done', payload: {}, status: 'done' } });
    await q(`UPDATE "Job" SET "updatedAt" = $1::timestamp(3) WHERE key <> 'new-done'`, [old]);
    await prisma.inboundEvent.createMany({ data: [
      { channel: 'zalo', eventId: 'e-old', eventName: 'user_send_text', body: {}, status: 'processed', receivedAt: new Date(old) },
      { channel: 'zalo', eventId: 'e-old-pending', eventName: 'user_send_text', body: {}, status: 'pending', receivedAt: new Date(old) },
      { channel: 'zalo', eventId: 'e-new', eventName: 'user_send_text', body: {}, status: 'processed' },
    ] });
    const user = await prisma.user.create({ data: { username: 'ret', passwordHash: 'x', role: 'viewer' } });
    await prisma.session.createMany({ data: [
      { id: 's-expired', userId: user.id, csrfToken: 'c', expiresAt: new Date(now.getTime() - 1000) },
      { id: 's-live', userId: user.id, csrfToken: 'c', expiresAt: new Date(now.getTime() + DAY) },
    ] });
    await q(`INSERT INTO "RateCounter" ("key", "windowStart", "count") VALUES ('a', $1::timestamp(3), 3), ('b', $2::timestamp(3), 1)`,
      [old, new Date(now.getTime() - 60_000).toISOString()]);
    await prisma.notification.createMany({ data: [
      { dossierId: 1, channel: 'zalo', userId: 'u', eventId: 1, text: 'sent', status: 'sent' },
      { dossierId: 1, channel: 'zalo', userId: 'u', eventId: 2, text: 'failed', status: 'failed' },
    ] });
    await q(`UPDATE "Notification" SET "updatedAt" = $1::timestamp(3)`, [old]);

    const counts = await runRetention(deps());
    expect(counts).toMatchObject({ Job: 25, InboundEvent: 1, Session: 1, RateCounter: 1, Notification: 1 });
    expect((await prisma.job.findMany({ orderBy: { key: 'asc' } })).map((j) => j.key)).toEqual(['new-done', 'old-pending']);
    expect((await prisma.inboundEvent.findMany({ orderBy: { eventId: 'asc' } })).map((e) => e.eventId)).toEqual(['e-new', 'e-old-pending']);
    expect(await count('Session')).toBe(1);
    expect(await count('RateCounter')).toBe(1);
    expect((await prisma.notification.findMany()).map((n) => n.status)).toEqual(['failed']);
    // A second run finds nothing more.
    expect(Object.values(await runRetention(deps())).every((n) => n === 0)).toBe(true);
  });

  it('anonymises one citizen on request: messages keep their shape, personal data and what served only them go', async () => {
    const { prisma } = t.db;
    const conv = await prisma.conversation.create({ data: { channel: 'web', userId: 'web-anon-0001', displayName: 'Lê Văn Cường', state: { form: { name: 'Lê Văn Cường' } } } });
    await prisma.message.createMany({ data: [
      { conversationId: conv.id, direction: 'in', channel: 'web', text: 'tôi là Lê Văn Cường, số 0987654321, CCCD 079123456789' },
      { conversationId: conv.id, direction: 'in', channel: 'web', text: 'Ấp Bình Minh', entities: { form: { flow: 'home_service', step: 'address', personal: true, outcome: 'answer' } } },
      { conversationId: conv.id, direction: 'out', channel: 'web', text: 'Họ và tên: Lê Văn Cường\nĐiện thoại: 0987654321', payload: { text: 'Họ và tên: Lê Văn Cường\nĐiện thoại: 0987654321' } },
      { conversationId: conv.id, direction: 'in', channel: 'web', text: 'lệ phí khai sinh bao nhiêu' },
    ] });
    await prisma.homeServiceRequest.create({ data: { code: 'DV-ANON-1', channel: 'web', userId: 'web-anon-0001', name: 'Lê Văn Cường', phone: '0987654321', address: 'Ấp Bình Minh', procedureName: 'Khai sinh', reason: 'già yếu' } });
    await prisma.inboundEvent.create({ data: { channel: 'web', eventId: 'web-ev-anon', eventName: 'message', body: { sessionId: 'web-anon-0001', text: 'tôi là Lê Văn Cường' }, status: 'processed' } });

    const r = await anonymiseCitizen(t.db, 'web', 'web-anon-0001', now, { onRequest: true });
    expect(r).toMatchObject({ conversation: true, messages: 3 });
    const texts = (await prisma.message.findMany({ where: { conversationId: conv.id }, orderBy: { id: 'asc' } })).map((m) => [m.text, m.payload]);
    expect(texts[0][0]).toBe('tôi là [họ tên], số [số điện thoại], CCCD [số giấy tờ]');
    expect(texts[1][0]).toBe('[đã ẩn]');
    expect(JSON.stringify(texts[2])).not.toMatch(/Cường|0987654321/);
    expect(texts[3][0]).toBe('lệ phí khai sinh bao nhiêu');
    const c = await prisma.conversation.findUniqueOrThrow({ where: { id: conv.id } });
    expect(c).toMatchObject({ displayName: null, state: {}, anonymisedAt: now });
    expect(await prisma.homeServiceRequest.findFirstOrThrow({ where: { code: 'DV-ANON-1' } })).toMatchObject({ name: '[họ tên]', phone: '[số điện thoại]', address: '[địa chỉ]' });
    expect(await prisma.inboundEvent.count({ where: { eventId: 'web-ev-anon' } })).toBe(0);
  });

  it('anonymises conversations quiet past MESSAGE_RETENTION_DAYS, once', async () => {
    const { prisma } = t.db;
    const quiet = await prisma.conversation.create({ data: { channel: 'zalo', userId: 'z-quiet', displayName: 'Phạm Thị Dung' } });
    await prisma.message.create({ data: { conversationId: quiet.id, direction: 'in', channel: 'zalo', text: 'sđt của tôi 0901234567' } });
    await q(`UPDATE "Conversation" SET "updatedAt" = $1::timestamp(3) WHERE id = $2`, [new Date(now.getTime() - 400 * DAY).toISOString(), quiet.id]);
    const active = await prisma.conversation.create({ data: { channel: 'zalo', userId: 'z-active', displayName: 'Võ Văn Em' } });
    const counts = await runRetention(deps());
    expect(counts.conversationsAnonymised).toBe(1);
    expect((await prisma.message.findFirstOrThrow({ where: { conversationId: quiet.id } })).text).toBe('sđt của tôi [số điện thoại]');
    expect((await prisma.conversation.findUniqueOrThrow({ where: { id: active.id } })).displayName).toBe('Võ Văn Em');
    expect((await runRetention({ ...deps(), now: () => new Date(now.getTime() + 1000) })).conversationsAnonymised).toBe(0);
  });
});
