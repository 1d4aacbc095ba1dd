import { ADJACENT_AFTER_ONLY, ADJACENT_CUES, BECAME_CUES, NEW_TO_OLD_CUES, NOT_A_PLACE_AFTER, NOT_A_PLACE_BEFORE, PLACE_CUES } from './lexicon.js';
import type { NameIndex } from './name-index.js';
import { endsBefore, findAll, phrases, type Phrase } from './phrases.js';
import { levelRank, related, relationStrength } from './refs.js';
import { mentionKey, type RawMention } from './scan.js';
import type { Token } from './tokens.js';

// Which found names to believe. Many communes are named with ordinary words ("Hợp Đồng", "Trung Tâm", "Tân Phú"),
// so a name alone proves nothing: it needs a unit-type word, "cũ"/"mới", a question about places, or a trusted
// place next to it that it belongs to ("phường 5 Vũng Tàu", "xã Bình Triều, Thăng Bình").

const CUES = phrases(PLACE_CUES);
const GEO_CUES = phrases([...PLACE_CUES, ...NEW_TO_OLD_CUES]);
const NEAR_CUES = phrases([...PLACE_CUES, ...NEW_TO_OLD_CUES, ...ADJACENT_CUES]);
const BECAME = phrases(BECAME_CUES);
const NAMED_BEFORE = phrases(NOT_A_PLACE_BEFORE);
const STREET_OR_FAMILY = phrases(NOT_A_PLACE_AFTER);
const AFTER_ONLY = new Set(ADJACENT_AFTER_ONLY);
/** How many words from a name typed without diacritics a question about places may be (cueWithin). */
const CUE_REACH = 6;
const CONNECTORS = new Set(['thuoc', 'cua', 'o', 'tai', 've', 'ben', 'duoi', 'tren']); // "xã X dưới Bạc Liêu", "trên Đà Lạt"
const FUNCTION_WORD_NAMES = new Set(['co bi', 'la gi']);

export interface TrustOptions {
  /** The bot has just asked for a place: a bare name is an answer, not an ordinary word. */
  expectPlace?: boolean;
}

/**
 * Words before a cue that make it a time, not "now": "tháng nay", "năm nay" ("nay là xã nào" asks about a place), "mấy
 * giờ" ("chợ Bến Thành mấy giờ đóng cửa").
 */
const TIME_BEFORE = new Map<string, ReadonlySet<string>>([
  ['nay', new Set(['thang', 'nam', 'hom', 'bua', 'tuan', 'sang', 'chieu', 'toi', 'ngay', 'dao', 'gan'])],
  ['gio', new Set(['may'])],
]);
/** The cues of `list` in the message, but those after a word of time. */
function cuesIn(tokens: Token[], list: Phrase[]) {
  return findAll(tokens, list).filter((c) => !TIME_BEFORE.get(c.phrase.keys[0])?.has(tokens[c.from - 1]?.key ?? ''));
}

export function hasPlaceCue(tokens: Token[]): boolean {
  return cuesIn(tokens, CUES).length > 0;
}

/**
 * One of `mentions` with "what became of it" right after it ("huyện Châu Thành Tiền Giang giờ ra sao"); `cues`: the
 * message's BECAME cues, when already found.
 */
export function asksWhatBecame(tokens: Token[], mentions: RawMention[], cues = findAll(tokens, BECAME)): boolean {
  return cues.some((c) => mentions.some((m) => c.from === m.to && !tokens[c.from].breakBefore));
}

/** A name's first word capitalised inside a sentence (not its first word), a later one not: "Binh An co". */
function partlyCapitalised(tokens: Token[], m: RawMention): boolean {
  const first = tokens[m.nameFrom];
  if (!first.upper || m.nameFrom === 0 || first.breakBefore || tokens[m.nameFrom - 1].dotAfter) return false;
  // "Cư M'gar": a word after a lone letter is the rest of one word split at its apostrophe.
  for (let k = m.nameFrom + 1; k < m.to; k++) if (!tokens[k].upper && tokens[k - 1].lower.length > 1) return true;
  return false;
}

function isNumericName(m: RawMention): boolean {
  return m.entries.length > 0 && m.entries.every((e) => e.numeric);
}

export function decideTrust(tokens: Token[], mentions: RawMention[], index: NameIndex, opts: TrustOptions = {}): void {
  const cues = cuesIn(tokens, CUES);
  const anyCue = cues.length > 0 || !!opts.expectPlace;
  // A name typed without diacritics is often ordinary words ("bán qua Lào", "bắt ngoài tự nhiên"): a question about
  // places elsewhere in a long message does not make it one; it needs the question within a few words.
  const cueWithin = (m: RawMention) => !!opts.expectPlace || cues.some((c) => c.from < m.to + CUE_REACH && c.to > m.from - CUE_REACH);
  const capitalised = (m: RawMention) => m.to - m.nameFrom >= 2 && tokens.slice(m.nameFrom, m.to).every((t) => t.upper);
  const typedPlain = (m: RawMention) => !tokens.slice(m.nameFrom, m.to).some((t) => t.marked);
  const near = cuesIn(tokens, NEAR_CUES);
  const geo = cuesIn(tokens, GEO_CUES);
  const became = findAll(tokens, BECAME);
  const touches = (m: RawMention) => (c: { from: number; to: number; phrase: Phrase }) =>
    (c.from >= m.to && c.from <= m.to + 1 && !tokens[c.from].breakBefore) || (c.to === m.from && !tokens[m.from].breakBefore && !AFTER_ONLY.has(c.phrase.text));
  const cueNextTo = (m: RawMention) => near.some(touches(m));
  // Ordinary-word names need a question about places right next to them, not just "giờ" ("hôm thứ ba giờ ra sao").
  const geoCueNextTo = (m: RawMention) => geo.some(touches(m));
  // "xa Tan Tien huyen Cu Kuin Dak Lak gio la xa nao": a cue right after the address a name starts is next to it too.
  const following = (m: RawMention) => mentions.find((n) => n.from >= m.to && !n.unknown && (!!n.typeWord || n.to - n.nameFrom >= 2)
    && adjacent(tokens, m, n));
  const chainEnd = (m: RawMention) => { let end = m; for (let n = following(end); n; n = following(end)) end = n; return end; };
  for (const m of mentions) {
    if (m.unknown) continue;
    const words = m.to - m.nameFrom;
    const key = mentionKey(tokens, m);
    const common = index.common.has(key) || m.entries.every((e) => e.weak);
    if (m.typeWord) {
      const t = m.typeWord;
      // "quận 1", "tp vt", "tp hcm": a number or a nickname right after its unit-type word.
      if (isNumericName(m) || m.entries.every((e) => e.alias)) m.trusted = true;
      else if (m.tier === 3 && t.folded) m.trusted = false;
      // Typed without diacritics, "phuong la gi" may be "phương là gì": an ordinary-word name needs more.
      // "h Vĩnh Thạnh h ra sao": what became of it, right after a typed unit, is a question about places too.
      // "p.tân định": an abbreviation with its dot before a name typed with its diacritics is deliberate too.
      // "tt Tân Châu", "tt Tan Chau": a name capitalised word by word after an abbreviation is deliberate too.
      else if (t.folded && common && !(t.abbreviation && ((t.deliberate && tokens[m.nameFrom].marked) || capitalised(m)))) m.trusted = m.mismatches === 0 && (!!m.marker || geoCueNextTo(m) || geoCueNextTo(chainEnd(m)) || asksWhatBecame(tokens, [m], became) || !!opts.expectPlace);
      else if (words >= 2) m.trusted = m.mismatches < words;
      else m.trusted = m.mismatches === 0 && (!t.folded && tokens[m.nameFrom].marked || !!m.marker || cueNextTo(m) || !!opts.expectPlace);
      continue;
    }
    if (m.mismatches > 0 || endsBefore(tokens, m.from, NAMED_BEFORE)) continue;
    if (endsBefore(tokens, m.from, STREET_OR_FAMILY) && !mentions.some((n) => n.from < m.from && n.to === m.from && !n.unknown)) continue;
    // Typed without diacritics and without a type word, "co bi" is "có bị" (xã Cổ Bi): a phrase of function words,
    // whatever place question is next to it ("tỉnh Cao Bằng sau 1/7 có bị sáp nhập không").
    if (FUNCTION_WORD_NAMES.has(key) && typedPlain(m)) continue;
    // "muốn đổi tên thành Thanh Binh An co được không": typed without diacritics, a capital inside a sentence on a name's
    // first word only ends another name (a person's), and "co" is "có".
    if (typedPlain(m) && partlyCapitalised(tokens, m)) continue;
    // A one-word name alone is an ordinary word ("hồ", "chợ") unless it is a province ("Huế").
    if (words === 1 && !m.entries.some((e) => e.ref.kind === 'new_province' || e.ref.kind === 'old_province')) {
      m.trusted = !!opts.expectPlace;
      continue;
    }
    m.trusted = common ? !!m.marker || geoCueNextTo(m) || !!opts.expectPlace : (typedPlain(m) ? cueWithin(m) : anyCue) || !!m.marker || cueNextTo(m);
  }
  trustAddresses(tokens, mentions);
  propagateAlongChains(tokens, mentions);
}

/**
 * "phuong Tran Phu Mong Cai", "Pà Cò Mai Châu", "Doan Ha, Thanh Thuy": a name right before a place of two words or more
 * that holds it is an address, however ordinary its words (the name has two words, or a type word before it).
 */
function trustAddresses(tokens: Token[], mentions: RawMention[]): void {
  const usable = (m: RawMention) => !m.unknown && m.mismatches === 0 && !FUNCTION_WORD_NAMES.has(mentionKey(tokens, m));
  for (const a of mentions) {
    for (const b of mentions) {
      if (a === b || a.to > b.from || !usable(a) || !usable(b) || !adjacent(tokens, a, b)) continue;
      if ((a.to - a.nameFrom < 2 && !a.typeWord) || b.to - b.nameFrom < 2) continue;
      const holds = a.entries.some((x) => b.entries.some((y) => levelRank(y.ref) > levelRank(x.ref) && relationStrength(x.ref, y.ref) >= 1));
      if (holds) a.trusted = b.trusted = true;
    }
  }
}

/** Two places next to each other, or joined by "thuộc", "của", "ở" (an address chain). */
export function adjacent(tokens: Token[], a: RawMention, b: RawMention): boolean {
  const [first, second] = a.from < b.from ? [a, b] : [b, a];
  for (let k = first.to; k < second.from; k++) if (!CONNECTORS.has(tokens[k].key)) return false;
  return second.from - first.to <= 2;
}

/** An untrusted name right next to a trusted place it belongs to (under the type word given or another) is trusted too, and so on along the chain. */
function propagateAlongChains(tokens: Token[], mentions: RawMention[]): void {
  for (let changed = true; changed;) {
    changed = false;
    for (const m of mentions) {
      if (m.trusted || m.unknown || m.mismatches > 0) continue;
      // "Bac Giang voi Bac Ninh": one word typed without diacritics and without a type word is an ordinary word ("với",
      // not thị trấn Vôi), even next to a place that holds a unit of that name; a nickname is not ("p5 vt").
      if (!m.typeWord && m.to - m.nameFrom === 1 && !tokens[m.nameFrom].marked && !m.entries.some((e) => e.alias)) continue;
      const anchor = mentions.find((t) => t.trusted && !t.unknown && adjacent(tokens, t, m)
        && t.entries.some((a) => m.entries.some((b) => related(a.ref, b.ref)) || m.otherType.some((b) => related(a.ref, b.ref))));
      if (anchor) { m.trusted = true; changed = true; }
    }
  }
}
