import type { AdminData, CommuneRow } from './dataset/schema.js';
import { splitOfficialName, type UnitType } from './names.js';

// The administrative map as linked objects: old units point to the new communes that took them, new communes to
// the old units they were formed from, so each question is answered by following references, not by searching.

export interface NewProvince {
  code: string; name: string; core: string; type: string;
  mergedFrom: OldProvince[]; communes: NewCommune[];
  communeCount: number; countsByType: Record<string, number>; resolution: string; resolutionDate: string;
  adminCenter: string | null;
}

export interface OldProvince {
  code: string; name: string; core: string; type: UnitType;
  now: NewProvince; districts: OldDistrict[];
}

export interface OldDistrict {
  code: string; name: string; core: string; type: UnitType;
  province: OldProvince; communes: OldCommune[];
  /** New communes that took all or part of its communes, in code order. */
  newCommunes: NewCommune[];
  /** Set for the island districts that had no communes and became a đặc khu whole. */
  wholeTo: NewCommune | null;
}

export interface OldCommuneTarget { commune: NewCommune; nsoNote: string; mergeType: string }

export interface OldCommune {
  /** Index in PlaceUnits.oldCommunes (the NSO code is not unique: the table re-uses 3 codes). */
  id: number;
  code: string | null; name: string; core: string; type: UnitType | null;
  variants: string[]; codeFlag: string | null;
  district: OldDistrict;
  targets: OldCommuneTarget[];
  split: boolean;
}

export interface NewCommune {
  code: string; name: string; core: string; type: UnitType; variants: string[];
  province: NewProvince;
  resolution: string; resolutionDate: string; resolutionClause: string | null; resolutionStatus: CommuneRow['resolutionStatus'];
  /** Old communes it was formed from, with the NSO note for each (whole or part). */
  formedFrom: Array<{ unit: OldCommune; nsoNote: string; mergeType: string }>;
  /** Old districts it was formed (partly) from. */
  fromDistricts: OldDistrict[];
}

export interface PlaceUnits {
  version: string;
  effectiveDate: string;
  provinceResolution: AdminData['provinceResolution'];
  newProvinces: Map<string, NewProvince>;
  oldProvinces: Map<string, OldProvince>;
  oldDistricts: Map<string, OldDistrict>;
  oldCommunes: OldCommune[];
  newCommunes: Map<string, NewCommune>;
}

const core = (name: string) => splitOfficialName(name).core;

/** Type of an old commune whose name lacks one ("Xuân Quang 3"): from its spelling variants, else unknown. */
function oldCommuneType(name: string, variants: string[]): UnitType | null {
  for (const n of [name, ...variants]) {
    const t = splitOfficialName(n).type;
    if (t) return t;
  }
  return null;
}

export function buildUnits(data: AdminData): PlaceUnits {
  const newProvinces = new Map<string, NewProvince>();
  const oldProvinces = new Map<string, OldProvince>();
  for (const p of data.provinces) {
    const np: NewProvince = {
      code: p.code, name: p.name, core: core(p.name), type: p.type, mergedFrom: [], communes: [],
      communeCount: p.communeCount, countsByType: p.countsByType, resolution: p.resolution, resolutionDate: p.resolutionDate,
      adminCenter: p.adminCenter,
    };
    newProvinces.set(p.code, np);
    for (const m of p.mergedFrom) {
      const split = splitOfficialName(m.name);
      const op: OldProvince = { code: m.code, name: m.name, core: split.core, type: split.type ?? 'tỉnh', now: np, districts: [] };
      oldProvinces.set(m.code, op);
      np.mergedFrom.push(op);
    }
  }
  const newCommunes = new Map<string, NewCommune>();
  for (const c of data.communes) {
    const province = newProvinces.get(c.provinceCode)!;
    const nc: NewCommune = {
      code: c.code, name: c.name, core: core(c.name), type: c.type, variants: c.nameVariants, province,
      resolution: c.resolution, resolutionDate: c.resolutionDate, resolutionClause: c.resolutionClause,
      resolutionStatus: c.resolutionStatus, formedFrom: [], fromDistricts: [],
    };
    newCommunes.set(c.code, nc);
    province.communes.push(nc);
  }
  const oldDistricts = new Map<string, OldDistrict>();
  const oldCommunes: OldCommune[] = [];
  const communeKey = new Map<string, OldCommune>();
  for (const r of data.oldUnits) {
    const province = oldProvinces.get(r.provinceCode);
    if (!province) throw new Error(`old province ${r.provinceCode} of NSO row ${r.row} is in no new province's merged_from`);
    let district = oldDistricts.get(r.districtCode);
    if (!district) {
      const split = splitOfficialName(r.districtName);
      district = { code: r.districtCode, name: r.districtName, core: split.core, type: split.type ?? 'huyện', province,
        communes: [], newCommunes: [], wholeTo: null };
      oldDistricts.set(r.districtCode, district);
      province.districts.push(district);
    }
    const target = newCommunes.get(r.newCommuneCode)!;
    if (!district.newCommunes.includes(target)) district.newCommunes.push(target);
    if (!target.fromDistricts.includes(district)) target.fromDistricts.push(district);
    if (!r.communeName) {
      district.wholeTo = target;
      continue;
    }
    const key = `${r.communeCode ?? ''}|${r.communeName}|${r.districtCode}`;
    let oc = communeKey.get(key);
    if (!oc) {
      oc = { id: oldCommunes.length, code: r.communeCode, name: r.communeName, core: core(r.communeName),
        type: oldCommuneType(r.communeName, r.nameVariants), variants: r.nameVariants, codeFlag: r.codeFlag,
        district, targets: [], split: r.splitInto > 1 };
      communeKey.set(key, oc);
      oldCommunes.push(oc);
      district.communes.push(oc);
    }
    oc.targets.push({ commune: target, nsoNote: r.nsoNote, mergeType: r.mergeType });
    oc.split ||= r.splitInto > 1 || oc.targets.length > 1;
    target.formedFrom.push({ unit: oc, nsoNote: r.nsoNote, mergeType: r.mergeType });
  }
  for (const d of oldDistricts.values()) d.newCommunes.sort((a, b) => a.code.localeCompare(b.code));
  return {
    version: data.version, effectiveDate: data.effectiveDate, provinceResolution: data.provinceResolution,
    newProvinces, oldProvinces, oldDistricts, oldCommunes, newCommunes,
  };
}
