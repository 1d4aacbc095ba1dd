import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createUser } from '../../src/console/auth.js';
import { authRouter } from '../../src/console/login.js';
import { createDataRouter } from '../../src/console/data-routes.js';
import { attachGroup, createFaqFromGroup, dismissGroup, reviewGroups, ReviewError, reviewMessages, wordingTokens } from '../../src/console/review.js';
import type { AppDeps } from '../../src/deps.js';
import type { Prisma } from '../../src/generated/prisma/client.js';
import { readKbVersion } from '../../src/kb/snapshot.js';
import { KbStore } from '../../src/kb/store.js';
import { createLogger } from '../../src/logger.js';
import { DEFAULT_NLU_OPTIONS } from '../../src/nlu/build.js';
import { loadNluData } from '../../src/nlu/data-files.js';
import { openTestDb, type TestDb } from '../helpers/db.js';

// The review list ("what the bot did not understand") on a real database, and the bot learning from it:
// a real KbStore on the same database rebuilds its NLU from the TrainingPhrase rows after a refresh.

const THRESHOLD = 0.45;
const NOW = Date.now();
const AIRCON = ['Máy lạnh phòng chờ hỏng rồi!!', 'may lanh phong cho hong roi', 'máy lạnh phòng chờ hỏng rồi ạ', 'Máy lạnh phòng chờ bị hỏng'];
const NEWBORN = 'con tôi vừa ra đời cần đăng ký gì';
const BANK = 'xin số tài khoản để chuyển khoản lệ phí';
const PARKING = 'có chỗ gửi xe không';

let t: TestDb;
let kb: KbStore;
let conversationId: number;

type MessageInput = Partial<Prisma.MessageCreateManyInput> & { text: string };
async function addMessages(items: MessageInput[]): Promise<number[]> {
  const made = await t.db.prisma.message.createManyAndReturn({
    data: items.map((m, i) => ({ conversationId, direction: 'in', channel: 'zalo', intent: 'out_of_scope', confidence: 0.3,
      createdAt: new Date(NOW - (items.length - i) * 60_000), ...m })),
    select: { id: true },
  });
  return made.map((m) => m.id);
}

beforeAll(async () => {
  t = await openTestDb('pglite');
  kb = new KbStore(t.db, loadNluData(), DEFAULT_NLU_OPTIONS);
  await kb.load();
  conversationId = (await t.db.prisma.conversation.create({ data: { channel: 'zalo', userId: 'citizen-1' } })).id;
  await addMessages([
    ...AIRCON.map((text) => ({ text })),
    { text: NEWBORN, intent: 'procedure_lookup', confidence: 0.3 },
    { text: `${NEWBORN}?`, intent: 'procedure_lookup', confidence: 0.41 },
    { text: BANK },
    { text: PARKING },
    // Not for review: understood, the bot's own reply, already reviewed, answered by an FAQ, older than `since`.
    { text: 'thủ tục đăng ký khai sinh', intent: 'procedure_lookup', confidence: 0.95, entities: { procedure: 'Đăng ký khai sinh', matched: { type: 'procedure', id: 1, name: 'Đăng ký khai sinh' } } },
    { text: 'Dạ, em chưa hiểu ý anh/chị.', direction: 'out', intent: null, confidence: null },
    { text: 'spam spam', reviewStatus: 'dismissed' },
    { text: 'giờ làm việc thứ bảy', entities: { matched: { type: 'faq', id: 1, name: 'Giờ làm việc' } } },
    { text: 'tin nhắn cũ không hiểu', createdAt: new Date(NOW - 40 * 86_400_000) },
  ]);

});
afterAll(async () => { await t.close(); });

const groups = () => reviewGroups(t.db.prisma, { threshold: THRESHOLD, since: new Date(NOW - 30 * 86_400_000) });

describe('review groups', () => {
  it('groups the same wording regardless of case, diacritics, punctuation and polite words, biggest first', async () => {
    expect(wordingTokens('Máy lạnh phòng chờ hỏng rồi ạ!!')).toEqual(wordingTokens('may lanh phong cho hong'));
    const list = await groups();
    expect(list.map((g) => [g.count, g.sample])).toEqual([
      [4, AIRCON[3]], [2, `${NEWBORN}?`], [1, PARKING], [1, BANK],
    ]);
    expect(list[0].key).toBe('hong lanh may phong'); // "chờ" folds to the filler "cho"
    expect(list[0].texts).toHaveLength(4);
    expect(list[1].intent).toBe('procedure_lookup');
    const all = list.flatMap((g) => g.messageIds);
    expect(new Set(all).size).toBe(8);
  });

  it('attaching a group to an intent teaches the bot that phrasing after a refresh, and takes it off the list', async () => {
    const phrase = 'máy lạnh phòng chờ hỏng rồi';
    expect(kb.nlu.understand(phrase).intent).not.toBe('feedback');
    const group = (await groups())[0];
    const version = await readKbVersion(t.db.prisma);
    const result = await attachGroup(t.db.prisma, group.messageIds, { type: 'intent', intent: 'feedback' }, 'editor');
    expect(result).toEqual({ intent: 'feedback', phrases: 4, messages: 4 });
    expect(await t.db.prisma.trainingPhrase.count({ where: { intent: 'feedback', createdBy: 'editor' } })).toBe(4);
    expect(await readKbVersion(t.db.prisma)).toBe(version + 1);
    expect(await t.db.prisma.auditLog.count({ where: { action: 'review.attach', actor: 'editor' } })).toBe(1);
    await kb.refresh();
    expect(kb.nlu.understand(phrase).intent).toBe('feedback');
    expect((await groups()).map((g) => g.count)).toEqual([2, 1, 1]);
  });

  it('attaching to a procedure makes the NLU find that procedure for the phrasing', async () => {
    const birth = await t.db.prisma.procedure.findUniqueOrThrow({ where: { name: 'Đăng ký khai sinh' } });
    const group = (await groups()).find((g) => g.count === 2)!;
    await attachGroup(t.db.prisma, group.messageIds, { type: 'procedure', id: birth.id }, 'editor');
    const phrases = await t.db.prisma.trainingPhrase.findMany({ where: { targetType: 'procedure', targetId: birth.id } });
    expect(phrases.map((p) => p.intent)).toEqual(['procedure_lookup', 'procedure_lookup']);
    await kb.refresh();
    const u = kb.nlu.understand(NEWBORN);
    expect(u.intent).toBe('procedure_lookup');
    expect(u.procedure?.name).toBe('Đăng ký khai sinh');
    expect(u.confidence).toBeGreaterThanOrEqual(THRESHOLD);
  });

  it('attaching an out-of-scope group to an FAQ teaches the FAQ, not the intent classifier', async () => {
    const faq = await t.db.prisma.faq.findFirstOrThrow({ orderBy: { id: 'asc' } });
    const group = (await groups()).find((g) => g.sample === PARKING)!;
    expect((await attachGroup(t.db.prisma, group.messageIds, { type: 'faq', id: faq.id }, 'editor')).intent).toBe('faq');
    await kb.refresh();
    expect(kb.nlu.understand(PARKING).faq?.faq.id).toBe(faq.id);
  });

  it('turns a group into a new FAQ that the bot then matches', async () => {
    const group = (await groups()).find((g) => g.sample === BANK)!;
    const faq = await createFaqFromGroup(t.db.prisma, group.messageIds, 'Dạ, lệ phí nộp vào tài khoản số 0000 tại Kho bạc ạ.', 'editor');
    expect(faq.questions).toEqual([BANK]);
    expect(await t.db.prisma.revision.count({ where: { entityType: 'faq', entityId: faq.id, action: 'create' } })).toBe(1);
    await kb.refresh();
    expect(kb.nlu.understand(BANK).faq?.faq.id).toBe(faq.id);
    expect(await groups()).toEqual([]);
  });

  it('dismisses a group, and refuses unknown messages, unknown targets and an empty answer with the field', async () => {
    const [id] = await addMessages([{ text: 'asdfgh', createdAt: new Date() }]);
    expect(await dismissGroup(t.db.prisma, [id], 'editor')).toEqual({ messages: 1 });
    expect((await t.db.prisma.message.findUniqueOrThrow({ where: { id } })).reviewStatus).toBe('dismissed');
    const fail = (p: Promise<unknown>) => p.then(() => null, (e: ReviewError) => [e.status, e.field]);
    expect(await fail(dismissGroup(t.db.prisma, [999_999], 'editor'))).toEqual([404, 'messageIds']);
    expect(await fail(attachGroup(t.db.prisma, [id], { type: 'faq', id: 999_999 }, 'editor'))).toEqual([404, 'target.id']);
    expect(await fail(createFaqFromGroup(t.db.prisma, [id], '   ', 'editor'))).toEqual([400, 'answer']);
  });
});

describe('procedure questions the knowledge base cannot answer', () => {
  it('lists a confident procedure question that matched no procedure, so the office can add it', async () => {
    const [id] = await addMessages([{ text: 'thủ tục cấp phép nuôi chim yến', intent: 'procedure_lookup', confidence: 0.99, entities: { procedure: null }, createdAt: new Date(NOW - 1000) }]);
    expect((await groups()).some((g) => g.messageIds.includes(id))).toBe(true);
    await dismissGroup(t.db.prisma, [id], 'test');
  });
});

describe('review routes', () => {
  let url: string;
  let close: () => Promise<void>;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'memory:', LOG_LEVEL: 'silent' });
    const deps = { config, db: t.db, log: createLogger('silent'), kb, queue: { poke: () => undefined }, channels: {}, now: () => new Date() } as unknown as AppDeps;
    const server = express().use(express.json()).use(authRouter(deps)).use(createDataRouter(deps)).listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
    for (const role of ['editor', 'viewer'] as const) {
      await createUser(t.db.prisma, { username: `r-${role}`, password: 'mat-khau-thu-nghiem', role });
      const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: `r-${role}`, password: 'mat-khau-thu-nghiem' }) });
      tokens[role] = ((await res.json()) as { token: string }).token;
    }
  });
  afterAll(async () => { await close(); });
  const call = async (method: string, path: string, as: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[as]}` } });
    return { status: res.status, body: await res.json() as any };
  };

  it('lists groups for viewers, lets editors act on them, and answers 400 with the field for bad bodies', async () => {
    const ids = await addMessages([{ text: 'cây ATM gần nhất ở đâu', createdAt: new Date() }, { text: 'cay atm gan nhat o dau', createdAt: new Date() }]);
    const list = await call('GET', '/api/review?threshold=0.5', 'viewer');
    expect(list.status).toBe(200);
    expect(list.body.groups[0]).toMatchObject({ count: 2, messageIds: ids });
    expect((await call('POST', '/api/review/dismiss', 'viewer', { messageIds: ids })).status).toBe(403);
    const bad = await call('POST', '/api/review/attach', 'editor', { messageIds: ids, target: { type: 'intent', intent: 'nope' } });
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toBe('target.intent');
    expect((await call('GET', '/api/review?threshold=2', 'viewer')).status).toBe(400);
    const ok = await call('POST', '/api/review/attach', 'editor', { messageIds: ids, target: { type: 'intent', intent: 'contact_info' } });
    expect(ok).toMatchObject({ status: 200, body: { intent: 'contact_info', messages: 2 } });
    expect(kb.nlu.understand('cây ATM gần nhất ở đâu').intent).toBe('contact_info');
  });
});

describe('the review list over a long history', () => {
  it('reads back only as far as it needs: the newest N when the last week has them, older questions otherwise', async () => {
    const h = await openTestDb('pglite', { seed: false });
    try {
      const conv = (await h.db.prisma.conversation.create({ data: { channel: 'zalo', userId: 'citizen-history' } })).id;
      const add = (text: string, daysAgo: number) => h.db.prisma.message.create({
        data: { conversationId: conv, direction: 'in', channel: 'zalo', text, intent: 'out_of_scope', confidence: 0.3, createdAt: new Date(NOW - daysAgo * 86_400_000) },
      });
      const old = await add('câu hỏi từ hai tháng trước', 60);
      const recent = await add('câu hỏi hôm qua', 1);
      const few = await reviewMessages(h.db.prisma, { threshold: THRESHOLD, max: 50 });
      expect(few.map((m) => m.id)).toEqual([recent.id, old.id]);

      const before = await add('câu hỏi mười ngày trước', 10);
      await h.db.sql.query(`INSERT INTO "Message" ("conversationId", direction, channel, text, intent, confidence, "createdAt")
        SELECT $1, 'in', 'zalo', 'câu hỏi số ' || g, 'out_of_scope', 0.3, $2::timestamp(3) + g * interval '1 second'
        FROM generate_series(1, 50) g`, [conv, new Date(NOW - 2 * 86_400_000).toISOString()]);
      const many = await reviewMessages(h.db.prisma, { threshold: THRESHOLD, max: 50 });
      expect(many).toHaveLength(50);
      const ids = new Set(many.map((m) => m.id));
      expect(ids.has(recent.id)).toBe(true);
      expect(ids.has(before.id) || ids.has(old.id)).toBe(false);
      expect(many[0].id).toBe(recent.id);
    } finally {
      await h.close();
    }
  }, 60_000);
});
