import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/console/auth.js';
import { CHROMIUM, hasChromium, launchChromium } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

// Every console page in headless Chromium on the real app, on a phone (390 px) and a laptop (1366 px): every menu
// entry visible, or one tap away behind "Menu"; nothing wider than the screen; dates in Viet Nam's time in a
// browser set to UTC; field names as the form labels them; confirmations before acts that cannot be undone.

if (!hasChromium) console.warn(`Skipping the console page tests: ${CHROMIUM} is missing (apt-get install -y chromium).`);

const PASSWORD = 'mat-khau-thu-nghiem';
const WIDTHS = [{ width: 390, height: 844 }, { width: 1366, height: 768 }];
interface Entry { href: string; label: string; roles?: string[] }

describe.skipIf(!hasChromium)('console pages on a phone and a laptop', () => {
  let server: TestServer;
  let browser: Browser;
  const pageErrors: string[] = [];
  const loadTimes: string[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    const { prisma } = server.runtime.deps.db;
    for (const role of ['admin', 'editor', 'viewer'] as const) await createUser(prisma, { username: role, password: PASSWORD, role });
    // 18:30 UTC on 1 March is 01:30 on 2 March in Viet Nam.
    await prisma.dossier.create({ data: { code: 'TZ-0001', procedureName: 'Đăng ký khai sinh', applicantName: 'Lê Văn C', office: 'UBND xã',
      receivedAt: new Date('2026-03-01T18:30:00Z'), dueAt: new Date('2026-03-04T18:30:00Z'), status: 'processing' } });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    if (loadTimes.length) console.log(`console page loads (ms): ${loadTimes.join(', ')}`);
    await browser?.close();
    await server?.close();
  });

  async function signIn(username: string, viewport: { width: number; height: number }, timezoneId = 'Asia/Ho_Chi_Minh'): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport, locale: 'vi-VN', timezoneId });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
    await page.goto(`${server.url}/admin/login.html`);
    await page.fill('#username', username);
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(`${server.url}/admin/`);
    await page.locator('#nav').waitFor({ state: 'attached' });
    return { context, page };
  }

  /** The menu as the pages draw it (NAV in public/admin/js/dom.js), read in the browser. */
  const menu = (page: Page) => page.evaluate(async (file) => {
    const load = new Function('file', 'return import(file)') as (f: string) => Promise<{ NAV: Array<{ label: string; items: Entry[] }> }>;
    return (await load(file)).NAV;
  }, '/admin/js/dom.js');

  /** Every link of the menu is on screen (opening "Menu" first where there is one) and no wider than the screen. */
  async function checkMenu(page: Page, entries: Entry[], width: number): Promise<void> {
    const toggle = page.locator('.menu-toggle');
    if (await toggle.isVisible()) {
      expect(await page.locator('#nav').isVisible()).toBe(false);
      await toggle.click();
    }
    for (const entry of entries) {
      const link = page.locator(`#nav a[href="${entry.href}"]`);
      expect(await link.isVisible(), `${entry.label} at ${width}px`).toBe(true);
      const box = (await link.boundingBox())!;
      expect(box.x, entry.label).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, `${entry.label} at ${width}px`).toBeLessThanOrEqual(width);
    }
  }

  for (const viewport of WIDTHS) {
    it(`shows every page with its whole menu at ${viewport.width} px`, async () => {
      const { context, page } = await signIn('admin', viewport);
      const groups = await menu(page);
      const entries = groups.flatMap((g) => g.items);
      expect(entries.length).toBeGreaterThanOrEqual(15);
      for (const entry of entries) {
        const started = Date.now();
        await page.goto(`${server.url}/admin/${entry.href}`);
        await page.locator('main h1').waitFor();
        await page.waitForLoadState('networkidle');
        loadTimes.push(`${entry.href}@${viewport.width} ${Date.now() - started}`);
        expect(await page.locator('.notice.error:visible').count(), `${entry.href}: ${await page.locator('.notice.error').allTextContents()}`).toBe(0);
        expect(await page.locator('main h1').textContent()).toBeTruthy();
        expect(await page.locator(`#nav a[aria-current="page"]`).getAttribute('href')).toBe(entry.href);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${entry.href} is wider than ${viewport.width}px`).toBeLessThanOrEqual(0);
        await checkMenu(page, entries, viewport.width);
      }
      // One tap from the phone's menu reaches a page.
      if (viewport.width < 800) {
        await page.locator('#nav a[href="reports.html"]').click();
        await page.waitForURL(/reports\.html/);
      }
      await context.close();
      expect(pageErrors).toEqual([]);
    }, 180_000);
  }

  it('hides what a viewer may not open and keeps the rest of the menu', async () => {
    const { context, page } = await signIn('viewer', WIDTHS[1]);
    expect(await page.locator('#nav a[href="users.html"]').count()).toBe(0);
    expect(await page.locator('#nav a[href="audit.html"]').isVisible()).toBe(true);
    await context.close();
  });

  it('shows a dossier\'s dates in Viet Nam\'s time on a computer set to UTC', async () => {
    const { context, page } = await signIn('admin', WIDTHS[1], 'UTC');
    await page.goto(`${server.url}/admin/dossiers.html`);
    await page.fill('#dossier-search', 'TZ-0001');
    await page.click('#dossier-search-form button[type=submit]');
    const row = page.locator('tr', { hasText: 'TZ-0001' });
    await row.waitFor();
    expect(await row.locator('td[data-label="Tiếp nhận"]').textContent()).toBe('02/03/2026');
    // The hand correction form shows the due date as Viet Nam's day too, and asks before saving.
    await row.locator('.open-dossier').click();
    await page.click('#dossier-detail summary');
    expect(await page.inputValue('#fix-due')).toBe('2026-03-05');
    await page.selectOption('#fix-status', 'done');
    const asked: string[] = [];
    page.once('dialog', (d) => { asked.push(d.message()); void d.accept(); });
    await page.click('#dossier-fix button[type=submit]');
    await page.locator('#dossier-status', { hasText: 'Đã có kết quả, chờ trả' }).waitFor();
    expect(asked[0]).toContain('Sửa hồ sơ TZ-0001 bằng tay?');
    const audit = await server.runtime.deps.db.prisma.auditLog.findFirstOrThrow({ where: { action: 'dossier.correct' } });
    expect(audit.actor).toBe('admin');
    await context.close();
  });

  it('names the field as the form labels it when the server refuses a value', async () => {
    const { context, page } = await signIn('editor', WIDTHS[1]);
    await page.click('text=Thêm câu hỏi');
    await page.fill('#f-questions', 'Có chỗ gửi xe không?');
    await page.click('.editor button[type=submit]');
    const notice = page.locator('#notice.error');
    await notice.waitFor();
    expect(await notice.textContent()).toBe('Chưa lưu được. Câu trả lời: Chưa nhập.');
    expect(await page.locator('#e-answer').textContent()).toBe('Chưa nhập.');
    await context.close();
  });

  it('asks before changing a role or locking an account, and changes nothing when the official says no', async () => {
    const { context, page } = await signIn('admin', WIDTHS[1]);
    await page.goto(`${server.url}/admin/users.html`);
    const row = page.locator('tr', { hasText: 'viewer' }).first();
    await row.waitFor();
    const asked: string[] = [];
    page.on('dialog', (d) => { asked.push(d.message()); void d.dismiss(); });
    await row.locator('select').selectOption('editor');
    await row.getByRole('button', { name: 'Khóa', exact: true }).click();
    await page.waitForTimeout(300);
    expect(asked[0]).toContain('Đổi vai trò của viewer từ "Chỉ xem" sang "Biên tập"');
    expect(asked[1]).toContain('Khóa tài khoản viewer?');
    expect(await row.locator('select').inputValue()).toBe('viewer');
    const viewer = await server.runtime.deps.db.prisma.user.findUniqueOrThrow({ where: { username: 'viewer' } });
    expect(viewer).toMatchObject({ role: 'viewer', disabled: false });
    await context.close();
  });

  it('reads the audit log in Vietnamese and downloads the monthly report', async () => {
    const { context, page } = await signIn('admin', WIDTHS[0]);
    await page.goto(`${server.url}/admin/users.html`);
    await page.fill('#key-name', 'Cổng một cửa');
    await page.click('form:has(#key-name) button[type=submit]');
    await page.locator('.secret code').waitFor();
    await page.goto(`${server.url}/admin/audit.html`);
    await page.selectOption('#action', 'api_key.create');
    await page.click('.filters button[type=submit]');
    const first = page.locator('.table tbody tr').first();
    await first.locator('td[data-label="Thao tác"]', { hasText: 'Tạo khóa API' }).waitFor();
    expect(await first.locator('td[data-label="Mục"]').textContent()).toBe('Cổng một cửa');
    await page.goto(`${server.url}/admin/reports.html`);
    await page.locator('.report h2', { hasText: 'Tổng hợp' }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-xlsx')]);
    expect(download.suggestedFilename()).toMatch(/^bao-cao-\d{4}-\d{2}-01-\d{4}-\d{2}-\d{2}\.xlsx$/);
    await context.close();
  });
});
