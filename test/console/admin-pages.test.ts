import { type Browser, type Page } from 'playwright-core';
import { CHROMIUM, hasChromium, launchChromium } from '../helpers/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, call, login, startConsoleApp, type ConsoleApp } from './console-app.js';

// The console pages in headless Debian Chromium, driven by playwright-core, on the real router and database.

if (!hasChromium) console.warn(`Skipping the console browser tests: ${CHROMIUM} is missing (apt-get install -y chromium).`);

describe.skipIf(!hasChromium)('console pages in Chromium', () => {
  let app: ConsoleApp;
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    app = await startConsoleApp('pglite', { realBot: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function signIn(username: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: 'vi-VN' });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${app.url}/admin/`);
    await page.waitForURL(/\/admin\/login\.html/);
    await page.fill('#username', username);
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(`${app.url}/admin/`);
    await page.waitForSelector('.items .item');
    return page;
  }

  it('an editor logs in, finds an FAQ without diacritics, edits its answer, and the bot answers with it', async () => {
    const page = await signIn('editor');
    await page.fill('input[name=q]', 'thu bay co lam viec');
    await page.click('.search button');
    const item = page.locator('.items .item', { hasText: 'Thứ Bảy có làm việc không?' });
    await item.click();
    const id = Number(await item.getAttribute('data-id'));
    const answer = page.locator('#f-answer');
    await answer.fill('Dạ, sáng thứ Bảy phường làm việc từ 7:30 đến 11:30 (đã cập nhật).');
    await page.click('.editor button[type=submit]');
    await page.locator('#notice').filter({ hasText: 'Đã lưu' }).waitFor();
    expect(app.kb.snapshot.faqs.find((f) => f.id === id)?.answer).toContain('(đã cập nhật)');

    await page.click('text=Thử với bot');
    await page.waitForURL(/try\.html/);
    await page.locator('.try-result .reply-text').first().waitFor();
    expect(await page.locator('.try-result .reply-text').first().textContent()).toContain('(đã cập nhật)');
    expect(await page.locator('.try-result .matched').first().textContent()).toContain('Câu hỏi thường gặp');

    await page.goto(`${app.url}/admin/index.html#history=${id}`);
    await page.locator('.revisions li').nth(1).waitFor();
    await page.locator('.revisions li').nth(1).getByText('Khôi phục bản này').click();
    await page.locator('#notice').filter({ hasText: 'Đã khôi phục' }).waitFor();
    expect(app.kb.snapshot.faqs.find((f) => f.id === id)?.answer).not.toContain('(đã cập nhật)');
    expect(pageErrors).toEqual([]);
  });

  it('shows field errors from the API next to the field', async () => {
    const page = await signIn('editor');
    await page.click('text=Thêm câu hỏi');
    await page.fill('#f-questions', 'Câu hỏi không có trả lời');
    await page.click('.editor button[type=submit]');
    await page.locator('#e-answer').waitFor({ state: 'visible' });
    expect(await page.locator('#notice').getAttribute('class')).toContain('error');
  });

  it('renders HTML and script written into an FAQ as plain text, never running it', async () => {
    const editor = await login(app, 'editor');
    const evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    const created = await call(app, 'POST', '/api/faqs', { session: editor, body: { questions: [`${evil} có nguy hiểm không`], answer: `Trả lời ${evil}` } });
    const page = await signIn('viewer');
    await page.goto(`${app.url}/admin/index.html#id=${created.body.id}`);
    await page.locator('#f-answer').waitFor();
    expect(await page.inputValue('#f-answer')).toBe(`Trả lời ${evil}`);
    expect(await page.locator('.editor h2').textContent()).toContain('<script>');
    await page.goto(`${app.url}/admin/audit.html`);
    await page.locator('.table tbody tr').first().waitFor();
    await page.goto(`${app.url}/admin/try.html?q=${encodeURIComponent(`${evil} có nguy hiểm không`)}`);
    await page.locator('.try-result').waitFor();
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    // A viewer sees the entry but cannot change it.
    await page.goto(`${app.url}/admin/index.html#id=${created.body.id}`);
    await page.locator('#f-answer').waitFor();
    expect(await page.locator('#f-answer').isDisabled()).toBe(true);
    expect(await page.locator('.editor button[type=submit]').count()).toBe(0);
  });

  it('lets an admin create an account and an API key shown once', async () => {
    const page = await signIn('admin');
    await page.goto(`${app.url}/admin/users.html`);
    await page.fill('#new-username', 'can.bo.moi');
    await page.fill('#new-password', 'mat-khau-moi-123');
    await page.selectOption('#new-role', 'viewer');
    await page.click('form:has(#new-username) button[type=submit]');
    await page.locator('td', { hasText: 'can.bo.moi' }).waitFor();
    await page.fill('#key-name', 'Cổng dịch vụ công');
    await page.click('form:has(#key-name) button[type=submit]');
    const key = await page.locator('.secret code').textContent();
    expect(key).toMatch(/^ck_/);
    await page.reload();
    await page.locator('td', { hasText: 'Cổng dịch vụ công' }).waitFor();
    expect(await page.content()).not.toContain(key!);
  });

  it('fits a phone screen (first page load printed)', async () => {
    const page = await signIn('editor', { width: 390, height: 844 });
    const started = Date.now();
    await page.goto(`${app.url}/admin/procedures.html`);
    await page.waitForSelector('.items .item');
    console.log(`procedures.html on a phone: first page drawn in ${Date.now() - started} ms (printed, not asserted)`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.click('.items .item');
    await page.locator('#f-fee').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  });

  it('sends a signed-out visitor to the login page and rejects a wrong password with a message', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${app.url}/admin/users.html`);
    await page.waitForURL(/login\.html\?next=%2Fadmin%2Fusers\.html/);
    await page.fill('#username', 'admin');
    await page.fill('#password', 'sai-mat-khau');
    await page.click('button[type=submit]');
    await page.locator('#login-error').waitFor({ state: 'visible' });
    expect(await page.locator('#login-error').textContent()).toContain('không đúng');
  });
});
