import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { z } from 'zod';
import { CsvSyntaxError, parseCsv, type CsvRecord } from './csv.js';
import {
  COMMUNE_COLUMNS, OLD_TO_NEW_COLUMNS, communeCsvRow, manifestFile, oldToNewCsvRow, provincesFile,
  type AdminData, type CommuneRow, type OldUnitRow, type ProvinceRow,
} from './schema.js';

// Reads and checks the shipped files. Any problem stops start-up with the file and line, so a bad edit or a
// truncated copy is found by whoever deploys, not by a citizen asking about their commune.

export const ADMIN_DATASET_DIR = path.resolve(import.meta.dirname, '../../../datasets/admin-units-2025');

export class AdminDatasetError extends Error {}

const fail = (file: string, where: string, message: string): never => {
  throw new AdminDatasetError(`Administrative-map file ${file}${where ? ` ${where}` : ''}: ${message}`);
};

function readBytes(dir: string, file: string): Buffer {
  try {
    return readFileSync(path.join(dir, file));
  } catch (err) {
    return fail(path.join(dir, file), '', `cannot be read (${(err as Error).message})`);
  }
}

/** sha256 over the manifest and data files: what the database records to know whether to reload. */
export function adminDatasetHash(dir = ADMIN_DATASET_DIR): string {
  const hash = createHash('sha256');
  for (const file of ['dataset.json', ...readManifest(dir).files]) hash.update(file).update(readBytes(dir, file));
  return hash.digest('hex');
}

function readJson<T extends z.ZodTypeAny>(dir: string, file: string, schema: T): z.infer<T> {
  const full = path.join(dir, file);
  let json: unknown;
  try {
    json = JSON.parse(readBytes(dir, file).toString('utf8'));
  } catch (err) {
    if (err instanceof AdminDatasetError) throw err;
    return fail(full, '', `is not valid JSON (${(err as Error).message})`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail(full, `at ${issue.path.join('.') || 'top level'}`, issue.message);
  }
  return parsed.data;
}

function readManifest(dir: string) {
  return readJson(dir, 'dataset.json', manifestFile);
}

/** Rows of a CSV (gzipped when the name ends in .gz), each checked by `schema`; errors name file and line. */
function readCsv<T extends z.ZodTypeAny>(dir: string, file: string, columns: string[], schema: T): Array<{ line: number; row: z.infer<T> }> {
  const full = path.join(dir, file);
  const bytes = readBytes(dir, file);
  let text: string;
  try {
    text = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  } catch (err) {
    return fail(full, '', `is not a valid gzip file (${(err as Error).message})`);
  }
  let records: CsvRecord[];
  try {
    records = parseCsv(text);
  } catch (err) {
    if (!(err instanceof CsvSyntaxError)) throw err;
    return fail(full, `line ${err.line}`, `is not valid CSV (${err.message})`);
  }
  const header = records.shift();
  if (!header || header.fields.join(',') !== columns.join(',')) {
    return fail(full, 'line 1', `the header must be ${columns.join(',')}`);
  }
  return records.map(({ fields, line }) => {
    if (fields.length !== columns.length) fail(full, `line ${line}`, `has ${fields.length} columns, expected ${columns.length}`);
    const values = Object.fromEntries(columns.map((c, i) => [c, fields[i]]));
    const parsed = schema.safeParse(values);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return fail(full, `line ${line}`, `column ${issue.path.join('.')}: ${issue.message}`);
    }
    return { line, row: parsed.data };
  });
}

/** The administrative map from the shipped files, checked for shape and for references between files. */
export function readAdminDataset(dir = ADMIN_DATASET_DIR): AdminData {
  const manifest = readManifest(dir);
  const provincesJson = readJson(dir, 'provinces.json', provincesFile);
  const provinces: ProvinceRow[] = provincesJson.provinces.map((p) => ({
    code: p.code, name: p.name, type: p.type,
    mergedFrom: p.merged_from.map((m) => ({ code: m.old_code, name: m.old_name })),
    communeCount: p.commune_level_units, countsByType: p.counts_by_type,
    resolution: p.commune_resolution, resolutionDate: p.commune_resolution_date,
    adminCenter: p.political_admin_center_per_60_NQ_TW,
  }));
  const provinceCodes = new Set(provinces.map((p) => p.code));

  const communeFile = 'communes.csv.gz';
  const communes: CommuneRow[] = [];
  const communeCodes = new Set<string>();
  for (const { line, row: r } of readCsv(dir, communeFile, COMMUNE_COLUMNS, communeCsvRow)) {
    if (!provinceCodes.has(r.new_province_code)) fail(path.join(dir, communeFile), `line ${line}`, `unknown province ${r.new_province_code}`);
    if (communeCodes.has(r.new_commune_code)) fail(path.join(dir, communeFile), `line ${line}`, `duplicate commune code ${r.new_commune_code}`);
    communeCodes.add(r.new_commune_code);
    communes.push({
      code: r.new_commune_code, name: r.new_commune_name, type: r.new_commune_type, provinceCode: r.new_province_code,
      nameVariants: r.new_name_variants, resolution: r.resolution, resolutionDate: r.resolution_date,
      resolutionClause: r.resolution_clause, resolutionStatus: r.resolution_text_check,
    });
  }

  const oldFile = 'old_to_new.csv.gz';
  const oldUnits: OldUnitRow[] = [];
  const seenRows = new Set<number>();
  for (const { line, row: r } of readCsv(dir, oldFile, OLD_TO_NEW_COLUMNS, oldToNewCsvRow)) {
    if (!communeCodes.has(r.new_commune_code)) fail(path.join(dir, oldFile), `line ${line}`, `unknown new commune ${r.new_commune_code}`);
    if (seenRows.has(r.nso_row)) fail(path.join(dir, oldFile), `line ${line}`, `duplicate nso_row ${r.nso_row}`);
    seenRows.add(r.nso_row);
    oldUnits.push({
      row: r.nso_row, communeCode: r.old_commune_code, communeName: r.old_commune_name,
      districtCode: r.old_district_code, districtName: r.old_district_name,
      provinceCode: r.old_province_code, provinceName: r.old_province_name,
      nameVariants: r.old_name_variants, codeFlag: r.old_code_flag, nsoNote: r.nso_note,
      mergeType: r.merge_type, splitInto: r.old_unit_split_into, newCommuneCode: r.new_commune_code,
    });
  }
  // Ordered by code and row, as the database reader returns them.
  provinces.sort((a, b) => a.code.localeCompare(b.code));
  communes.sort((a, b) => a.code.localeCompare(b.code));
  oldUnits.sort((a, b) => a.row - b.row);
  return {
    version: manifest.version, effectiveDate: manifest.effective_date, provinceResolution: manifest.province_resolution,
    provinces, communes, oldUnits,
  };
}
