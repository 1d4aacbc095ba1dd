import { readFile } from 'node:fs/promises';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, hasChromium, launchChromium } from '../helpers/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/console/auth.js';
import { messengerText, startTestServer, waitFor, zaloText, type TestServer } from '../helpers/server.js';

// The review list, imports/exports and dashboard pages in headless Debian Chromium (playwright-core), on the real
// app with both channels against fake Zalo/Messenger APIs: citizens write over Zalo, an editor teaches the bot
// from the browser, and the next citizen gets the new answer at the fake Zalo API.

if (!hasChromium) console.warn(`Skipping the data pages browser tests: ${CHROMIUM} is missing (apt-get install -y chromium).`);

const PASSWORD = 'mat-khau-thu-nghiem';
const EDITOR = 'bien.tap.vien';
const LAPTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };

const SWIFTLET = 'cho hỏi cách nuôi chim yến';
const SWIFTLET_ANSWER = 'Dạ, nuôi chim yến cần đăng ký với UBND phường theo Nghị định 13/2020/NĐ-CP; anh/chị liên hệ bộ phận một cửa để được hướng dẫn ạ.';
// The Saturday question in words the bot does not read as a contact question (no contact word): an official teaches it.
const SATURDAY = 'cuối tuần bên mình có ai ngồi không';
const PARKING = 'ủy ban có máy photo cho dân dùng không';
// Understood (a procedure found) with middling confidence: listed only under a high threshold.
const PHO = 'xin hỏi về đất đai';
const REJECTED = 'lệ phí đăng ký khai sinh bao nhiêu';
const CAMERA = 'camera ở cổng có hoạt động không';
const PETS = 'được mang chó mèo vào trụ sở không';
const EVIL = '<img src=x onerror="window.__pwned=1"> chim cảnh <script>window.__pwned=2</script>';

const HEADERS = ['Tên thủ tục', 'Lĩnh vực', 'Cấp thực hiện', 'Cơ quan thực hiện', 'Thời hạn giải quyết', 'Phí, lệ phí', 'Nơi nộp', 'Cách thức thực hiện'];
const csvLine = (cells: string[]) => cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',');
const NEW_PROCEDURES = [
  ['Xác nhận đăng ký nuôi chim yến', 'Nông nghiệp', 'Cấp xã', 'Ủy ban nhân dân phường', '05 ngày làm việc', 'Không thu phí', 'Bộ phận một cửa phường', 'Trực tiếp hoặc qua bưu chính công ích'],
  ['Cấp giấy phép đào đường để đấu nối nước thải', 'Giao thông, xây dựng', 'Cấp xã', 'Ủy ban nhân dân phường', '07 ngày làm việc', '200.000 đồng', 'Bộ phận một cửa phường', 'Trực tiếp hoặc trực tuyến'],
];
const INVALID_CSV = [HEADERS, ['', 'Nông nghiệp', 'Cấp xã', 'Ủy ban nhân dân phường', '05 ngày', 'Không', 'Bộ phận một cửa', 'Trực tiếp'], NEW_PROCEDURES[1]]
  .map(csvLine).join('\r\n');
const VALID_CSV = [HEADERS, ...NEW_PROCEDURES].map(csvLine).join('\r\n');

describe.skipIf(!hasChromium)('review, imports and dashboard pages in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  const cspErrors: string[] = [];
  const loadTimes: Array<{ page: string; viewport: string; loadEventMs: number; contentMs: number }> = [];

  beforeAll(async () => {
    s = await startTestServer();
    await createUser(s.runtime.deps.db.prisma, { username: EDITOR, password: PASSWORD, role: 'editor' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    if (loadTimes.length) {
      console.log('Console page first loads (navigation start → load event; → content drawn):');
      for (const t of loadTimes) console.log(`  ${t.page.padEnd(15)} ${t.viewport.padEnd(8)} load ${t.loadEventMs.toFixed(0).padStart(4)} ms · content ${t.contentMs.toFixed(0).padStart(4)} ms`);
    }
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await s?.close();
  });

  /** A citizen writes over Zalo; resolves with the bot's replies (texts) once at least one has arrived. */
  async function zalo(userId: string, text: string, until?: (replies: string[]) => boolean): Promise<string[]> {
    const before = s.zalo.sent.length;
    const res = await s.postZalo(zaloText(userId, text));
    expect(res.status).toBe(200);
    return waitFor(() => {
      const replies = s.zalo.sent.slice(before).filter((m) => m.userId === userId).map((m) => String(m.message.text ?? ''));
      return replies.length > 0 && (!until || until(replies)) ? replies : undefined;
    });
  }

  /** Signs the editor in through the login page, landing on `path`. */
  async function signIn(path: string, viewport = LAPTOP): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: 'vi-VN', acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(msg.text())) cspErrors.push(msg.text());
    });
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${s.url}/admin/${path}`);
    await page.waitForURL(/\/admin\/login\.html\?next=/);
    await page.fill('#username', EDITOR);
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(`${s.url}/admin/${path}`);
    return page;
  }

  /** A new browser context with `page`'s session but an empty cache: a first visit. */
  async function coldPage(page: Page, viewport = LAPTOP): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: 'vi-VN', storageState: await page.context().storageState() });
    contexts.push(context);
    const cold = await context.newPage();
    cold.on('pageerror', (err) => pageErrors.push(`${cold.url()}: ${err.message}`));
    return cold;
  }

  /** Navigation start → load event, and → the moment `ready` is on the page. */
  async function measure(page: Page, path: string, ready: string, viewport: string) {
    await page.goto(`${s.url}/admin/${path}`);
    await page.waitForSelector(ready);
    const t = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const drawn = performance.getEntriesByName('dashboard-drawn')[0];
      return { loadEventMs: nav.loadEventEnd - nav.startTime, contentMs: drawn ? drawn.startTime : performance.now() };
    });
    loadTimes.push({ page: path, viewport, ...t });
    return t;
  }

  const noHorizontalScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

  it('lists what the bot did not understand, turns a group into an FAQ, and the next citizen gets that answer on Zalo', async () => {
    const missed = await zalo('citizen-a', SWIFTLET);
    expect(missed.join(' ')).not.toContain(SWIFTLET_ANSWER);
    await zalo('citizen-b', SWIFTLET);
    await zalo('citizen-c', SATURDAY);
    await zalo('citizen-d', PARKING);
    await zalo('citizen-e', EVIL);

    const page = await signIn('review.html');
    const group = page.locator('.review-group', { hasText: SWIFTLET });
    await group.waitFor();
    expect(await group.locator('.review-count').textContent()).toBe('2 lần');
    expect(await group.locator('.review-last').textContent()).toMatch(/gần nhất \d/);
    expect(await page.locator('#threshold').inputValue()).toBe(String(s.runtime.deps.config.NLU_CONFIDENCE_THRESHOLD));

    // Citizens' text is shown as text: no element made from it, no script run.
    await page.locator('.review-group', { hasText: '<script>' }).waitFor();
    expect(await page.locator('.review-group img').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();

    await group.getByRole('button', { name: 'Tạo FAQ mới' }).click();
    await group.locator('textarea[name=answer]').fill(SWIFTLET_ANSWER);
    await group.getByRole('button', { name: 'Lưu câu hỏi mới' }).click();
    await page.locator('#notice').filter({ hasText: 'Đã tạo câu hỏi thường gặp mới' }).waitFor();
    await group.waitFor({ state: 'detached' });
    const faq = await s.runtime.deps.db.prisma.faq.findFirst({ where: { answer: SWIFTLET_ANSWER } });
    expect(faq?.questions).toEqual([SWIFTLET]);

    const replies = await zalo('citizen-f', SWIFTLET, (r) => r.includes(SWIFTLET_ANSWER));
    expect(replies).toContain(SWIFTLET_ANSWER);

    // The reload shows the list without the group that was taught.
    await page.reload();
    await page.locator('.review-group', { hasText: PARKING }).waitFor();
    expect(await page.locator('.review-group', { hasText: SWIFTLET }).count()).toBe(0);
    expect(pageErrors).toEqual([]);
    expect(cspErrors).toEqual([]);
  });

  it('attaches a group to an existing FAQ found with the search box, dismisses another, and filters by threshold', async () => {
    const saturday = (await s.runtime.deps.db.prisma.faq.findMany()).find((f) => f.questions[0] === 'Thứ Bảy có làm việc không?');
    expect(saturday).toBeDefined();
    await zalo('citizen-k', PHO); // read as a procedure question with middling confidence: listed only above it
    const page = await signIn('review.html');
    const group = page.locator('.review-group', { hasText: SATURDAY });
    await group.getByRole('button', { name: 'Gắn vào mục có sẵn' }).click();
    await group.locator('select[name=targetType]').selectOption('faq');
    await group.locator('input[name=targetQuery]').fill('thu bay lam viec');
    const hit = group.locator('.target-results li', { hasText: 'Thứ Bảy có làm việc không?' });
    await hit.waitFor();
    await hit.getByRole('button', { name: 'Gắn vào đây' }).click();
    await page.locator('#notice').filter({ hasText: 'Đã dạy bot' }).waitFor();
    await group.waitFor({ state: 'detached' });
    // A sample FAQ: its answer, then the one line saying it is sample data.
    const replies = await zalo('citizen-g', SATURDAY, (r) => r.some((x) => x.startsWith(saturday!.answer)));
    expect(replies.find((x) => x.startsWith(saturday!.answer))).toContain('dữ liệu mẫu');

    const parking = page.locator('.review-group', { hasText: PARKING });
    await parking.getByRole('button', { name: 'Bỏ qua' }).click();
    await page.locator('#notice').filter({ hasText: 'Đã bỏ qua 1 tin nhắn' }).waitFor();
    await parking.waitFor({ state: 'detached' });
    const dismissed = await s.runtime.deps.db.prisma.message.findFirst({ where: { text: PARKING, direction: 'in' } });
    expect(dismissed?.reviewStatus).toBe('dismissed');

    // A higher threshold lists messages the bot understood with middling confidence too (PHO, which the bot now asks
    // "which one?" about at 0.92, is in neither list below it).
    await page.selectOption('#review-reason', 'not_understood');
    await page.getByRole('button', { name: 'Xem lại' }).click();
    // Wait for this load to be drawn (the list is aria-busy until then), not for PHO to leave: when PHO was not in
    // the list before, that wait passed at once, the threshold below was typed, and the answer landing after it put
    // the default threshold back in the field before the second click (it failed so twice in full runs).
    await page.locator('.review-list:not([aria-busy])').waitFor({ state: 'attached' });
    expect(await page.locator('.review-group', { hasText: PHO }).count()).toBe(0);
    await page.locator('.review-group').first().waitFor();
    await page.fill('#threshold', '0.99');
    await page.getByRole('button', { name: 'Xem lại' }).click();
    await page.locator('.review-group', { hasText: PHO }).waitFor();
    expect(page.url()).toContain('threshold=0.99'); // kept in the address, so a reload keeps the filter
    expect(pageErrors).toEqual([]);
  });

  it('shows an answer a citizen rejected with its conversation, finds groups by search and dismisses several at once', async () => {
    const answer = await zalo('citizen-r', REJECTED);
    expect(answer.join(' ')).toContain('Đăng ký khai sinh');
    await zalo('citizen-r', 'sai rồi');
    await zalo('citizen-s', CAMERA);
    await zalo('citizen-t', PETS);
    const page = await signIn('review.html');
    await page.selectOption('#review-reason', 'rejected');
    await page.getByRole('button', { name: 'Xem lại' }).click();
    // The first load's list may still be on the page: opening its example would be undone when the new list lands.
    await page.locator('.review-list:not([aria-busy])').waitFor({ state: 'attached' });
    const group = page.locator('.review-group', { hasText: REJECTED });
    await group.waitFor();
    expect(await group.locator('.review-reasons').textContent()).toContain('Người dân nói bot trả lời sai: 1');
    expect(await page.locator('.review-group', { hasText: 'sai rồi' }).count()).toBe(0); // the turn after, never a group of its own
    await group.locator('.review-example summary').click();
    await group.locator('.review-turn.current', { hasText: REJECTED }).waitFor();
    await group.locator('.review-turn[data-from=bot]', { hasText: 'Đăng ký khai sinh' }).first().waitFor();
    await group.locator('.review-turn[data-from=citizen]', { hasText: 'sai rồi' }).waitFor();

    await page.selectOption('#review-reason', '');
    await page.fill('#review-q', 'camera');
    await page.getByRole('button', { name: 'Xem lại' }).click();
    await page.locator('.review-list:not([aria-busy])').waitFor({ state: 'attached' });
    await page.locator('.review-group', { hasText: CAMERA }).waitFor();
    expect(await page.locator('.review-group').count()).toBe(1);

    await page.fill('#review-q', '');
    await page.getByRole('button', { name: 'Xem lại' }).click();
    await page.locator('.review-list:not([aria-busy])').waitFor({ state: 'attached' });
    for (const text of [CAMERA, PETS]) await page.locator('.review-group', { hasText: text }).locator('.review-pick').check();
    await page.locator('#bulk-count', { hasText: 'Đã chọn 2 nhóm, 2 tin nhắn' }).waitFor();
    await page.click('#bulk-dismiss');
    await page.locator('#notice').filter({ hasText: 'Đã bỏ qua 2 tin nhắn của 2 nhóm' }).waitFor();
    await page.locator('.review-group', { hasText: CAMERA }).waitFor({ state: 'detached' });
    expect(await page.locator('.review-group', { hasText: PETS }).count()).toBe(0);
    const statuses = await s.runtime.deps.db.prisma.message.findMany({ where: { text: { in: [CAMERA, PETS] } }, select: { reviewStatus: true } });
    expect(statuses.map((m) => m.reviewStatus)).toEqual(['dismissed', 'dismissed']);
    expect(pageErrors).toEqual([]);
  });

  it('imports procedures from CSV: a dry run lists every row problem and imports nothing, then a valid file imports', async () => {
    const prisma = s.runtime.deps.db.prisma;
    const count = await prisma.procedure.count();
    const page = await signIn('imports.html');
    await page.selectOption('#kind', 'procedures');
    expect(await page.locator('#columns-hint').textContent()).toContain('Cách thức thực hiện');
    // Records every state of the progress bar: the upload, the indeterminate wait for the server, done.
    await page.evaluate(() => {
      const w = window as unknown as { __phases: string[] };
      w.__phases = [];
      const bar = document.getElementById('import-progress')!;
      new MutationObserver(() => {
        const phase = `${bar.dataset.phase}${bar.hasAttribute('value') ? '' : ':indeterminate'}`;
        if (w.__phases.at(-1) !== phase) w.__phases.push(phase);
      }).observe(bar, { attributes: true });
    });

    await page.setInputFiles('#file', { name: 'thu-tuc-loi.csv', mimeType: 'text/csv', buffer: Buffer.from(INVALID_CSV) });
    await page.click('#dry-run');
    await page.locator('.import-summary').waitFor();
    expect(await page.locator('.import-summary').getAttribute('data-ok')).toBe('false');
    expect(await page.locator('.summary-title').textContent()).toContain('chưa nhập dòng nào');
    const errors = page.locator('.row-errors tbody tr');
    expect(await errors.count()).toBe(1);
    expect(await errors.first().locator('.err-row').textContent()).toBe('2');
    expect(await errors.first().locator('.err-column').textContent()).toBe('Tên thủ tục');
    expect(await errors.first().locator('.err-reason').textContent()).toContain('trống');
    expect(await prisma.procedure.count()).toBe(count);
    const phases = await page.evaluate(() => (window as unknown as { __phases: string[] }).__phases);
    expect(phases).toContain('server:indeterminate');
    expect(phases.at(-1)).toBe('done');
    expect(await page.locator('#import-progress').getAttribute('value')).toBe('100');

    // "Nhập" with the same invalid file is refused as a whole, too.
    await page.click('#do-import');
    await page.locator('.import-summary[data-dry-run="false"]').waitFor();
    expect(await page.locator('.import-summary').getAttribute('data-ok')).toBe('false');
    expect(await prisma.procedure.count()).toBe(count);

    await page.setInputFiles('#file', { name: 'thu-tuc.csv', mimeType: 'text/csv', buffer: Buffer.from(VALID_CSV) });
    await page.click('#dry-run');
    await page.locator('.import-summary[data-ok="true"][data-dry-run="true"]').waitFor();
    expect(await page.locator('.import-summary').textContent()).toContain('Sẽ thêm mới: 2');
    expect(await prisma.procedure.count()).toBe(count);

    await page.click('#do-import');
    await page.locator('.import-summary[data-ok="true"][data-dry-run="false"]').waitFor();
    expect(await page.locator('.import-summary').textContent()).toContain('Đã thêm mới: 2');
    expect(await prisma.procedure.count()).toBe(count + 2);
    expect(s.runtime.deps.kb.snapshot.procedures.map((p) => p.name)).toContain(NEW_PROCEDURES[0][0]);

    // The export links hand back what was imported.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[data-export="procedures.csv"]')]);
    expect(download.suggestedFilename()).toMatch(/^procedures-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(await readFile((await download.path())!, 'utf8')).toContain(NEW_PROCEDURES[1][0]);
    const xlsx = await page.request.get(`${s.url}${await page.locator('a[data-export="faqs.xlsx"]').getAttribute('href')}`);
    expect(xlsx.status()).toBe(200);
    expect((await xlsx.body()).subarray(0, 2).toString()).toBe('PK');
    // ...and an exported workbook goes back in unchanged (the xlsx path of the upload).
    const faqs = await prisma.faq.count();
    await page.selectOption('#kind', 'faqs');
    await page.setInputFiles('#file', { name: 'cau-hoi.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: await xlsx.body() });
    await page.click('#dry-run');
    await page.locator('.import-summary[data-ok="true"][data-dry-run="true"]').waitFor();
    expect(await page.locator('.import-summary').textContent()).toContain(`Không thay đổi: ${faqs}`);
    expect(pageErrors).toEqual([]);
    expect(cspErrors).toEqual([]);
  });

  it('draws the dashboard charts as inline SVG from the message log (first loads printed)', async () => {
    await zalo('citizen-h', 'thủ tục đăng ký khai sinh');
    await zalo('citizen-i', 'đăng ký khai sinh cần giấy tờ gì');
    await zalo('citizen-j', 'tôi muốn gặp cán bộ');
    const before = s.graph.sent.length;
    await s.postMessenger(messengerText('psid-1', 'thủ tục đăng ký khai sinh'));
    await waitFor(() => s.graph.sent.length > before);

    const page = await signIn('dashboard.html');
    await page.locator('#chart-messages svg.chart-svg rect.bar').first().waitFor();
    // First visits (empty cache), as an official opening each page, measured by the browser.
    // Load times are printed (a benchmark figure on a shared machine), not asserted.
    await measure(await coldPage(page), 'dashboard.html', 'main[data-ready] #chart-messages rect.bar', 'laptop');
    for (const [path, ready] of [['review.html', '.review-group'], ['imports.html', '#exports a']] as const) {
      await measure(await coldPage(page), path, ready, 'laptop');
    }

    const svg = page.locator('#chart-messages svg.chart-svg');
    expect(await svg.getAttribute('viewBox')).toMatch(/^0 0 \d+ \d+$/);
    expect(await svg.getAttribute('width')).toBe('100%');
    const channels = await page.locator('#chart-messages rect.bar').evaluateAll((bars) => [...new Set(bars.map((b) => b.getAttribute('data-series')))]);
    expect(channels.sort()).toEqual(['messenger', 'zalo']);
    expect(await page.locator('#chart-messages .legend').textContent()).toContain('Zalo');

    expect(await page.locator('#chart-intents .hrow').count()).toBeGreaterThan(1);
    expect(await page.locator('#chart-intents .hrow[data-label="Hỏi về thủ tục"]').count()).toBe(1);
    const birth = page.locator('#chart-procedures .hrow[data-label="Đăng ký khai sinh"]');
    expect(Number(await birth.getAttribute('data-value'))).toBeGreaterThanOrEqual(3);
    expect(await page.locator('#chart-not-understood path.line').getAttribute('d')).toMatch(/^M[\d.]+ [\d.]+/);
    expect(await page.locator('#chart-not-understood circle.dot').count()).toBeGreaterThan(0);

    const waiting = await s.runtime.deps.db.prisma.conversation.count({ where: { handoffStatus: 'waiting' } });
    expect(waiting).toBeGreaterThan(0);
    expect(await page.locator('#card-handoffs .stat-value').textContent()).toBe(String(waiting));

    await page.selectOption('#days', '7');
    await page.locator('main[data-ready="7"] #chart-messages rect.bar').first().waitFor();
    expect(page.url()).toContain('days=7');
    expect((await page.locator('#range').textContent())?.startsWith('Từ ')).toBe(true);

    expect(pageErrors).toEqual([]);
    expect(cspErrors).toEqual([]);
  });

  it('fits a 360 px wide phone screen on all three pages, without horizontal scroll', async () => {
    const page = await signIn('dashboard.html', PHONE);
    await measure(page, 'dashboard.html', 'main[data-ready] #chart-procedures .hrow', 'phone');
    expect(await noHorizontalScroll(page)).toBeLessThanOrEqual(0);
    const box = await page.locator('#chart-messages svg.chart-svg').boundingBox();
    expect(box!.width).toBeLessThanOrEqual(PHONE.width);
    expect(box!.width).toBeGreaterThan(250);

    await measure(page, 'review.html', '.review-group', 'phone');
    expect(await noHorizontalScroll(page)).toBeLessThanOrEqual(0);
    const group = page.locator('.review-group').first();
    await group.getByRole('button', { name: 'Gắn vào mục có sẵn' }).click();
    await group.locator('.target-results li').first().waitFor();
    expect(await noHorizontalScroll(page)).toBeLessThanOrEqual(0);

    await measure(page, 'imports.html', '#exports a', 'phone');
    expect(await noHorizontalScroll(page)).toBeLessThanOrEqual(0);
    await page.setInputFiles('#file', { name: 'thu-tuc-loi.csv', mimeType: 'text/csv', buffer: Buffer.from(INVALID_CSV) });
    await page.click('#dry-run');
    await page.locator('.row-errors tbody tr').first().waitFor();
    expect(await noHorizontalScroll(page)).toBeLessThanOrEqual(0);
    expect(pageErrors).toEqual([]);
    expect(cspErrors).toEqual([]);
  });
});
