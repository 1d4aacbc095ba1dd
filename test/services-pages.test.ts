import { type Browser, type Page } from 'playwright-core';
import { CHROMIUM, hasChromium, launchChromium } from './helpers/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/console/auth.js';
import { startTestServer, waitFor, zaloText, type TestServer } from './helpers/server.js';

// The services pages in headless Debian Chromium on the real app: a citizen writes through the signed Zalo webhook,
// an agent works in the console, and what reaches the citizen is read at the fake Zalo API.

if (!hasChromium) console.warn(`Skipping the services browser tests: ${CHROMIUM} is missing (apt-get install -y chromium).`);
const PASSWORD = 'mat-khau-thu-nghiem';

describe.skipIf(!hasChromium)('services pages in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    s = await startTestServer();
    await createUser(s.runtime.deps.db.prisma, { username: 'can.bo', password: PASSWORD, role: 'agent' });
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
  async function signIn(path: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: 'vi-VN' });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${s.url}${path}`);
    await page.waitForURL(/\/admin\/login\.html/);
    await page.fill('#username', 'can.bo');
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(`${s.url}${path}`);
    return page;
  }

  it('an agent replies to a waiting citizen from the inbox, the reply reaches Zalo, then hands back', async () => {
    const user = 'zp-1';
    expect(await say(user, 'cho tôi gặp cán bộ')).toContain('chuyển cuộc trò chuyện đến cán bộ');
    const conv = await s.runtime.deps.db.prisma.conversation.findFirstOrThrow({ where: { channel: 'zalo', userId: user } });

    const page = await signIn('/admin/handoffs.html');
    const item = page.locator(`.items .item[data-id="${conv.id}"]`);
    await item.waitFor();
    expect(await item.textContent()).toContain('Đang chờ cán bộ');
    await item.click();
    await page.locator('.thread .message', { hasText: 'cho tôi gặp cán bộ' }).waitFor();
    await page.fill('#reply-text', 'Chào chị, em là cán bộ Một cửa, em xem hồ sơ giúp chị ngay.');
    await page.click('#reply-form button[type=submit]');
    await page.locator('#notice').filter({ hasText: 'Đã gửi trả lời' }).waitFor();
    await waitForText(user, 'em là cán bộ Một cửa');
    await page.locator('.thread .message', { hasText: 'Cán bộ can.bo' }).waitFor();
    await page.locator('#conversation-status', { hasText: 'Cán bộ đang hỗ trợ' }).waitFor();

    // A new message from the citizen shows up by itself (the page refreshes every 5 s).
    await s.postZalo(zaloText(user, 'Dạ em cảm ơn anh'));
    await page.locator('.thread .message', { hasText: 'Dạ em cảm ơn anh' }).waitFor({ timeout: 8000 });

    await page.click('#handback');
    await page.locator('#notice').filter({ hasText: 'Đã trả cuộc trò chuyện lại cho bot' }).waitFor();
    await waitForText(user, 'cán bộ đã hoàn tất hỗ trợ');
    await item.waitFor({ state: 'detached' });
    expect(pageErrors).toEqual([]);
  });

  it('an agent answers a ticket and the answer reaches the citizen', async () => {
    const user = 'zp-2';
    await say(user, 'tôi muốn phản ánh đường trước trụ sở phường bị ngập');
    await say(user, 'Đường trước trụ sở phường ngập sâu mỗi khi mưa, người dân khó vào nộp hồ sơ');
    await say(user, '#skip');
    const code = (await say(user, '#yes')).match(/PA-\d{4}-\d{6}/)![0];

    const page = await signIn('/admin/tickets.html');
    const row = page.locator(`tr[data-code="${code}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('ngập sâu');
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
