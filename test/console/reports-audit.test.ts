import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, login, startConsoleApp, type ConsoleApp, type Session } from './console-app.js';

// The monthly report, the audit log in Vietnamese with its filters and export, the version history's diff and
// the console's validation messages, over HTTP on a real database.

const at = (s: string) => new Date(s);

async function download(app: ConsoleApp, session: Session, path: string): Promise<{ status: number; type: string; body: Buffer }> {
  const res = await fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${session.token}` } });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: Buffer.from(await res.arrayBuffer()) };
}

describe('reports and the audit log', () => {
  let app: ConsoleApp;
  let viewer: Session;
  let editor: Session;

  beforeAll(async () => {
    app = await startConsoleApp('pglite');
    viewer = await login(app, 'viewer');
    editor = await login(app, 'editor');
    const { prisma } = app.testDb.db;
    await prisma.dossier.deleteMany({ where: { isSample: true } }); // the sample's demo dossiers would count too
    const dossier = (code: string, procedureName: string, office: string, receivedAt: string, dueAt: string, status: string, doneAt?: string) =>
      prisma.dossier.create({ data: { code, procedureName, office, applicantName: 'Nguyễn Văn A', receivedAt: at(receivedAt), dueAt: at(dueAt), status,
        events: { create: doneAt ? [{ status: 'received', at: at(receivedAt) }, { status, at: at(doneAt) }] : [{ status, at: at(receivedAt) }] } } });
    // March 2026 in Viet Nam: two done on time, one late, one still open past its due date; one from February.
    await dossier('R-1', 'Đăng ký khai sinh', 'UBND xã Bình An', '2026-03-02T02:00:00Z', '2026-03-05T10:00:00Z', 'returned', '2026-03-04T02:00:00Z');
    await dossier('R-2', 'Chứng thực bản sao', 'UBND xã Bình An', '2026-03-03T02:00:00Z', '2026-03-04T10:00:00Z', 'done', '2026-03-04T03:00:00Z');
    await dossier('R-3', 'Đăng ký kết hôn', 'Công an xã', '2026-03-03T02:00:00Z', '2026-03-06T10:00:00Z', 'done', '2026-03-09T03:00:00Z');
    await dossier('R-4', 'Ăn chia tài sản', 'Công an xã', '2026-03-10T02:00:00Z', '2026-03-12T10:00:00Z', 'processing');
    await dossier('R-0', 'Đăng ký khai sinh', 'UBND xã Bình An', '2026-02-02T02:00:00Z', '2026-02-05T10:00:00Z', 'returned', '2026-02-04T02:00:00Z');
    await prisma.rating.createMany({ data: [
      { channel: 'zalo', userId: 'u1', score: 5, procedureName: 'Đăng ký khai sinh', office: 'UBND xã Bình An', createdAt: at('2026-03-04T05:00:00Z') },
      { channel: 'messenger', userId: 'u2', score: 2, comment: '=chậm', procedureName: 'Đăng ký kết hôn', office: 'Công an xã', createdAt: at('2026-03-09T05:00:00Z') },
      // 31/03 23:00 in Viet Nam is still March.
      { channel: 'zalo', userId: 'u3', score: 4, office: 'UBND xã Bình An', createdAt: at('2026-03-31T16:00:00Z') },
      // 01/04 00:30 in Viet Nam is April.
      { channel: 'zalo', userId: 'u4', score: 1, office: 'UBND xã Bình An', createdAt: at('2026-03-31T17:30:00Z') },
    ] });
    await prisma.ticket.createMany({ data: [
      { code: 'PA-1', channel: 'zalo', userId: 'u1', content: 'Đèn đường hỏng', dueAt: at('2026-03-10T10:00:00Z'), status: 'answered', answer: 'Dạ', answeredAt: at('2026-03-09T03:00:00Z'), answeredBy: 'agent', createdAt: at('2026-03-05T03:00:00Z') },
      { code: 'PA-2', channel: 'web', userId: 'w1', content: 'Ồn ào', dueAt: at('2026-03-12T10:00:00Z'), createdAt: at('2026-03-07T03:00:00Z') },
    ] });
    await prisma.homeServiceRequest.create({ data: { code: 'DV-1', channel: 'zalo', userId: 'u1', name: 'Trần Thị B', phone: '0912345678',
      address: 'ấp 3', procedureName: 'Chứng thực bản sao', reason: 'Người già', status: 'done', createdAt: at('2026-03-06T03:00:00Z') } });
    const conv = await prisma.conversation.create({ data: { channel: 'zalo', userId: 'u1' } });
    await prisma.handoff.createMany({ data: [
      { conversationId: conv.id, channel: 'zalo', userId: 'u1', status: 'closed', requestedAt: at('2026-03-05T02:00:00Z'), answeredAt: at('2026-03-05T02:12:00Z'), answeredBy: 'agent' },
      { conversationId: conv.id, channel: 'zalo', userId: 'u1', status: 'returned', requestedAt: at('2026-03-06T02:00:00Z') },
    ] });
  });
  afterAll(async () => { await app?.close(); });

  it('counts a month of dossiers, tickets, requests and ratings in Viet Nam days, with on time and late', async () => {
    const res = await call(app, 'GET', '/api/reports/monthly?from=2026-03-01&to=2026-03-31', { session: viewer });
    expect(res.status).toBe(200);
    const [summary, byChannel, byProcedure, byOffice] = res.body.tables;
    const figure = (name: string) => summary.rows.find((r: unknown[]) => r[0] === name)?.[1];
    expect(figure('Kỳ báo cáo')).toBe('01/03/2026 – 31/03/2026');
    expect(figure('Hồ sơ tiếp nhận')).toBe(4);
    expect(figure('Hồ sơ đã giải quyết')).toBe(3);
    expect(figure('  trong đó đúng hạn')).toBe(2);
    expect(figure('  trong đó trễ hạn')).toBe(1);
    expect(figure('Hồ sơ chưa giải quyết, đã quá hạn (cuối kỳ)')).toBe(1);
    expect(figure('Phản ánh, kiến nghị nhận được')).toBe(2);
    expect(figure('  đã trả lời đúng hạn')).toBe(1);
    expect(figure('Yêu cầu phục vụ tại nhà')).toBe(1);
    expect(figure('Yêu cầu gặp cán bộ')).toBe(2);
    expect(figure('  thời gian chờ trung vị (phút)')).toBe(12);
    expect(figure('Lượt đánh giá hài lòng')).toBe(3);
    expect(byChannel.headers[0]).toBe('Kênh');
    expect(byChannel.rows.map((r: unknown[]) => r[0])).toEqual(['Messenger', 'Trang web', 'Zalo']);
    // Vietnamese order: "Ăn…" after "A…", "Đăng ký…" after "Chứng thực…" and before "Xóa…".
    expect(byProcedure.rows.map((r: unknown[]) => r[0])).toEqual(['Ăn chia tài sản', 'Chứng thực bản sao', 'Đăng ký kết hôn', 'Đăng ký khai sinh']);
    expect(byOffice.rows.map((r: unknown[]) => r[0])).toEqual(['Công an xã', 'UBND xã Bình An']);
    expect(byOffice.rows[0].slice(1, 7)).toEqual([2, 1, 0, 1, '0%', 1]);
  });

  it('limits dossiers and ratings to one office', async () => {
    const res = await call(app, 'GET', `/api/reports/monthly?from=2026-03-01&to=2026-03-31&office=${encodeURIComponent('Công an xã')}`, { session: viewer });
    const figure = (name: string) => res.body.tables[0].rows.find((r: unknown[]) => r[0] === name)?.[1];
    expect(figure('Cơ quan')).toBe('Công an xã');
    expect(figure('Hồ sơ tiếp nhận')).toBe(2);
    expect(figure('Lượt đánh giá hài lòng')).toBe(1);
    const offices = await call(app, 'GET', '/api/reports/offices', { session: viewer });
    expect(offices.body.items).toEqual(expect.arrayContaining(['Công an xã', 'UBND xã Bình An']));
  });

  it('downloads the report as an Excel workbook with Vietnamese sheets and as a CSV Excel opens in UTF-8', async () => {
    const xlsx = await download(app, viewer, '/api/reports/monthly.xlsx?from=2026-03-01&to=2026-03-31');
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(['Tổng hợp', 'Theo kênh', 'Theo thủ tục', 'Theo cơ quan', 'Đánh giá',
      'Phản ánh, kiến nghị', 'Phục vụ tại nhà', 'Gặp cán bộ']);
    const ratings = book.getWorksheet('Đánh giá')!;
    expect(ratings.getRow(1).values).toEqual([undefined, 'Thời gian', 'Kênh', 'Thủ tục', 'Cơ quan', 'Điểm', 'Góp ý']);
    expect(ratings.getRow(2).getCell(1).value).toBe('04/03/2026 12:00');
    expect(ratings.getRow(3).getCell(6).value).toBe("'=chậm"); // never a formula
    expect(ratings.getRow(4).getCell(1).value).toBe('31/03/2026 23:00');
    const csv = await download(app, viewer, '/api/reports/monthly.csv?from=2026-03-01&to=2026-03-31');
    expect(csv.type).toContain('text/csv');
    const text = csv.body.toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain('Tổng hợp\r\nChỉ tiêu,Số liệu\r\n');
    expect(text).toContain('Gặp cán bộ');
  });

  it('refuses a period that ends before it starts, saying so in Vietnamese', async () => {
    const res = await call(app, 'GET', '/api/reports/monthly?from=2026-03-10&to=2026-03-01', { session: viewer });
    expect(res.status).toBe(400);
    expect(res.body.issues[0]).toEqual({ path: 'to', message: 'Ngày kết thúc phải sau ngày bắt đầu.' });
  });

  it('words the audit log in Vietnamese, filters it by who, what, when and entity, and exports it', async () => {
    const created = await call(app, 'POST', '/api/faqs', { session: editor, body: { questions: ['Có gửi xe không?'], answer: 'Dạ, có.' } });
    await call(app, 'PATCH', `/api/faqs/${created.body.id}`, { session: editor, body: { answer: 'Dạ, có chỗ gửi xe miễn phí.', tags: ['gửi xe'] } });
    await app.testDb.db.prisma.auditLog.create({ data: { actor: null, action: 'dossier.import', entityType: 'dossier', detail: { created: 3, updated: 1 } } });
    const all = await call(app, 'GET', '/api/audit', { session: viewer });
    const update = all.body.items.find((e: { action: string }) => e.action === 'faq.update');
    expect(update).toMatchObject({ actorName: 'editor', actionName: 'Sửa câu hỏi thường gặp', entityName: 'Câu hỏi thường gặp', target: 'Có gửi xe không?' });
    expect(update.details).toBe('phiên bản 2 · đổi: Câu trả lời, Nhãn');
    const imported = all.body.items.find((e: { action: string }) => e.action === 'dossier.import');
    expect(imported).toMatchObject({ actorName: 'hệ thống', actionName: 'Nhập từ tệp hồ sơ', target: 'Hồ sơ', details: '3 mới · 1 cập nhật' });
    expect(JSON.stringify(all.body.items)).not.toContain('#null');

    const byEditor = await call(app, 'GET', '/api/audit?actor=editor&action=faq', { session: viewer });
    expect(byEditor.body.items.map((e: { action: string }) => e.action)).toEqual(['faq.update', 'faq.create']);
    const byEntity = await call(app, 'GET', '/api/audit?entityType=dossier', { session: viewer });
    expect(byEntity.body.items.map((e: { action: string }) => e.action)).toEqual(['dossier.import']);
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    expect((await call(app, 'GET', `/api/audit?from=${today}&to=${today}`, { session: viewer })).body.total).toBe(3);
    expect((await call(app, 'GET', '/api/audit?to=2020-01-01', { session: viewer })).body.total).toBe(0);
    const options = await call(app, 'GET', '/api/audit/options', { session: viewer });
    expect(options.body.actions.map((a: { label: string }) => a.label)).toEqual(['Nhập từ tệp hồ sơ', 'Sửa câu hỏi thường gặp', 'Tạo câu hỏi thường gặp']);

    const csv = await download(app, viewer, '/api/audit/export.csv?actor=editor');
    const text = csv.body.toString('utf8');
    expect(text.split('\r\n')[0]).toBe('\uFEFFThời gian,Người thực hiện,Thao tác,Loại mục,Mục,Chi tiết');
    expect(text).toContain('Sửa câu hỏi thường gặp');
    expect(text).not.toContain('Nhập từ tệp');
    expect((await download(app, viewer, '/api/audit/export.xlsx')).status).toBe(200);
    expect((await call(app, 'GET', '/api/audit', { session: await login(app, 'agent') })).status).toBe(403);
  });

  it('shows a version\'s changes field by field as the form labels them', async () => {
    const created = await call(app, 'POST', '/api/faqs', { session: editor, body: { questions: ['Nộp hồ sơ ở đâu?'], answer: 'Dạ, ở bộ phận một cửa.' } });
    await call(app, 'PATCH', `/api/faqs/${created.body.id}`, { session: editor, body: { answer: 'Dạ, ở tầng 1.', enabled: false } });
    const res = await call(app, 'GET', `/api/faqs/${created.body.id}/revisions`, { session: viewer });
    expect(res.body.items[0].diff).toEqual([
      { field: 'answer', label: 'Câu trả lời', before: 'Dạ, ở bộ phận một cửa.', after: 'Dạ, ở tầng 1.' },
      { field: 'enabled', label: 'Đang dùng', before: 'có', after: 'không' },
    ]);
    expect(res.body.items[1].diff.map((d: { label: string }) => d.label)).toEqual(['Các cách hỏi', 'Câu trả lời', 'Đang dùng']);
  });

  it('lists procedures in Vietnamese alphabetical order, not code-point order', async () => {
    const base = { field: 'Nhóm qxz', level: 'Cấp xã', office: 'UBND xã', processingTime: '1 ngày', fee: 'Không', place: 'Một cửa', howToSubmit: 'Trực tiếp' };
    for (const name of ['Xóa đăng ký thường trú thử', 'Đăng ký tạm trú thử', 'Ủy quyền thử', 'Cấp bản sao thử', 'Ăn thử']) {
      expect((await call(app, 'POST', '/api/procedures', { session: editor, body: { ...base, name } })).status).toBe(201);
    }
    const res = await call(app, 'GET', '/api/procedures?q=qxz', { session: viewer });
    expect(res.body.items.map((p: { name: string }) => p.name)).toEqual(['Ăn thử', 'Cấp bản sao thử', 'Đăng ký tạm trú thử', 'Ủy quyền thử', 'Xóa đăng ký thường trú thử']);
  });

  it('answers invalid input with plain Vietnamese per field, never zod\'s wording or English', async () => {
    const res = await call(app, 'POST', '/api/faqs', { session: editor, body: { questions: ['Hỏi gì đó'], answer: '', buttons: [{ title: 'Một tiêu đề quá dài cho nút', url: 'ftp://x' }] } });
    expect(res.status).toBe(400);
    const messages = Object.fromEntries(res.body.issues.map((i: { path: string; message: string }) => [i.path, i.message]));
    expect(messages.answer).toBe('Chưa nhập.');
    expect(messages['buttons.0.title']).toBe('Dài quá: tối đa 20 ký tự.');
    expect(JSON.stringify(res.body)).not.toMatch(/mong đợi|expected|must be|Quá nhỏ/);
  });
});
