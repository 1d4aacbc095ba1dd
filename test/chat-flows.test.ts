import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/console/auth.js';
import { CHROMIUM, hasChromium, launchChromium } from './helpers/browser.js';
import { startTestServer, type TestServer } from './helpers/server.js';

// Every flow tried in Chromium as a citizen would on the web chat: typing, tapping, mistakes, leaving, a reload,
// a network failure, an official's reply. Each citizen message gets a visible answer; the database holds exactly
// what the citizen confirmed.

if (!hasChromium) console.warn(`Skipping the chat flow browser tests: ${CHROMIUM} is missing (apt-get install -y chromium).`);

describe.skipIf(!hasChromium)('every flow on the web chat, in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const replies = () => page.locator('.msg.bot, .msg.official');
  const prisma = () => s.runtime.deps.db.prisma;
  const session = () => page.evaluate(() => localStorage.getItem('chatSession') as string);

  beforeAll(async () => {
    s = await startTestServer({ OFFICE_HOURS: 'CN-T7 00:00-24:00' });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' })).newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${s.url}/chat`);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  /** Types `text` and returns the answer that follows (every turn gets one). */
  async function say(text: string): Promise<string> {
    const before = await replies().count();
    await page.fill('#text', text);
    await page.press('#text', 'Enter');
    await replies().nth(before).waitFor();
    await page.waitForTimeout(150);
    return (await replies().allInnerTexts()).slice(before).join('\n');
  }
  /** Taps a button of the latest answer. */
  async function tap(title: string): Promise<string> {
    const before = await replies().count();
    await page.locator('.msg.bot, .msg.welcome').last().getByRole('button', { name: title, exact: true }).click();
    await replies().nth(before).waitFor();
    await page.waitForTimeout(150);
    return (await replies().allInnerTexts()).slice(before).join('\n');
  }

  it('opens with the greeting and the menu', async () => {
    const welcome = page.locator('.msg.welcome');
    await welcome.waitFor();
    expect(await welcome.innerText()).toContain('Dạ, chào anh/chị');
    expect(await welcome.getByRole('button').allInnerTexts()).toEqual(['Tra cứu thủ tục', 'Tình trạng hồ sơ', 'Mô hình CCHC', 'Liên hệ, giờ làm việc', 'Gặp cán bộ']);
  });

  it('home service: mistakes re-asked, the summary, a reason tapped, the request stored as given', async () => {
    expect(await say('đăng ký phục vụ tại nhà')).toContain('họ và tên');
    expect(await say('đăng ký phục vụ tại nhà')).toContain('chưa nhận ra họ và tên');
    expect(await say('nguyễn thị hoa')).toContain('số điện thoại');
    expect(await say('Nguyễn Thị Hoa')).toContain('số điện thoại chưa đúng');
    expect(await say('+84 912.345.678')).toContain('địa chỉ');
    expect(await say('12 Nguyễn Huệ, phường 1')).toContain('thủ tục gì');
    const summary = await say('chứng thực bản sao');
    expect(summary).toContain('• Họ và tên: Nguyễn Thị Hoa');
    expect(summary).not.toMatch(/chia sẻ/i);
    const saved = await tap('Người cao tuổi');
    const code = saved.match(/DV-\d{4}-\d{6}/)![0];
    expect(await prisma().homeServiceRequest.findUniqueOrThrow({ where: { code } })).toMatchObject({
      channel: 'web', name: 'Nguyễn Thị Hoa', phone: '0912345678', address: '12 Nguyễn Huệ, phường 1', reason: 'Người cao tuổi',
    });
  });

  it('feedback: content, "Bỏ qua", then sent from the summary without contact', async () => {
    expect(await say('tôi muốn phản ánh')).toContain('nội dung phản ánh');
    expect(await say('Cổng trụ sở xã bị hỏng khóa, sáng nay không vào được')).toContain('mã hồ sơ');
    expect(await tap('Bỏ qua')).toContain('• Mã hồ sơ: (không có)');
    const code = (await tap('Gửi, không liên hệ')).match(/PA-\d{4}-\d{6}/)![0];
    expect(await prisma().ticket.findUniqueOrThrow({ where: { code } })).toMatchObject({ content: 'Cổng trụ sở xã bị hỏng khóa, sáng nay không vào được', consentContact: false });
  });

  it('rating: a tapped score, a comment, the summary, "Gửi"', async () => {
    await say('tôi muốn đánh giá');
    expect(await tap('4 ⭐')).toContain('chấm 4 ⭐');
    expect(await say('Hướng dẫn tận tình')).toContain('• Góp ý: Hướng dẫn tận tình');
    expect(await tap('Gửi')).toContain('ghi nhận đánh giá');
    expect(await prisma().rating.findFirstOrThrow({ where: { userId: await session() }, orderBy: { id: 'desc' } })).toMatchObject({ score: 4, comment: 'Hướng dẫn tận tình' });
  });

  it('subscription to a (sample) dossier by its code, and the status card', async () => {
    expect(await say('tra cứu hồ sơ')).toContain('mã hồ sơ');
    const card = await say('000.00.19.H12-261113-0009');
    expect(card).toContain('Trạng thái: Đang giải quyết');
    expect(await tap('Nhận thông báo')).toContain('sẽ nhắn cho anh/chị');
    expect(await prisma().subscription.count({ where: { userId: await session(), active: true } })).toBe(1);
  });

  it('every exit works: a Hủy button, "thôi", "menu", at the first step and later', async () => {
    await say('phục vụ tại nhà');
    expect(await tap('Hủy')).toContain('em đã dừng đăng ký phục vụ tại nhà');
    await say('tôi muốn phản ánh');
    expect(await say('thôi')).toContain('em đã dừng gửi phản ánh');
    await say('tôi muốn đánh giá');
    expect(await say('menu')).toContain('em đã dừng đánh giá');
    await say('phục vụ tại nhà');
    await say('Trần Văn Nam');
    const both = await tap('Hủy');
    expect(both).toContain('em đã dừng');
    expect(await prisma().homeServiceRequest.count({ where: { userId: await session(), name: 'Trần Văn Nam' } })).toBe(0);
  });

  it('hand-off: the wait is told, a question is answered meanwhile, the citizen leaves with the button; an official\'s reply is labelled', async () => {
    expect(await tap('Gặp cán bộ')).toMatch(/Thời gian chờ dự kiến khoảng \d+ phút/);
    expect(await say('lệ phí đăng ký kết hôn bao nhiêu')).toContain('vẫn đang chờ');
    const conv = await prisma().conversation.findFirstOrThrow({ where: { channel: 'web', userId: await session() } });
    await createUser(prisma(), { username: 'can.bo.web', password: 'mat-khau-thu-nghiem', role: 'agent' });
    const login = await fetch(`${s.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'can.bo.web', password: 'mat-khau-thu-nghiem' }) });
    const { token } = await login.json() as { token: string };
    const before = await replies().count();
    await fetch(`${s.url}/api/conversations/${conv.id}/reply`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ text: 'Chào chị, tôi là cán bộ Một cửa.' }) });
    await replies().nth(before).waitFor({ timeout: 15_000 });
    const official = page.locator('.msg.official').last();
    expect(await official.locator('.who').innerText()).toBe('Cán bộ Bộ phận Một cửa');
    expect(await say('hủy')).toContain('đã hủy yêu cầu gặp cán bộ');
    expect((await prisma().conversation.findUniqueOrThrow({ where: { id: conv.id } })).handoffStatus).toBeNull();
  });

  it('small talk and English are answered kindly', async () => {
    expect(await say('em là người hay máy')).toContain('trợ lý tự động');
    expect(await say('🙏')).toContain('😊');
    expect(await say('Where can I get a birth certificate?')).toContain('answers in Vietnamese');
  });

  it('a message that cannot be sent is marked "chưa gửi được — thử lại" and goes out on retry', async () => {
    await page.route('**/api/chat/messages', (route) => (route.request().method() === 'POST' ? route.abort('internetdisconnected') : route.continue()));
    await page.fill('#text', 'xin chào');
    await page.press('#text', 'Enter');
    const failed = page.locator('.msg.user.failed').last();
    await failed.waitFor();
    expect(await failed.locator('.status').innerText()).toBe('Chưa gửi được — thử lại');
    await page.unroute('**/api/chat/messages');
    const before = await replies().count();
    await failed.locator('.status').click();
    await replies().nth(before).waitFor();
    expect(await replies().nth(before).innerText()).toContain('Dạ, chào anh/chị');
    expect(await page.locator('.msg.user.failed').count()).toBe(0);
  });

  it('after a reload the whole conversation is back, both sides, with nothing sent twice', async () => {
    const users = await page.locator('.msg.user').allInnerTexts();
    const answers = await replies().count();
    await page.reload();
    await page.locator('.msg.user').nth(users.length - 1).waitFor();
    expect(await page.locator('.msg.user').allInnerTexts()).toEqual(users);
    expect(await replies().count()).toBe(answers);
    expect(await page.locator('.msg.welcome').count()).toBe(0);
    expect(await page.locator('.msg.official').count()).toBe(1);
    expect(pageErrors).toEqual([]);
  });
});
