import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { exportHeaders } from '../src/console/imports/export.js';
import { importFile } from '../src/console/imports/import.js';
import { prepareDatabase } from '../src/db/prepare.js';
import { createPgDatabase } from '../test/helpers/db.js';

// `npx tsx scripts/bench-import.ts [rows] [--pg]`: writes an XLSX of procedures (5,000 rows by default) in a
// temp directory, imports it into a fresh embedded database (file:, seeded like a first start) or, with --pg,
// a fresh database on TEST_PG_URL, then imports a second edition (every row an update) and dry-runs the first,
// and prints elapsed seconds and peak RSS for each as JSON. Target (issue 4): 5,000 rows under 30 s, 300 MB.
// PGlite runs inside this process, so on file: the RSS includes the database engine itself (rssBeforeMb).

const args = process.argv.slice(2);
const ROWS = Number(args.find((a) => /^\d+$/.test(a)) ?? 5000);
const ON_PG = args.includes('--pg');
const dir = mkdtempSync(path.join(tmpdir(), 'cchc-bench-import-'));

async function writeSheet(file: string, rows: number, edition: number): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
  const sheet = wb.addWorksheet('Thủ tục');
  sheet.addRow(exportHeaders('procedures')).commit();
  for (let i = 1; i <= rows; i++) {
    const n = String(i).padStart(5, '0');
    sheet.addRow([
      `BENCH.${n}`, `Thủ tục thử nghiệm số ${n}`, ['Hộ tịch', 'Đất đai', 'Xây dựng', 'Tư pháp'][i % 4], 'Cấp xã',
      `Ủy ban nhân dân cấp xã (bản ${edition})`,
      ['Tờ khai theo mẫu do Bộ Tư pháp ban hành.', 'Bản sao giấy tờ tùy thân (thẻ căn cước hoặc hộ chiếu).',
        'Giấy tờ chứng minh nơi cư trú.', `Văn bản ủy quyền có chứng thực nếu nộp thay (mục ${n}).`].join('\n'),
      `${(i % 15) + 1} ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.`, `${(i % 10) * 10}.000 đồng; miễn cho người có công.`,
      'Bộ phận tiếp nhận và trả kết quả (bộ phận một cửa) của Ủy ban nhân dân cấp xã.',
      'Nộp trực tiếp, qua bưu chính công ích hoặc trực tuyến trên Cổng Dịch vụ công quốc gia.',
      i % 2 ? 'có' : 'không', i % 2 ? `https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=${n}` : '',
      'Luật Hộ tịch số 60/2014/QH13.\nNghị định số 123/2015/NĐ-CP.', `Tờ khai | https://example.gov.vn/mau/${n}.docx`,
      `thủ tục ${n}\nthu tuc ${n}`,
    ]).commit();
  }
  sheet.commit();
  await wb.commit();
}

/** Runs `fn` while sampling RSS and the JS heap every 20 ms. */
async function measure<T>(fn: () => Promise<T>): Promise<{ result: T; seconds: number; peakRssMb: number; peakHeapMb: number }> {
  let rss = 0;
  let heap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  };
  sample();
  const timer = setInterval(sample, 20);
  const started = performance.now();
  try {
    const result = await fn();
    sample();
    return { result, seconds: Math.round((performance.now() - started) / 10) / 100, peakRssMb: Math.round(rss / 1048576), peakHeapMb: Math.round(heap / 1048576) };
  } finally {
    clearInterval(timer);
  }
}

async function main() {
  const first = path.join(dir, 'procedures-1.xlsx');
  const second = path.join(dir, 'procedures-2.xlsx');
  await writeSheet(first, ROWS, 1);
  await writeSheet(second, ROWS, 2);
  const pg = ON_PG ? await createPgDatabase() : undefined;
  const db = await prepareDatabase(pg?.url ?? `file:${path.join(dir, 'db')}`, { seed: true });
  try {
    const rssBefore = Math.round(process.memoryUsage().rss / 1048576);
    const heapBefore = Math.round(process.memoryUsage().heapUsed / 1048576);
    const create = await measure(() => importFile(db.prisma, 'procedures', { path: first, format: 'xlsx' }, { dryRun: false, actor: 'bench' }));
    const update = await measure(() => importFile(db.prisma, 'procedures', { path: second, format: 'xlsx' }, { dryRun: false, actor: 'bench' }));
    const dryRun = await measure(() => importFile(db.prisma, 'procedures', { path: first, format: 'xlsx' }, { dryRun: true }));
    const line = (m: typeof create) => ({ ok: m.result.ok, created: m.result.created, updated: m.result.updated,
      errors: m.result.errors.length, seconds: m.seconds, peakRssMb: m.peakRssMb, peakHeapMb: m.peakHeapMb });
    console.log(JSON.stringify({
      rows: ROWS, fileKb: Math.round(statSync(first).size / 1024), database: db.kind, rssBeforeMb: rssBefore, heapBeforeMb: heapBefore,
      create: line(create), update: line(update), dryRun: line(dryRun),
    }, null, 2));
  } finally {
    await db.close();
    await pg?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
