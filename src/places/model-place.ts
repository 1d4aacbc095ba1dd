import type { PlaceIndex } from './place-index.js';
import type { PlaceResolution } from './types.js';
import type { NewCommune, NewProvince } from './units.js';

// Where a reform model (or anything the knowledge base ties to pre-2025 units) is now: read from the map by the
// codes of the units the source named, never typed in. "huyện Thăng Bình, tỉnh Quảng Nam (nay thuộc thành phố
// Đà Nẵng)".

export interface PlaceNow {
  /** What it is now, to follow the place as the source named it ("nay thuộc thành phố Đà Nẵng"); null: unchanged. */
  now: string | null;
  newProvinceCodes: string[];
  newCommuneCodes: string[];
}

const lower = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

/** The place as the source named it: "huyện Thăng Bình, tỉnh Quảng Nam". */
export function placeAsNamed(locality: string, province: string): string {
  const prov = /^(tỉnh|thành phố)\s/iu.test(province) ? lower(province) : `tỉnh ${province}`;
  const loc = lower(locality);
  return loc.replace(/^tỉnh\s/u, '') === prov.replace(/^tỉnh\s/u, '') || loc === prov ? prov : `${loc}, ${prov}`;
}

export function placeNow(index: PlaceIndex, codes: string[]): PlaceNow {
  const provinces = new Map<string, NewProvince>();
  const communes = new Map<string, NewCommune>();
  let changed = false;
  for (const code of codes) {
    const [level, id] = code.split(':');
    if (level === 'p') {
      const old = index.units.oldProvinces.get(id);
      if (!old) continue;
      provinces.set(old.now.code, old.now);
      if (old.now.mergedFrom.length > 1) changed = true;
    } else if (level === 'd') {
      const district = index.units.oldDistricts.get(id);
      if (!district) continue;
      provinces.set(district.province.now.code, district.province.now);
      changed = true; // no district level since 1 July 2025
    } else if (level === 'c') {
      const old = index.units.oldCommunes.find((c) => c.code === id);
      if (!old) continue;
      for (const t of old.targets) {
        communes.set(t.commune.code, t.commune);
        provinces.set(t.commune.province.code, t.commune.province);
      }
      if (old.targets.some((t) => t.mergeType !== 'unchanged')) changed = true;
    }
  }
  const provinceList = [...provinces.values()];
  const communeList = [...communes.values()];
  let now: string | null = null;
  if (changed && communeList.length > 0) {
    const names = communeList.map((c) => lower(c.name));
    now = `nay thuộc ${names.join(', ')}, ${lower(communeList[0].province.name)}`;
  } else if (changed && provinceList.length > 0) {
    now = `nay thuộc ${provinceList.map((p) => lower(p.name)).join(', ')}`;
  }
  return { now, newProvinceCodes: provinceList.map((p) => p.code), newCommuneCodes: communeList.map((c) => c.code) };
}

/** New province and commune codes a message names (new names, or old names read as what they are now). */
export function placeCodesOf(r: PlaceResolution | undefined): { provinces: Set<string>; communes: Set<string> } {
  const provinces = new Set<string>();
  const communes = new Set<string>();
  for (const reading of [r?.reading, ...(r?.candidates ?? [])]) {
    if (!reading) continue;
    if (reading.kind === 'province') provinces.add(reading.province.code);
    if (reading.kind === 'new_commune') communes.add(reading.commune.code);
    if (reading.kind === 'old_commune') for (const t of reading.targets) communes.add(t.code);
    if (reading.kind === 'old_district') for (const c of reading.communes) communes.add(c.code);
  }
  return { provinces, communes };
}
