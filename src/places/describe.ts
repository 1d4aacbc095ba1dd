import type { NameIndex } from './name-index.js';
import { nameForms } from './names.js';
import type { UnitRef } from './refs.js';
import type { NewCommuneInfo, OldCommuneInfo, PlaceReading, ProvinceInfo, Ref } from './types.js';
import type { NewCommune, NewProvince, OldCommune, PlaceUnits } from './units.js';

// Turns units of the index into the plain records of a PlaceResolution.

const ref = (u: { code: string; name: string }): Ref => ({ code: u.code, name: u.name });
const PARTIAL = new Set(['partial']);

export function newCommuneInfo(c: NewCommune): NewCommuneInfo {
  return {
    code: c.code, name: c.name, type: c.type, province: ref(c.province),
    resolution: { number: c.resolution, date: c.resolutionDate, clause: c.resolutionClause }, status: c.resolutionStatus,
  };
}

export function oldCommuneInfo(c: OldCommune): OldCommuneInfo {
  return { code: c.code, name: c.name, district: ref(c.district), province: ref(c.district.province) };
}

export function provinceInfo(p: NewProvince): ProvinceInfo {
  return {
    code: p.code, name: p.name, type: p.type, communeCount: p.communeCount, countsByType: p.countsByType,
    mergedFrom: p.mergedFrom.map(ref), communeResolution: { number: p.resolution, date: p.resolutionDate, clause: null },
    adminCenter: p.adminCenter,
  };
}

/** New communes in the old unit's provinces that carry its name without being what it became. */
function reusedBy(c: OldCommune, index: NameIndex): NewCommune[] {
  const key = nameForms(c.core)[0]?.keys.join(' ');
  const targets = new Set(c.targets.map((t) => t.commune));
  const provinces = new Set(c.targets.map((t) => t.commune.province));
  return (index.byKey.get(key) ?? [])
    .flatMap((e) => (e.ref.kind === 'new_commune' && !e.alias ? [e.ref.unit] : []))
    .filter((n) => !targets.has(n) && provinces.has(n.province));
}

export function readingOf(r: UnitRef, units: PlaceUnits, index: NameIndex): PlaceReading {
  switch (r.kind) {
    case 'old_commune': {
      const c = r.unit;
      return {
        kind: 'old_commune', old: oldCommuneInfo(c),
        targets: c.targets.map((t) => ({ ...newCommuneInfo(t.commune), part: PARTIAL.has(t.mergeType), note: t.nsoNote })),
        split: c.split, unchanged: c.targets.every((t) => t.mergeType === 'unchanged'),
        nameReusedBy: [...new Set(reusedBy(c, index))].map(newCommuneInfo),
        provinces: [...new Set(c.targets.map((t) => t.commune.province))].map(ref),
      };
    }
    case 'new_commune': {
      const c = r.unit;
      return {
        kind: 'new_commune', commune: newCommuneInfo(c),
        formedFrom: c.formedFrom.map((f) => ({ ...oldCommuneInfo(f.unit), part: PARTIAL.has(f.mergeType), note: f.nsoNote })),
        fromDistricts: c.fromDistricts.map((d) => ({ ...ref(d), province: ref(d.province) })),
      };
    }
    case 'old_district': {
      const d = r.unit;
      return {
        kind: 'old_district', old: { ...ref(d), type: d.type, province: ref(d.province) },
        communes: d.newCommunes.map(newCommuneInfo),
        provinces: [...new Set(d.newCommunes.map((c) => c.province))].map(ref),
      };
    }
    case 'old_province':
    case 'new_province': {
      const p = r.kind === 'old_province' ? r.unit.now : r.unit;
      const merged = p.mergedFrom.length > 1;
      return {
        kind: 'province', province: provinceInfo(p),
        asked: { ...ref(r.unit), era: r.kind === 'old_province' ? 'old' : 'new' },
        mergerResolution: merged ? { number: units.provinceResolution.number, date: units.provinceResolution.date } : null,
      };
    }
  }
}
