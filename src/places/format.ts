import { splitOfficialName } from './names.js';
import { placeTexts as T } from './texts.js';
import type { OldCommuneInfo, Ref, Resolution } from './types.js';

// Unit names and lists as they read inside a Vietnamese sentence.

const KEEP_CAPITAL = new Set(['Thành phố Hồ Chí Minh']);

/** "Xã Thăng An" -> "xã Thăng An" (type words are lower case inside a sentence). */
export function inline(name: string): string {
  if (KEEP_CAPITAL.has(name)) return name;
  const { type, core } = splitOfficialName(name);
  return type ? `${type} ${core}` : name;
}

export function dateVi(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${d}/${m}/${y}`;
}

export function resolutionVi(r: Pick<Resolution, 'number' | 'date'>): string {
  return T.resolution(r.number, dateVi(r.date));
}

/** "a, b và c"; past `max` items: "a, b, c và 7 đơn vị khác". */
export function listVi(items: string[], max = 8, conjunction = 'và'): string {
  if (items.length === 0) return '';
  const shown = items.length > max ? [...items.slice(0, max), T.andMore(items.length - max)] : items;
  return shown.length === 1 ? shown[0] : `${shown.slice(0, -1).join(', ')} ${conjunction} ${shown[shown.length - 1]}`;
}

/** Names of one type as "các xã A, B và C"; mixed types keep each type word. */
export function unitsVi(names: string[], max = 8): string {
  const split = names.map(splitOfficialName);
  const types = new Set(split.map((s) => s.type));
  if (names.length > 1 && types.size === 1 && split[0].type) return `các ${split[0].type} ${listVi(split.map((s) => s.core), max)}`;
  return listVi(names.map(inline), max);
}

/** "xã Bình Triều (huyện Thăng Bình, tỉnh Quảng Nam cũ)" */
export function oldCommuneVi(o: OldCommuneInfo): string {
  return `${inline(o.name)} (${inline(o.district.name)}, ${inline(o.province.name)}${T.oldSuffix})`;
}

export function withProvince(unit: Ref, province: Ref): string {
  return `${inline(unit.name)}, ${inline(province.name)}`;
}

const SHORT_TYPES: Array<[string, string]> = [['Thị trấn', 'TT.'], ['Thị xã', 'TX.'], ['Thành phố', 'TP.'], ['Đặc khu', 'ĐK.'],
  ['Phường', 'P.'], ['Xã', 'X.'], ['Huyện', 'H.'], ['Quận', 'Q.'], ['Tỉnh', '']];

/** A button label of at most 20 characters: "P. Thành Sen", "Bình Phước". */
export function shortLabel(name: string, max = 20): string {
  let label = name;
  for (const [long, short] of SHORT_TYPES) {
    if (label.startsWith(`${long} `)) { label = `${short} ${label.slice(long.length + 1)}`.trim(); break; }
  }
  return label.length <= max ? label : `${label.slice(0, max - 1)}…`;
}

/** The core name without its type word: "Tỉnh Bình Phước" -> "Bình Phước". */
export function coreName(name: string): string {
  return splitOfficialName(name).core;
}
