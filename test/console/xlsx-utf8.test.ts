import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readRows } from '../../src/console/imports/parse.js';

// exceljs's streaming reader decodes each chunk on its own, cutting Vietnamese letters at chunk boundaries
// (exceljs issue #2084); patches/exceljs+4.4.0.patch (applied by patch-package after install) fixes it.

describe('reading XLSX files with long Vietnamese text', () => {
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
});
