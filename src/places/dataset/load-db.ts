import type { Query, SqlRunner } from '../../db/open.js';
import { chunks } from '../../console/imports/bulk.js';
import { ADMIN_DATASET_DIR, adminDatasetHash, readAdminDataset } from './read-files.js';
import type { AdminData } from './schema.js';

// Keeps the Admin* tables equal to the shipped files: loaded into an empty database, replaced whole when the
// files' hash changes, left alone otherwise (a hash and a count per start, about a millisecond).

export const ADMIN_UNITS_LOCK_KEY = 72707370;

export interface AdminSyncResult { loaded: boolean; version: string; ms: number; counts: AdminCounts }
export interface AdminCounts { provinces: number; communes: number; oldUnits: number }

type Column = [name: string, type: 'text' | 'text[]' | 'int' | 'jsonb' | 'date'];

const PROVINCE_COLUMNS: Column[] = [['code', 'text'], ['name', 'text'], ['type', 'text'], ['mergedFrom', 'jsonb'],
  ['communeCount', 'int'], ['countsByType', 'jsonb'], ['resolution', 'text'], ['resolutionDate', 'date'], ['adminCenter', 'text']];
const COMMUNE_COLUMNS: Column[] = [['code', 'text'], ['name', 'text'], ['type', 'text'], ['provinceCode', 'text'],
  ['nameVariants', 'text[]'], ['resolution', 'text'], ['resolutionDate', 'date'], ['resolutionClause', 'text'],
  ['resolutionStatus', 'text']];
const OLD_UNIT_COLUMNS: Column[] = [['row', 'int'], ['communeCode', 'text'], ['communeName', 'text'],
  ['districtCode', 'text'], ['districtName', 'text'], ['provinceCode', 'text'], ['provinceName', 'text'],
  ['nameVariants', 'text[]'], ['codeFlag', 'text'], ['nsoNote', 'text'], ['mergeType', 'text'], ['splitInto', 'int'],
  ['newCommuneCode', 'text']];

/** Many rows in one statement per batch: the values travel as one JSON parameter (as in console imports). */
async function insertRows(query: Query, table: string, columns: Column[], rows: object[]): Promise<void> {
  const names = columns.map(([c]) => `"${c}"`).join(', ');
  const record = columns.map(([c, t]) => `"${c}" ${t}`).join(', ');
  const sql = `INSERT INTO "${table}" (${names}) SELECT ${names} FROM jsonb_to_recordset($1::jsonb) AS r(${record})`;
  for (const batch of chunks(rows, 4000)) await query(sql, [JSON.stringify(batch)]);
}

const countsOf = (data: AdminData): AdminCounts =>
  ({ provinces: data.provinces.length, communes: data.communes.length, oldUnits: data.oldUnits.length });

async function isCurrent(query: Query, hash: string): Promise<boolean> {
  const [state] = await query<{ sha256: string; expected: number; actual: number }>(
    `SELECT "sha256", ("counts"->>'oldUnits')::int AS expected, (SELECT count(*)::int FROM "AdminOldUnit") AS actual
     FROM "AdminDataset" WHERE "id" = 1`);
  return !!state && state.sha256 === hash && state.expected === state.actual;
}

/**
 * Loads the administrative map into the database unless it already holds this exact version. A malformed file
 * throws an AdminDatasetError naming the file and line before anything is written.
 */
export async function syncAdminUnits(sql: SqlRunner, dir = ADMIN_DATASET_DIR): Promise<AdminSyncResult> {
  const started = performance.now();
  const hash = adminDatasetHash(dir);
  const unchanged = async () => {
    const [row] = await sql.query<{ version: string; counts: AdminCounts }>('SELECT "version", "counts" FROM "AdminDataset" WHERE "id" = 1');
    return { loaded: false, version: row.version, counts: row.counts, ms: performance.now() - started };
  };
  if (await isCurrent(sql.query, hash)) return unchanged();
  const data = readAdminDataset(dir);
  return sql.withLock(ADMIN_UNITS_LOCK_KEY, async () => {
    // Another process may have loaded it while this one waited for the lock.
    if (await isCurrent(sql.query, hash)) return unchanged();
    await sql.interactive(async (query) => {
      await query('DELETE FROM "AdminOldUnit"');
      await query('DELETE FROM "AdminCommune"');
      await query('DELETE FROM "AdminProvince"');
      await insertRows(query, 'AdminProvince', PROVINCE_COLUMNS, data.provinces);
      await insertRows(query, 'AdminCommune', COMMUNE_COLUMNS, data.communes);
      await insertRows(query, 'AdminOldUnit', OLD_UNIT_COLUMNS, data.oldUnits);
      const manifest = { version: data.version, effectiveDate: data.effectiveDate, provinceResolution: data.provinceResolution };
      await query(
        `INSERT INTO "AdminDataset" ("id", "version", "sha256", "counts", "manifest", "loadedAt")
         VALUES (1, $1, $2, $3::jsonb, $4::jsonb, now())
         ON CONFLICT ("id") DO UPDATE SET "version" = $1, "sha256" = $2, "counts" = $3::jsonb, "manifest" = $4::jsonb, "loadedAt" = now()`,
        [data.version, hash, JSON.stringify(countsOf(data)), JSON.stringify(manifest)]);
    });
    return { loaded: true, version: data.version, counts: countsOf(data), ms: performance.now() - started };
  });
}
