import { readingOf } from './describe.js';
import {
  ACTION_WORDS, ASKS_HERE, ASKS_HOME, BECAME_BEFORE_WHERE, COURTESY_PHRASES, HOME_BEFORE, LIVES_BEFORE, NEW_TO_OLD_CUES, NO_DISTRICT_CUES,
  PROVINCE_SEAT, PROVINCES_ASKED_CUES, SUBMIT_CUES, WHERE_TO_GO,
} from './lexicon.js';
import type { NameEntry, NameIndex } from './name-index.js';
import { endsBefore, findAll, phrases } from './phrases.js';
import { levelRank, relationStrength, type UnitRef } from './refs.js';
import { introducedAsNew, mentionKey, typeEndingAt, type RawMention } from './scan.js';
import type { Token } from './tokens.js';
import { adjacent } from './trust.js';
import type { PlaceKind, PlaceReading } from './types.js';
import type { PlaceUnits } from './units.js';

// From the trusted mentions to one reading: context mentions narrow each other down ("xã Bình Triều huyện Thăng
// Bình"), the finest place is the subject, and the question's words choose between the old and the new unit of
// the same name. Several units left over means the bot must ask.

const NEW_TO_OLD = phrases(NEW_TO_OLD_CUES);
/** What happened to the unit's name, not something to do: "nhập với xã nào rồi, đổi tên luôn hả". */
const RENAMED = phrases(['đổi tên', 'thay tên', 'mang tên']);
const PROVINCES_ASKED = phrases(PROVINCES_ASKED_CUES);
const SUBMIT = phrases(SUBMIT_CUES);
const NO_DISTRICT = phrases(NO_DISTRICT_CUES);
const WHERE_GO = phrases(WHERE_TO_GO);
const BECAME_BEFORE = phrases(BECAME_BEFORE_WHERE);
const ACTIONS = phrases(ACTION_WORDS);
const COURTESY = phrases(COURTESY_PHRASES);
const SEAT = phrases(PROVINCE_SEAT);
const LIVES = phrases(LIVES_BEFORE);
const HOME = phrases(HOME_BEFORE);
const HERE_ASKED = phrases(ASKS_HERE);
const HOME_ASKED = phrases(ASKS_HOME);
const COUNT = phrases(['bao nhiêu xã', 'bao nhiêu phường', 'mấy xã', 'mấy phường', 'bao nhiêu đơn vị', 'bao nhiêu xã phường',
  'có bao nhiêu', 'bn xã', 'bn phường', 'bnhieu']);

export interface Interpretation {
  kind: PlaceKind;
  primary: RawMention | null;
  reading: PlaceReading | null;
  candidates: PlaceReading[];
  submit: boolean;
  noDistrictLevel: boolean;
  countQuestion: boolean;
  newToOld: boolean;
  contextMismatch: ContextMismatch | null;
}

const refKey = (r: UnitRef) => `${r.kind}:${'code' in r.unit ? r.unit.code : ''}:${r.kind === 'old_commune' ? r.unit.id : ''}`;

/** Units of the entries; `alias` when reached only through a nickname that does not outrank real names. */
function uniqueRefs(entries: NameEntry[]): Array<{ ref: UnitRef; alias: boolean }> {
  const seen = new Map<string, { ref: UnitRef; alias: boolean }>();
  for (const e of entries) {
    const k = refKey(e.ref);
    const alias = e.alias && !e.provinceAlias;
    const had = seen.get(k);
    if (!had || (had.alias && !alias)) seen.set(k, { ref: e.ref, alias });
  }
  return [...seen.values()];
}

const minRank = (m: RawMention) => Math.min(...m.entries.map((e) => levelRank(e.ref)));
/**
 * The level `b` qualifies `a` at: its finest reading, or its province reading when `b`, typed without a type word, is
 * also a province ("ngũ kiên thái bình", "phường Hoàn Kiếm ở Hải Phòng": the province, not a commune of that name).
 */
const coarserRank = (a: RawMention, b: RawMention) => {
  const province = b.entries.filter((e) => e.ref.kind === 'old_province' || e.ref.kind === 'new_province');
  return !b.typeWord && province.length > 0 ? Math.max(...province.map((e) => levelRank(e.ref))) : minRank(b);
};
const strengthBetween = (a: RawMention, b: RawMention) =>
  Math.max(0, ...a.entries.flatMap((x) => b.entries.map((y) => relationStrength(x.ref, y.ref))));

export interface ContextMismatch { finer: RawMention; coarser: RawMention; level: 'weak' | 'unrelated' }

/**
 * Each pair of places narrows the other to the candidates they share the strongest relation through. Returns
 * where an address chain does not hold together: "xã X, huyện Y" where X was never in Y (weak when Y is at least
 * in X's old province, unrelated otherwise).
 */
function narrowByContext(tokens: Token[], mentions: RawMention[]): ContextMismatch | null {
  preferWhatTheAddressHolds(tokens, mentions);
  coarserAfterTyped(tokens, mentions);
  let mismatch: ContextMismatch | null = null;
  for (const a of mentions) {
    for (const b of mentions) {
      if (a === b || !(a.to <= b.from && adjacent(tokens, a, b) && minRank(a) < coarserRank(a, b))) continue;
      const s = strengthBetween(a, b);
      if (s === 0) mismatch = { finer: a, coarser: b, level: 'unrelated' };
      else if (s < 1 && mismatch?.level !== 'unrelated') mismatch = { finer: a, coarser: b, level: 'weak' };
    }
  }
  sameNameSameUnit(tokens, mentions);
  keepMarkedEra(tokens, mentions);
  for (let pass = 0; pass < 2; pass++) {
    for (const a of mentions) {
      for (const b of mentions) {
        if (a === b || provincePeers(a, b)) continue;
        const score = (x: NameEntry) => Math.max(0, ...b.entries.map((y) => relationStrength(x.ref, y.ref)));
        const best = Math.max(0, ...a.entries.map(score));
        if (best > 0) a.entries = a.entries.filter((x) => score(x) === best);
      }
    }
  }
  return mismatch;
}

const isProvince = (e: NameEntry) => e.ref.kind === 'new_province' || e.ref.kind === 'old_province';

const namesProvince = (m: RawMention) => !m.typeWord && m.entries.some((e) => isProvince(e) && !e.alias);
/**
 * "Đồng Nai sáp nhập với Bình Phước": a bare name that is a province, beside another province, is a province too (the
 * two are peers); it does not become the xã Đồng Nai that Bình Phước held.
 */
const provincePeers = (a: RawMention, b: RawMention) => namesProvince(a) && namesProvince(b);

const isCommune = (e: NameEntry) => e.ref.kind === 'new_commune' || e.ref.kind === 'old_commune';

/**
 * "xã Sông Lô mới ở Phú Thọ": a commune said "mới" (or "cũ") is the new (or old) unit of that name when there is one,
 * before any context is read: the old province Phú Thọ holds the old xã Sông Lô more closely than the new province
 * holds the new one, but the citizen said which. Not a commune named twice ("xã X cũ … hay xã X mới", "văn bản ghi
 * xã X … xã X mới này"): sameNameSameUnit reads those.
 */
function keepMarkedEra(tokens: Token[], mentions: RawMention[]): void {
  for (const m of mentions) {
    if (!m.marker || !m.entries.every(isCommune)) continue;
    if (mentions.some((n) => n !== m && mentionKey(tokens, n) === mentionKey(tokens, m) && n.entries.some(isCommune))) continue;
    const kind = m.marker === 'new' ? 'new_commune' : 'old_commune';
    const marked = m.entries.filter((e) => e.ref.kind === kind);
    if (marked.length > 0) m.entries = marked;
  }
}

/**
 * "Tam Đa Yên Phong giờ vẫn giữ tên xã Tam Đa", "huyện Thanh Ba … các xã của Thanh Ba cũ": a name said again means the
 * unit it named the first time, when that was narrower.
 */
function sameNameSameUnit(tokens: Token[], mentions: RawMention[]): void {
  for (const a of mentions) {
    for (const b of mentions) {
      if (a === b || a.entries.length >= b.entries.length || mentionKey(tokens, a) !== mentionKey(tokens, b)) continue;
      const placed = new Set(a.entries.map((e) => refKey(e.ref)));
      const shared = b.entries.filter((e) => placed.has(refKey(e.ref)));
      if (shared.length > 0) b.entries = shared;
    }
  }
}

/**
 * "xã An Phú, thị xã Thuận An": no xã An Phú was ever in Thuận An, but its phường An Phú was (a commune made a ward
 * before 2025). "xã vinh xuan h. Trà Ôn": the name typed plain in a message with diacritics is read as spelled (Vinh
 * Xuân, in Huế), but Trà Ôn held xã Vĩnh Xuân. When every place given right after a name holds none of the units read
 * and does hold one of the same name under the type the unit had before, or spelled with the marks the citizen left
 * out, that is the unit meant.
 */
function preferWhatTheAddressHolds(tokens: Token[], mentions: RawMention[]): void {
  const within = (entries: NameEntry[], b: RawMention) => entries.some((x) => b.entries.some((y) => relationStrength(x.ref, y.ref) >= 1));
  for (const a of mentions) {
    const others = [a.otherType.filter((e) => e.ref.kind === 'old_commune'), a.otherSpelling].filter((o) => o.length > 0);
    if (others.length === 0) continue;
    const contexts = mentions.filter((b) => b !== a && a.to <= b.from && adjacent(tokens, a, b) && b.entries.some((e) => levelRank(e.ref) > minRank(a)));
    if (contexts.length === 0 || contexts.some((b) => within(a.entries, b))) continue;
    const held = others.find((other) => contexts.every((b) => within(other, b)));
    if (held) a.entries = held;
  }
}

/**
 * "huyện Châu Thành Long An": an address goes from the finest place to the coarsest, so a bare name right after a
 * typed unit qualifies it ("Long An" the province), not a finer unit of that name inside it (the xã Long An of
 * another huyện Châu Thành), when the name has a coarser reading at all.
 */
function coarserAfterTyped(tokens: Token[], mentions: RawMention[]): void {
  for (const b of mentions) {
    if (b.typeWord || b.marker) continue;
    const a = mentions.find((m) => m !== b && m.typeWord && m.to <= b.from && adjacent(tokens, m, b));
    if (!a || a.entries.length === 0) continue;
    const level = Math.max(...a.entries.map((e) => levelRank(e.ref)));
    const coarser = b.entries.filter((e) => levelRank(e.ref) > level);
    if (coarser.length > 0 && coarser.length < b.entries.length) b.entries = coarser;
  }
}

const GROUP_RANK: Record<Group, number> = { old_commune: 0, new_commune: 0, old_district: 1, province: 2 };

/**
 * The subject: the finest place, as each name would be read ("Thăng Bình" alone is the district); between two
 * communes, the one not introduced as the new unit ("giờ là xã Y"); then, where the citizen names where they come
 * from and where they live, the one the question is about ("ở chỗ đang ở", "ở quê"; where to submit: where they live);
 * then one whose name is said again ("… cho hỏi xã Quới Sơn bây giờ thuộc xã nào"); then the first.
 */
function pickPrimary(tokens: Token[], mentions: RawMention[], newToOld: boolean, submit: boolean): RawMention | null {
  const rank = (m: RawMention) => GROUP_RANK[chooseGroup(uniqueRefs(m.entries), m, newToOld)] * 10 + (introducedAsNew(tokens, m) ? 1 : 0);
  const ranks = mentions.map(rank);
  const best = Math.min(...ranks);
  const top = mentions.filter((_, i) => ranks[i] === best);
  if (top.length <= 1) return top[0] ?? null;
  const home = findAll(tokens, HOME_ASKED).length > 0;
  const here = !home && (submit || findAll(tokens, HERE_ASKED).length > 0);
  const said = (m: RawMention, list: typeof LIVES) => endsBefore(tokens, m.from, list) !== undefined;
  const asked = (m: RawMention) => (home && said(m, HOME)) || (here && said(m, LIVES));
  // Said again later, not as a unit of another type ("TP Sa Đéc … phường Sa Đéc", "huyện Châu Phú … xã Châu Phú").
  const otherType = (m: RawMention, i: number) => { const t = typeEndingAt(tokens, i); return t !== null && t !== m.typeWord?.type; };
  const again = (m: RawMention) => {
    const key = mentionKey(tokens, m).split(' ');
    for (let i = m.to; i < tokens.length; i++) if (key.every((k, j) => tokens[i + j]?.key === k) && !otherType(m, i)) return true;
    return false;
  };
  // Lower is preferred: the place asked about first, then one said again, then the first in the message.
  const preference = new Map(top.map((m) => [m, (asked(m) ? 0 : 2) + (again(m) ? 0 : 1)]));
  return top.sort((a, b) => preference.get(a)! - preference.get(b)! || a.from - b.from)[0];
}

type Group = 'old_commune' | 'new_commune' | 'old_district' | 'province';
const groupOf = (r: UnitRef): Group => (r.kind === 'old_province' || r.kind === 'new_province' ? 'province' : r.kind);

/** Which reading of a name the citizen means, when it names units of several kinds. */
function chooseGroup(refs: Array<{ ref: UnitRef; alias: boolean }>, m: RawMention, newToOld: boolean): Group {
  const has = (g: Group, alias?: boolean) => refs.some((r) => groupOf(r.ref) === g && (alias === undefined || r.alias === alias));
  const communeOrder: Group[] = (m.marker === 'new' || newToOld) ? ['new_commune', 'old_commune'] : ['old_commune', 'new_commune'];
  if (m.marker === 'old') {
    for (const g of ['old_commune', 'old_district', 'province'] as Group[]) if (has(g)) return g;
  }
  if (m.typeWord && ['xã', 'phường', 'thị trấn', 'đặc khu'].includes(m.typeWord.type)) {
    for (const g of communeOrder) if (has(g)) return g;
  }
  // A bare name: the largest unit of that exact name (people say "Thăng Bình" for the district), nicknames last.
  for (const alias of [false, true]) {
    for (const g of ['province', 'old_district', ...communeOrder] as Group[]) if (has(g, alias)) return g;
  }
  return groupOf(refs[0].ref);
}

/** Old communes of the same name that became the same new units are one answer, not a question. */
function sameOutcome(refs: UnitRef[]): boolean {
  const targets = refs.map((r) => (r.kind === 'old_commune' ? r.unit.targets.map((t) => t.commune.code).sort().join(',') : refKey(r)));
  return new Set(targets).size === 1;
}

export function interpret(tokens: Token[], mentions: RawMention[], index: NameIndex, units: PlaceUnits): Interpretation {
  const noDistrict = findAll(tokens, NO_DISTRICT);
  const noDistrictLevel = noDistrict.length > 0;
  // Words of a place name are not actions: the "Lam" of "Hà Lam" is not "làm"; nor is the "cấp" of "bỏ cấp huyện", nor
  // the "xin" of "Xin hỏi ấp 3, xã …", nor the "trụ sở" of "trụ sở tỉnh mới ở đâu".
  const notActions = [...mentions, ...noDistrict, ...findAll(tokens, COURTESY), ...findAll(tokens, SEAT), ...findAll(tokens, RENAMED)];
  const outside = (c: { from: number; to: number }) => !notActions.some((m) => c.from < m.to && c.to > m.from);
  const goes = findAll(tokens, WHERE_GO).filter((c) => outside(c) && !endsBefore(tokens, c.from, BECAME_BEFORE));
  const known = mentions.filter((m) => !m.unknown && m.entries.length > 0);
  // "xin giấy xác nhận cư trú thì đến phường Hải Vân hay Liên Chiểu": a choice between two units to go to.
  const either = known.some((a) => known.some((b) => b.from > a.to && b.from - a.to <= 2 && tokens.slice(a.to, b.from).some((t) => t.key === 'hay')));
  const asksWhere = (goes.length > 0 || either) && findAll(tokens, ACTIONS).some(outside);
  // "bỏ huyện rồi thì làm ở xã nào" asks where to go; "huyện Than Uyên bỏ huyện rồi còn những xã nào" asks what it became.
  const submit = findAll(tokens, SUBMIT).length > 0 || asksWhere || (noDistrictLevel && known.length === 0 && findAll(tokens, WHERE_GO).length > 0);
  const countQuestion = findAll(tokens, COUNT).length > 0;
  const newToOld = findAll(tokens, NEW_TO_OLD).length > 0;
  const base = { submit, noDistrictLevel, countQuestion, newToOld, candidates: [] as PlaceReading[], reading: null, contextMismatch: null as ContextMismatch | null };
  if (known.length === 0) {
    const kind: PlaceKind = submit && noDistrictLevel ? 'where_to_submit' : 'none';
    return { ...base, kind, primary: null };
  }
  // "Sài Gòn sau sáp nhập gồm những tỉnh nào, còn tên TP.HCM không": a question about provinces reads a bare name as
  // the province it can be (the city), not the new phường Sài Gòn that TP.HCM holds.
  const provincesAsked = findAll(tokens, PROVINCES_ASKED).length > 0;
  if (provincesAsked) {
    for (const m of known) if (!m.typeWord && m.entries.some(isProvince)) m.entries = m.entries.filter(isProvince);
  }
  // "tỉnh Lào Cai bây giờ là hợp nhất của tỉnh nào với tỉnh nào": a province named as one is what such a question asks
  // about, not a commune's name among its words ("Hợp Nhất"); not when a commune or district is named as one too ("xã Mai
  // Hạ huyện Mai Châu tỉnh Hòa Bình giờ thuộc tỉnh nào, xã nào" asks about the commune).
  const asProvince = (m: RawMention) => m.typeWord?.type === 'tỉnh' && m.entries.some(isProvince);
  const namedProvinces = provincesAsked && known.every((m) => asProvince(m) || !m.typeWord) ? known.filter(asProvince) : [];
  const contextMismatch = narrowByContext(tokens, known);
  const primary = pickPrimary(tokens, namedProvinces.length > 0 ? namedProvinces : known, newToOld, submit)!;
  let refs = uniqueRefs(primary.entries);
  // Context of the same level cannot place it; a coarser one already narrowed it. Now the reading:
  const group = chooseGroup(refs, primary, newToOld);
  refs = refs.filter((r) => groupOf(r.ref) === group);
  if (group === 'province') {
    const provinces = new Set(refs.map((r) => (r.ref.kind === 'old_province' ? r.ref.unit.now : r.ref.unit)));
    if (provinces.size === 1) {
      const asked = refs.find((r) => r.ref.kind === 'old_province' && !r.alias) ?? refs.find((r) => !r.alias) ?? refs[0];
      const preferNew = refs.find((r) => r.ref.kind === 'new_province' && !r.alias);
      const chosen = primary.marker === 'old' || !preferNew ? asked : preferNew;
      return { ...base, contextMismatch, primary, kind: submit ? 'where_to_submit' : 'province', reading: readingOf(chosen.ref, units, index) };
    }
  }
  const plain = refs.map((r) => r.ref);
  if (plain.length === 1 || sameOutcome(plain)) {
    const kind: PlaceKind = submit ? 'where_to_submit'
      : group === 'old_commune' ? 'old_to_new' : group === 'new_commune' ? 'new_to_old' : group === 'old_district' ? 'district' : 'province';
    return { ...base, contextMismatch, primary, kind, reading: readingOf(plain[0], units, index) };
  }
  return { ...base, contextMismatch, primary, kind: 'ambiguous', candidates: plain.map((r) => readingOf(r, units, index)) };
}

