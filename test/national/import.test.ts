import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { exportKb } from '../../src/console/imports/export.js';
import { importFile } from '../../src/console/imports/import.js';
import { importNational } from '../../src/console/imports/national.js';
import { readKbVersion } from '../../src/kb/snapshot.js';
import { openTestDb, type TestDb } from '../helpers/db.js';

// Loading the national catalogue and the portal's list export into a knowledge base that holds the sample,
// on a real database: matching by code or name, idempotence, levels, all-or-nothing.

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');
const SAMPLE = path.join(FIXTURES, 'national-sample.jsonl');
const CRAWLED = new Date('2026-07-20T00:00:00+07:00');
const dir = mkdtempSync(path.join(tmpdir(), 'cchc-national-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the national catalogue on PGlite', () => {
  let t: TestDb;
  beforeAll(async () => { t = await openTestDb('pglite'); });
  afterAll(async () => { await t.close(); });

  it('refuses a file with a malformed line, naming its line and reason, and writes nothing', async () => {
    const { prisma } = t.db;
    const before = [await prisma.procedure.count(), await readKbVersion(prisma), await prisma.auditLog.count()];
    const r = await importNational(prisma, { file: path.join(FIXTURES, 'national-malformed.jsonl'), dryRun: false });
    expect(r.ok).toBe(false);
    expect(r.errors).toEqual([
      { row: 2, column: '', reason: expect.stringMatching(/^không phải JSON hợp lệ/) },
      { row: 3, column: '', reason: 'thiếu mã thủ tục (ma_thu_tuc)' },
    ]);
    expect([await prisma.procedure.count(), await readKbVersion(prisma), await prisma.auditLog.count()]).toEqual(before);
  });

  it('loads the province and commune records: the sample entries take the records\' fields but keep their names and aliases', async () => {
    const { prisma } = t.db;
    const version = await readKbVersion(prisma);
    const birthBefore = await prisma.procedure.findUniqueOrThrow({ where: { code: '1.001193' } });
    // An entry without a code (as officials often keep them) is matched by its name.
    const residence = await prisma.procedure.update({ where: { name: 'Đăng ký thường trú' }, data: { code: null } });

    const dry = await importNational(prisma, { file: SAMPLE, dryRun: true });
    expect(dry).toMatchObject({ ok: true, records: 9, skipped: 2, created: 5, updated: 2, unchanged: 0 });
    expect(await prisma.procedure.count({ where: { source: 'Cổng Dịch vụ công quốc gia' } })).toBe(0);

    const progress: Array<[number, number | undefined, string | undefined]> = [];
    const r = await importNational(prisma, { file: SAMPLE, dryRun: false, actor: 'cli', onProgress: (d, total, phase) => progress.push([d, total, phase]) });
    expect(r).toMatchObject({ ok: true, records: 9, skipped: 2, created: 5, updated: 2, unchanged: 0, renamed: 0, errors: [] });
    expect(progress.at(-1)).toEqual([7, 7, 'write']);

    const birth = await prisma.procedure.findUniqueOrThrow({ where: { code: '1.001193' } });
    expect(birth).toMatchObject({
      name: 'Đăng ký khai sinh', aliases: birthBefore.aliases, forms: birthBefore.forms, isSample: false, version: birthBefore.version + 1,
      office: 'Ủy ban nhân dân cấp xã', fee: 'Miễn phí', feeByProvince: true, result: 'Giấy khai sinh', decision: '163/QĐ-BTP',
      source: 'Cổng Dịch vụ công quốc gia', sourceDate: CRAWLED, verifiedBy: 'Cổng Dịch vụ công quốc gia', verifiedAt: CRAWLED,
      portalUrl: 'https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfd-3fe0-70ac-b9d6-5e9e20d6eef7',
    });
    expect(birth.documents).toHaveLength(6);
    expect(birth.channels).toHaveLength(3);
    expect(await prisma.procedure.findUniqueOrThrow({ where: { id: residence.id } })).toMatchObject({
      code: '1.004222', name: 'Đăng ký thường trú', aliases: residence.aliases, isSample: false, processingTime: '7 ngày làm việc',
    });
    expect(await prisma.procedure.findUniqueOrThrow({ where: { code: '1.013236' } })).toMatchObject({
      feeByProvince: true, fee: 'Theo quy định của Hội đồng nhân dân cấp tỉnh', aliases: [], isSample: false, version: 1,
    });
    expect((await prisma.procedure.findUniqueOrThrow({ where: { code: '1.013980' } })).name).toHaveLength(1094);
    expect(await prisma.procedure.count({ where: { code: { in: ['2.000281', '1.000178'] } } })).toBe(0); // Cấp bộ only

    expect(await readKbVersion(prisma)).toBe(version + 1);
    expect(await prisma.revision.count({ where: { entityType: 'procedure', action: 'import', changedBy: 'cli' } })).toBe(7);
    // The sample entry's state before the import stays restorable.
    expect(await prisma.revision.count({ where: { entityType: 'procedure', entityId: birth.id, version: birthBefore.version } })).toBe(1);
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: 'procedure.import', actor: 'cli' }, orderBy: { id: 'desc' } });
    expect(audit.detail).toMatchObject({ source: 'Cổng Dịch vụ công quốc gia', file: 'national-sample.jsonl', levels: ['tinh', 'xa'], created: 5, updated: 2 });
  });

  it('changes nothing the second time', async () => {
    const { prisma } = t.db;
    const version = await readKbVersion(prisma);
    const revisions = await prisma.revision.count();
    const r = await importNational(prisma, { file: SAMPLE, dryRun: false });
    expect(r).toMatchObject({ ok: true, created: 0, updated: 0, unchanged: 7 });
    expect(await readKbVersion(prisma)).toBe(version);
    expect(await prisma.revision.count()).toBe(revisions);
  });

  it('loads every level when asked, telling apart two procedures with the same name by their level', async () => {
    const { prisma } = t.db;
    const r = await importNational(prisma, { file: SAMPLE, levels: ['bo', 'tinh', 'xa'], dryRun: false });
    expect(r).toMatchObject({ ok: true, records: 9, skipped: 0, created: 2, updated: 0, unchanged: 7, renamed: 1 });
    const name = 'Cấp lại giấy phép xuất nhập cảnh cho người không quốc tịch cư trú tại Việt Nam';
    expect((await prisma.procedure.findUniqueOrThrow({ where: { code: '1.002359' } })).name).toBe(name);
    expect((await prisma.procedure.findUniqueOrThrow({ where: { code: '2.000281' } })).name).toBe(`${name} (cấp bộ)`);
    expect(await importNational(prisma, { file: SAMPLE, levels: ['bo', 'tinh', 'xa'], dryRun: false })).toMatchObject({ created: 0, updated: 0, unchanged: 9 });
  });

  it('exports national entries to CSV and XLSX that re-import unchanged (channels, dates, documents to show)', async () => {
    for (const format of ['csv', 'xlsx'] as const) {
      const file = path.join(dir, `national-export.${format}`);
      const out = createWriteStream(file);
      const n = await exportKb(t.db.prisma, 'procedures', format, out);
      if (!out.writableFinished) await once(out, 'finish');
      expect(await importFile(t.db.prisma, 'procedures', { path: file, format }, { dryRun: true })).toMatchObject({ ok: true, rows: n, unchanged: n, errors: [] });
    }
  });

  // About 3 s alone (npm run bench:national times it); other test files running alongside slow it down.
  it('loads the shipped catalogue, province and commune levels by default', async () => {
    const fresh = await openTestDb('pglite');
    try {
      const r = await importNational(fresh.db.prisma, { dryRun: false });
      expect(r).toMatchObject({ ok: true, records: 2642, skipped: 1012, errors: [] });
      expect(r.created + r.updated).toBe(1630);
      expect(await fresh.db.prisma.procedure.count({ where: { source: 'Cổng Dịch vụ công quốc gia' } })).toBe(1630);
    } finally {
      await fresh.close();
    }
  }, 60_000);
});

describe('the national catalogue on PostgreSQL', () => {
  it('loads and reloads the same way on the server', async () => {
    const t = await openTestDb('postgres');
    try {
      expect(await importNational(t.db.prisma, { file: SAMPLE, dryRun: false })).toMatchObject({ ok: true, created: 5, updated: 2 });
      expect(await importNational(t.db.prisma, { file: SAMPLE, dryRun: false })).toMatchObject({ ok: true, created: 0, updated: 0, unchanged: 7 });
      expect(await t.db.prisma.procedure.findUniqueOrThrow({ where: { code: '1.004222' } })).toMatchObject({ name: 'Đăng ký thường trú', sourceDate: CRAWLED });
    } finally {
      await t.close();
    }
  });
});

/** The portal's "Danh sách thủ tục hành chính" shape: a merged title block, then the header row. */
async function writePortalList(name: string, rows: string[][]): Promise<string> {
  const file = path.join(dir, name);
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('Danh sách TTHC');
  sheet.addRow(['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập – Tự do – Hạnh phúc\n\nDANH SÁCH THỦ TỤC HÀNH CHÍNH']);
  sheet.mergeCells('A1:E1');
  sheet.addRow(['Mã số', 'Tên', 'Cơ quan ban hành', 'Cơ quan thực hiện', 'Lĩnh vực']);
  for (const r of rows) sheet.addRow(r);
  await wb.xlsx.writeFile(file);
  return file;
}

describe('the portal\'s list of procedures', () => {
  let t: TestDb;
  beforeAll(async () => { t = await openTestDb('pglite'); });
  afterAll(async () => { await t.close(); });

  it('imports the Bộ Tư pháp export below its title block, details from the catalogue, sample names kept', async () => {
    const { prisma } = t.db;
    const file = path.join(FIXTURES, 'list-danh-sach-tthc-BoTuPhap.xlsx');
    const r = await importFile(prisma, 'procedures', { path: file, format: 'xlsx' }, { dryRun: false, actor: 'editor' });
    // 14 of the export's procedures are sample rows (by code), kept under their sample names.
    expect(r).toMatchObject({ ok: true, rows: 271, created: 257, updated: 14, enriched: 257, errors: [] });
    expect(r.warnings).toContain('257 thủ tục mới được bổ sung chi tiết từ danh mục thủ tục quốc gia (Cổng Dịch vụ công quốc gia).');
    expect(await prisma.procedure.findUniqueOrThrow({ where: { code: '1.014966' } })).toMatchObject({
      name: 'Cấp lại chứng chỉ hành nghề Quản tài viên trong trường hợp bị thu hồi chứng chỉ hành nghề',
      office: 'Chủ tịch ủy ban nhân dân cấp tỉnh, Sở Tư Pháp', competentBody: 'Bộ Tư pháp', field: 'Quản tài viên',
      source: 'Cổng Dịch vụ công quốc gia',
    });
    expect((await prisma.procedure.findUniqueOrThrow({ where: { code: '1.014966' } })).processingTime).not.toBe('');
    expect(await prisma.procedure.findUniqueOrThrow({ where: { code: '1.001193' } })).toMatchObject({ name: 'Đăng ký khai sinh', competentBody: 'Bộ Tư pháp' });
    expect((await prisma.procedure.findUniqueOrThrow({ where: { code: '2.001023' } })).name).toBe('Cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi');
    expect(await importFile(prisma, 'procedures', { path: file, format: 'xlsx' }, { dryRun: false })).toMatchObject({ ok: true, created: 0, updated: 0, unchanged: 271 });
  });

  it('creates a procedure the catalogue does not have with its details empty, and keeps two same-named ones apart', async () => {
    const { prisma } = t.db;
    const name = 'Thủ tục thử nghiệm chưa có trong danh mục';
    const file = await writePortalList('list-unknown.xlsx', [
      ['9.999001', name, 'Bộ Tư pháp', 'Ủy ban nhân dân cấp xã', 'Hộ tịch'],
      ['9.999002', name, 'Bộ Tư pháp', '', 'Hộ tịch'],
    ]);
    const r = await importFile(prisma, 'procedures', { path: file, format: 'xlsx' }, { dryRun: false });
    expect(r).toMatchObject({ ok: true, rows: 2, created: 2, enriched: 0, renamed: 1 });
    expect(await prisma.procedure.findUniqueOrThrow({ where: { code: '9.999001' } })).toMatchObject({
      name, office: 'Ủy ban nhân dân cấp xã', level: '', processingTime: '', fee: '', place: '', howToSubmit: '', documents: [], source: null,
    });
    expect((await prisma.procedure.findUniqueOrThrow({ where: { code: '9.999002' } })).name).toBe(`${name} (mã 9.999002)`);
  });
});

describe('spreadsheet imports keep what a blank cell does not say', () => {
  let t: TestDb;
  beforeAll(async () => { t = await openTestDb('pglite'); });
  afterAll(async () => { await t.close(); });
  const HEAD = ['Mã thủ tục', 'Tên thủ tục', 'Lĩnh vực', 'Cấp thực hiện', 'Cơ quan thực hiện', 'Thời hạn giải quyết', 'Phí, lệ phí', 'Nơi nộp',
    'Cách thức thực hiện', 'Nộp trực tuyến', 'Link nộp trực tuyến', 'Từ khóa', 'Giấy tờ xuất trình', 'Trình tự thực hiện', 'Link Cổng DVC'];
  const csv = (name: string, rows: string[][]) => {
    const file = path.join(dir, name);
    writeFileSync(file, `\uFEFF${rows.map((r) => r.map((v) => (/[;"\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(';')).join('\r\n')}\r\n`);
    return file;
  };

  it('an empty "Từ khóa", "Nộp trực tuyến" or link cell leaves the aliases, the flag and the link as they were', async () => {
    const { prisma } = t.db;
    const before = await prisma.procedure.findUniqueOrThrow({ where: { code: '1.001193' } });
    expect(before.aliases.length).toBeGreaterThan(0);
    const file = csv('blank-cells.csv', [HEAD, ['1.001193', 'Đăng ký khai sinh', 'Hộ tịch', 'Cấp xã', 'UBND xã', '3 ngày làm việc', 'Miễn lệ phí',
      'Bộ phận một cửa', 'Trực tiếp', '', '', '', 'Căn cước', 'Bước 1: nộp hồ sơ.\nBước 2: nhận kết quả.', 'https://dichvucong.gov.vn/p/1.001193']]);
    const r = await importFile(prisma, 'procedures', { path: file, format: 'csv' }, { dryRun: false });
    expect(r).toMatchObject({ ok: true, updated: 1 });
    expect(await prisma.procedure.findUniqueOrThrow({ where: { code: '1.001193' } })).toMatchObject({
      aliases: before.aliases, onlineAvailable: before.onlineAvailable, onlineUrl: before.onlineUrl, forms: before.forms,
      office: 'UBND xã', documentsToShow: ['Căn cước'], steps: 'Bước 1: nộp hồ sơ.\nBước 2: nhận kết quả.', portalUrl: 'https://dichvucong.gov.vn/p/1.001193',
    });
  });

  it('imports a name of 1,000 characters whole', async () => {
    const name = `Thủ tục ${'cấp giấy chứng nhận '.repeat(60)}`.slice(0, 1000).trim();
    const file = csv('long-name.csv', [HEAD, ['LONG.1', name, 'Hộ tịch', 'Cấp xã', 'UBND xã', '3 ngày', 'Không', 'Một cửa', 'Trực tiếp', 'không', '', '', '', '', '']]);
    const r = await importFile(t.db.prisma, 'procedures', { path: file, format: 'csv' }, { dryRun: false });
    expect(r).toMatchObject({ ok: true, created: 1 });
    expect((await t.db.prisma.procedure.findUniqueOrThrow({ where: { code: 'LONG.1' } })).name).toBe(name);
    expect(name.length).toBeGreaterThanOrEqual(999);
  });
});
