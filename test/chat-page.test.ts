import { type Browser, type Page } from 'playwright-core';
import { CHROMIUM, hasChromium, launchChromium } from './helpers/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/console/auth.js';
import { startTestServer, type TestServer } from './helpers/server.js';

// The local chat page (/chat) in headless Debian Chromium: the same bot, no platform credentials.

if (!hasChromium) console.warn(`Skipping the chat page browser tests: ${CHROMIUM} is missing (apt-get install -y chromium).`);

describe.skipIf(!hasChromium)('the chat page in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    s = await startTestServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  async function openChat(viewport = { width: 1024, height: 768 }): Promise<Page> {
    const page = await (await browser.newContext({ viewport, locale: 'vi-VN' })).newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('dialog', (d) => { pageErrors.push(`dialog: ${d.message()}`); void d.dismiss(); });
    await page.goto(`${s.url}/chat`);
    return page;
  }

  async function ask(page: Page, text: string): Promise<string> {
    const before = await page.locator('.msg.bot').count();
    await page.fill('#text', text);
    await page.press('#text', 'Enter');
    await page.locator('.msg.bot').nth(before).waitFor();
    return page.locator('.msg.bot').nth(before).innerText();
  }

  it('answers a question and a tapped button', async () => {
    const page = await openChat();
    expect(await ask(page, 'lệ phí đăng ký khai sinh bao nhiêu')).toContain('phí, lệ phí thủ tục "Đăng ký khai sinh"');
    const before = await page.locator('.msg.bot').count();
    await page.locator('.msg.bot').last().getByRole('button', { name: 'Thành phần hồ sơ' }).click();
    await page.locator('.msg.bot').nth(before).waitFor();
    expect(await page.locator('.msg.bot').nth(before).innerText()).toContain('hồ sơ thủ tục "Đăng ký khai sinh" gồm');
    expect(await page.locator('.msg.user').last().innerText()).toBe('Thành phần hồ sơ');
  });

  it('uses an answer an official just edited, and shows HTML in answers as text, never running it', async () => {
    await createUser(s.runtime.deps.db.prisma, { username: 'editor1', password: 'mat-khau-du-dai', role: 'editor' });
    const login = await fetch(`${s.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'editor1', password: 'mat-khau-du-dai' }) });
    const { token } = await login.json() as { token: string };
    const answer = 'Dạ, Bộ phận Một cửa phường làm việc cả sáng thứ Bảy từ 7:30 đến 11:30 ạ. <img src=x onerror="alert(1)"><script>alert(2)</script>';
    const created = await fetch(`${s.url}/api/faqs`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ questions: ['thứ bảy có làm việc không', 'thu 7 co lam viec khong'], answer: 'Dạ, bản nháp.' }),
    });
    expect(created.status).toBe(201);
    const { id } = await created.json() as { id: number };
    const patched = await fetch(`${s.url}/api/faqs/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ answer }) });
    expect(patched.status).toBe(200);
    const page = await openChat();
    const reply = await ask(page, 'thu 7 co lam viec khong');
    expect(reply).toContain('làm việc cả sáng thứ Bảy');
    expect(reply).toContain('<img src=x onerror="alert(1)">');
    expect(await page.locator('.msg.bot img').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('fits a phone screen without sideways scrolling', async () => {
    const page = await openChat({ width: 360, height: 740 });
    await ask(page, 'xin chào');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
