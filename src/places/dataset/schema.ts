import { z } from 'zod';

// The shipped administrative-map files (datasets/admin-units-2025), row by row, and the in-memory shape both
// the database loader and the place index work from. Codes stay zero-padded strings.

const code = (digits: number) => z.string().regex(new RegExp(`^\\d{${digits}}$`), `must be ${digits} digits`);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
const name = z.string().trim().min(1, 'must not be empty');
const optional = z.string().transform((v) => (v.trim() === '' ? null : v.trim()));
const variants = z.string().transform((v) => v.split('|').map((s) => s.trim()).filter(Boolean));
const resolutionNumber = z.string().regex(/^\d+\/NQ-UBTVQH15$/, 'must be a resolution number like 1659/NQ-UBTVQH15');

export const COMMUNE_TYPES = ['xã', 'phường', 'đặc khu'] as const;
export const MERGE_TYPES = ['full', 'partial', 'unchanged', 'whole_district', 'renamed_or_retyped'] as const;

export const communeCsvRow = z.object({
  new_commune_code: code(5),
  new_commune_name: name,
  new_commune_type: z.enum(COMMUNE_TYPES),
  new_province_code: code(2),
  new_province_name: name,
  new_name_variants: variants,
  resolution: resolutionNumber,
  resolution_date: isoDate,
  resolution_clause: optional,
  resolution_text_check: z.enum(['created', 'not_rearranged', 'renamed']),
});
export const COMMUNE_COLUMNS = ['new_commune_code', 'new_commune_name', 'new_commune_type', 'new_province_code',
  'new_province_name', 'new_name_variants', 'old_units', 'old_unit_count', 'old_provinces', 'resolution',
  'resolution_date', 'resolution_clause', 'resolution_text_check'];

export const oldToNewCsvRow = z.object({
  old_commune_code: z.union([code(5), z.literal('')]).transform((v) => v || null),
  old_commune_name: optional,
  old_district_code: code(3),
  old_district_name: name,
  old_province_code: code(2),
  old_province_name: name,
  old_name_variants: variants,
  old_code_flag: optional,
  nso_note: name,
  merge_type: z.enum(MERGE_TYPES),
  old_unit_split_into: z.coerce.number().int().min(1),
  new_commune_code: code(5),
  new_province_code: code(2),
  nso_row: z.coerce.number().int().min(1),
});
export const OLD_TO_NEW_COLUMNS = ['old_commune_code', 'old_commune_name', 'old_district_code', 'old_district_name',
  'old_province_code', 'old_province_name', 'old_name_variants', 'old_code_flag', 'nso_note', 'merge_type',
  'old_unit_split_into', 'new_commune_code', 'new_commune_name', 'new_commune_type', 'new_province_code',
  'new_province_name', 'resolution', 'resolution_date', 'resolution_clause', 'nso_row'];

export const provincesFile = z.object({
  effective_date: isoDate,
  provinces: z.array(z.object({
    code: code(2),
    name,
    type: z.enum(['tỉnh', 'thành phố trực thuộc trung ương']),
    merged_from: z.array(z.object({ old_code: code(2), old_name: name })).min(1),
    commune_level_units: z.number().int().min(1),
    counts_by_type: z.record(z.string(), z.number().int().min(0)),
    commune_resolution: resolutionNumber,
    commune_resolution_date: isoDate,
    political_admin_center_per_60_NQ_TW: z.string().nullable(),
  })).length(34, 'must list the 34 provinces'),
});

export const manifestFile = z.object({
  name: z.string(),
  version: z.string().min(1),
  effective_date: isoDate,
  province_resolution: z.object({ number: z.string().min(1), date: isoDate, title: z.string() }),
  files: z.array(z.string()),
});

export interface ProvinceRow {
  code: string;
  name: string;
  type: string;
  mergedFrom: Array<{ code: string; name: string }>;
  communeCount: number;
  countsByType: Record<string, number>;
  resolution: string;
  resolutionDate: string;
  adminCenter: string | null;
}

export interface CommuneRow {
  code: string;
  name: string;
  type: (typeof COMMUNE_TYPES)[number];
  provinceCode: string;
  nameVariants: string[];
  resolution: string;
  resolutionDate: string;
  /** Null for the units the resolution left unchanged (listed, not given a clause). */
  resolutionClause: string | null;
  resolutionStatus: 'created' | 'not_rearranged' | 'renamed';
}

export interface OldUnitRow {
  row: number;
  communeCode: string | null;
  communeName: string | null;
  districtCode: string;
  districtName: string;
  provinceCode: string;
  provinceName: string;
  nameVariants: string[];
  codeFlag: string | null;
  nsoNote: string;
  mergeType: (typeof MERGE_TYPES)[number];
  splitInto: number;
  newCommuneCode: string;
}

/** The administrative map as data: 34 provinces, 3,321 communes, 10,571 old→new rows. */
export interface AdminData {
  version: string;
  effectiveDate: string;
  provinceResolution: { number: string; date: string; title: string };
  provinces: ProvinceRow[];
  communes: CommuneRow[];
  oldUnits: OldUnitRow[];
}
