import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Prisma } from '../../src/generated/prisma/client.js';
import { isLowMargin, isNotUnderstood, isRealQuestion, isRejection, lowMarginSql, notUnderstoodSql, realQuestionSql } from '../../src/console/not-understood.js';
import { reviewGroups } from '../../src/console/review.js';
import { dashboardStats } from '../../src/console/stats.js';
import { HIDDEN } from '../../src/console/personal-data.js';
import { call, login, startConsoleApp, type ConsoleApp, type Session } from './console-app.js';

// One rule for "a real question" and "not understood", in SQL and in TypeScript; the review list built on it
// (rejected answers, close calls, no form answers, surrounding turns with the options offered and the one picked)
// and the dashboard's rate.

const THRESHOLD = 0.45;
const FORM = { form: { flow: 'home_service', step: 'phone', personal: true, outcome: 'answer' } };
const BIRTH = { procedure: 'Đăng ký khai sinh', matched: { type: 'procedure', id: 1, name: 'Đăng ký khai sinh' } };

let app: ConsoleApp;
let conv: { id: number };
const s: Record<string, Session> = {};
const base = Date.now() - 3600_000;
let seq = 0;
type Row = Partial<Prisma.MessageCreateManyInput> & { text: string };
async function add(rows: Row[], conversationId = conv.id): Promise<number[]> {
  const made = await app.deps.db.prisma.message.createManyAndReturn({
    data: rows.map((r) => ({ conversationId, channel: 'zalo', direction: 'in', intent: 'out_of_scope', confidence: 0.9,
      createdAt: new Date(base + (seq++) * 60_000), ...r })),
    select: { id: true },
  });
  return made.map((m) => m.id);
}

beforeAll(async () => {
  app = await startConsoleApp('pglite');
  for (const u of ['admin', 'editor', 'viewer']) s[u] = await login(app, u);
  conv = await app.deps.db.prisma.conversation.create({ data: { channel: 'zalo', userId: 'r-1' } });
}, 180_000);
afterAll(async () => { await app?.close(); });

describe('the rule, in SQL and TypeScript', () => {
  it('agrees row by row over every kind of stored message', async () => {
    const other = await app.deps.db.prisma.conversation.create({ data: { channel: 'zalo', userId: 'rule' } });
    const rows: Row[] = [
      { text: 'thời tiết mai thế nào' },
      { text: 'lệ phí khai sinh', intent: 'procedure_lookup', confidence: 0.99, entities: BIRTH },
      { text: 'thủ tục nuôi chim yến', intent: 'procedure_lookup', confidence: 0.99, entities: { procedure: null } },
      { text: 'giờ làm việc', intent: 'out_of_scope', confidence: 0.9, entities: { matched: { type: 'faq', id: 1 } } },
      { text: 'giờ làm việc?', intent: 'out_of_scope', confidence: 0.2, entities: { matched: { type: 'faq', id: 1 } } },
      { text: 'xin chào', intent: 'greeting', confidence: 0.3 },
      { text: '0912 345 678', intent: null, confidence: null, entities: FORM },
      { text: 'Nguyễn Thị Hoa', intent: 'out_of_scope', confidence: 0.2, entities: FORM },
      { text: 'sai rồi', intent: 'out_of_scope', confidence: 0.2 },
      { text: 'Không phải ạ!', intent: 'out_of_scope', confidence: 0.2 },
      { text: 'không phải, tôi hỏi khai tử', intent: 'procedure_lookup', confidence: 0.6, entities: { procedure: 'Đăng ký khai tử' } },
      { text: 'kết hôn', intent: 'procedure_lookup', confidence: 0.9, entities: { ...BIRTH, procedure: 'Đăng ký kết hôn', procedureScore: 0.82, margin: 30 } },
      { text: 'cấp lại', intent: 'procedure_lookup', confidence: 0.9, entities: { ...BIRTH, procedureScore: 0.97, margin: 6 } },
      { text: 'bot trả lời', direction: 'out', intent: null, confidence: null },
      { text: '[image]', kind: 'image', intent: null, confidence: null },
    ];
    const ids = await add(rows, other.id);
    const sql = await app.deps.db.prisma.$queryRawUnsafe<Array<{ id: number; real: boolean; missed: boolean; close: boolean }>>(
      `SELECT id, ${realQuestionSql('')} AS real, ${notUnderstoodSql('', '$1')} AS missed, ${lowMarginSql('')} AS close
       FROM "Message" WHERE "conversationId" = $2 ORDER BY id`, THRESHOLD, other.id);
    const stored = await app.deps.db.prisma.message.findMany({ where: { conversationId: other.id }, orderBy: { id: 'asc' } });
    const ts = stored.map((m) => ({ id: m.id, real: isRealQuestion(m), missed: isNotUnderstood(m, THRESHOLD), close: isLowMargin(m) }));
    expect(sql.map((r) => ({ ...r, missed: Boolean(r.missed) }))).toEqual(ts);
    const realAndMissed = ts.filter((r) => r.real && r.missed).map((r) => rows[ids.indexOf(r.id)].text);
    expect(realAndMissed).toEqual(['thời tiết mai thế nào', 'thủ tục nuôi chim yến', 'xin chào']);
    expect(ts.filter((r) => r.real && r.close).map((r) => rows[ids.indexOf(r.id)].text)).toEqual(['kết hôn', 'cấp lại']);
    await app.deps.db.prisma.conversation.delete({ where: { id: other.id } });
  });

  it('reads rejections with and without diacritics, not questions that merely contain the words', () => {
    for (const t of ['sai rồi', 'Sai rồi bot ơi', 'khong phai', 'ko phải cái này', 'không đúng ạ', 'nham roi']) expect(isRejection(t), t).toBe(true);
    for (const t of ['sài gòn có làm không', 'thủ tục không phải đăng ký', 'phải làm gì']) expect(isRejection(t), t).toBe(false);
  });
});

describe('the review list', () => {
  let rejected: number;
  let rated: number;
  let close: number;
  let form: number;
  let asked: number;
  beforeAll(async () => {
    const { prisma } = app.deps.db;
    [asked] = await add([{ text: 'đăng ký cho con', intent: 'procedure_lookup', confidence: 0.7, entities: { procedure: null } }]);
    await add([{ text: 'Dạ, anh/chị hỏi thủ tục nào ạ?', direction: 'out', sentBy: 'bot', intent: null, confidence: null,
      payload: { text: 'x', buttons: [{ title: '1. Khai sinh', payload: '#pick:1' }, { title: '2. Thường trú', payload: '#pick:2' }] } }]);
    await add([{ text: '1', intent: 'procedure_lookup', confidence: 0.99, entities: BIRTH }]);
    const birth = await prisma.procedure.findFirstOrThrow({ where: { name: 'Đăng ký khai sinh' } });
    await prisma.clarification.create({ data: { channel: 'zalo', userId: 'r-1', text: 'đăng ký cho con', options: [{ id: birth.id, name: 'Đăng ký khai sinh' }, { id: 2, name: 'Đăng ký thường trú' }],
      status: 'picked', pickedProcedureId: birth.id, pickedBy: 'number', createdAt: (await prisma.message.findUniqueOrThrow({ where: { id: asked } })).createdAt } });
    [rejected] = await add([{ text: 'mất giấy khai sinh làm lại', intent: 'procedure_lookup', confidence: 0.95, entities: BIRTH }]);
    await add([{ text: 'Dạ, thủ tục Đăng ký khai sinh...', direction: 'out', sentBy: 'bot', intent: null, confidence: null }]);
    await add([{ text: 'sai rồi', intent: 'out_of_scope', confidence: 0.3 }]);
    [form] = await add([{ text: '0912 345 678', intent: 'out_of_scope', confidence: 0.1, entities: FORM }]);
    [rated] = await add([{ text: 'hồ sơ của tôi tới đâu rồi', intent: 'dossier_status', confidence: 0.95, entities: { matched: { type: 'dossier', id: 1 } } }]);
    await prisma.rating.create({ data: { channel: 'zalo', userId: 'r-1', score: 1, createdAt: new Date(base + seq * 60_000) } });
    seq += 20;
    [close] = await add([{ text: 'đăng ký kết hôn với người nước ngoài', intent: 'procedure_lookup', confidence: 0.95,
      entities: { ...BIRTH, procedure: 'Đăng ký kết hôn', procedureScore: 0.83, margin: 5.5 } }]);
  });

  it('lists rejected answers, a low rating right after, close calls and what was not understood; never form answers or a bare "sai rồi"', async () => {
    const groups = await reviewGroups(app.deps.db.prisma, { threshold: THRESHOLD });
    const ids = groups.flatMap((g) => g.messageIds);
    expect(ids).toEqual(expect.arrayContaining([asked, rejected, rated, close]));
    expect(ids).not.toContain(form);
    expect(groups.some((g) => g.texts.includes('sai rồi'))).toBe(false);
    const reasons = (id: number) => groups.find((g) => g.messageIds.includes(id))!.examples.find((e) => e.id === id)!.reasons;
    expect(reasons(asked)).toEqual(['not_understood']);
    expect(reasons(rejected)).toEqual(['rejected']);
    expect(reasons(rated)).toEqual(['rejected']);
    expect(reasons(close)).toEqual(['low_margin']);
    const only = await reviewGroups(app.deps.db.prisma, { threshold: THRESHOLD, reason: 'low_margin' });
    expect(only.flatMap((g) => g.messageIds)).toEqual([close]);
    const found = await reviewGroups(app.deps.db.prisma, { threshold: THRESHOLD, q: 'ket hon nuoc ngoai' });
    expect(found.map((g) => g.sample)).toEqual(['đăng ký kết hôn với người nước ngoài']);
  });

  it('shows a message with its turns, the options the bot offered and the one picked; personal answers masked for editors', async () => {
    const ctx = await call(app, 'GET', `/api/review/context/${asked}`, { session: s.editor });
    expect(ctx.status).toBe(200);
    expect(ctx.body.turns.find((t: { current: boolean }) => t.current).text).toBe('đăng ký cho con');
    expect(ctx.body.turns.find((t: { from: string }) => t.from === 'bot').buttons).toEqual(['1. Khai sinh', '2. Thường trú']);
    expect(ctx.body.clarification).toMatchObject({ options: ['Đăng ký khai sinh', 'Đăng ký thường trú'], picked: 'Đăng ký khai sinh', status: 'picked' });
    const near = await call(app, 'GET', `/api/review/context/${rated}`, { session: s.editor });
    expect(near.body.turns.find((t: { id: number }) => t.id === form).text).toBe(HIDDEN);
    const admin = await call(app, 'GET', `/api/review/context/${rated}`, { session: s.admin });
    expect(admin.body.turns.find((t: { id: number }) => t.id === form).text).toBe('0912 345 678');
    expect((await call(app, 'GET', '/api/review/context/999999', { session: s.viewer })).status).toBe(404);
    const list = await call(app, 'GET', `/api/review?reason=rejected&q=${encodeURIComponent('khai sinh')}`, { session: s.viewer });
    expect(list.body.groups.flatMap((g: { messageIds: number[] }) => g.messageIds)).toEqual([rejected]);
    expect((await call(app, 'GET', '/api/review?reason=nope', { session: s.viewer })).status).toBe(400);
  });

  it('the dashboard rate counts real questions only', async () => {
    const stats = await dashboardStats(app.deps.db.prisma, { days: 2, threshold: THRESHOLD, now: new Date() });
    const total = stats.notUnderstood.reduce((n, d) => n + d.inbound, 0);
    const missed = stats.notUnderstood.reduce((n, d) => n + d.notUnderstood, 0);
    // Questions: đăng ký cho con, 1, mất giấy..., hồ sơ..., kết hôn (not the form answer, not "sai rồi").
    expect([total, missed]).toEqual([5, 1]);
  });
});
