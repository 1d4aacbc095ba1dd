import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { readRows } from '../../src/console/imports/parse.js';

// exceljs's streaming reader decodes each chunk on its own, cutting Vietnamese letters at chunk boundaries
// (exceljs issue #2084), and fails on a file that stores its workbook part after its sheets (issue #3064, which
// exceljs's own writer may do); patches/exceljs+4.4.0.patch (applied by patch-package after install) fixes both.

describe('reading XLSX files (exceljs patched)', () => {
  it('keeps every letter, whatever the chunk boundaries', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'xlsx-utf8-'));
    const file = path.join(dir, 'long.xlsx');
    const text = 'Chỉ đạo chuyển hồ sơ kèm theo bản sao Giấy chứng nhận quyền sử dụng đất; thể hiện đầy đủ nội dung. ';
    const long = (i: number) => Array.from({ length: 30 }, (_, j) => `${i}.${j} ${text}`).join('');
    const rows = Array.from({ length: 400 }, (_, i) => [`Thủ tục số ${i}`, long(i)]);
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('Thủ tục');
    sheet.addRow(['Tên thủ tục', 'Trình tự thực hiện']);
    for (const r of rows) sheet.addRow(r);
    await wb.xlsx.writeFile(file);

    let n = 0;
    for await (const row of readRows({ path: file, format: 'xlsx' })) {
      expect(row.values['Trình tự thực hiện']).toBe(long(n).trim());
      expect(JSON.stringify(row.values)).not.toContain('\uFFFD');
      n++;
    }
    expect(n).toBe(400);
  });

  it('reads a file whose workbook part comes after its shared strings and sheets', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('Danh sách TTHC');
    sheet.addRow(['Mã số', 'Tên', 'Lĩnh vực']);
    sheet.addRow(['9.999001', 'Thủ tục thử nghiệm', 'Hộ tịch']);
    const written = await JSZip.loadAsync(await wb.xlsx.writeBuffer());
    // The same parts, zipped with the relationships and shared strings first and xl/workbook.xml last.
    const first = ['xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml'];
    const order = [...first, ...Object.keys(written.files).filter((n) => !first.includes(n) && n !== 'xl/workbook.xml' && !n.endsWith('/')), 'xl/workbook.xml'];
    const zip = new JSZip();
    for (const name of order) zip.file(name, await written.files[name].async('uint8array'));
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'xlsx-order-')), 'workbook-last.xlsx');
    writeFileSync(file, await zip.generateAsync({ type: 'nodebuffer' }));

    const rows = [];
    for await (const row of readRows({ path: file, format: 'xlsx' })) rows.push(row.values);
    expect(rows).toEqual([{ 'Mã số': '9.999001', Tên: 'Thủ tục thử nghiệm', 'Lĩnh vực': 'Hộ tịch' }]);
  });
});
