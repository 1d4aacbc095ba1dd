import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareDatabase } from '../../src/db/prepare.js';
import { syncAdminUnits } from '../../src/places/dataset/load-db.js';
import { ADMIN_DATASET_DIR, readAdminDataset } from '../../src/places/dataset/read-files.js';
import { readAdminDataFromDb } from '../../src/places/dataset/from-db.js';
import { PlaceIndex } from '../../src/places/place-index.js';
import { DB_KINDS, openTestDb } from '../helpers/db.js';

const tmpDirs: string[] = [];
afterAll(() => { for (const d of tmpDirs) rmSync(d, { recursive: true, force: true }); });

/** A copy of the shipped dataset with `edit` applied to the decompressed text of one file. */
function copyWith(file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'admin-units-'));
  tmpDirs.push(dir);
  cpSync(ADMIN_DATASET_DIR, dir, { recursive: true });
  const full = path.join(dir, file);
  const gz = file.endsWith('.gz');
  const text = (gz ? gunzipSync(readFileSync(full)) : readFileSync(full)).toString('utf8');
  writeFileSync(full, gz ? gzipSync(edit(text)) : edit(text));
  return dir;
}

const counts = async (db: Awaited<ReturnType<typeof openTestDb>>['db']) => (await db.sql.query<{ p: number; c: number; o: number }>(
  `SELECT (SELECT count(*)::int FROM "AdminProvince") AS p, (SELECT count(*)::int FROM "AdminCommune") AS c,
          (SELECT count(*)::int FROM "AdminOldUnit") AS o`))[0];

describe('the shipped administrative-map files', () => {
  it('hold 34 provinces, 3,321 communes and 10,571 old-to-new rows', () => {
    const data = readAdminDataset();
    expect([data.provinces.length, data.communes.length, data.oldUnits.length]).toEqual([34, 3321, 10571]);
    expect(data.communes.filter((c) => c.type === 'xã').length).toBe(2621);
    expect(data.communes.filter((c) => c.type === 'phường').length).toBe(687);
    expect(data.communes.filter((c) => c.type === 'đặc khu').length).toBe(13);
    expect(data.provinces.reduce((n, p) => n + p.communeCount, 0)).toBe(3321);
  });
});

describe.each(DB_KINDS)('loading the administrative map on %s', (kind) => {
  it('loads at start-up, keeps codes zero-padded, and does not reload an unchanged dataset', async () => {
    const t = await openTestDb(kind, { seed: false });
    try {
      expect(await counts(t.db)).toEqual({ p: 34, c: 3321, o: 10571 });
      const again = await syncAdminUnits(t.db.sql);
      expect(again.loaded).toBe(false);
      expect(await counts(t.db)).toEqual({ p: 34, c: 3321, o: 10571 });
      const hanoi = await t.db.prisma.adminCommune.findUnique({ where: { code: '00004' } });
      expect(hanoi).toMatchObject({ name: 'Phường Ba Đình', provinceCode: '01', resolution: '1656/NQ-UBTVQH15' });
      const data = await readAdminDataFromDb(t.db.prisma);
      expect(data).toEqual(readAdminDataset());
      const started = performance.now();
      const index = await PlaceIndex.fromDatabase(t.db.prisma);
      console.log(`place index built from ${kind} in ${Math.round(performance.now() - started)} ms`);
      expect(index.resolve('xa binh trieu cu gio la xa nao').reading).toMatchObject({ targets: [{ code: '20794' }] });
    } finally {
      await t.close();
    }
  });
});

describe('reloading and refusing bad files', () => {
  it('replaces the tables when the shipped files change, and only then', async () => {
    const t = await openTestDb('pglite', { seed: false });
    try {
      const dir = copyWith('dataset.json', (s) => s.replace('"version": "', '"version": "test-'));
      const changed = await syncAdminUnits(t.db.sql, dir);
      expect(changed.loaded).toBe(true);
      console.log(`administrative map reloaded on PGlite in ${Math.round(changed.ms)} ms`);
      expect(changed.version).toMatch(/^test-/);
      expect(await counts(t.db)).toEqual({ p: 34, c: 3321, o: 10571 });
      expect((await syncAdminUnits(t.db.sql, dir)).loaded).toBe(false);
      await t.db.sql.query('DELETE FROM "AdminOldUnit"');
      expect((await syncAdminUnits(t.db.sql, dir)).loaded).toBe(true);
      expect(await counts(t.db)).toEqual({ p: 34, c: 3321, o: 10571 });
    } finally {
      await t.close();
    }
  });

  it('stops start-up on a malformed old_to_new file, naming the file and the line', async () => {
    // Line 101 of the CSV (100th data row): a commune code that is not 5 digits.
    const dir = copyWith('old_to_new.csv.gz', (s) => {
      const lines = s.split('\n');
      lines[100] = lines[100].replace(/^\d{5}/, '12a45');
      return lines.join('\n');
    });
    await expect(prepareDatabase('memory:', { seed: false, adminUnitsDir: dir }))
      .rejects.toThrow(/old_to_new\.csv\.gz line 101: column old_commune_code/);
  });

  it('names the line of a row with a missing column and of a row pointing to an unknown commune', () => {
    const short = copyWith('communes.csv.gz', (s) => s.replace(/\n00008,[^\n]*/, '\n00008,Phường Ngọc Hà,phường'));
    expect(() => readAdminDataset(short)).toThrow(/communes\.csv\.gz line 3: has 3 columns, expected 13/);
    const dangling = copyWith('old_to_new.csv.gz', (s) => s.replace(',00004,Phường Ba Đình,', ',99999,Phường Ba Đình,'));
    expect(() => readAdminDataset(dangling)).toThrow(/old_to_new\.csv\.gz line 2: unknown new commune 99999/);
    const badJson = copyWith('provinces.json', (s) => s.replace('"code": "01"', '"code": "1"'));
    expect(() => readAdminDataset(badJson)).toThrow(/provinces\.json at provinces\.0\.code: must be 2 digits/);
  });
});
