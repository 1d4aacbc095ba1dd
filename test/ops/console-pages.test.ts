import type { Browser, Page } from 'playwright-core';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/console/auth.js';
import { CHROMIUM, hasChromium, launchChromium } from '../helpers/browser.js';
import { PASSWORD, startConsoleApp, type ConsoleApp } from '../console/console-app.js';

// The sign-in pages in Chromium: a locked account is told so and an admin lifts the lock from the accounts page;
// an admin turns TOTP on there and then signs in with a code.

if (!hasChromium) console.warn(`Skipping the sign-in browser tests: ${CHROMIUM} is missing.`);

describe.skipIf(!hasChromium)('sign-in pages in Chromium', () => {
  let app: ConsoleApp;
  let browser: Browser;
  const pageErrors: string[] = [];
  beforeAll(async () => {
    app = await startConsoleApp('pglite');
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function loginPage(): Promise<Page> {
    const page = await (await browser.newContext({ locale: 'vi-VN' })).newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${app.url}/admin/login.html`);
    return page;
  }
  async function submit(page: Page, username: string, password: string, totp?: string) {
    await page.fill('#username', username);
    await page.fill('#password', password);
    if (totp) await page.fill('#totp', totp);
    await page.click('button[type=submit]');
  }

  it('a locked account is told "đã bị khóa"; an admin unlocks it on the accounts page', async () => {
    await createUser(app.deps.db.prisma, { username: 'locked.one', password: PASSWORD, role: 'agent' });
    await app.deps.db.prisma.user.update({ where: { username: 'locked.one' }, data: { failedLogins: 10, lockedUntil: new Date(app.deps.now().getTime() + 15 * 60_000) } });
    const page = await loginPage();
    await submit(page, 'locked.one', PASSWORD);
    await page.locator('#login-error').waitFor({ state: 'visible' });
    expect(await page.locator('#login-error').textContent()).toContain('đã bị khóa');

    const admin = await loginPage();
    await submit(admin, 'admin', PASSWORD);
    await admin.waitForURL(`${app.url}/admin/`);
    await admin.goto(`${app.url}/admin/users.html`);
    const row = admin.locator('tr', { hasText: 'locked.one' });
    expect(await row.textContent()).toContain('Tạm khóa đăng nhập');
    await row.locator('button', { hasText: 'Mở khóa đăng nhập' }).click();
    await admin.locator('tr', { hasText: 'locked.one' }).filter({ hasText: 'Đang hoạt động' }).waitFor();
    await submit(page, 'locked.one', PASSWORD);
    await page.waitForURL(`${app.url}/admin/`);
  });

  it('an admin turns TOTP on from the accounts page, then signs in with the code', async () => {
    await createUser(app.deps.db.prisma, { username: 'admin.totp', password: PASSWORD, role: 'admin' });
    const page = await loginPage();
    await submit(page, 'admin.totp', PASSWORD);
    await page.waitForURL(`${app.url}/admin/`);
    await page.goto(`${app.url}/admin/users.html`);
    await page.click('button:has-text("Bật xác thực hai lớp")');
    const secret = (await page.locator('.card code.key').first().textContent())!.trim();
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) });
    await page.fill('#totp-code', totp.generate({ timestamp: app.deps.now().getTime() }));
    await page.click('form:has(#totp-code) button[type=submit]');
    await page.locator('text=Đã bật. Nếu mất điện thoại').waitFor();

    const again = await loginPage();
    await submit(again, 'admin.totp', PASSWORD);
    await again.locator('#totp').waitFor({ state: 'visible' });
    expect(await again.locator('#login-error').textContent()).toContain('mã xác thực');
    app.advance(30_000); // a code is good once: the one used at enrolment cannot sign in
    await submit(again, 'admin.totp', PASSWORD, totp.generate({ timestamp: app.deps.now().getTime() }));
    await again.waitForURL(`${app.url}/admin/`);
    expect(pageErrors).toEqual([]);
  });
});
