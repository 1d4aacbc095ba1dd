import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noticeText } from '../src/bot/dossier-text.js';
import { createUser } from '../src/console/auth.js';
import { startTestServer, type TestServer } from './helpers/server.js';

// An editor corrects a dossier by hand: the change goes through the status feed's path, so it lands in the
// history and the audit log, and subscribers get the same notice the feed would have sent.

const PASSWORD = 'mat-khau-thu-nghiem';
const CODE = 'HC-260301-0001';

describe('hand corrections of a dossier', () => {
  let server: TestServer;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestServer();
    const { prisma } = server.runtime.deps.db;
    for (const role of ['editor', 'agent'] as const) {
      await createUser(prisma, { username: role, password: PASSWORD, role });
      const res = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: role, password: PASSWORD }) });
      tokens[role] = ((await res.json()) as { token: string }).token;
    }
    // Due 17:00 on 5 March in Viet Nam.
    const d = await prisma.dossier.create({ data: { code: CODE, procedureName: 'Đăng ký khai sinh', applicantName: 'Phạm Thị D', office: 'UBND xã',
      receivedAt: new Date('2026-03-02T02:00:00Z'), dueAt: new Date('2026-03-05T10:00:00Z'), status: 'processing',
      events: { create: { status: 'processing', at: new Date('2026-03-02T02:00:00Z') } } } });
    await prisma.subscription.create({ data: { dossierId: d.id, channel: 'web', userId: 'citizen-1' } });
    await prisma.dossierOwner.create({ data: { dossierId: d.id, channel: 'web', userId: 'citizen-1', method: 'otp' } });
  }, 180_000);
  afterAll(async () => { await server?.close(); });

  const patch = (body: unknown, role = 'editor') => fetch(`${server.url}/api/dossiers/${CODE}`, {
    method: 'PATCH', headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[role]}` }, body: JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, body: await r.json() as any }));

  it('moves the due date and status, keeps the time of day, records history and audit, and notifies as the feed does', async () => {
    const { prisma } = server.runtime.deps.db;
    const before = await prisma.dossier.findUniqueOrThrow({ where: { code: CODE } });
    const res = await patch({ status: 'needs_supplement', dueDate: '2026-03-12', note: 'Bản sao giấy chứng sinh', notePublic: true, updatedAt: before.updatedAt.toISOString() });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'needs_supplement', dueAt: '2026-03-12T10:00:00.000Z', notified: 1 });
    const d = await prisma.dossier.findUniqueOrThrow({ where: { code: CODE }, include: { events: { orderBy: { id: 'asc' } } } });
    expect(d.events.map((e) => e.status)).toEqual(['processing', 'needs_supplement']);
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: 'dossier.correct' } });
    expect(audit).toMatchObject({ actor: 'editor', entityType: 'dossier', entityId: String(d.id) });
    expect(audit.detail).toMatchObject({ code: CODE, from: 'processing', to: 'needs_supplement', note: 'Bản sao giấy chứng sinh', notePublic: true });
    const notice = await prisma.notification.findFirstOrThrow({ where: { dossierId: d.id } });
    expect(notice.text).toBe(noticeText({ code: CODE, procedureName: 'Đăng ký khai sinh', status: 'needs_supplement', statusChanged: true,
      dueAt: d.dueAt, previousDueAt: before.dueAt, note: 'Bản sao giấy chứng sinh', notePublic: true, now: notice.createdAt }));
    expect(notice.text).toContain('• Cần bổ sung: Bản sao giấy chứng sinh');
    expect(await prisma.job.count({ where: { key: `notify:${notice.id}` } })).toBe(1);
  });

  it('audits a note changed alone without notifying anyone', async () => {
    const { prisma } = server.runtime.deps.db;
    const res = await patch({ note: 'Đã gọi điện hướng dẫn', notePublic: false });
    expect(res.status).toBe(200);
    expect(res.body.notified).toBe(0);
    expect(await prisma.auditLog.count({ where: { action: 'dossier.correct' } })).toBe(2);
    expect(await prisma.notification.count()).toBe(1);
  });

  it('refuses a stale edit, a due date before reception, an unknown status and agents, in plain Vietnamese', async () => {
    expect((await patch({ status: 'done', updatedAt: '2020-01-01T00:00:00.000Z' })).status).toBe(409);
    const early = await patch({ dueDate: '2026-03-01' });
    expect(early).toMatchObject({ status: 400, body: { issues: [{ path: 'dueDate', message: 'Ngày hẹn trả không được trước ngày tiếp nhận.' }] } });
    const unknown = await patch({ status: 'lost' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.issues[0]).toEqual({ path: 'status', message: 'Giá trị này không có trong danh sách được chọn.' });
    expect((await patch({})).body.issues[0].message).toBe('Chưa có thay đổi nào để lưu.');
    expect((await patch({ status: 'done' }, 'agent')).status).toBe(403);
    const { prisma } = server.runtime.deps.db;
    expect((await prisma.dossier.findUniqueOrThrow({ where: { code: CODE } })).status).toBe('needs_supplement');
  });
});
