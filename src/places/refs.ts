import type { NewCommune, NewProvince, OldCommune, OldDistrict, OldProvince } from './units.js';

// A reference to one unit of either map, and how two units relate (one contains the other, before or after
// the reorganisation, or one became the other). Context words in a message are used through `related`.

export type UnitRef =
  | { kind: 'old_commune'; unit: OldCommune }
  | { kind: 'new_commune'; unit: NewCommune }
  | { kind: 'old_district'; unit: OldDistrict }
  | { kind: 'old_province'; unit: OldProvince }
  | { kind: 'new_province'; unit: NewProvince };

export type Level = 'commune' | 'district' | 'province';

export function levelOf(ref: UnitRef): Level {
  if (ref.kind === 'old_commune' || ref.kind === 'new_commune') return 'commune';
  return ref.kind === 'old_district' ? 'district' : 'province';
}

const RANK: Record<Level, number> = { commune: 0, district: 1, province: 2 };
export const levelRank = (ref: UnitRef) => RANK[levelOf(ref)];

export function sameRef(a: UnitRef, b: UnitRef): boolean {
  return a.kind === b.kind && a.unit === b.unit;
}

/** The new provinces a unit lies in now (several only for an old district or commune split across a border). */
export function newProvincesOf(ref: UnitRef): NewProvince[] {
  switch (ref.kind) {
    case 'new_province': return [ref.unit];
    case 'old_province': return [ref.unit.now];
    case 'new_commune': return [ref.unit.province];
    case 'old_district': return unique(ref.unit.newCommunes.map((c) => c.province));
    case 'old_commune': return unique(ref.unit.targets.map((t) => t.commune.province));
  }
}

const unique = <T>(xs: T[]) => [...new Set(xs)];

/** Whether `outer` contains or became `inner` (or the other way round), in either map. */
export function related(a: UnitRef, b: UnitRef): boolean {
  return contains(a, b) || contains(b, a);
}

/**
 * How telling a relation is: an old district (3) places a commune better than the old province (2), which places
 * it better than the new province (1), which since 1/7/2025 spans two or three old ones. 0: unrelated.
 */
export function relationStrength(a: UnitRef, b: UnitRef): number {
  const strength = (outer: UnitRef, inner: UnitRef) => {
    if (!contains(outer, inner)) return outer.kind === 'old_district' && sameOldProvince(outer.unit, inner) ? WEAK : 0;
    if (outer.kind === 'old_district' || outer.kind === 'new_commune') return 3;
    return outer.kind === 'old_province' ? 2 : 1;
  };
  return Math.max(strength(a, b), strength(b, a));
}

/**
 * A commune named with a district of its old province that is not its own: addresses quoted from before a
 * boundary change (SOURCES.md, gap 2). The district then only breaks ties.
 */
export const WEAK = 0.5;

function sameOldProvince(d: OldDistrict, inner: UnitRef): boolean {
  if (inner.kind === 'old_commune') return inner.unit.district.province === d.province;
  if (inner.kind === 'new_commune') return inner.unit.fromDistricts.some((x) => x.province === d.province);
  return false;
}

function contains(outer: UnitRef, inner: UnitRef): boolean {
  switch (outer.kind) {
    case 'new_province':
      return inner.kind !== 'new_province' && newProvincesOf(inner).includes(outer.unit);
    case 'old_province':
      switch (inner.kind) {
        case 'old_district': return inner.unit.province === outer.unit;
        case 'old_commune': return inner.unit.district.province === outer.unit;
        case 'new_commune': return inner.unit.fromDistricts.some((d) => d.province === outer.unit);
        default: return false;
      }
    case 'old_district':
      switch (inner.kind) {
        case 'old_commune': return inner.unit.district === outer.unit;
        case 'new_commune': return inner.unit.fromDistricts.includes(outer.unit);
        default: return false;
      }
    case 'new_commune':
      // An old commune that went (wholly or partly) into this new one: "phường 5 giờ là phường Vũng Tàu".
      return inner.kind === 'old_commune' && inner.unit.targets.some((t) => t.commune === outer.unit);
    case 'old_commune':
      return false;
  }
}
