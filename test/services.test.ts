import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/console/auth.js';
import { createLogger } from '../src/logger.js';
import { escalateHandoffs } from '../src/services/routes.js';
import { startTestServer, waitFor, zaloText, type TestServer } from './helpers/server.js';

// The officials' services end to end: citizens write through the signed Zalo webhook, officials act through the
// console API, and what reaches the citizen is read at the fake Zalo API.

const PASSWORD = 'mat-khau-thu-nghiem';
let s: TestServer;
let agent: string;
let viewer: string;

beforeAll(async () => {
  s = await startTestServer();
  const { prisma } = s.runtime.deps.db;
  await createUser(prisma, { username: 'can.bo', password: PASSWORD, role: 'agent' });
  await createUser(prisma, { username: 'nguoi.xem', password: PASSWORD, role: 'viewer' });
  agent = await login('can.bo');
  viewer = await login('nguoi.xem');
});
afterAll(() => s?.close());

async function login(username: string): Promise<string> {
  const res = await fetch(`${s.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

async function api(method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${s.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: await res.json().catch(() => undefined) };
}

const sentTo = (user: string) => s.zalo.sent.filter((m) => m.userId === user);
const textOf = (m: { message: Record<string, unknown> }) => String(m.message.text ?? '');
const buttonsOf = (m: { message: Record<string, unknown> }) =>
  (m.message as { attachment?: { payload?: { buttons?: Array<{ title: string; payload: unknown }> } } }).attachment?.payload?.buttons ?? [];

/** Sends `text` as `user` and returns the text of the replies that follow. */
async function say(user: string, text: string): Promise<string> {
  const before = sentTo(user).length;
  expect((await s.postZalo(zaloText(user, text))).status).toBe(200);
  await waitFor(() => sentTo(user).length > before);
  await new Promise((r) => setTimeout(r, 100));
  return sentTo(user).slice(before).map(textOf).join('\n');
}
const waitForText = (user: string, part: string) => waitFor(() => sentTo(user).find((m) => textOf(m).includes(part)));
const conversationOf = (user: string) => s.runtime.deps.db.prisma.conversation.findFirstOrThrow({ where: { channel: 'zalo', userId: user } });

describe('hand-off inbox', () => {
  it('lists a citizen who asks for an official, keeps the bot silent, sends the agent reply through Zalo and hands back', async () => {
    const user = 'zh-1';
    expect(await say(user, 'cho tôi gặp cán bộ')).toContain('chuyển cuộc trò chuyện đến cán bộ');
    const inbox = await api('GET', '/api/handoffs', agent);
    const item = inbox.body.items.find((c: { userId: string }) => c.userId === user);
    expect(item).toMatchObject({ channel: 'zalo', handoffStatus: 'waiting', escalated: false, assignedTo: null });
    expect(item.lastMessages.map((m: { text: string }) => m.text)).toContain('cho tôi gặp cán bộ');

    const count = sentTo(user).length;
    await s.postZalo(zaloText(user, 'alo có ai không'));
    await waitFor(async () => (await api('GET', `/api/conversations/${item.id}/messages`, agent)).body.items.some((m: { text: string }) => m.text === 'alo có ai không'));
    await new Promise((r) => setTimeout(r, 500));
    expect(sentTo(user)).toHaveLength(count);
    // An address given for the official is not a question for the bot.
    await s.postZalo(zaloText(user, 'xã An Bình huyện Phú Giáo Bình Dương'));
    await waitFor(async () => (await api('GET', `/api/conversations/${item.id}/messages`, agent)).body.items.some((m: { text: string }) => m.text.startsWith('xã An Bình')));
    await new Promise((r) => setTimeout(r, 500));
    expect(sentTo(user)).toHaveLength(count);

    const reply = await api('POST', `/api/conversations/${item.id}/reply`, agent, { text: 'Chào anh, tôi là cán bộ Một cửa, tôi hỗ trợ anh ngay.' });
    expect(reply.status).toBe(201);
    await waitForText(user, 'tôi là cán bộ Một cửa');
    const active = (await api('GET', '/api/handoffs', viewer)).body.items.find((c: { id: number }) => c.id === item.id);
    expect(active).toMatchObject({ handoffStatus: 'active', assignedTo: 'can.bo' });
    const history = (await api('GET', `/api/conversations/${item.id}/messages`, viewer)).body.items;
    expect(history.at(-1)).toMatchObject({ direction: 'out', sentBy: 'agent:can.bo' });
    expect(await s.runtime.deps.db.prisma.auditLog.count({ where: { action: 'handoff.reply', entityId: String(item.id) } })).toBe(1);

    expect((await api('POST', `/api/conversations/${item.id}/handback`, agent)).status).toBe(200);
    await waitForText(user, 'cán bộ đã hoàn tất hỗ trợ');
    expect((await api('GET', '/api/handoffs', agent)).body.items.some((c: { id: number }) => c.id === item.id)).toBe(false);
    expect(await conversationOf(user)).toMatchObject({ handoffStatus: null, assignedTo: null });
    expect(await say(user, 'xin chào')).toMatch(/^Dạ, chào anh\/chị/);
    expect((await api('POST', `/api/conversations/${item.id}/handback`, agent)).status).toBe(409);
  });

  it('escalates a hand-off left unanswered past HANDOFF_ESCALATE_MINUTES, once, and lists it as escalated', async () => {
    await say('zh-2', 'cho tôi gặp cán bộ');
    await say('zh-3', 'tôi muốn gặp cán bộ');
    const waiting = await conversationOf('zh-2');
    const answered = await conversationOf('zh-3');
    expect((await api('POST', `/api/conversations/${answered.id}/reply`, agent, { text: 'Dạ, tôi đây.' })).status).toBe(201);

    const logs: string[] = [];
    const log = createLogger('warn', new Writable({ write(chunk, _enc, done) { logs.push(String(chunk)); done(); } }));
    const deps = { ...s.runtime.deps, log, config: { ...s.runtime.deps.config, HANDOFF_ESCALATE_MINUTES: 1 } };
    expect(await escalateHandoffs(deps)).not.toContain(waiting.id);
    const later = new Date(Date.now() + 2 * 60_000);
    const escalated = await escalateHandoffs(deps, later);
    expect(escalated).toContain(waiting.id);
    expect(escalated).not.toContain(answered.id);
    expect(await escalateHandoffs(deps, new Date(later.getTime() + 60_000))).not.toContain(waiting.id);
    expect(await s.runtime.deps.db.prisma.auditLog.count({ where: { action: 'handoff.escalated', entityId: String(waiting.id) } })).toBe(1);
    expect(logs.some((l) => l.includes('"level":40') && l.includes(`"conversationId":${waiting.id}`))).toBe(true);

    const items = (await api('GET', '/api/handoffs', agent)).body.items as Array<{ id: number; escalated: boolean }>;
    expect(items.find((c) => c.id === waiting.id)?.escalated).toBe(true);
    expect(items.find((c) => c.id === answered.id)?.escalated).toBe(false);
    // The default configuration (15 minutes) does not escalate a hand-off a few seconds old.
    await say('zh-4', 'cho tôi gặp cán bộ');
    expect(await escalateHandoffs(s.runtime.deps)).not.toContain((await conversationOf('zh-4')).id);
  });
});

describe('feedback tickets', () => {
  it('answers a ticket created in the chat; the answer reaches the citizen, who then sees it by the code', async () => {
    const user = 'zt-1';
    await say(user, 'tôi muốn phản ánh thái độ cán bộ');
    await say(user, 'Cán bộ tiếp nhận hồ sơ sáng nay nói chuyện thiếu tôn trọng');
    await say(user, '#skip');
    const code = (await say(user, '#yes')).match(/PA-\d{4}-\d{6}/)![0];

    const open = await api('GET', '/api/tickets?status=open', agent);
    expect(open.body.items.map((t: { code: string }) => t.code)).toContain(code);
    expect((await api('GET', `/api/tickets/${code}`, viewer)).body).toMatchObject({ code, status: 'open', content: expect.stringContaining('thiếu tôn trọng') });
    const bad = await api('POST', `/api/tickets/${code}/answer`, agent, { answer: '  ' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'invalid', issues: [{ path: 'answer' }] });

    const answer = 'Phường đã nhắc nhở cán bộ và xin lỗi anh/chị.';
    const res = await api('POST', `/api/tickets/${code}/answer`, agent, { answer });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ code, status: 'answered', answer, answeredBy: 'can.bo' });
    await waitForText(user, `Dạ, cơ quan đã trả lời phản ánh ${code}: ${answer}`);
    expect((await api('POST', `/api/tickets/${code}/answer`, agent, { answer: 'lần hai' })).status).toBe(409);
    expect(await say(user, code)).toContain(`đã có trả lời: ${answer}`);
    expect((await api('GET', '/api/tickets?status=answered', viewer)).body.items.map((t: { code: string }) => t.code)).toContain(code);
    expect((await api('GET', '/api/tickets/PA-2020-999999', agent)).status).toBe(404);
    expect((await api('POST', '/api/tickets/PA-2020-999999/answer', agent, { answer })).status).toBe(404);
    expect((await api('GET', '/api/tickets?status=unknown', agent)).status).toBe(400);
  });
});

describe('home service', () => {
  it('schedules a request made in the chat; the citizen gets the date and cancels with the button', async () => {
    const user = 'zd-1';
    await say(user, 'mẹ tôi già yếu không đi được, cán bộ đến nhà làm thủ tục được không');
    for (const step of ['Trần Thị Bình', '0912345678', '12 Nguyễn Huệ, phường 1', 'chứng thực']) await say(user, step);
    const code = (await say(user, '#reason:Người cao tuổi')).match(/DV-\d{4}-\d{6}/)![0];
    expect((await api('GET', '/api/home-services?status=new', viewer)).body.items.map((h: { code: string }) => h.code)).toContain(code);

    const past = await api('POST', `/api/home-services/${code}/schedule`, agent, { scheduledAt: '2020-01-01T02:00:00.000Z' });
    expect(past.status).toBe(400);
    expect(past.body.issues[0].path).toBe('scheduledAt');
    expect((await api('POST', `/api/home-services/${code}/schedule`, agent, { scheduledAt: 'ngày mai' })).status).toBe(400);

    const at = new Date(Date.UTC(new Date().getUTCFullYear() + 1, 2, 15, 2, 30)); // 09:30 on 15/03 in Hà Nội
    const res = await api('POST', `/api/home-services/${code}/schedule`, agent, { scheduledAt: at.toISOString(), staffNote: 'Mang máy chụp' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ code, status: 'scheduled', scheduledAt: at.toISOString(), staffNote: 'Mang máy chụp' });
    const notice = await waitForText(user, `yêu cầu ${code} lúc 09:30 ngày 15/03/${at.getUTCFullYear()}`);
    const button = buttonsOf(notice).find((b) => b.title === 'Hủy lịch');
    expect(button?.payload).toBe(`#home_cancel:${code}`);

    expect(await say(user, String(button!.payload))).toContain(`đã hủy yêu cầu phục vụ tại nhà ${code}`);
    expect((await api('GET', '/api/home-services?status=cancelled', agent)).body.items.map((h: { code: string }) => h.code)).toContain(code);
    expect((await api('POST', `/api/home-services/${code}/schedule`, agent, { scheduledAt: at.toISOString() })).status).toBe(409);
  });

  it('marks a request done or cancels it, with a 404 for an unknown code', async () => {
    const { prisma } = s.runtime.deps.db;
    const base = { channel: 'zalo', userId: 'zd-2', name: 'Lê Văn Cường', phone: '0912000111', address: '3 Lý Thường Kiệt', procedureName: 'Chứng thực', reason: 'Người khuyết tật' };
    await prisma.homeServiceRequest.create({ data: { ...base, code: 'DV-2020-900001' } });
    await prisma.homeServiceRequest.create({ data: { ...base, code: 'DV-2020-900002' } });
    expect((await api('POST', '/api/home-services/DV-2020-900001/done', agent)).body.status).toBe('done');
    expect((await api('POST', '/api/home-services/DV-2020-900001/cancel', agent)).status).toBe(409);
    expect((await api('POST', '/api/home-services/DV-2020-900002/cancel', agent, { reason: 'trùng yêu cầu' })).body.status).toBe('cancelled');
    expect((await api('POST', '/api/home-services/DV-2020-900009/done', agent)).status).toBe(404);
    expect(await prisma.auditLog.count({ where: { entityType: 'home_service', entityId: { in: ['DV-2020-900001', 'DV-2020-900002'] } } })).toBe(2);
  });
});

describe('ratings report', () => {
  it('reflects a rating given in the chat, per procedure and office, with its comment', async () => {
    const user = 'zr-1';
    await say(user, 'hồ sơ H12.22-240115-0007 đến đâu rồi');
    expect(await say(user, 'tôi muốn đánh giá')).toContain('chấm điểm');
    await say(user, '#score:4');
    expect(await say(user, 'Cán bộ hướng dẫn rất tận tình')).toContain('• Góp ý: Cán bộ hướng dẫn rất tận tình');
    expect(await say(user, '#yes')).toContain('ghi nhận đánh giá');

    const report = (await api('GET', '/api/ratings/report', viewer)).body;
    expect(report.overall.count).toBeGreaterThanOrEqual(1);
    expect(report.overall.byScore['4']).toBeGreaterThanOrEqual(1);
    expect(report.byProcedure).toContainEqual(expect.objectContaining({ name: 'Chứng thực hợp đồng, giao dịch', count: 1, average: 4 }));
    expect(report.byOffice.map((o: { name: string }) => o.name)).toContain('UBND Phường 2, thành phố Sa Đéc (trước sắp xếp đơn vị hành chính)');
    expect(report.latest[0]).toMatchObject({ score: 4, comment: 'Cán bộ hướng dẫn rất tận tình', dossierCode: 'H12.22-240115-0007' });
  });
});

describe('access', () => {
  it('lets a viewer read but not reply, and asks for a session on every path', async () => {
    await say('zv-1', 'cho tôi gặp cán bộ');
    const id = (await conversationOf('zv-1')).id;
    expect((await api('GET', `/api/conversations/${id}/messages`, viewer)).status).toBe(200);
    expect((await api('POST', `/api/conversations/${id}/reply`, viewer, { text: 'xin chào' })).status).toBe(403);
    expect((await api('POST', `/api/conversations/${id}/handback`, viewer)).status).toBe(403);
    for (const path of ['/api/handoffs', `/api/conversations/${id}/messages`, '/api/tickets', '/api/home-services', '/api/ratings/report']) {
      expect((await api('GET', path)).status, path).toBe(401);
    }
    expect((await api('POST', `/api/conversations/${id}/reply`, undefined, { text: 'x' })).status).toBe(401);
    const invalid = await api('POST', `/api/conversations/${id}/reply`, agent, { text: '' });
    expect(invalid).toMatchObject({ status: 400, body: { error: 'invalid', issues: [{ path: 'text' }] } });
    expect((await api('POST', '/api/conversations/999999/reply', agent, { text: 'x' })).status).toBe(404);
    expect((await api('GET', '/api/conversations/abc/messages', agent)).status).toBe(404);
  });
});
