import type { NameEntry, NameIndex } from './name-index.js';
import type { UnitType } from './names.js';
import { inline } from './format.js';
import type { PlaceSuggestion } from './types.js';

// "Did you mean": the known names closest to a name that does not exist, by edit distance over folded names
// (transpositions count once). Offered as suggestions to pick from, never as the answer.

let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/** Optimal-string-alignment distance, giving up (returning max + 1) as soon as it must exceed `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (b.length + 1 > rows[0].length) rows = rows.map(() => new Int32Array(b.length + 1));
  let [prev2, prev, cur] = rows;
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        v = Math.min(v, prev2[j - 2] + 1);
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[b.length];
}

function fits(type: UnitType | null, e: NameEntry): boolean {
  if (!type) return true;
  const level = e.ref.kind === 'old_commune' || e.ref.kind === 'new_commune' ? 'commune' : e.ref.kind === 'old_district' ? 'district' : 'province';
  if (['xã', 'phường', 'thị trấn', 'đặc khu'].includes(type)) return level === 'commune';
  if (['huyện', 'quận', 'thị xã'].includes(type)) return level === 'district';
  return level !== 'commune';
}

export function describeEntry(e: NameEntry): PlaceSuggestion {
  switch (e.ref.kind) {
    case 'old_commune': {
      const d = e.ref.unit.district;
      return { name: e.ref.unit.name, where: `${inline(d.name)}, ${inline(d.province.name)} cũ`, era: 'old' };
    }
    case 'new_commune': return { name: e.ref.unit.name, where: inline(e.ref.unit.province.name), era: 'new' };
    case 'old_district': return { name: e.ref.unit.name, where: `${inline(e.ref.unit.province.name)} cũ`, era: 'old' };
    case 'old_province': return { name: e.ref.unit.name, where: `nay thuộc ${inline(e.ref.unit.now.name)}`, era: 'old' };
    case 'new_province': return { name: e.ref.unit.name, where: 'từ 1/7/2025', era: 'new' };
  }
}

/** Up to `limit` known units whose names are closest to `key` (folded words joined by spaces). */
export function closestNames(index: NameIndex, key: string, type: UnitType | null, near: NameEntry[] = [], limit = 5,
  keep: (e: NameEntry) => boolean = () => true): PlaceSuggestion[] {
  const max = Math.max(1, Math.min(3, Math.floor(key.replace(/ /g, '').length / 3)));
  const scored: Array<{ d: number; e: NameEntry }> = [];
  const numeric = /^\d+$/.test(key);
  for (const [k, entries] of index.byKey) {
    if (Math.abs(k.length - key.length) > max || /^\d+$/.test(k) !== numeric) continue;
    const d = editDistance(key, k, max);
    if (d > max) continue;
    for (const e of entries) if (!e.alias && fits(type, e) && keep(e)) scored.push({ d, e });
  }
  scored.sort((a, b) => a.d - b.d);
  // Units of exactly that name at another level come first ("tỉnh Sa Pa": there is a thị xã Sa Pa).
  scored.unshift(...near.map((e) => ({ d: 0, e })));
  const out: PlaceSuggestion[] = [];
  for (const { e } of scored) {
    const s = describeEntry(e);
    if (!out.some((o) => o.name === s.name && o.where === s.where)) out.push(s);
    if (out.length >= limit) break;
  }
  return out;
}
