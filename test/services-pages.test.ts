import { type Browser, type Page } from 'playwright-core';
import { CHROMIUM, hasChromium, launchChromium } from './helpers/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/console/auth.js';
import { startTestServer, waitFor, zaloText, type TestServer } from './helpers/server.js';

// The services pages in headless Debian Chromium on the real app: a citizen writes through the signed Zalo webhook,
// an agent works in the console (the hand-off inbox with the keyboard: take, reply, note, canned reply, solve; a
// second official answering the same conversation; the alert for a new request), and what reaches the citizen is
// read at the fake Zalo API.

if (!hasChromium) console.warn(`Skipping the services browser tests: ${CHROMIUM} is missing (apt-get install -y chromium).`);
const PASSWORD = 'mat-khau-thu-nghiem';

describe.skipIf(!hasChromium)('services pages in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    s = await startTestServer();
    const { prisma } = s.runtime.deps.db;
    await createUser(prisma, { username: 'can.bo', password: PASSWORD, role: 'agent' });
    await createUser(prisma, { username: 'bien.tap', password: PASSWORD, role: 'editor' });
    await createUser(prisma, { username: 'truong.bp', password: PASSWORD, role: 'admin' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  const sentTo = (user: string) => s.zalo.sent.filter((m) => m.userId === user);
  const textOf = (m: { message: Record<string, unknown> }) => String(m.message.text ?? '');
  const waitForText = (user: string, part: string) => waitFor(() => sentTo(user).find((m) => textOf(m).includes(part)));
  async function say(user: string, text: string): Promise<string> {
    const before = sentTo(user).length;
    expect((await s.postZalo(zaloText(user, text))).status).toBe(200);
    await waitFor(() => sentTo(user).length > before);
    await new Promise((r) => setTimeout(r, 100));
    return sentTo(user).slice(before).map(textOf).join('\n');
  }

  /** Opens `path` signed out, logs in on the login page and lands back on `path`. */
  async function signIn(path: string, viewport = { width: 1366, height: 800 }, username = 'can.bo'): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: 'vi-VN' });
    await context.grantPermissions(['notifications'], { origin: s.url });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${s.url}${path}`);
    await page.waitForURL(/\/admin\/login\.html/);
    await page.fill('#username', username);
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(`${s.url}${path}`);
    return page;
  }

  it('an editor writes a canned reply; an agent takes a conversation, replies, notes, uses the canned reply and solves it', async () => {
    const editor = await signIn('/admin/canned.html', undefined, 'bien.tap');
    await editor.fill('#canned-title', 'Hẹn gọi lại');
    await editor.fill('#canned-text', 'Dạ, cán bộ sẽ gọi lại cho anh/chị trong giờ hành chính ạ.');
    await editor.click('#canned-form button[type=submit]');
    await editor.locator('#canned-list .item', { hasText: 'Hẹn gọi lại' }).waitFor();
    await editor.close();

    const user = 'zi-1';
    expect(await say(user, 'cho tôi gặp cán bộ')).toContain('chuyển cuộc trò chuyện đến cán bộ');
    const { prisma } = s.runtime.deps.db;
    const conv = await prisma.conversation.findFirstOrThrow({ where: { channel: 'zalo', userId: user } });

    const page = await signIn('/admin/inbox.html');
    await page.locator('.nav a[href="inbox.html"] #inbox-count', { hasText: '1' }).waitFor();
    await page.locator('.tabs [data-view=queue][aria-pressed=true]').waitFor(); // nothing of their own yet: the queue
    await page.click('#enable-alerts');
    await page.locator('#enable-alerts', { hasText: 'Đã bật thông báo' }).waitFor();

    // A new request while the page is open: banner, notification and tone, and the menu's count.
    expect(await say('zi-2', 'tôi muốn nói chuyện với cán bộ')).toContain('chuyển cuộc trò chuyện đến cán bộ');
    await page.locator('#new-requests', { hasText: '1 yêu cầu mới' }).waitFor({ timeout: 8000 });
    expect(await page.evaluate(() => document.body.dataset.alerts)).toBe('1');
    expect(await page.evaluate(() => document.body.dataset.tones)).toBe('1');
    await page.locator('#inbox-count', { hasText: '2' }).waitFor({ timeout: 8000 });

    // j opens the first (oldest) conversation, t takes it.
    await page.keyboard.press('j');
    await page.locator('.thread .message', { hasText: 'cho tôi gặp cán bộ' }).waitFor();
    expect(await page.locator('.items .item[aria-current=true]').getAttribute('data-id')).toBe(String(conv.id));
    await page.keyboard.press('t');
    await page.locator('#conversation-status', { hasText: 'phụ trách: can.bo' }).waitFor();

    // r, type, Ctrl+Enter: HTML typed by an official stays text, on the page and for the citizen.
    await page.keyboard.press('r');
    await page.keyboard.type('Chào chị, <b>em là cán bộ</b> Một cửa.');
    await page.keyboard.press('Control+Enter');
    await waitForText(user, '<b>em là cán bộ</b>');
    const mine = page.locator('.thread .message[data-from=official]', { hasText: '<b>em là cán bộ</b>' });
    await mine.waitFor();
    expect(await mine.locator('b').count()).toBe(0);
    expect(await mine.textContent()).toContain('Cán bộ can.bo');

    // n: an internal note, never sent.
    await page.locator('#notice').filter({ hasText: 'Đã gửi' }).waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.press('n');
    await page.keyboard.type('Chị Hoa cần bản sao trích lục');
    await page.click('#send');
    await page.locator('.thread .note', { hasText: 'Chị Hoa cần bản sao trích lục' }).waitFor();
    expect(sentTo(user).some((m) => textOf(m).includes('trích lục'))).toBe(false);

    // Another official answers the same conversation: the agent's page shows it by itself.
    const admin = await fetch(`${s.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'truong.bp', password: PASSWORD }) });
    const { token } = await admin.json() as { token: string };
    const other = await fetch(`${s.url}/api/conversations/${conv.id}/reply`, { method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ text: 'Trưởng bộ phận bổ sung: mang CCCD.' }) });
    expect(other.status).toBe(201);
    await page.locator('.thread .message', { hasText: 'Cán bộ truong.bp' }).waitFor({ timeout: 8000 });
    await page.locator('#conversation-status', { hasText: 'phụ trách: can.bo' }).waitFor();

    // A canned reply, inserted and sent.
    await page.selectOption('#canned', { label: 'Hẹn gọi lại' });
    expect(await page.inputValue('#reply-text')).toBe('Dạ, cán bộ sẽ gọi lại cho anh/chị trong giờ hành chính ạ.');
    await page.click('#send');
    await waitForText(user, 'gọi lại cho anh/chị trong giờ hành chính');

    // The citizen's dossiers and requests sit beside the conversation.
    await page.locator('#contact h3', { hasText: 'Hồ sơ (0)' }).waitFor();

    // s: solved; the citizen is told and the bot answers again.
    await page.keyboard.press('Escape');
    await page.keyboard.press('s');
    await waitForText(user, 'cán bộ đã hoàn tất hỗ trợ');
    await page.locator('#conversation-status', { hasText: 'Đã giải quyết' }).waitFor();
    expect(await prisma.conversation.findUniqueOrThrow({ where: { id: conv.id } })).toMatchObject({ handoffStatus: null, assignedTo: null });

    // On a phone the list, the conversation and the contact panel stack, without sideways scrolling.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${s.url}/admin/inbox.html#id=${conv.id}`);
    await page.locator('.thread .message', { hasText: 'cho tôi gặp cán bộ' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('an agent answers a ticket and the answer reaches the citizen', async () => {
    const user = 'zp-2';
    // The message states its feedback: it is the ticket's content, the code is asked next.
    expect(await say(user, 'tôi muốn phản ánh đường trước trụ sở phường ngập sâu mỗi khi mưa, người dân khó vào nộp hồ sơ')).toContain('mã hồ sơ');
    await say(user, '#skip');
    const code = (await say(user, '#yes')).match(/PA-\d{4}-\d{6}/)![0];

    const page = await signIn('/admin/tickets.html');
    const row = page.locator(`tr[data-code="${code}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('phản ánh đường trước trụ sở');
    await row.getByRole('button', { name: 'Trả lời', exact: true }).click();
    await row.locator('textarea').fill('Phường đã đề nghị khơi thông cống thoát nước trong tuần này.');
    await row.getByRole('button', { name: 'Gửi trả lời' }).click();
    await page.locator('#notice').filter({ hasText: `Đã trả lời phản ánh ${code}` }).waitFor();
    await waitForText(user, `Dạ, cơ quan đã trả lời phản ánh ${code}: Phường đã đề nghị khơi thông`);
    await page.selectOption('#status-filter', 'answered');
    await page.locator(`tr[data-code="${code}"]`, { hasText: 'Đã trả lời (can.bo' }).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('an agent schedules a home visit on a phone; the citizen gets the date; the ratings page shows a chat rating', async () => {
    const user = 'zp-3';
    await say(user, 'mẹ tôi già yếu không đi được, cán bộ đến nhà làm thủ tục được không');
    for (const step of ['Nguyễn Thị Hoa', '0912345670', '45 Trần Phú, phường 5', 'chứng thực']) await say(user, step);
    const code = (await say(user, '#reason:Người cao tuổi')).match(/DV-\d{4}-\d{6}/)![0];

    const page = await signIn('/admin/home-services.html', { width: 390, height: 844 });
    const row = page.locator(`tr[data-code="${code}"]`);
    await row.waitFor();
    const year = new Date().getFullYear() + 1;
    await row.locator('input[type=datetime-local]').fill(`${year}-03-15T09:30`);
    await row.getByRole('button', { name: 'Hẹn lịch' }).click();
    await page.locator('#notice').filter({ hasText: `Đã hẹn lịch ${code}` }).waitFor();
    await waitForText(user, `lúc 09:30 ngày 15/03/${year}`);
    await page.locator(`tr[data-code="${code}"] .home-status`, { hasText: 'Đã hẹn lịch' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);

    await say(user, 'tôi muốn đánh giá');
    await say(user, '#score:5');
    expect(await say(user, 'Cán bộ đến tận nhà, rất chu đáo')).toContain('đọc lại thông tin'); // the summary first
    await say(user, '#yes');
    await page.goto(`${s.url}/admin/ratings.html`);
    await page.locator('#latest td', { hasText: 'Cán bộ đến tận nhà, rất chu đáo' }).waitFor();
    expect(Number(await page.locator('#rating-count').textContent())).toBeGreaterThanOrEqual(1);
    expect(pageErrors).toEqual([]);
  });
});
