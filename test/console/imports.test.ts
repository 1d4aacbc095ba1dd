import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createUser } from '../../src/console/auth.js';
import { authRouter } from '../../src/console/login.js';
import { createDataRouter } from '../../src/console/data-routes.js';
import { exportKb } from '../../src/console/imports/export.js';
import { importFile } from '../../src/console/imports/import.js';
import type { AppDeps } from '../../src/deps.js';
import { readKbVersion } from '../../src/kb/snapshot.js';
import { KbStore } from '../../src/kb/store.js';
import { createLogger } from '../../src/logger.js';
import { DEFAULT_NLU_OPTIONS } from '../../src/nlu/build.js';
import { loadNluData } from '../../src/nlu/data-files.js';
import { openTestDb, type TestDb } from '../helpers/db.js';

// Imports and exports of the knowledge base (and dossiers) from officials' spreadsheets, on a real database.

const dir = mkdtempSync(path.join(tmpdir(), 'cchc-imports-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEAD = ['Mã thủ tục', 'Tên thủ tục', 'Lĩnh vực', 'Cấp thực hiện', 'Cơ quan thực hiện', 'Thành phần hồ sơ', 'Thời hạn giải quyết',
  'Phí, lệ phí', 'Nơi nộp', 'Cách thức thực hiện', 'Nộp trực tuyến', 'Link nộp trực tuyến', 'Căn cứ pháp lý', 'Từ khóa'];
const procedureRow = (code: string, name: string, over: Partial<Record<string, string>> = {}) => {
  const base: Record<string, string> = {
    'Mã thủ tục': code, 'Tên thủ tục': name, 'Lĩnh vực': 'Hộ tịch', 'Cấp thực hiện': 'Cấp xã', 'Cơ quan thực hiện': 'UBND xã',
    'Thành phần hồ sơ': 'Tờ khai theo mẫu.\nBản sao giấy tờ tùy thân.', 'Thời hạn giải quyết': '3 ngày làm việc',
    'Phí, lệ phí': '8.000 đồng', 'Nơi nộp': 'Bộ phận một cửa', 'Cách thức thực hiện': 'Trực tiếp hoặc trực tuyến',
    'Nộp trực tuyến': 'có', 'Link nộp trực tuyến': 'https://dichvucong.gov.vn', 'Căn cứ pháp lý': 'Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP',
    'Từ khóa': 'thủ tục thử',
  };
  return HEAD.map((h) => over[h] ?? base[h]);
};
const csvCell = (v: string) => (/[;"\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
function writeCsv(name: string, rows: string[][], opts: { bom?: boolean; delimiter?: string } = {}): string {
  const file = path.join(dir, name);
  const d = opts.delimiter ?? ';';
  writeFileSync(file, (opts.bom === false ? '' : '\uFEFF') + rows.map((r) => r.map(csvCell).join(d)).join('\r\n') + '\r\n');
  return file;
}
async function writeXlsx(name: string, rows: unknown[][]): Promise<string> {
  const file = path.join(dir, name);
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('Danh sách');
  for (const r of rows) sheet.addRow(r);
  await wb.xlsx.writeFile(file);
  return file;
}

describe('imports on PGlite', () => {
  let t: TestDb;
  beforeAll(async () => { t = await openTestDb('pglite'); });
  afterAll(async () => { await t.close(); });

  it('imports procedures from a ";" CSV with Vietnamese headers: creates new ones, updates by name, bumps the KB version', async () => {
    const { prisma } = t.db;
    const before = await readKbVersion(prisma);
    const file = writeCsv('procedures.csv', [HEAD,
      procedureRow('', 'Đăng ký khai sinh', { 'Phí, lệ phí': 'Miễn lệ phí (thử nghiệm)', 'Mã thủ tục': '1.001193' }),
      procedureRow('TEST.01', 'Cấp bản sao trích lục hộ tịch thử nghiệm'),
      procedureRow('TEST.02', 'Đăng ký giám hộ thử nghiệm', { 'Nộp trực tuyến': 'không', 'Link nộp trực tuyến': '' })]);
    const progress: Array<[number, number | undefined]> = [];
    const r = await importFile(prisma, 'procedures', { path: file, format: 'csv' },
      { dryRun: false, actor: 'editor', onProgress: (d, total) => progress.push([d, total]) });
    expect(r).toMatchObject({ ok: true, rows: 3, created: 2, updated: 1, errors: [] });
    const birth = await prisma.procedure.findUniqueOrThrow({ where: { name: 'Đăng ký khai sinh' } });
    expect(birth).toMatchObject({ fee: 'Miễn lệ phí (thử nghiệm)', version: 2, isSample: false });
    const created = await prisma.procedure.findUniqueOrThrow({ where: { code: 'TEST.01' } });
    expect(created.documents).toEqual(['Tờ khai theo mẫu.', 'Bản sao giấy tờ tùy thân.']);
    expect(created.legalBasis).toEqual(['Luật Hộ tịch 2014', 'Nghị định 123/2015/NĐ-CP']);
    expect(created).toMatchObject({ onlineAvailable: true, onlineUrl: 'https://dichvucong.gov.vn', aliases: ['thủ tục thử'] });
    expect(await prisma.procedure.findUniqueOrThrow({ where: { code: 'TEST.02' } })).toMatchObject({ onlineAvailable: false, onlineUrl: null });
    expect(await readKbVersion(prisma)).toBe(before + 1);
    expect(await prisma.auditLog.count({ where: { action: 'procedure.import', actor: 'editor' } })).toBe(1);
    expect(await prisma.revision.count({ where: { entityType: 'procedure', entityId: birth.id, action: 'import', version: 2 } })).toBe(1);
    // The state before the import stays restorable.
    expect(await prisma.revision.count({ where: { entityType: 'procedure', entityId: birth.id, version: 1 } })).toBe(1);
    expect(progress.at(-1)).toEqual([3, 3]);
  });

  it('imports FAQs from an XLSX whose headers are written without diacritics, in capitals', async () => {
    const { prisma } = t.db;
    const file = await writeXlsx('faqs.xlsx', [
      ['CAU HOI', 'Tra loi', 'the'],
      ['Bộ phận một cửa có làm việc thứ Bảy không?\nthứ 7 có làm việc không', 'Dạ, sáng thứ Bảy có làm việc ạ.', 'giờ làm việc'],
      [{ richText: [{ text: 'Nộp hồ sơ ' }, { text: 'qua bưu điện được không?' }] }, 'Dạ, được ạ.', ''],
    ]);
    const r = await importFile(prisma, 'faqs', { path: file, format: 'xlsx' }, { dryRun: false });
    expect(r).toMatchObject({ ok: true, rows: 2, created: 2, updated: 0 });
    const faq = await prisma.faq.findFirstOrThrow({ where: { answer: 'Dạ, sáng thứ Bảy có làm việc ạ.' } });
    expect(faq.questions).toEqual(['Bộ phận một cửa có làm việc thứ Bảy không?', 'thứ 7 có làm việc không']);
    expect(faq.tags).toEqual(['giờ làm việc']);
    expect(await prisma.faq.count({ where: { questions: { has: 'Nộp hồ sơ qua bưu điện được không?' } } })).toBe(1);
  });

  it('a dry run reports every bad row with its row, column and reason, and imports nothing', async () => {
    const { prisma } = t.db;
    const counts = async () => [await prisma.procedure.count(), await readKbVersion(prisma), await prisma.auditLog.count()];
    const before = await counts();
    const file = await writeXlsx('bad.xlsx', [HEAD,
      procedureRow('OK.1', 'Thủ tục hợp lệ thử nghiệm'),
      procedureRow('BAD.1', ''),
      procedureRow('BAD.2', 'Thủ tục có link sai', { 'Link nộp trực tuyến': 'dichvucong dot gov' }),
      procedureRow('BAD.3', 'Thủ tục hợp lệ thử nghiệm'),
      procedureRow('BAD.4', 'Thủ tục có ô trực tuyến lạ', { 'Nộp trực tuyến': 'có lẽ', 'Phí, lệ phí': '' }),
    ]);
    for (const dryRun of [true, false]) {
      const r = await importFile(prisma, 'procedures', { path: file, format: 'xlsx' }, { dryRun });
      expect(r.ok).toBe(false);
      expect(r.errors).toEqual([
        { row: 3, column: 'Tên thủ tục', reason: 'bắt buộc, đang để trống' },
        { row: 4, column: 'Link nộp trực tuyến', reason: 'không phải đường link http(s) hợp lệ' },
        { row: 5, column: 'Tên thủ tục', reason: 'tên thủ tục trùng với dòng 2' },
        { row: 6, column: 'Nộp trực tuyến', reason: '"có lẽ" không hiểu được: ghi "có" hoặc "không"' },
        { row: 6, column: 'Phí, lệ phí', reason: 'bắt buộc, đang để trống' },
      ]);
    }
    expect(await counts()).toEqual(before);
  });

  it('names a missing required column once instead of failing every row, and ignores unknown columns with a warning', async () => {
    const file = writeCsv('no-fee.csv', [['Tên thủ tục', 'Lĩnh vực', 'Ghi chú riêng'], ['X', 'Y', 'Z']], { delimiter: ',', bom: false });
    const r = await importFile(t.db.prisma, 'procedures', { path: file, format: 'csv' }, { dryRun: true });
    expect(r.ok).toBe(false);
    expect(r.errors.map((e) => `${e.row}/${e.column}`)).toEqual(['1/Cấp thực hiện', '1/Cơ quan thực hiện', '1/Thời hạn giải quyết',
      '1/Phí, lệ phí', '1/Nơi nộp', '1/Cách thức thực hiện']);
    expect(r.warnings).toEqual(['Bỏ qua cột "Ghi chú riêng" (không phải cột của mẫu nhập)']);
  });

  it('reports a file that is not what it claims instead of failing', async () => {
    const notXlsx = writeCsv('not.xlsx', [['hello']]);
    const r = await importFile(t.db.prisma, 'faqs', { path: notXlsx, format: 'xlsx' }, { dryRun: true });
    expect(r.ok).toBe(false);
    expect(r.errors[0].reason).toMatch(/^Không đọc được tệp XLSX/);
    writeFileSync(path.join(dir, 'latin1.csv'), Buffer.from('C\xe2u h\xf4i,Tr\u1ea3 l\u1eddi\n', 'latin1'));
    const enc = await importFile(t.db.prisma, 'faqs', { path: path.join(dir, 'latin1.csv'), format: 'csv' }, { dryRun: true });
    expect(enc.errors[0].reason).toMatch(/UTF-8/);
  });

  it('a valid dry run says what would change without writing it', async () => {
    const { prisma } = t.db;
    const file = writeCsv('dry.csv', [HEAD, procedureRow('DRY.1', 'Thủ tục chỉ chạy thử')]);
    const version = await readKbVersion(prisma);
    const r = await importFile(prisma, 'procedures', { path: file, format: 'csv' }, { dryRun: true });
    expect(r).toMatchObject({ ok: true, dryRun: true, created: 1, updated: 0 });
    expect(await prisma.procedure.count({ where: { code: 'DRY.1' } })).toBe(0);
    expect(await readKbVersion(prisma)).toBe(version);
  });

  it('exports procedures and FAQs to CSV and XLSX that re-import cleanly, unchanged, and fill an empty database', async () => {
    const empty = await openTestDb('pglite', { seed: false });
    try {
      for (const kind of ['procedures', 'faqs'] as const) {
        for (const format of ['csv', 'xlsx'] as const) {
          const file = path.join(dir, `export-${kind}.${format}`);
          const out = createWriteStream(file);
          const n = await exportKb(t.db.prisma, kind, format, out);
          if (!out.writableFinished) await once(out, 'finish');
          const again = await importFile(t.db.prisma, kind, { path: file, format }, { dryRun: false });
          expect(again).toMatchObject({ ok: true, rows: n, created: 0, updated: 0, unchanged: n, errors: [] });
          if (format === 'xlsx') {
            expect(await importFile(empty.db.prisma, kind, { path: file, format }, { dryRun: false })).toMatchObject({ ok: true, created: n });
          }
        }
      }
      const strip = ({ id: _i, createdAt: _c, updatedAt: _u, version: _v, isSample: _s, ...rest }: Record<string, unknown>) => rest;
      // Exports list entries in Vietnamese alphabetical order, so the copy's ids follow the names.
      const source = await t.db.prisma.procedure.findMany({ orderBy: { name: 'asc' } });
      const copy = await empty.db.prisma.procedure.findMany({ orderBy: { name: 'asc' } });
      const created = (await empty.db.prisma.procedure.findMany({ orderBy: { id: 'asc' } })).map((p) => p.name);
      expect(created).toEqual([...created].sort(new Intl.Collator('vi', { sensitivity: 'base', numeric: true }).compare));
      expect(copy.map(strip)).toEqual(source.map(strip));
      expect(readFileSync(path.join(dir, 'export-procedures.csv'), 'utf8').startsWith('\uFEFFMã thủ tục,Tên thủ tục,')).toBe(true);
    } finally {
      await empty.close();
    }
  });

  it('imports dossiers with Vietnamese statuses and dd/mm/yyyy dates, appending history and noticing subscribers on a change', async () => {
    const { prisma } = t.db;
    const head = ['Mã hồ sơ', 'Mã thủ tục', 'Trạng thái', 'Người nộp', 'Số điện thoại', 'Cơ quan', 'Ngày tiếp nhận', 'Ngày hẹn trả', 'Ghi chú'];
    const first = writeCsv('dossiers-1.csv', [head,
      ['h12-260101-0001', '1.001193', 'Đã tiếp nhận', 'Nguyễn Văn A', '912345678', 'UBND phường 5', '02/01/2026 08:30', '05/01/2026 17:00', ''],
    ]);
    const r1 = await importFile(prisma, 'dossiers', { path: first, format: 'csv' }, { dryRun: false, now: () => new Date('2026-01-02T02:00:00Z') });
    expect(r1).toMatchObject({ ok: true, created: 1 });
    const dossier = await prisma.dossier.findUniqueOrThrow({ where: { code: 'H12-260101-0001' }, include: { events: true } });
    expect(dossier).toMatchObject({ procedureName: 'Đăng ký khai sinh', applicantPhone: '0912345678', status: 'received',
      receivedAt: new Date('2026-01-02T01:30:00Z'), dueAt: new Date('2026-01-05T10:00:00Z') });
    expect(dossier.events.map((e) => e.status)).toEqual(['received']);
    await prisma.subscription.create({ data: { dossierId: dossier.id, channel: 'zalo', userId: 'z-1' } });
    // The subscriber proved the dossier is theirs (only then do notices carry details).
    await prisma.dossierOwner.create({ data: { dossierId: dossier.id, channel: 'zalo', userId: 'z-1', method: 'zalo_user_info' } });

    const second = await writeXlsx('dossiers-2.xlsx', [head,
      ['H12-260101-0001', '1.001193', 'Cần bổ sung hồ sơ', 'Nguyễn Văn A', '0912345678', 'UBND phường 5', '02/01/2026 08:30', '05/01/2026 17:00', 'Bản sao giấy chứng sinh'],
    ]);
    const r2 = await importFile(prisma, 'dossiers', { path: second, format: 'xlsx' }, { dryRun: false });
    expect(r2).toMatchObject({ ok: true, created: 0, updated: 1 });
    const events = await prisma.dossierEvent.findMany({ where: { dossierId: dossier.id }, orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.status, e.note])).toEqual([['received', null], ['needs_supplement', 'Bản sao giấy chứng sinh']]);
    const notices = await prisma.notification.findMany({ where: { dossierId: dossier.id } });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ channel: 'zalo', userId: 'z-1', eventId: events[1].id });
    expect(notices[0].text).toContain('Cần bổ sung hồ sơ');
    // An imported note is internal: imports have no column marking it public.
    expect(notices[0].text).not.toContain('Bản sao giấy chứng sinh');
    expect(await prisma.job.count({ where: { key: `notify:${notices[0].id}` } })).toBe(1);

    // The same file again changes nothing and appends nothing.
    expect(await importFile(prisma, 'dossiers', { path: second, format: 'xlsx' }, { dryRun: false })).toMatchObject({ ok: true, unchanged: 1 });
    expect(await prisma.dossierEvent.count({ where: { dossierId: dossier.id } })).toBe(2);

    const bad = writeCsv('dossiers-bad.csv', [head, ['H12-X-1', 'KHONG.CO', 'Đang chơi', 'B', '', 'UBND', '31/02/2026', '01/03/2026', '']]);
    const r3 = await importFile(prisma, 'dossiers', { path: bad, format: 'csv' }, { dryRun: true });
    expect(r3.errors.map((e) => e.column)).toEqual(['Trạng thái', 'Ngày tiếp nhận']);
  });
});

describe('imports on PostgreSQL', () => {
  it('creates and updates procedures in batches on the server too', async () => {
    const t = await openTestDb('postgres');
    try {
      const file = writeCsv('pg.csv', [HEAD,
        procedureRow('1.001193', 'Đăng ký khai sinh', { 'Phí, lệ phí': 'Miễn phí (PostgreSQL)' }),
        ...Array.from({ length: 600 }, (_, i) => procedureRow(`PG.${i}`, `Thủ tục PostgreSQL ${i}`))]);
      const r = await importFile(t.db.prisma, 'procedures', { path: file, format: 'csv' }, { dryRun: false });
      expect(r).toMatchObject({ ok: true, created: 600, updated: 1 });
      expect(await t.db.prisma.procedure.findUniqueOrThrow({ where: { code: 'PG.599' } })).toMatchObject({ documents: ['Tờ khai theo mẫu.', 'Bản sao giấy tờ tùy thân.'] });
      expect((await t.db.prisma.procedure.findUniqueOrThrow({ where: { code: '1.001193' } })).fee).toBe('Miễn phí (PostgreSQL)');
    } finally {
      await t.close();
    }
  });
});

describe('import and export routes', () => {
  let t: TestDb;
  let url: string;
  let close: () => Promise<void>;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    t = await openTestDb('pglite');
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'memory:', LOG_LEVEL: 'silent' });
    const kb = new KbStore(t.db, loadNluData(), DEFAULT_NLU_OPTIONS);
    await kb.load();
    const deps = { config, db: t.db, log: createLogger('silent'), kb, queue: { poke: () => undefined }, channels: {}, now: () => new Date() } as unknown as AppDeps;
    const app = express().use(express.json()).use(authRouter(deps)).use(createDataRouter(deps));
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
    for (const role of ['editor', 'viewer'] as const) {
      await createUser(t.db.prisma, { username: role, password: 'mat-khau-thu-nghiem', role });
      const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: role, password: 'mat-khau-thu-nghiem' }) });
      tokens[role] = ((await res.json()) as { token: string }).token;
    }
  });
  afterAll(async () => { await close(); await t.close(); });
  const upload = (kind: string, body: Buffer | string, type: string, as = 'editor', query = '') => fetch(`${url}/api/imports/${kind}${query}`, {
    method: 'POST', headers: { 'content-type': type, ...(as ? { authorization: `Bearer ${tokens[as]}` } : {}) },
    body: typeof body === 'string' ? body : new Uint8Array(body) });

  it('takes the file as the request body, answers the summary, and 400 with every row error when invalid', async () => {
    const ok = readFileSync(writeCsv('route-ok.csv', [HEAD, procedureRow('ROUTE.1', 'Thủ tục qua API')]));
    const dry = await upload('procedures', ok, 'text/csv', 'editor', '?dryRun=1');
    expect(dry.status).toBe(200);
    expect(await dry.json()).toMatchObject({ ok: true, dryRun: true, created: 1 });
    expect(await t.db.prisma.procedure.count({ where: { code: 'ROUTE.1' } })).toBe(0);
    const real = await upload('procedures', ok, 'text/csv');
    expect(await real.json()).toMatchObject({ ok: true, dryRun: false, created: 1 });
    const bad = readFileSync(writeCsv('route-bad.csv', [HEAD, procedureRow('R.2', ''), procedureRow('R.3', 'X', { 'Link nộp trực tuyến': 'abc' })]));
    const res = await upload('procedures', bad, 'text/csv');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: unknown[] }).errors).toEqual([
      { row: 2, column: 'Tên thủ tục', reason: 'bắt buộc, đang để trống' },
      { row: 3, column: 'Link nộp trực tuyến', reason: 'không phải đường link http(s) hợp lệ' }]);
  });

  it('refuses viewers (403), anonymous callers (401), unknown kinds and other content types', async () => {
    expect((await upload('procedures', 'a', 'text/csv', 'viewer')).status).toBe(403);
    expect((await upload('procedures', 'a', 'text/csv', '')).status).toBe(401);
    expect((await upload('models', 'a', 'text/csv')).status).toBe(404);
    expect((await upload('faqs', '{}', 'application/json')).status).toBe(415);
  });

  it('exports an XLSX that the import route takes back unchanged', async () => {
    const res = await fetch(`${url}/api/exports/faqs.xlsx`, { headers: { authorization: `Bearer ${tokens.viewer}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="?faqs-\d{4}-\d{2}-\d{2}\.xlsx"?$/);
    const file = Buffer.from(await res.arrayBuffer());
    const back = await upload('faqs', file, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const summary = await back.json() as { ok: boolean; created: number; updated: number; unchanged: number };
    expect(summary).toMatchObject({ ok: true, created: 0, updated: 0 });
    expect(summary.unchanged).toBe(await t.db.prisma.faq.count());
    expect((await fetch(`${url}/api/exports/dossiers.csv`, { headers: { authorization: `Bearer ${tokens.viewer}` } })).status).toBe(404);
  });
});
