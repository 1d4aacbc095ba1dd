import {
  COMMUNE_WORDS, DISTRICT_WORDS, NAME_STOP_WORDS, WORD_PAIRS, NEW_BEFORE, NEW_MARKERS, NOT_A_NAME_AFTER_TYPE, NOT_A_NAME_START,
  NOT_A_TYPE_AFTER, NOT_NEW_AFTER_MOI, NOT_OLD_AFTER_CU, OLD_BEFORE, OLD_MARKERS, SUB_COMMUNE_FOLDED_OK, SUB_COMMUNE_WORDS, TYPE_WORDS,
  type TypeWord,
} from './lexicon.js';
import type { NameEntry, NameIndex } from './name-index.js';
import { ROMAN, toneKey, tokenKey, type UnitType } from './names.js';
import { endsBefore, longestAt, phrase, phraseEndsBefore, phrases, wordSet, type Phrase } from './phrases.js';
import { related } from './refs.js';
import type { Token } from './tokens.js';

// Finds the spans of a message that name administrative units: an optional unit-type word ("xã", "P.", "q"),
// then the longest run of words that is a known name. Hamlets and streets ("thôn Bình An", "đường Quang Trung")
// are set aside so their names are not taken for communes. Trust is decided afterwards (trust.ts).

export interface TypeMatch {
  type: UnitType; from: number; to: number; abbreviation: boolean; folded: boolean;
  /** A full word, or an abbreviation with its dot ("x.", "P."): a name after it is meant as a unit name. */
  deliberate: boolean;
}

export interface RawMention {
  from: number;
  to: number;
  nameFrom: number;
  typeWord: TypeMatch | null;
  /** Units the words name, best-fitting type first tier only; empty for an unknown name. */
  entries: NameEntry[];
  /** 1: the type word fits; 2: same level, other type (xã for a phường); 3: another level. */
  tier: number;
  /** When the type word fits some units (tier 1): the units of the same name and level but another type, in case the
   * citizen used the type the unit had before ("xã An Phú, Thuận An" became a ward in 2011). */
  otherType: NameEntry[];
  /** The units of the same name and type read from words typed plain as the marks they lack ("xã vinh xuan": Vĩnh
   * Xuân beside Vinh Xuân), in case the place given after it holds one of them and none of `entries`. */
  otherSpelling: NameEntry[];
  /** Words typed with diacritics that differ from the name's. */
  mismatches: number;
  marker: 'old' | 'new' | null;
  /** A unit-type word followed by a name that does not exist (as typed, or at that level). */
  unknown: boolean;
  /** For an unknown name: units of that exact name at another level ("tỉnh Sa Pa" -> thị xã Sa Pa). */
  near: NameEntry[];
  trusted: boolean;
}

export interface SubCommunePlace { from: number; to: number; nameFrom: number }

const TYPE_PHRASES = TYPE_WORDS.map((t) => ({ word: t, p: phrase(t.words.join(' ')) })).sort((a, b) => b.p.keys.length - a.p.keys.length);
const SUB_PHRASES = phrases(SUB_COMMUNE_WORDS);
const OLD_AFTER = phrases(OLD_MARKERS);
const NEW_AFTER = phrases(NEW_MARKERS);
const OLD_BEFORE_P = phrases(OLD_BEFORE);
const NEW_BEFORE_P = phrases(NEW_BEFORE);
const STOP = wordSet(NAME_STOP_WORDS);
const NOT_START = wordSet([...NOT_A_NAME_START, ...NOT_A_NAME_AFTER_TYPE]);
const AFTER_TYPE_WORD = wordSet(NOT_A_NAME_AFTER_TYPE);
const COMPOUNDS = NOT_A_TYPE_AFTER.map((c) => ({ type: c.type, before: phrase(c.before.join(' ')) }));
const PAIRS = new Set(WORD_PAIRS.map((p) => p.split(' ').map(tokenKey).join(' ')));
/** The word at `i` ends a pair of words that belong together ("đăng ký"): no name starts there, nor ends before it. */
const endsPair = (tokens: Token[], i: number) => i > 0 && i < tokens.length && !tokens[i].breakBefore && PAIRS.has(`${tokens[i - 1].key} ${tokens[i].key}`);

/** The unit-type word that ends right before `i` ("… phường Sa Đéc": phường), the longest one. */
export function typeEndingAt(tokens: Token[], i: number): UnitType | null {
  return TYPE_PHRASES.find(({ p }) => phraseEndsBefore(tokens, i, p))?.word.type ?? null;
}

function typeAt(tokens: Token[], i: number): TypeMatch | null {
  for (const { word, p } of TYPE_PHRASES) {
    if (!matchesType(tokens, i, word, p)) continue;
    const to = i + p.keys.length;
    if (word.needsDotOrNumber && !tokens[i].dotAfter && !/^\d+$/.test(tokens[to]?.key ?? '')) continue;
    if (to >= tokens.length || (tokens[to].breakBefore && !tokens[to - 1].dotAfter)) continue;
    const deliberate = !word.abbreviation || tokens[to - 1].dotAfter;
    return { type: word.type, from: i, to, abbreviation: word.abbreviation, folded: !tokens.slice(i, to).some((t) => t.marked), deliberate };
  }
  return null;
}

function matchesType(tokens: Token[], i: number, word: TypeWord, p: Phrase): boolean {
  if (i + p.keys.length > tokens.length) return false;
  for (let k = 0; k < p.keys.length; k++) {
    const t = tokens[i + k];
    if (k > 0 && t.breakBefore) return false;
    // "phương", "xa", "quan" typed with other diacritics are other words.
    if (t.key !== p.keys[k] || (t.marked && t.tone !== p.tones[k])) return false;
  }
  // "địa phương" typed without diacritics is not a ward, nor is the "xã" of "hợp tác xã" a commune.
  return !COMPOUNDS.some((c) => c.type === word.type && phraseEndsBefore(tokens, i, c.before));
}

function tierOf(type: UnitType | null, e: NameEntry): number {
  if (!type) return 1;
  const kind = e.ref.kind;
  const commune = kind === 'old_commune' || kind === 'new_commune';
  if (COMMUNE_WORDS.has(type)) {
    if (commune) return e.type === type ? 1 : 2;
    return kind === 'old_district' && type === 'đặc khu' && e.ref.unit.wholeTo ? 2 : 3;
  }
  if (DISTRICT_WORDS.has(type)) return kind === 'old_district' ? (e.type === type ? 1 : 2) : 3;
  if (type === 'thành phố') {
    if (kind === 'old_district' || kind === 'old_province' || kind === 'new_province') return e.type === 'thành phố' ? 1 : 2;
    return 3;
  }
  // tỉnh
  if (kind === 'old_province' || kind === 'new_province') return e.type === 'tỉnh' ? 1 : 2;
  return 3;
}

/** Words typed with diacritics that differ from the name's; `strict` also counts words typed without any. */
function mismatchesOf(tokens: Token[], from: number, e: NameEntry, strict: boolean): number {
  let n = 0;
  for (let k = 0; k < e.tones.length; k++) {
    const t = tokens[from + k];
    if ((t.marked || strict) && t.tone !== e.tones[k]) n++;
  }
  return n;
}

interface FoundName { to: number; tier: number; mismatches: number; entries: NameEntry[]; otherType: NameEntry[]; otherSpelling: NameEntry[] }

/**
 * The longest known name starting at `from`, keeping the entries that fit the type word best and, among them,
 * the spelling typed. Someone who typed "Xã Tam Thanh" with diacritics means Thanh, not Thành or Thạnh.
 */
function nameAt(tokens: Token[], from: number, index: NameIndex, type: UnitType | null, windowFrom = from): FoundName | null {
  // The keys of the word runs from `from` that may be names: no punctuation inside (a name never spans a break),
  // each the start of some name; shortest first.
  const keys: string[] = [];
  const dashed: boolean[] = [];
  for (let k = from; k < tokens.length && keys.length < index.maxWords && (k === from || !tokens[k].breakBefore); k++) {
    const key = k === from ? tokens[k].key : `${keys[keys.length - 1]} ${tokens[k].key}`;
    if (!index.starts.has(key)) break;
    keys.push(key);
    dashed.push(k > from && (tokens[k].dashBefore || dashed[dashed.length - 1]));
  }
  let fallback: FoundName | null = null;
  for (let len = keys.length; len >= 1; len--) {
    const key = keys[len - 1];
    if (dashed[len - 1] && !index.dashed.has(key)) continue;
    const entries = index.byKey.get(key);
    if (!entries) continue;
    const usable = type ? entries : entries.filter((e) => !e.numeric);
    if (usable.length === 0) continue;
    const tier = Math.min(...usable.map((e) => tierOf(type, e)));
    const strict = tokens.slice(windowFrom, from + len).some((t) => t.marked);
    const scored = usable.filter((e) => tierOf(type, e) === tier)
      .map((e) => ({ e, m: mismatchesOf(tokens, from, e, false), s: mismatchesOf(tokens, from, e, strict) }));
    const best = Math.min(...scored.map((x) => x.m * 100 + x.s));
    const kept = scored.filter((x) => x.m * 100 + x.s === best);
    const otherType = tier === 1 ? usable.filter((e) => tierOf(type, e) === 2 && mismatchesOf(tokens, from, e, false) === kept[0].m) : [];
    const otherSpelling = strict ? scored.filter((x) => x.m === kept[0].m && x.m * 100 + x.s !== best).map((x) => x.e) : [];
    const found = { to: from + len, tier, mismatches: kept[0].m, entries: kept.map((x) => x.e), otherType, otherSpelling };
    if (found.mismatches === 0) {
      if (fallback && fallback.tier < found.tier) return fallback;
      // "phường An Phú Thuận An": the ward An Phú of Thuận An, not the commune An Phú Thuận. A longer name of another
      // type gives way to a shorter one of the type typed when a known name follows the shorter one.
      if (found.tier > 1 && len > 1) {
        const shorter = nameAt(tokens.slice(0, from + len - 1), from, index, type, windowFrom);
        if (shorter && shorter.tier === 1 && shorter.mismatches === 0 && nameAt(tokens, shorter.to, index, null)) return shorter;
      }
      return found;
    }
    // "Tân Phú Đồng Xoài" is Tân Phú + Đồng Xoài, not Tân Phú Đông: a shorter name spelled as typed wins.
    fallback ??= found;
  }
  return fallback;
}

function markerAround(tokens: Token[], from: number, to: number): 'old' | 'new' | null {
  const old = longestAt(tokens, to, OLD_AFTER);
  if (old && !tokens[to].breakBefore) {
    if (!(old.keys[0] === 'cu' && NOT_OLD_AFTER_CU.has(tokens[to + 1]?.key ?? ''))) return 'old';
  }
  const fresh = longestAt(tokens, to, NEW_AFTER);
  if (fresh && !tokens[to].breakBefore && (fresh.keys.length > 1 || !NOT_NEW_AFTER_MOI.has(tokens[to + 1]?.key ?? ''))) return 'new';
  if (endsBefore(tokens, from, OLD_BEFORE_P)) return 'old';
  if (endsBefore(tokens, from, NEW_BEFORE_P)) return 'new';
  return null;
}

/** "giờ là xã Y", "nhập vào xã Y": the name is introduced as what a unit became, not as the unit asked about. */
export function introducedAsNew(tokens: Token[], m: RawMention): boolean {
  return endsBefore(tokens, m.from, NEW_BEFORE_P) !== undefined;
}

function isStop(t: Token): boolean {
  return STOP.has(t);
}

/** Words after a type word that look like a name nobody knows: up to four, until a break or an ordinary word. */
function unknownNameEnd(tokens: Token[], from: number, index?: NameIndex): number {
  if (from >= tokens.length || (NOT_START.has(tokens[from]) && !(tokens[from].upper && from > 0))) return from;
  let to = from;
  // The first word may be one that is ordinary elsewhere ("hồ" of "hồ sơ"), or one that names a hamlet elsewhere ("xã Bản
  // Giốc"): the type word before it says it is a name.
  // A capitalised word after a capitalised one goes on with the name even if it is ordinary elsewhere ("Gò Sao": "sao"),
  // unless a known name of two words or more starts there ("Ea Pok Nam Cu M'gar": Cư M'gar).
  const knownFrom = (k: number) => { const f = index ? nameAt(tokens, k, index, null) : null; return f !== null && f.to - k >= 2; };
  const stops = (k: number) => isStop(tokens[k]) && !(tokens[k].upper && tokens[k - 1].upper && !knownFrom(k));
  while (to < tokens.length && to - from < 4 && (to === from || !(tokens[to].breakBefore || tokens[to].dashBefore)) && (to === from || !stops(to))
    && !typeAt(tokens, to) && (to === from || !longestAt(tokens, to, SUB_PHRASES))) to++;
  return to;
}

function subCommuneAt(tokens: Token[], i: number): SubCommunePlace | null {
  const p = longestAt(tokens, i, SUB_PHRASES);
  if (!p) return null;
  const folded = !tokens.slice(i, i + p.keys.length).some((t) => t.marked);
  if (folded && !SUB_COMMUNE_FOLDED_OK.has(p.keys.join(' '))) return null;
  let to = i + p.keys.length;
  // "thôn 3", "tổ 12", "ấp 2A": the number is the name. Otherwise up to three words.
  const nameFrom = to;
  if (/^\d/.test(tokens[to]?.key ?? '') && !tokens[to].breakBefore) return { from: i, to: to + 1, nameFrom };
  while (to < tokens.length && to - i < p.keys.length + 3 && !tokens[to].breakBefore && !tokens[to].dashBefore && !typeAt(tokens, to)
    && !isStop(tokens[to])) to++;
  return { from: i, to, nameFrom };
}

/**
 * A one-letter abbreviation without its dot ("p thảo điền", "q hoàn kiếm"), trusted before a two-word name only, or
 * before two capitalised words that name no unit.
 */
function softTypeAt(tokens: Token[], i: number, index: NameIndex): TypeMatch | null {
  const word = TYPE_WORDS.find((t) => t.needsDotOrNumber && t.words.length === 1 && t.words[0] === tokens[i].lower);
  if (!word || i + 1 >= tokens.length || tokens[i + 1].breakBefore) return null;
  const found = nameAt(tokens, i + 1, index, word.type);
  const soft = { type: word.type, from: i, to: i + 1, abbreviation: true, folded: true, deliberate: false };
  // "p Gò Sao cũ": two capitalised words no unit bears still introduce a name (one nobody knows).
  const capitalised = tokens[i + 1].upper && tokens[i + 2]?.upper === true && !tokens[i + 2].breakBefore;
  if (!found || found.to - (i + 1) < 2) return capitalised && !found ? soft : null;
  return found.tier !== 1 || found.mismatches > 0 ? null : soft;
}

/**
 * "Hòa Thắng ở Buôn Ma Thuột": a hamlet word ("buôn", "bản", "làng") that starts the known name of a district, a town
 * or a new commune starts that name, not a hamlet.
 */
function namesTown(tokens: Token[], i: number, index: NameIndex): boolean {
  const found = nameAt(tokens, i, index, null);
  return found !== null && found.to - i >= 2 && found.tier === 1 && found.mismatches === 0
    && found.entries.some((e) => e.ref.kind === 'old_district' || e.ref.kind === 'new_commune');
}

/** Whether the words after a found name go on as part of a longer, unknown name ("huyện Thanh Sơn Lâm"). */
function nameGoesOn(tokens: Token[], to: number, index: NameIndex, found: NameEntry[]): boolean {
  const t = tokens[to];
  if (!t || t.breakBefore || t.key.length < 2 || /\d/.test(t.key) || isStop(t)) return false;
  // "huyện Hồng Dân BL cũ", "h.Mù Cang Chải YB": letters in capitals are an abbreviation (a province's initials), not more
  // of the name (a Roman numeral may be).
  if (t.key.length <= 3 && t.upper && (!/[aeiouy]/.test(t.key) || (t.caps && t.key.length > 1 && !ROMAN[t.key]))) return false;
  if (typeAt(tokens, to) || longestAt(tokens, to, SUB_PHRASES) || longestAt(tokens, to, OLD_AFTER) || longestAt(tokens, to, NEW_AFTER)) return false;
  // A known name next is context ("phường Hoa Lư Pleiku"), unless it is one word that has nothing to do with the
  // first name (most one-word names are ordinary words too).
  const next = nameAt(tokens, to, index, null);
  if (!next) return true;
  if (next.to - to > 1) return false;
  return !next.entries.some((e) => e.alias || e.ref.kind === 'new_province' || e.ref.kind === 'old_province'
    || found.some((f) => related(f.ref, e.ref)));
}

/** The longest shorter name of the type typed at the same place that names an old unit ("Đặc khu Côn Đảo cũ" has none). */
function oldPrefix(tokens: Token[], type: TypeMatch, to: number, index: NameIndex) {
  for (let end = to - 1; end > type.to; end--) {
    const shorter = nameAt(tokens.slice(0, end), type.to, index, type.type);
    if (shorter && shorter.tier === 1 && shorter.entries.some((e) => e.ref.kind.startsWith('old'))) return shorter;
  }
  return null;
}

/** Ward numbers said in words: "hai" as typed either way, the others with their diacritics (see romanAsNumber). */
const NUMBER_WORDS: Record<string, string> = { hai: '2', 'bốn': '4', 'sáu': '6', 'bảy': '7', 'tám': '8', 'chín': '9', 'mười': '10' };

/**
 * "phường IV", "phuong iv", "phường V": a Roman numeral right after a unit-type word is the unit's number (names store
 * "IV" as 4), when no name written that way fits ("huyện Vị Xuyên" typed "huyen vi xuyen").
 */
function romanAsNumber(tokens: Token[], at: number): Token[] {
  const t = tokens[at];
  // One letter only in capitals: "phuong v ad" is "phường vậy ad". "phường hai", "phường bảy" (with its diacritics: not
  // "ba", "một", "năm", which are also a father, "one" and a year).
  const digits = !t ? undefined : t.marked ? NUMBER_WORDS[t.lower] : t.key.length > 1 || t.upper ? ROMAN[t.key] ?? NUMBER_WORDS[t.key] : undefined;
  if (!digits) return tokens;
  const copy = tokens.slice();
  copy[at] = { ...t, lower: digits, key: tokenKey(digits), tone: toneKey(digits) };
  return copy;
}

/** The name after a type word, or the unit numbered by a Roman numeral there when no name written that way fits as well. */
function nameAfter(tokens: Token[], type: TypeMatch, index: NameIndex, i: number): FoundName | null {
  const found = nameAt(tokens, type.to, index, type.type, i);
  if (found?.tier === 1) return found;
  const roman = romanAsNumber(tokens, type.to);
  const numbered = roman === tokens ? null : nameAt(roman, type.to, index, type.type, i);
  return numbered && (!found || numbered.tier < found.tier) ? numbered : found;
}

/**
 * "ban Huoi Dao xa Nam Cha": a name read without a type word that ends in a word that is also a type word ("Đạo Xá")
 * gives way when that word, read as the type word, introduces a longer known name of its level ("xã Nậm Chà").
 */
function shortenBeforeType(tokens: Token[], from: number, found: FoundName | null, index: NameIndex): FoundName | null {
  if (!found) return null;
  for (let j = from + 1; j < found.to; j++) {
    const type = typeAt(tokens, j);
    if (!type || !type.folded || type.abbreviation) continue;
    const after = nameAt(tokens, type.to, index, type.type);
    if (after && after.tier === 1 && after.mismatches === 0 && after.to > found.to) return nameAt(tokens.slice(0, j), from, index, null);
  }
  return found;
}

/**
 * "Phu Xuan Tan Phu Dong Nai": a bare name ("Tân Phú Đông") whose last words start a longer known name ("Đồng Nai")
 * gives way to the shorter one it starts with ("Tân Phú"), when each of the two has two words at least and the word
 * after the bare name starts none: every word is then read as part of a name, and none is left over ("Nai").
 */
function shortenBeforeOverlap(tokens: Token[], from: number, found: FoundName | null, index: NameIndex): FoundName | null {
  // Only when a word would be left over: "Đại Hòa Lộc Bình Đại" reads on as "Bình Đại".
  if (!found || found.to >= tokens.length || tokens[found.to].breakBefore || nameAt(tokens, found.to, index, null)) return found;
  for (let j = from + 2; j < found.to; j++) {
    const after = nameAt(tokens, j, index, null);
    if (!after || after.to <= found.to || after.to - j < 2 || after.tier !== 1 || after.mismatches > 0) continue;
    const shorter = nameAt(tokens.slice(0, j), from, index, null);
    if (shorter && shorter.to === j) return shorter;
  }
  return found;
}

/** The folded words of a mention's name ("binh trieu"), as the name index keys them. */
export const mentionKey = (tokens: Token[], m: Pick<RawMention, 'nameFrom' | 'to'>): string =>
  tokens.slice(m.nameFrom, m.to).map((t) => t.key).join(' ');

/** A name found without a type word (or a province by its initials), from `i`. */
const bareAt = (i: number, found: FoundName, tokens: Token[]): RawMention =>
  ({ from: i, to: found.to, nameFrom: i, typeWord: null, entries: found.entries, tier: found.tier, otherType: [], otherSpelling: found.otherSpelling, mismatches: found.mismatches,
    marker: markerAround(tokens, i, found.to), unknown: false, near: [], trusted: false });

const unknownAt = (i: number, type: TypeMatch, to: number, tokens: Token[], near: NameEntry[] = []): RawMention =>
  ({ from: i, to, nameFrom: type.to, typeWord: type, entries: [], tier: 0, otherType: [], otherSpelling: [], mismatches: 0, marker: markerAround(tokens, i, to),
    unknown: true, near, trusted: false });

export function scanMentions(tokens: Token[], index: NameIndex): { mentions: RawMention[]; subCommunes: SubCommunePlace[] } {
  const mentions: RawMention[] = [];
  const subCommunes: SubCommunePlace[] = [];
  // In a message typed with diacritics, a type word spelt out without them ("làm ăn xa 10 năm") is most likely another
  // word: it still introduces a name the index knows, but no unknown one.
  const words = tokens.filter((t) => /\p{L}/u.test(t.lower));
  const typedMarked = words.length >= 4 && words.filter((t) => t.marked).length * 2 >= words.length;
  let i = 0;
  while (i < tokens.length) {
    const typed = typeAt(tokens, i);
    const otherWord = typed !== null && typed.folded && !typed.abbreviation && typedMarked;
    const type = otherWord ? { ...typed, deliberate: false } : typed ?? softTypeAt(tokens, i, index);
    if (type) {
      let found = nameAfter(tokens, type, index, i);
      if (found && markerAround(tokens, i, found.to) === 'old' && !found.entries.some((e) => e.ref.kind.startsWith('old'))) {
        // "Phường 2 Bảo Lộc cũ": the new ward is named after the city; the citizen means the old Phường 2 of Bảo Lộc.
        found = oldPrefix(tokens, type, found.to, index) ?? found;
      }
      // A number names units of its type word's level only: "quận 2" is not "phường 2"; nor after "xa" that is likely
      // "far" ("làm ăn xa 10 năm": "phuong 10" in the same kind of message is still a ward).
      if ((found?.tier === 3 || (otherWord && type.type === 'xã')) && found?.entries.every((e) => e.numeric)) found = null;
      // "x Long My Thuan Tay": capitalised words going on after a capitalised known name make it a longer name, whatever
      // the type word.
      const capitalisedOn = found !== null && tokens[type.to]?.upper === true && tokens[found.to]?.upper === true;
      const goesOn = found !== null && (type.deliberate || capitalisedOn) && nameGoesOn(tokens, found.to, index, found.entries);
      if (found && (found.tier < 3 || type.folded) && !goesOn) {
        mentions.push({ from: i, to: found.to, nameFrom: type.to, typeWord: type, entries: found.entries, tier: found.tier, otherType: found.otherType,
          otherSpelling: found.otherSpelling, mismatches: found.mismatches, marker: markerAround(tokens, i, found.to), unknown: false, near: [], trusted: false });
        i = found.to;
        continue;
      }
      // "Q.Bình", "H.Tĩnh": no unit of the type so named, but a province by its initial.
      const initialed = type.abbreviation ? nameAt(tokens, i, index, null) : null;
      if (initialed && initialed.to > type.to && initialed.entries.every((e) => e.alias)) {
        mentions.push(bareAt(i, initialed, tokens));
        i = initialed.to;
        continue;
      }
      // "tt Bến Mơ": an abbreviation without its dot still introduces a name when the name is capitalised. "p20 q10",
      // "Phường 23 quận Bình Thạnh": a ward numbered as none is, is a ward nobody knows (communes have no numbers).
      const numbered = type.type === 'phường' && /^\d{1,2}$/.test(tokens[type.to]?.key ?? '') && !tokens[type.to].breakBefore;
      const named = type.deliberate || (type.abbreviation && tokens[type.to]?.upper === true);
      const end = numbered ? type.to + 1 : named ? unknownNameEnd(tokens, type.to, index) : type.to;
      if (end > type.to && (numbered || tokens.slice(type.to, end).some((t) => t.key.length >= 2 && !/^\d+$/.test(t.key)))) {
        mentions.push(unknownAt(i, { ...type, deliberate: true }, end, tokens, found && found.tier === 3 ? found.entries : []));
        i = end;
        continue;
      }
      // "phuong tien thuy" is "phương tiện thủy": the ordinary word after the type word starts no name either.
      i = type.to + (type.folded && tokens[type.to] && AFTER_TYPE_WORD.has(tokens[type.to]) ? 1 : 0);
      continue;
    }
    const hamlet = subCommuneAt(tokens, i);
    const sub = hamlet && !namesTown(tokens, i, index) ? hamlet : null;
    if (sub) {
      // "khu phố" with no name after it is skipped all the same: "phố" does not start a commune name ("phố Cò").
      if (sub.to > sub.nameFrom) subCommunes.push(sub);
      i = sub.to;
      continue;
    }
    // Nor does one end inside a pair: "cần đăng ký" is not xã Cần Đăng + "ký".
    const bare = endsPair(tokens, i) ? null : shortenBeforeOverlap(tokens, i, shortenBeforeType(tokens, i, nameAt(tokens, i, index, null), index), index);
    const found = bare && endsPair(tokens, bare.to) ? null : bare;
    // "ở Điện Biên" is not Ô Diên + "Biên": a name spelt otherwise than typed gives way to one spelt as typed next.
    const spelt = (f: FoundName | null) => f !== null && f.mismatches === 0;
    if (found && !spelt(found) && spelt(nameAt(tokens, i + 1, index, null))) {
      i++;
      continue;
    }
    if (found) {
      mentions.push(bareAt(i, found, tokens));
      i = found.to;
      continue;
    }
    i++;
  }
  return { mentions, subCommunes };
}
