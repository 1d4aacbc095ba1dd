import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/console/auth.js';
import { runHandoffTimers } from '../src/services/routes.js';
import { usedRate } from './helpers/rate.js';
import { startTestServer, waitFor, zaloText, type TestServer } from './helpers/server.js';

// The citizen's side end to end over signed webhooks and the web chat API: forms that store only what fits,
// hand-off with a lifecycle, private dossiers, small talk and English.

let s: TestServer;
const used = (prefix: string, windowMs: number) => usedRate(s.runtime.deps.db, prefix, windowMs, s.runtime.deps.now());
let alerts: Array<Record<string, unknown>>;
let alertServer: Server;
let agent: string;
const PASSWORD = 'mat-khau-thu-nghiem';

beforeAll(async () => {
  alerts = [];
  alertServer = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    alerts.push({ auth: req.headers.authorization, ...JSON.parse(Buffer.concat(chunks).toString('utf8')) });
    res.writeHead(204).end();
  });
  await new Promise<void>((r) => alertServer.listen(0, '127.0.0.1', r));
  s = await startTestServer({
    OFFICE_HOURS: 'CN-T7 00:00-24:00', MESSENGER_APP_ID: '555000',
    HANDOFF_ALERT_WEBHOOK_URL: `http://127.0.0.1:${(alertServer.address() as AddressInfo).port}/duty`, HANDOFF_ALERT_WEBHOOK_TOKEN: 'duty-token',
  });
  await createUser(s.runtime.deps.db.prisma, { username: 'can.bo', password: PASSWORD, role: 'agent' });
  const login = await fetch(`${s.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'can.bo', password: PASSWORD }) });
  agent = ((await login.json()) as { token: string }).token;
}, 60_000);
afterAll(async () => {
  await s?.close();
  alertServer?.close();
});

type Button = { title: string; payload?: unknown };
const sentTo = (user: string) => s.zalo.sent.filter((m) => m.userId === user);
const textOf = (m: { message: Record<string, unknown> }) => String(m.message.text ?? '');

/** Sends `text` (or a whole event) as a Zalo user; returns the replies' text, buttons and raw messages. */
async function zalo(user: string, text: string | Record<string, unknown>) {
  const before = sentTo(user).length;
  expect((await s.postZalo(typeof text === 'string' ? zaloText(user, text) : text)).status).toBe(200);
  await waitFor(() => sentTo(user).length > before);
  await new Promise((r) => setTimeout(r, 120));
  const mine = sentTo(user).slice(before);
  return {
    text: mine.map(textOf).join('\n'),
    buttons: mine.flatMap((m) => ((m.message as { attachment?: { payload?: { buttons?: Button[] } } }).attachment?.payload?.buttons ?? [])),
    raw: JSON.stringify(mine.map((m) => m.message)),
  };
}
let infoSeq = 0;
const submitInfo = (user: string, info: Record<string, unknown>) =>
  ({ event_name: 'user_submit_info', timestamp: String(Date.now() + ++infoSeq), sender: { id: user }, recipient: { id: 'oa-1' }, info });

/** Sends on the web chat; returns the replies that follow. */
async function web(sessionId: string, body: { text?: string; payload?: string }) {
  const all = async () => ((await (await fetch(`${s.url}/api/chat/messages?sessionId=${sessionId}&after=0`)).json()) as { messages: Array<{ id: number; text: string; reply: { buttons?: Button[]; requestUserInfo?: unknown } }> }).messages;
  const before = (await all()).length;
  const res = await fetch(`${s.url}/api/chat/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sessionId, ...body }) });
  expect(res.status).toBe(202);
  await waitFor(async () => (await all()).length > before);
  await new Promise((r) => setTimeout(r, 120));
  const mine = (await all()).slice(before);
  return { text: mine.map((m) => m.text).join('\n'), buttons: mine.flatMap((m) => m.reply?.buttons ?? []), raw: JSON.stringify(mine) };
}

const prisma = () => s.runtime.deps.db.prisma;
const inbound = async (channel: string, userId: string) => prisma().message.findMany({ where: { direction: 'in', conversation: { channel, userId } }, orderBy: { id: 'asc' } });

describe('the home-service form', () => {
  it('re-asks what does not fit, offers the Zalo form only on Zalo, shows a summary, corrects a field and stores exactly that', async () => {
    const user = 'zd-home-1';
    const a = await zalo(user, 'đăng ký phục vụ tại nhà');
    expect(a.text).toContain('họ và tên');
    expect(a.raw).toContain('request_user_info'); // Zalo has the contact form
    expect((await zalo(user, 'đăng ký phục vụ tại nhà')).text).toContain('chưa nhận ra họ và tên');
    expect((await zalo(user, 'Nguyễn Thị Hoa')).text).toContain('số điện thoại');
    expect((await zalo(user, 'Nguyễn Thị Hoa')).text).toContain('số điện thoại chưa đúng');
    expect((await zalo(user, '😀😀😀')).text).toMatch(/ví dụ: 0912 345 678[\s\S]*nhắn "hủy"/); // the second miss says how to leave
    expect((await zalo(user, '+84 912.345.678')).text).toContain('địa chỉ');
    expect((await zalo(user, '12 Nguyễn Huệ, phường 1')).text).toContain('thủ tục gì');
    const summary = await zalo(user, 'chứng thực bản sao');
    expect(summary.text).toContain('• Điện thoại: 0912 345 678');
    expect(summary.text).toContain('• Họ và tên: Nguyễn Thị Hoa');
    expect(summary.buttons.map((b) => b.title)).toEqual(['Người cao tuổi', 'Người khuyết tật', 'Đang ốm, bệnh', 'Lý do khác', 'Sửa']);
    expect((await zalo(user, '#reason:other')).text).toContain('lý do');
    const full = await zalo(user, 'Mẹ tôi đang nằm viện');
    expect(full.text).toContain('• Lý do: Mẹ tôi đang nằm viện');
    expect(full.buttons.map((b) => b.title)).toEqual(['Gửi', 'Sửa', 'Hủy']);
    const fields = await zalo(user, 'sửa');
    expect(fields.buttons.map((b) => b.payload)).toContain('#edit:phone');
    expect((await zalo(user, '#edit:phone')).text).toContain('số điện thoại');
    expect((await zalo(user, '0987 654 321')).text).toContain('• Điện thoại: 0987 654 321'); // back to the summary
    await zalo(user, '#edit:date');
    expect((await zalo(user, '31/2/2026')).text).toContain('chưa đọc được ngày');
    const d = new Date(Date.now() + 3 * 86_400_000 + 7 * 3600_000);
    const dd = `${d.getUTCDate()}/${d.getUTCMonth() + 1}/${d.getUTCFullYear()}`;
    expect((await zalo(user, dd)).text).toContain('• Ngày mong muốn:');
    const saved = await zalo(user, '#yes');
    const code = saved.text.match(/DV-\d{4}-\d{6}/)![0];
    const row = await prisma().homeServiceRequest.findUniqueOrThrow({ where: { code } });
    expect(row).toMatchObject({ name: 'Nguyễn Thị Hoa', phone: '0987654321', address: '12 Nguyễn Huệ, phường 1', reason: 'Mẹ tôi đang nằm viện' });
    expect(row.preferredDate).not.toBeNull();
    // Form answers are recorded as such (no intent): the review list never shows them as "not understood".
    const answers = (await inbound('zalo', user)).filter((m) => (m.entities as { form?: unknown } | null)?.form);
    expect(answers.length).toBeGreaterThanOrEqual(10);
    expect(answers.every((m) => m.intent === null)).toBe(true);
    expect(answers.find((m) => m.text === 'Nguyễn Thị Hoa')?.entities).toMatchObject({ form: { flow: 'home_service', step: 'name', personal: true, outcome: 'answer' } });
  }, 60_000);

  it('fills name, phone and address from the Zalo contact form, keeping only values that fit', async () => {
    const user = 'zd-home-2';
    await zalo(user, 'đăng ký phục vụ tại nhà');
    const r = await zalo(user, submitInfo(user, { name: 'Trần Văn Bình', phone: 84912000111, address: 'x' }));
    expect(r.text).toContain('địa chỉ'); // the address "x" did not fit: asked
    await zalo(user, '45 Trần Phú, phường 5');
    const summary = await zalo(user, 'khai tử');
    expect(summary.text).toContain('• Điện thoại: 0912 000 111');
    expect(summary.text).toContain('• Họ và tên: Trần Văn Bình');
  });

  it('never mentions a "chia sẻ thông tin" button on the web chat', async () => {
    const sid = 'web-home-000001';
    const a = await web(sid, { text: 'đăng ký phục vụ tại nhà' });
    expect(a.text).toContain('họ và tên');
    expect(a.text).not.toMatch(/chia sẻ/i);
    await web(sid, { text: 'Lê Văn Tám' });
    const phone = await web(sid, { text: 'Lê Văn Tám' });
    expect(phone.text).not.toMatch(/chia sẻ/i);
  });

  it('can be left at every step, by word or button, and stores nothing', async () => {
    const steps = ['Nguyễn Văn Một', '0912345671', '1 Lê Lợi, phường 1', 'chứng thực'];
    for (let at = 0; at <= steps.length; at++) {
      const user = `zd-home-exit-${at}`;
      await zalo(user, 'phục vụ tại nhà');
      for (const step of steps.slice(0, at)) await zalo(user, step);
      const exit = ['hủy', 'thôi', 'menu', '#cancel', '#menu:procedures'][at];
      const r = await zalo(user, exit);
      expect(r.text).toMatch(/em đã dừng đăng ký phục vụ tại nhà/);
      if (exit === '#menu:procedures') expect(r.buttons.map((b) => b.title)).toContain('Đăng ký khai sinh'); // and does what it says
      expect(await prisma().homeServiceRequest.count({ where: { userId: user } })).toBe(0);
      const conv = await prisma().conversation.findFirstOrThrow({ where: { channel: 'zalo', userId: user } });
      expect((conv.state as { form?: unknown }).form).toBeUndefined();
    }
  }, 60_000);

  it('leaves the form for an official when asked ("cho tôi gặp cán bộ"), storing nothing', async () => {
    const user = 'zd-home-human';
    await zalo(user, 'phục vụ tại nhà');
    await zalo(user, 'Phạm Văn Đức');
    await zalo(user, '0912345673');
    const r = await zalo(user, 'cho tôi gặp cán bộ');
    expect(r.text).toContain('chuyển cuộc trò chuyện đến cán bộ');
    const conv = await prisma().conversation.findFirstOrThrow({ where: { channel: 'zalo', userId: user } });
    expect(conv.handoffStatus).toBe('waiting');
    expect((conv.state as { form?: unknown }).form).toBeUndefined();
    expect(await prisma().homeServiceRequest.count({ where: { userId: user } })).toBe(0);
  });

  it('answers a real question asked in the middle and keeps the form where it was', async () => {
    const user = 'zd-home-q';
    await zalo(user, 'phục vụ tại nhà');
    await zalo(user, 'Phạm Thị Lan');
    const r = await zalo(user, 'lệ phí đăng ký khai sinh bao nhiêu');
    expect(r.text).toContain('phí, lệ phí thủ tục "Đăng ký khai sinh"');
    expect(r.text).toContain('Anh/chị đang đăng ký phục vụ tại nhà.');
    expect((await zalo(user, '0912345672')).text).toContain('địa chỉ');
  });
});

describe('feedback and rating forms', () => {
  it('refuses 10,000 characters and emoji as a complaint, then sends after the summary', async () => {
    const user = 'zd-fb-1';
    await zalo(user, 'tôi muốn phản ánh');
    expect((await zalo(user, 'a '.repeat(5000))).text).toContain('dài quá 4.000 ký tự');
    expect((await zalo(user, '😡😡😡😡😡😡😡😡😡😡')).text).toContain('nêu rõ hơn');
    await zalo(user, 'Đèn đường ở tổ 3 bị hỏng từ tuần trước 😡');
    expect((await zalo(user, 'không biết mã')).text).toContain('chưa nhận ra mã hồ sơ');
    const summary = await zalo(user, 'không');
    expect(summary.text).toContain('• Nội dung: Đèn đường ở tổ 3 bị hỏng từ tuần trước 😡');
    expect(summary.text).toContain('• Mã hồ sơ: (không có)');
    const saved = await zalo(user, '#no');
    const code = saved.text.match(/PA-\d{4}-\d{6}/)![0];
    expect(await prisma().ticket.findUniqueOrThrow({ where: { code } })).toMatchObject({ consentContact: false, dossierCode: null, content: 'Đèn đường ở tổ 3 bị hỏng từ tuần trước 😡' });
  });

  it('takes a message that states its feedback as the content, and asks only for the dossier code and consent', async () => {
    const user = 'zd-fb-2';
    const text = 'fanpage của xã trả lời chậm quá, nhắn từ hôm qua đến giờ chưa ai xem';
    const first = await zalo(user, text);
    expect(first.text).toContain('em đã ghi lại ý kiến');
    expect(first.text).toContain('mã hồ sơ');
    expect((await zalo(user, 'không')).text).toContain(`• Nội dung: ${text}`);
    const code = (await zalo(user, '#no')).text.match(/PA-\d{4}-\d{6}/)![0];
    expect(await prisma().ticket.findUniqueOrThrow({ where: { code } })).toMatchObject({ content: text, dossierCode: null });
    // Asking to give feedback is not feedback: the content is asked for.
    expect((await zalo('zd-fb-3', 'tôi muốn góp ý với xã')).text).toContain('nội dung phản ánh');
  });

  it('reads a score in words, re-asks 10, lets the score be corrected from the comment step', async () => {
    const user = 'zd-rate-1';
    await zalo(user, 'tôi muốn đánh giá');
    expect((await zalo(user, '10')).text).toContain('từ 1 đến 5');
    expect((await zalo(user, 'rất hài lòng')).text).toContain('chấm 5 ⭐');
    expect((await zalo(user, '#edit:score')).text).toContain('chấm điểm');
    await zalo(user, '4');
    const summary = await zalo(user, 'Cán bộ hướng dẫn kỹ');
    expect(summary.text).toContain('• Điểm: 4 ⭐');
    expect((await zalo(user, 'đúng rồi')).text).toContain('ghi nhận đánh giá');
    expect(await prisma().rating.findFirstOrThrow({ where: { userId: user } })).toMatchObject({ score: 4, comment: 'Cán bộ hướng dẫn kỹ' });
  });

  it('takes the stars a rating states ("5 sao", "4/5") and asks only for a comment', async () => {
    const first = await zalo('zd-rate-2', 'ok 5 sao nha, hôm nay làm nhanh hơn em tưởng');
    expect(first.text).toContain('chấm 5 ⭐');
    expect((await zalo('zd-rate-2', '#skip')).text).toContain('ghi nhận đánh giá');
    expect(await prisma().rating.findFirstOrThrow({ where: { userId: 'zd-rate-2' } })).toMatchObject({ score: 5, comment: null });
    expect((await zalo('zd-rate-3', 'dc 4/5 nha ad')).text).toContain('chấm 4 ⭐');
    expect((await zalo('zd-rate-5', 'tuyệt vời ⭐⭐⭐⭐')).text).toContain('chấm 4 ⭐');
    // A score out of ten is no star count: the scale is asked.
    expect((await zalo('zd-rate-4', 'tạm được, 7/10')).text).toContain('1: rất không hài lòng');
  });

  it('says so when a form button is tapped after the form ended', async () => {
    expect((await zalo('zd-stale', '#score:5')).text).toContain('bước này đã kết thúc');
  });

  it('the "Hủy" button under "which dossier code?" cancels the question', async () => {
    expect((await zalo('zd-code-cancel', '#menu:dossier')).buttons.map((b) => b.payload)).toEqual(['#cancel']);
    expect((await zalo('zd-code-cancel', '#cancel')).text).toContain('đã hủy thao tác');
  });
});

describe('hand-off with a lifecycle', () => {
  const conv = (user: string, channel = 'zalo') => prisma().conversation.findFirstOrThrow({ where: { channel, userId: user } });
  const handoff = async (user: string) => prisma().handoff.findFirstOrThrow({ where: { userId: user }, orderBy: { id: 'desc' } });

  it('within hours tells the expected wait; "hủy" leaves it and the bot answers again', async () => {
    const user = 'zd-ho-1';
    const r = await zalo(user, 'cho tôi gặp cán bộ');
    expect(r.text).toContain('chuyển cuộc trò chuyện đến cán bộ');
    expect(r.text).toMatch(/Thời gian chờ dự kiến khoảng 10 phút/);
    expect((await handoff(user))).toMatchObject({ status: 'waiting', withinHours: true });
    const again = await zalo(user, 'tôi muốn gặp cán bộ');
    expect(again.text).toContain('đang chờ cán bộ tiếp nhận');
    expect((await zalo(user, 'hủy')).text).toContain('đã hủy yêu cầu gặp cán bộ');
    expect(await conv(user)).toMatchObject({ handoffStatus: null });
    expect(await handoff(user)).toMatchObject({ status: 'cancelled', closedBy: 'citizen' });
    expect((await zalo(user, 'xin chào')).text).toMatch(/^Dạ, chào anh\/chị/);
  });

  it('leaves photos and stickers sent during the wait to the official', async () => {
    const user = 'zd-ho-7';
    await zalo(user, 'gặp cán bộ');
    const n = sentTo(user).length;
    await s.postZalo({ event_name: 'user_send_image', sender: { id: user }, recipient: { id: 'oa-1' }, message: { msg_id: `img-${Date.now()}`, attachments: [{ type: 'image', payload: { url: 'https://example.invalid/a.jpg' } }] } });
    await waitFor(async () => (await inbound('zalo', user)).some((m) => m.kind === 'image'));
    await new Promise((r) => setTimeout(r, 300));
    expect(sentTo(user)).toHaveLength(n);
  });

  it('answers a real question during the wait while the request stays queued', async () => {
    const user = 'zd-ho-2';
    await zalo(user, 'gặp cán bộ');
    const r = await zalo(user, 'lệ phí đăng ký kết hôn bao nhiêu');
    expect(r.text).toContain('Đăng ký kết hôn');
    expect(r.text).toContain('vẫn đang chờ');
    expect(await conv(user)).toMatchObject({ handoffStatus: 'waiting' });
  });

  it('out of hours says at once when officials are back, and a left message becomes a ticket', async () => {
    const config = s.runtime.deps.config;
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    config.HOLIDAYS_EXTRA = [today];
    try {
      const user = 'zd-ho-3';
      const r = await zalo(user, 'cho tôi gặp cán bộ');
      expect(r.text).toContain('ngoài giờ làm việc');
      expect(r.text).toMatch(/làm việc lại từ 00:00 .*, ngày \d{2}\/\d{2}\/\d{4}/);
      expect(r.buttons.map((b) => b.payload)).toEqual(['#handoff:message', '#handoff:cancel']);
      expect((await handoff(user))).toMatchObject({ withinHours: false });
      expect((await zalo(user, '#handoff:message')).text).toContain('nhắn nội dung cần cán bộ hỗ trợ');
      await zalo(user, 'Tôi cần hỏi về hồ sơ đất đai nộp tuần trước');
      const saved = await zalo(user, '#yes');
      const code = saved.text.match(/PA-\d{4}-\d{6}/)![0];
      expect(await handoff(user)).toMatchObject({ status: 'ticket', ticketCode: code });
      expect(await conv(user)).toMatchObject({ handoffStatus: null });
    } finally {
      config.HOLIDAYS_EXTRA = [];
    }
  });

  it('escalates (message, duty webhook), holds a new message, then hands back with a message: no turn waits unanswered', async () => {
    const user = 'zd-ho-4';
    await zalo(user, 'cho tôi gặp cán bộ');
    const c = await conv(user);
    const count = sentTo(user).length;
    const t0 = c.handoffAt!.getTime();
    await runHandoffTimers(s.runtime.deps, new Date(t0 + 16 * 60_000));
    await waitFor(() => sentTo(user).length > count);
    expect(textOf(sentTo(user).at(-1)!)).toContain('đã báo cán bộ trực');
    await waitFor(() => alerts.find((a) => a.conversationId === c.id));
    expect(alerts.find((a) => a.conversationId === c.id)).toMatchObject({ event: 'handoff.escalated', auth: 'Bearer duty-token' });
    expect((await handoff(user)).escalatedAt).not.toBeNull();
  }, 30_000);

  it('holds a message left unanswered past the wait, once, then hands back with a message: no turn waits unanswered', async () => {
    const user = 'zd-ho-6';
    await zalo(user, 'cho tôi gặp cán bộ');
    const c = await conv(user);
    await s.postZalo(zaloText(user, 'em gửi anh chị xem giúp em với'));
    await waitFor(async () => (await inbound('zalo', user)).some((m) => m.text === 'em gửi anh chị xem giúp em với'));
    const n = sentTo(user).length;
    const lastIn = (await conv(user)).lastInboundAt!.getTime();
    const clock = await import('../src/services/handoff-timer.js');
    expect((await clock.runHandoffClock(s.runtime.deps, new Date(lastIn + 5 * 60_000))).held).not.toContain(c.id);
    expect((await clock.runHandoffClock(s.runtime.deps, new Date(lastIn + 16 * 60_000))).held).toContain(c.id);
    expect((await clock.runHandoffClock(s.runtime.deps, new Date(lastIn + 17 * 60_000))).held).not.toContain(c.id);
    await waitFor(() => sentTo(user).length > n);
    expect(textOf(sentTo(user).at(-1)!)).toContain('cán bộ đang bận');
    expect((await clock.runHandoffClock(s.runtime.deps, new Date(c.handoffAt!.getTime() + 61 * 60_000))).returned).toContain(c.id);
    await waitFor(() => sentTo(user).some((m) => textOf(m).includes('chưa có cán bộ trả lời được')));
    expect(await conv(user)).toMatchObject({ handoffStatus: null });
    expect(await handoff(user)).toMatchObject({ status: 'returned', closedBy: 'timeout' });
    expect((await zalo(user, 'xin chào')).text).toMatch(/^Dạ, chào anh\/chị/);
  }, 30_000);

  it('an official answering from the OA inbox pauses the bot exactly as a console reply does', async () => {
    const user = 'zd-ho-5';
    await zalo(user, 'xin chào');
    await s.postZalo({ event_name: 'oa_send_text', sender: { id: 'oa-1', admin_id: 'adm1' }, recipient: { id: user }, message: { msg_id: `oa-${Date.now()}`, text: 'Chào anh, tôi là cán bộ' } });
    await waitFor(async () => (await conv(user)).handoffStatus === 'active');
    expect(await conv(user)).toMatchObject({ handoffStatus: 'active', assignedTo: 'platform-inbox' });
    expect(await handoff(user)).toMatchObject({ status: 'active', origin: 'official' });
    const items = (await (await fetch(`${s.url}/api/handoffs`, { headers: { authorization: `Bearer ${agent}` } })).json()) as { items: Array<{ userId: string; request: { origin: string } }> };
    expect(items.items.find((i) => i.userId === user)?.request.origin).toBe('official');
  });

  it('a Messenger Page Inbox echo (another app_id) pauses the bot; the bot\'s own echo does not; handover back resumes', async () => {
    const psid = 'psid-dialog-1';
    const event = (messaging: Record<string, unknown>) => ({ object: 'page', entry: [{ id: 'page-1', time: Date.now(), messaging: [{ sender: { id: 'page-1' }, recipient: { id: psid }, timestamp: Date.now(), ...messaging }] }] });
    await s.postMessenger(event({ message: { mid: `echo-bot-${Date.now()}`, text: 'Dạ', is_echo: true, app_id: 555000 } }));
    await new Promise((r) => setTimeout(r, 400));
    expect(await prisma().conversation.findFirst({ where: { channel: 'messenger', userId: psid, handoffStatus: 'active' } })).toBeNull();
    await s.postMessenger(event({ message: { mid: `echo-human-${Date.now()}`, text: 'Chào chị, em là cán bộ', is_echo: true, app_id: 263902037430900 } }));
    await waitFor(async () => (await prisma().conversation.findFirst({ where: { channel: 'messenger', userId: psid } }))?.handoffStatus === 'active');
    await s.postMessenger({ object: 'page', entry: [{ id: 'page-1', time: Date.now(), messaging: [{ sender: { id: psid }, recipient: { id: 'page-1' }, timestamp: Date.now(), pass_thread_control: { new_owner_app_id: '555000' } }] }] });
    await waitFor(async () => (await prisma().conversation.findFirst({ where: { channel: 'messenger', userId: psid } }))?.handoffStatus === null);
  });
});

describe('dossiers stay private', () => {
  const code = 'H12.26-261201-0501';
  beforeAll(async () => {
    await prisma().dossier.create({ data: {
      code, procedureName: 'Đăng ký kết hôn', applicantName: 'Võ Thị Mai', applicantPhone: '0913111222', office: 'UBND phường 1',
      receivedAt: new Date(), dueAt: new Date(Date.now() + 5 * 86_400_000), status: 'needs_supplement', note: 'CCCD 079123456789 hết hạn', notePublic: false,
    } });
  });

  it('gives a stranger only the coarse status and the way to prove ownership, then everything after the Zalo form matches', async () => {
    const user = 'zd-priv-1';
    const r = await zalo(user, `hồ sơ ${code} đến đâu rồi`);
    expect(r.text).toContain('đang chờ người nộp thực hiện thêm một bước');
    for (const secret of ['Đăng ký kết hôn', 'V** T** M', '079123456789', '0913']) expect(r.text).not.toContain(secret);
    expect(r.buttons.map((b) => b.payload)).toContain(`#prove:${code}:status`);
    expect((await zalo(user, `#prove:${code}:status`)).raw).toContain('request_user_info');
    const wrong = await zalo(user, submitInfo(user, { name: 'X', phone: '84987000000' }));
    expect(wrong.text).toContain('không trùng');
    await zalo(user, `#prove:${code}:status`);
    const right = await zalo(user, submitInfo(user, { name: 'Mai', phone: '84913111222' }));
    expect(right.text).toContain('Thủ tục: Đăng ký kết hôn');
    expect(right.text).toContain('Việc anh/chị cần làm: bổ sung giấy tờ');
    expect(right.text).not.toContain('079123456789'); // the internal note stays internal
    expect(await prisma().dossierOwner.count({ where: { channel: 'zalo', userId: user } })).toBe(1);
  });

  it('refuses a stranger\'s subscription and rating, on Zalo and on the web chat', async () => {
    expect((await zalo('zd-priv-2', `#sub:${code}`)).text).toContain('chỉ người nộp hồ sơ');
    expect((await zalo('zd-priv-2', `#rate:${code}`)).text).toContain('chỉ người nộp hồ sơ');
    const w = await web('web-priv-000001', { payload: `#sub:${code}` });
    expect(w.text).toContain('chỉ người nộp hồ sơ');
    expect(w.text).toContain('Zalo OA');
    expect(await prisma().subscription.count({ where: { dossier: { code } } })).toBe(0);
    expect(await prisma().rating.count({ where: { dossier: { code } } })).toBe(0);
  });

  it('on the web chat, proves ownership with a one-time code sent by SMS to the phone on the dossier', async () => {
    const config = s.runtime.deps.config;
    config.OTP_SMS_WEBHOOK_URL = `http://127.0.0.1:${(alertServer.address() as AddressInfo).port}/sms`;
    try {
      const sid = 'web-otp-0000001';
      const coarse = await web(sid, { text: `hồ sơ ${code}` });
      expect(coarse.text).toContain('mã xác nhận bằng SMS');
      expect(coarse.buttons.map((b) => b.payload)).toContain(`#prove:${code}:status`);
      expect((await web(sid, { payload: `#prove:${code}:status`, text: 'Xác nhận chủ hồ sơ' })).text).toContain('đuôi 222');
      const sms = await waitFor(() => alerts.find((a) => a.phone === '0913111222'));
      const otp = String(sms.text).match(/: (\d{6})\./)![1];
      expect(String(sms.text)).toContain(code);
      const wrong = otp === '000000' ? '111111' : '000000';
      expect((await web(sid, { text: wrong })).text).toContain('mã chưa đúng');
      expect((await web(sid, { text: 'abc' })).text).toContain('6 chữ số');
      const card = await web(sid, { text: otp });
      expect(card.text).toContain('Thủ tục: Đăng ký kết hôn');
      expect(await prisma().dossierOwner.findFirst({ where: { channel: 'web', userId: sid } })).toMatchObject({ method: 'otp' });
      // The code is never stored: only its hash, in the conversation's form state while it lasted.
      const convState = JSON.stringify((await prisma().conversation.findFirstOrThrow({ where: { channel: 'web', userId: sid } })).state);
      expect(convState).not.toContain(otp);
    } finally {
      config.OTP_SMS_WEBHOOK_URL = undefined;
    }
  });

  it('limits lookups of one code across accounts, and from one web address across sessions', async () => {
    const config = s.runtime.deps.config;
    const saved = { code: config.LOOKUP_LIMIT_PER_CODE_PER_HOUR, addr: config.LOOKUP_LIMIT_PER_ADDRESS_PER_HOUR };
    config.LOOKUP_LIMIT_PER_CODE_PER_HOUR = 1000;
    // Every web session of these tests comes from 127.0.0.1: three more lookups are allowed, not a fourth.
    config.LOOKUP_LIMIT_PER_ADDRESS_PER_HOUR = 3 + await used('lookup:addr:', 3600_000);
    try {
      for (let i = 0; i < 3; i++) expect((await web(`web-lim-00000${i}`, { text: `hồ sơ ${code}` })).text).toContain(code);
      expect((await web('web-lim-000009', { text: `hồ sơ ${code}` })).text).toContain('từ địa chỉ mạng này');
      config.LOOKUP_LIMIT_PER_ADDRESS_PER_HOUR = 1000;
      config.LOOKUP_LIMIT_PER_CODE_PER_HOUR = await used(`lookup:code:${code.toUpperCase()}`, 3600_000);
      expect((await zalo('zd-priv-3', `hồ sơ ${code}`)).text).toContain('đã được tra cứu nhiều lần');
    } finally {
      config.LOOKUP_LIMIT_PER_CODE_PER_HOUR = saved.code;
      config.LOOKUP_LIMIT_PER_ADDRESS_PER_HOUR = saved.addr;
    }
  });

  it('limits new web sessions per address', async () => {
    const config = s.runtime.deps.config;
    const saved = config.WEB_SESSIONS_PER_ADDRESS_PER_HOUR;
    config.WEB_SESSIONS_PER_ADDRESS_PER_HOUR = (await used('websession-addr:', 3600_000)) + 1;
    try {
      const post = (sid: string) => fetch(`${s.url}/api/chat/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sessionId: sid, text: 'xin chào' }) });
      expect((await post('web-sess-new-0001')).status).toBe(202);
      expect((await post('web-sess-new-0001')).status).toBe(202); // a known session always passes
      const refused = await post('web-sess-new-0002');
      expect(refused.status).toBe(429);
      expect(((await refused.json()) as { message: string }).message).toContain('nhiều phiên');
    } finally {
      config.WEB_SESSIONS_PER_ADDRESS_PER_HOUR = saved;
    }
  });
});

describe('the web chat API', () => {
  it('restores both sides of the conversation, labels an official\'s reply, and greets a new session', async () => {
    const sid = 'web-hist-000001';
    const fresh = (await (await fetch(`${s.url}/api/chat/messages?sessionId=web-hist-empty1&all=1`)).json()) as { welcome?: { text: string; buttons: Button[] } };
    expect(fresh.welcome?.text).toContain('Dạ, chào anh/chị');
    expect(fresh.welcome?.buttons.length).toBe(5);
    await web(sid, { text: 'lệ phí khai sinh bao nhiêu' });
    await web(sid, { text: 'Phí, lệ phí', payload: '#menu:contact' });
    const c = await prisma().conversation.findFirstOrThrow({ where: { channel: 'web', userId: sid } });
    await fetch(`${s.url}/api/conversations/${c.id}/reply`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${agent}` }, body: JSON.stringify({ text: 'Chào anh, tôi là cán bộ.' }) });
    const history = await waitFor(async () => {
      const h = (await (await fetch(`${s.url}/api/chat/messages?sessionId=${sid}&all=1`)).json()) as { messages: Array<{ from: string; text: string }>; welcome?: unknown };
      return h.messages.some((m) => m.from === 'official') && h;
    });
    expect(history.welcome).toBeUndefined();
    expect(history.messages.map((m) => m.from)).toEqual(['citizen', 'bot', 'citizen', 'bot', 'official']);
    expect(history.messages[0].text).toBe('lệ phí khai sinh bao nhiêu');
    expect(history.messages[2].text).toBe('Phí, lệ phí'); // the button's title, never its payload
  });

  it('answers emoji, "em là người hay máy" and English kindly', async () => {
    expect((await web('web-talk-000001', { text: '👍👍' })).text).toContain('😊');
    expect((await web('web-talk-000001', { text: 'em là người hay máy' })).text).toContain('trợ lý tự động');
    const en = await web('web-talk-000001', { text: 'How do I apply for a birth certificate?' });
    expect(en.text).toContain('answers in Vietnamese');
    expect(en.buttons.length).toBe(5);
  });
});
