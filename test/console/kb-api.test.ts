import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from '../helpers/db.js';
import { call, login, startConsoleApp, type ConsoleApp, type Session } from './console-app.js';

const PARKING = {
  questions: ['Trụ sở phường có chỗ gửi xe máy cho người dân không?', 'gui xe o dau khi den lam thu tuc'],
  answer: 'Dạ, anh/chị gửi xe miễn phí ở bãi phía sau trụ sở.',
};
const issuePaths = (body: { issues: Array<{ path: string }> }) => body.issues.map((i) => i.path);

// The FAQ path runs on both databases; PostgreSQL is the production path.
describe.each(DB_KINDS)('FAQ editing on %s', (kind) => {
  let app: ConsoleApp;
  let editor: Session;
  beforeAll(async () => {
    app = await startConsoleApp(kind);
    editor = await login(app, 'editor');
  });
  afterAll(async () => { await app?.close(); });

  it('creates, edits, deletes and restores an FAQ, with its history, audit log and the bot using each change', async () => {
    const created = await call(app, 'POST', '/api/faqs', { session: editor, body: PARKING });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(id).toEqual(expect.any(Number));
    expect(created.body).toMatchObject({ ...PARKING, version: 1, enabled: true, buttons: [] });
    expect(app.kb.nlu.understand('gửi xe ở đâu khi đến làm thủ tục').faq?.faq.id).toBe(id);

    const patched = await call(app, 'PATCH', `/api/faqs/${id}`, { session: editor, body: { answer: 'Dạ, bãi xe đã chuyển sang bên trái trụ sở.', version: 1 } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ version: 2, questions: PARKING.questions, answer: 'Dạ, bãi xe đã chuyển sang bên trái trụ sở.' });
    expect(app.kb.snapshot.faqs.find((f) => f.id === id)?.answer).toBe('Dạ, bãi xe đã chuyển sang bên trái trụ sở.');
    const stale = await call(app, 'PATCH', `/api/faqs/${id}`, { session: editor, body: { answer: 'Bản cũ', version: 1 } });
    expect(stale.status).toBe(409);

    const found = await call(app, 'GET', `/api/faqs?q=${encodeURIComponent('GUI XE may')}`, { session: editor });
    expect(found.body.items.map((f: { id: number }) => f.id)).toContain(id);
    expect((await call(app, 'GET', '/api/faqs?q=khongcochunay', { session: editor })).body.total).toBe(0);

    expect((await call(app, 'DELETE', `/api/faqs/${id}`, { session: editor })).status).toBe(200);
    expect((await call(app, 'GET', `/api/faqs/${id}`, { session: editor })).status).toBe(404);
    expect(app.kb.snapshot.faqs.some((f) => f.id === id)).toBe(false);
    const deleted = await call(app, 'GET', '/api/faqs/deleted', { session: editor });
    expect(deleted.body.items[0]).toMatchObject({ id, name: PARKING.questions[0], deletedBy: 'editor' });

    const history = await call(app, 'GET', `/api/faqs/${id}/revisions`, { session: editor });
    expect(history.body.items.map((r: { action: string; version: number }) => `${r.action}@${r.version}`)).toEqual(['delete@3', 'update@2', 'create@1']);
    expect(history.body.items[1]).toMatchObject({ changedBy: 'editor', changed: ['answer'] });
    const first = history.body.items[2];
    const restored = await call(app, 'POST', `/api/faqs/${id}/revisions/${first.id}/restore`, { session: editor });
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ id, version: 4, answer: PARKING.answer });
    expect(app.kb.snapshot.faqs.find((f) => f.id === id)?.answer).toBe(PARKING.answer);

    const audit = await call(app, 'GET', `/api/audit?entityType=faq&entityId=${id}`, { session: editor });
    expect(audit.body.items.map((a: { action: string }) => a.action)).toEqual(['faq.restore', 'faq.delete', 'faq.update', 'faq.create']);
    expect(audit.body.items.every((a: { actor: string }) => a.actor === 'editor')).toBe(true);
  });

  it('answers 404 for an unknown id and 400 with the field for an invalid body, saving nothing', async () => {
    expect((await call(app, 'PATCH', '/api/faqs/987654', { session: editor, body: { answer: 'x' } })).status).toBe(404);
    expect((await call(app, 'GET', '/api/faqs/abc', { session: editor })).status).toBe(404);
    const before = await app.deps.db.prisma.revision.count();
    const bad = await call(app, 'POST', '/api/faqs', { session: editor, body: { questions: [], answer: '' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid');
    expect(issuePaths(bad.body).sort()).toEqual(['answer', 'questions']);
    const badPatch = await call(app, 'PATCH', `/api/faqs/${app.kb.snapshot.faqs[0].id}`, { session: editor, body: { buttons: [{ title: 'Mở' }] } });
    expect(issuePaths(badPatch.body)).toEqual(['buttons.0']);
    expect((await call(app, 'POST', '/api/faqs', { session: editor, raw: '{"questions": [' })).status).toBe(400);
    expect(await app.deps.db.prisma.revision.count()).toBe(before);
  });
});

describe('knowledge base on pglite', () => {
  let app: ConsoleApp;
  let editor: Session;
  beforeAll(async () => {
    app = await startConsoleApp('pglite', { realBot: true });
    editor = await login(app, 'editor');
  });
  afterAll(async () => { await app?.close(); });

  it('stores HTML and script in questions and answers as text, unchanged', async () => {
    const html = { questions: ['<img src=x onerror=alert(1)> giờ mở cửa?'], answer: '<script>alert("x")</script><b>Dạ</b> & "trích dẫn"' };
    const created = await call(app, 'POST', '/api/faqs', { session: editor, body: html });
    expect(created.body).toMatchObject(html);
    expect((await call(app, 'GET', `/api/faqs/${created.body.id}`, { session: editor })).body.answer).toBe(html.answer);
  });

  it('edits a procedure fee and rejects a second procedure with the same name', async () => {
    const list = await call(app, 'GET', `/api/procedures?q=${encodeURIComponent('dang ky khai sinh')}`, { session: editor });
    const birth = list.body.items.find((p: { name: string }) => p.name === 'Đăng ký khai sinh');
    expect(birth).toBeDefined();
    const patched = await call(app, 'PATCH', `/api/procedures/${birth.id}`, { session: editor, body: { fee: 'Miễn lệ phí (cập nhật)' } });
    expect(patched.body).toMatchObject({ fee: 'Miễn lệ phí (cập nhật)', version: birth.version + 1, name: birth.name });
    expect(app.kb.snapshot.procedures.find((p) => p.id === birth.id)?.fee).toBe('Miễn lệ phí (cập nhật)');
    // The sample entry had no history: its first edit keeps the original restorable.
    const history = (await call(app, 'GET', `/api/procedures/${birth.id}/revisions`, { session: editor })).body.items;
    expect(history.map((r: { action: string; changedBy: string | null }) => `${r.action}:${r.changedBy}`)).toEqual(['update:editor', 'create:null']);
    expect(history[1].data.fee).toBe(birth.fee);

    const { id: _id, version: _v, createdAt: _c, updatedAt: _u, isSample: _s, ...copy } = birth;
    const before = await app.deps.db.prisma.auditLog.count();
    const dup = await call(app, 'POST', '/api/procedures', { session: editor, body: { ...copy, code: null } });
    expect(dup.status).toBe(409);
    expect(issuePaths(dup.body)).toEqual(['name']);
    expect(await app.deps.db.prisma.auditLog.count()).toBe(before);
    const missing = await call(app, 'POST', '/api/procedures', { session: editor, body: { field: 'Hộ tịch' } });
    expect(issuePaths(missing.body)).toEqual(expect.arrayContaining(['name', 'level', 'fee']));
  });

  it('edits reform models and office contacts', async () => {
    const model = (await call(app, 'GET', '/api/models', { session: editor })).body.items[0];
    const m = await call(app, 'PATCH', `/api/models/${model.id}`, { session: editor, body: { year: 2024, keywords: ['một cửa số'] } });
    expect(m.body).toMatchObject({ year: 2024, keywords: ['một cửa số'], version: model.version + 1 });
    expect(issuePaths((await call(app, 'PATCH', `/api/models/${model.id}`, { session: editor, body: { year: 'năm ngoái' } })).body)).toEqual(['year']);

    const office = (await call(app, 'GET', '/api/offices', { session: editor })).body.items[0];
    const o = await call(app, 'PATCH', `/api/offices/${office.id}`, { session: editor, body: { hours: 'Thứ Hai–Thứ Sáu 7:00–17:00', hotline: '1900 0000' } });
    expect(o.body).toMatchObject({ hours: 'Thứ Hai–Thứ Sáu 7:00–17:00', hotline: '1900 0000' });
    expect(app.kb.snapshot.offices.find((x) => x.id === office.id)?.hotline).toBe('1900 0000');
  });

  it('"try it" shows the intent, the matched entry and the exact reply, before and after an edit', async () => {
    const created = await call(app, 'POST', '/api/faqs', { session: editor, body: PARKING });
    const ask = () => call(app, 'POST', '/api/try', { session: editor, body: { text: 'gửi xe máy ở đâu khi đến làm thủ tục' } });
    const before = await ask();
    expect(before.status).toBe(200);
    expect(before.body.understanding).toMatchObject({ intent: expect.any(String), confidence: expect.any(Number) });
    expect(before.body.matched).toMatchObject({ type: 'faq', id: created.body.id });
    expect(before.body.replies[0].text).toBe(PARKING.answer);

    await call(app, 'PATCH', `/api/faqs/${created.body.id}`, { session: editor, body: { answer: 'Dạ, bãi xe nay ở cổng phụ.' } });
    expect((await ask()).body.replies[0].text).toBe('Dạ, bãi xe nay ở cổng phụ.');
    expect((await call(app, 'POST', '/api/try', { session: editor, body: { text: '' } })).status).toBe(400);
    // Trying a question records nothing.
    expect(await app.deps.db.prisma.message.count()).toBe(0);
  });

  it('pages through the audit log, newest first', async () => {
    const page1 = await call(app, 'GET', '/api/audit?page=1', { session: editor });
    expect(page1.body.total).toBeGreaterThanOrEqual(5);
    expect(page1.body.items[0].action).toBe('faq.update');
    expect((await call(app, 'GET', '/api/audit?page=0', { session: editor })).status).toBe(400);
  });
});
