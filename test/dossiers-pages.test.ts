import { type Browser, type Page } from 'playwright-core';
import { CHROMIUM, hasChromium, launchChromium } from './helpers/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, createUser } from '../src/console/auth.js';
import { startTestServer, waitFor, zaloText, type TestServer } from './helpers/server.js';

// The dossiers page in headless Debian Chromium on the real app: a citizen subscribes to a dossier through the
// signed Zalo webhook, the one-stop system reports a new status through the integration API, the notice reaches the
// fake Zalo API, and a viewer finds the dossier in the console with its history and the notice's delivery state.

if (!hasChromium) console.warn(`Skipping the dossiers browser tests: ${CHROMIUM} is missing (apt-get install -y chromium).`);
const PASSWORD = 'mat-khau-thu-nghiem';
const CODE = 'H12.22-240115-0007';

describe.skipIf(!hasChromium)('dossiers page in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let apiKey: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    s = await startTestServer();
    const { prisma } = s.runtime.deps.db;
    await createUser(prisma, { username: 'xem.ho.so', password: PASSWORD, role: 'viewer' });
    apiKey = (await createApiKey(prisma, 'mot-cua-test')).key;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  const sentTo = (user: string) => s.zalo.sent.filter((m) => m.userId === user);
  // A consultation message's text, or a transaction message's (a status notice) element contents.
  const textOf = (m: { message: Record<string, unknown> }) => String(m.message.text ?? '')
    + ((m.message.attachment as { payload?: { elements?: Array<{ content?: string }> } } | undefined)?.payload?.elements ?? [])
      .map((e) => e.content ?? '').join('\n');
  const waitForText = (user: string, part: string) => waitFor(() => sentTo(user).find((m) => textOf(m).includes(part)));

  async function signIn(path: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: 'vi-VN' });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(`${s.url}${path}`);
    await page.waitForURL(/\/admin\/login\.html/);
    await page.fill('#username', 'xem.ho.so');
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(`${s.url}${path}`);
    return page;
  }

  const noHorizontalScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

  it('a viewer finds a dossier, sees the new status in its history and the notice sent to the subscriber', async () => {
    const user = 'zd-1';
    expect((await s.postZalo(zaloText(user, `báo cho tôi khi hồ sơ ${CODE} xong`))).status).toBe(200);
    await waitForText(user, `Khi hồ sơ ${CODE} thay đổi trạng thái`);

    const res = await fetch(`${s.url}/api/integration/dossiers/${CODE}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body: JSON.stringify({
        procedureName: 'Chứng thực hợp đồng, giao dịch', status: 'returned', applicantName: 'Trần Thị Bích',
        office: 'UBND Phường 2, thành phố Sa Đéc', receivedAt: '2024-01-15T09:10:00+07:00', dueAt: '2024-01-19T17:00:00+07:00',
        note: 'Đã trả lại hồ sơ và văn bản trả lời cho người nộp',
      }),
    });
    expect(res.status).toBe(200);
    expect((await res.json()).notified).toBe(1);
    await waitForText(user, 'Đã trả kết quả');

    const page = await signIn('/admin/dossiers.html');
    expect(await page.locator('.nav a[aria-current="page"]').textContent()).toBe('Hồ sơ');
    await page.fill('#dossier-search', CODE);
    await page.click('#dossier-search-form button[type=submit]');
    const row = page.locator(`#dossier-table tr[data-code="${CODE}"]`);
    await row.waitFor();
    // The unfiltered list holds the row too: wait for the search's answer to replace it.
    await expect.poll(() => page.locator('#dossier-table tbody tr').count()).toBe(1);
    expect(await row.locator('td.status').textContent()).toBe('Đã trả kết quả');
    expect(await row.textContent()).toContain('Trần Thị Bích');

    // The notice is queued at first and becomes "sent" once the delivery is recorded: reopen until it is.
    const sent = page.locator('#dossier-notices tr[data-state="sent"]');
    await waitFor(async () => {
      await row.locator('button.open-dossier').click();
      await page.locator('#dossier-code', { hasText: CODE }).waitFor();
      return (await sent.count()) > 0;
    });
    const history = page.locator('#dossier-history tbody tr');
    expect(await history.count()).toBe(4);
    const last = history.last();
    expect(await last.locator('td').first().textContent()).toBe('Đã trả kết quả');
    expect(await last.textContent()).toContain('Đã trả lại hồ sơ và văn bản trả lời');
    expect(await last.textContent()).toContain('19/01/2024');
    expect(await page.locator('#dossier-status').textContent()).toBe('Đã trả kết quả');
    expect(await page.locator('#dossier-subscribers').textContent()).toContain('1 người đang nhận');
    expect(await sent.first().locator('.delivery').textContent()).toBe('Đã gửi');
    expect(await sent.first().textContent()).toContain('Đã trả kết quả');

    // The status filter narrows the list; nothing of this dossier is waiting in the undelivered tab.
    await page.selectOption('#status-filter', 'processing');
    await row.waitFor({ state: 'detached' });
    await page.selectOption('#status-filter', 'returned');
    await row.waitFor();
    await page.click('#tab-undelivered');
    await page.locator('#undelivered-count').filter({ hasText: 'thông báo' }).waitFor();
    expect(await page.locator('#undelivered-table').textContent()).not.toContain(CODE);
    expect(pageErrors).toEqual([]);
  });

  it('lists a notice that Zalo would not deliver, with its reason, and fits a 360 px phone', async () => {
    // A subscriber whose last message is older than Zalo's 7-day window: the notice cannot be sent.
    const { prisma } = s.runtime.deps.db;
    const dossier = await prisma.dossier.findUniqueOrThrow({ where: { code: CODE } });
    await prisma.conversation.create({ data: { channel: 'zalo', userId: 'zd-old', lastInboundAt: new Date(Date.now() - 8 * 24 * 3600_000) } });
    await prisma.subscription.create({ data: { dossierId: dossier.id, channel: 'zalo', userId: 'zd-old' } });
    const res = await fetch(`${s.url}/api/integration/dossiers/${CODE}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body: JSON.stringify({
        procedureName: 'Chứng thực hợp đồng, giao dịch', status: 'needs_supplement', applicantName: 'Trần Thị Bích', applicantPhone: null,
        office: 'UBND Phường 2, thành phố Sa Đéc', receivedAt: '2024-01-15T09:10:00+07:00', dueAt: '2024-01-22T17:00:00+07:00',
        note: 'Bổ sung bản sao hợp đồng có chứng thực',
      }),
    });
    expect(res.status).toBe(200);
    const notice = await waitFor(async () => {
      const n = await prisma.notification.findFirst({ where: { userId: 'zd-old' } });
      return n?.status === 'undelivered' ? n : undefined;
    });

    const page = await signIn('/admin/dossiers.html', { width: 360, height: 740 });
    await page.locator(`#dossier-table tr[data-code="${CODE}"]`).waitFor();
    expect(await noHorizontalScroll(page)).toBeLessThanOrEqual(0);
    await page.locator(`#dossier-table tr[data-code="${CODE}"] button.open-dossier`).click();
    await page.locator('#dossier-history tbody tr', { hasText: 'Bổ sung bản sao hợp đồng' }).waitFor();
    expect(await page.locator('#dossier-history tbody tr').last().textContent()).toContain('22/01/2024 (hẹn mới)');
    expect(await noHorizontalScroll(page)).toBeLessThanOrEqual(0);

    await page.click('#tab-undelivered');
    const row = page.locator(`#undelivered-table tr[data-id="${notice.id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain(CODE);
    expect(await row.locator('.delivery').textContent()).toBe('Không gửi được');
    expect(notice.detail).toBeTruthy();
    expect(await row.textContent()).toContain(`Lý do: ${notice.detail}`);
    expect(await noHorizontalScroll(page)).toBeLessThanOrEqual(0);

    // From the list back to the dossier: the same notice shows there as undelivered too.
    await row.getByRole('button', { name: CODE }).click();
    await page.locator(`#dossier-notices tr[data-id="${notice.id}"][data-state="undelivered"]`).waitFor();
    expect(await page.locator('#panel-undelivered').isHidden()).toBe(true);
    expect(await noHorizontalScroll(page)).toBeLessThanOrEqual(0);
    expect(pageErrors).toEqual([]);
  });
});
