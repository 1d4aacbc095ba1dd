import { PLACE_ALIASES, type FormerUnit } from './aliases.js';
import { COMMON_NAMES } from './common-names.js';
import { nameForms, splitOfficialName, type UnitType } from './names.js';
import type { UnitRef } from './refs.js';
import type { PlaceUnits } from './units.js';

// Every unit under every way its name is written, keyed by the folded words of the core name ("binh trieu").
// A message is matched by looking its word runs up here: a few map look-ups per word, whatever the map's size.

export interface NameEntry {
  ref: UnitRef;
  /** The unit's own type word (xã, phường, huyện...), null when the data gives none. */
  type: UnitType | null;
  /** Tone keys of the name's words, to prefer the spelling the citizen typed. */
  tones: string[];
  /** Reached through a nickname (Sài Gòn, BRVT); `weak` ones are ordinary letters too (vt, sg). */
  alias: boolean;
  weak: boolean;
  /** A nickname of a province that outranks smaller units of the same name (Sài Gòn, Thừa Thiên Huế). */
  provinceAlias: boolean;
  /** The name is a number ("Phường 5", "Quận 1"): never trusted without its type word. */
  numeric: boolean;
  /** Through an alias for a unit merged before 2025: what became of it (aliases.ts). */
  formerly?: FormerUnit;
}

export interface NameIndex {
  byKey: Map<string, NameEntry[]>;
  maxWords: number;
  /** Keys of names that are also ordinary words or shared by many units: they need a stronger cue. */
  common: Set<string>;
  /** Distinct keys with a display name, for "did you mean" suggestions. */
  display: Map<string, string>;
  /** Keys of names written with a dash ("Bà Rịa - Vũng Tàu"): the one kind of name read across a dash or slash. */
  dashed: Set<string>;
  /** The first words of every name, one to all of them: a run of words that is none cannot grow into a name. */
  starts: Set<string>;
}

function unitNames(ref: UnitRef): string[] {
  switch (ref.kind) {
    case 'old_commune': return [ref.unit.name, ...ref.unit.variants];
    case 'new_commune': return [ref.unit.name, ...ref.unit.variants];
    default: return [ref.unit.name];
  }
}

function allRefs(units: PlaceUnits): UnitRef[] {
  return [
    ...[...units.newProvinces.values()].map((unit): UnitRef => ({ kind: 'new_province', unit })),
    ...[...units.oldProvinces.values()].map((unit): UnitRef => ({ kind: 'old_province', unit })),
    ...[...units.oldDistricts.values()].map((unit): UnitRef => ({ kind: 'old_district', unit })),
    ...units.oldCommunes.map((unit): UnitRef => ({ kind: 'old_commune', unit })),
    ...[...units.newCommunes.values()].map((unit): UnitRef => ({ kind: 'new_commune', unit })),
  ];
}

export function buildNameIndex(units: PlaceUnits): NameIndex {
  const byKey = new Map<string, NameEntry[]>();
  const display = new Map<string, string>();
  let maxWords = 1;
  const add = (key: string, entry: NameEntry, shown: string) => {
    const list = byKey.get(key) ?? [];
    if (!list.some((e) => e.ref.unit === entry.ref.unit && e.ref.kind === entry.ref.kind)) list.push(entry);
    byKey.set(key, list);
    if (!display.has(key)) display.set(key, shown);
    maxWords = Math.max(maxWords, key.split(' ').length);
  };
  const refs = allRefs(units);
  const coreToRefs = new Map<string, UnitRef[]>();
  const dashed = new Set<string>();
  for (const ref of refs) {
    for (const name of unitNames(ref)) {
      const { type, core } = splitOfficialName(name);
      for (const form of nameForms(core)) {
        const key = form.keys.join(' ');
        if (/[-–—]/u.test(core)) dashed.add(key);
        const numeric = /^\d+$/.test(key);
        add(key, { ref, type: type ?? (ref.unit.type as UnitType), tones: form.tones, alias: false, weak: false, provinceAlias: false, numeric }, core);
        const list = coreToRefs.get(key) ?? [];
        if (!list.includes(ref)) list.push(ref);
        coreToRefs.set(key, list);
      }
      // "Phan Rang" for Phan Rang-Tháp Chàm, "Chân Mây" for Chân Mây - Lăng Cô: the first part, of two words or more, of
      // a unit's dashed name (not its last: "Đà Lạt" of "Cam Ly - Đà Lạt" is the city; not a province's: "Bà Rịa").
      const [first, ...others] = core.split(/\s*[-–—]\s*/u);
      if (ref.kind !== 'new_province' && ref.kind !== 'old_province' && others.length > 0 && first.split(/\s+/u).length >= 2) {
        for (const form of nameForms(first)) {
          add(form.keys.join(' '), { ref, type: type ?? (ref.unit.type as UnitType), tones: form.tones, alias: true, weak: false, provinceAlias: false, numeric: false }, core);
        }
      }
    }
  }
  for (const a of PLACE_ALIASES) {
    const target = nameForms(a.name)[0].keys.join(' ');
    for (const form of nameForms(a.alias)) {
      const key = form.keys.join(' ');
      for (const ref of coreToRefs.get(target) ?? []) {
        if (a.only && ref.kind !== a.only) continue;
        const own = byKey.get(target)!.find((e) => e.ref === ref)!;
        const provinceAlias = !!a.province && (ref.kind === 'new_province' || ref.kind === 'old_province');
        add(key, { ...own, tones: form.tones, alias: true, weak: a.weak ?? false, provinceAlias, numeric: /^\d+$/.test(key), formerly: a.formerly }, a.name);
      }
    }
  }
  addInitials(refs, byKey, add);
  const common = new Set(COMMON_NAMES.map((n) => nameForms(n)[0].keys.join(' ')));
  for (const [key, list] of byKey) {
    const distinct = new Set(list.map((e) => e.ref.unit)).size;
    if (distinct >= 5 || key.split(' ').length === 1) common.add(key);
  }
  const starts = new Set<string>();
  for (const key of byKey.keys()) {
    const ws = key.split(' ');
    for (let n = 1; n < ws.length; n++) starts.add(ws.slice(0, n).join(' '));
    starts.add(key);
  }
  return { byKey, maxWords: Math.min(maxWords, 8), common, display, dashed, starts };
}

/**
 * "Q.Bình", "T.Hóa", "N.An" (and "qbinh"): a province with its first word cut to its initial, as people write it in chat. Weak
 * aliases (trusted only with another place or a place question), and none where two provinces share one ("H.Giang").
 */
function addInitials(refs: UnitRef[], byKey: Map<string, NameEntry[]>, add: (key: string, entry: NameEntry, shown: string) => void): void {
  const byInitials = new Map<string, Array<{ ref: UnitRef; core: string; fullKey: string; tones: string[] }>>();
  for (const ref of refs) {
    if (ref.kind !== 'old_province' && ref.kind !== 'new_province') continue;
    const { core } = splitOfficialName(ref.unit.name);
    const form = nameForms(core)[0];
    if (form.keys.length !== 2) continue;
    const key = `${form.keys[0][0]} ${form.keys[1]}`;
    byInitials.set(key, [...(byInitials.get(key) ?? []), { ref, core, fullKey: form.keys.join(' '), tones: [form.keys[0][0], form.tones[1]] }]);
  }
  for (const [key, list] of byInitials) {
    if (new Set(list.map((x) => x.core)).size > 1) continue;
    // "qbinh", "htinh": the same glued, when that is no other name and not too short to be a word.
    const glued = key.replace(' ', '');
    const gluedFree = glued.length >= 4 && !byKey.has(glued);
    for (const { ref, core, fullKey, tones } of list) {
      const own = byKey.get(fullKey)!.find((e) => e.ref === ref)!;
      add(key, { ...own, tones, alias: true, weak: true, provinceAlias: true, numeric: false }, core);
      if (gluedFree) add(glued, { ...own, tones: [tones.join('')], alias: true, weak: true, provinceAlias: true, numeric: false }, core);
    }
  }
}
