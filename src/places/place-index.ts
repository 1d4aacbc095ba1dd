import type { PrismaClient } from '../generated/prisma/client.js';
import { readAdminDataFromDb } from './dataset/from-db.js';
import { ADMIN_DATASET_DIR, readAdminDataset } from './dataset/read-files.js';
import type { AdminData } from './dataset/schema.js';
import { inline, withProvince } from './format.js';
import { interpret, type ContextMismatch } from './interpret.js';
import { buildNameIndex, type NameIndex } from './name-index.js';
import { COMMUNE_WORDS } from './lexicon.js';
import { levelOf, relationStrength } from './refs.js';
import { mentionKey, scanMentions, type RawMention } from './scan.js';
import { closestNames, describeEntry } from './suggest.js';
import { tokenizeMessage, type Token } from './tokens.js';
import { adjacent, asksWhatBecame, decideTrust, hasPlaceCue, type TrustOptions } from './trust.js';
import type { PlaceMention, PlaceReading, PlaceResolution } from './types.js';
import { buildUnits, type PlaceUnits } from './units.js';

// The administrative map in memory, ready to answer "where is this place now?" for a citizen's message.
// Build it once (from the database at start-up, or from the shipped files in scripts) and share it.

export type ResolveOptions = TrustOptions;

const MAX_CHARS = 1000;

export class PlaceIndex {
  private constructor(readonly units: PlaceUnits, private readonly names: NameIndex) {}

  static fromData(data: AdminData): PlaceIndex {
    const units = buildUnits(data);
    return new PlaceIndex(units, buildNameIndex(units));
  }

  /** From the Admin* tables prepareDatabase loaded. */
  static async fromDatabase(prisma: PrismaClient): Promise<PlaceIndex> {
    return PlaceIndex.fromData(await readAdminDataFromDb(prisma));
  }

  /** From datasets/admin-units-2025 (scripts and tests without a database). */
  static fromFiles(dir = ADMIN_DATASET_DIR): PlaceIndex {
    return PlaceIndex.fromData(readAdminDataset(dir));
  }

  get version(): string { return this.units.version; }

  /** Finds the administrative units a message mentions and what they are (or were) since 1/7/2025. */
  resolve(text: string, opts: ResolveOptions = {}): PlaceResolution {
    const clipped = text.normalize('NFC').slice(0, MAX_CHARS);
    const tokens = tokenizeMessage(clipped);
    const { mentions, subCommunes } = scanMentions(tokens, this.names);
    decideTrust(tokens, mentions, this.names, opts);
    const trusted = mentions.filter((m) => m.trusted);
    const result = interpret(tokens, trusted, this.names, this.units);
    const unknown = result.primary ? undefined : mentions.find((m) => m.unknown && this.isNotFoundCandidate(tokens, m, opts, result.submit));
    const mismatch = result.contextMismatch;
    // "Phường 9 Bảo Lộc": a numbered ward of another city of the province is not the one meant (every city numbers its
    // wards), unlike a named commune given with another district of its province (answered, and said).
    const numberedElsewhere = mismatch?.level === 'weak' && result.kind !== 'ambiguous' && mismatch.finer.entries.every((e) => e.numeric);
    const unrelated = (mismatch?.level === 'unrelated' || numberedElsewhere) && mismatch?.finer === result.primary ? mismatch : null;
    const unknownIn = unrelated ? null : unknownWithin(tokens, mentions, result.primary, result.reading);
    const outside = unrelated ?? unknownIn?.mismatch ?? null;
    const span = (m: RawMention) => clipped.slice(tokens[m.from].start, tokens[m.to - 1].end);
    const sub = subCommunes[0];
    const asks = !!unknown || !!opts.expectPlace || trusted.some((m) => m.marker) || hasPlaceCue(tokens) || asksWhatBecame(tokens, trusted) || result.newToOld
      || result.countQuestion || result.noDistrictLevel || (result.submit && !!result.primary);
    const bareAddress = !asks && isBareAddress(tokens, trusted, subCommunes);
    const asksAboutPlace = asks || bareAddress;
    return {
      text,
      kind: unknown || outside ? 'not_found' : result.kind,
      asksAboutPlace: (!!result.primary || !!unknown || result.kind === 'where_to_submit') && asksAboutPlace,
      bareAddress: !!result.primary && bareAddress,
      submit: result.submit,
      noDistrictLevel: result.noDistrictLevel,
      countQuestion: result.countQuestion,
      mentions: [...trusted, ...(unknown ? [unknown] : [])].sort((a, b) => a.from - b.from)
        .map((m) => this.describeMention(clipped, tokens, m, m === result.primary)),
      reading: outside ? null : result.reading,
      candidates: outside ? [] : result.candidates,
      notFound: outside ? {
        name: clipped.slice(tokens[outside.finer.nameFrom].start, tokens[outside.finer.to - 1].end),
        typeWord: outside.finer.typeWord?.type ?? null,
        within: unknownIn?.within ?? span(outside.coarser),
        suggestions: unknownIn
          // Names close to the one typed, within the place it was given in (a typo, not a unit that never was).
          ? closestNames(this.names, mentionKey(tokens, outside.finer), outside.finer.typeWord?.type ?? null,
            [], 5, (e) => outside.coarser.entries.some((c) => relationStrength(c.ref, e.ref) >= 1))
          : [...new Set(outside.finer.entries.map((e) => e.ref.unit))].slice(0, 5)
            .map((u) => describeEntry(outside.finer.entries.find((e) => e.ref.unit === u)!)),
      } : unknown ? {
        name: clipped.slice(tokens[unknown.nameFrom].start, tokens[unknown.to - 1].end),
        typeWord: unknown.typeWord?.type ?? null,
        within: null,
        suggestions: closestNames(this.names, mentionKey(tokens, unknown), unknown.typeWord?.type ?? null, unknown.near),
      } : null,
      subCommune: sub ? clipped.slice(tokens[sub.from].start, tokens[sub.to - 1].end) : null,
      formerly: result.primary?.entries.find((e) => e.formerly)?.formerly ?? null,
      contextMismatch: mismatch?.level === 'weak' && mismatch.finer === result.primary ? span(mismatch.coarser) : null,
    };
  }

  /**
   * An unknown name is reported only after a full unit-type word, in a message about places, or in one asking where to
   * submit when the name is written as a name ("nhà em ở xã Hưng Mỹ Thượng, giờ nộp ở đâu"; not "phường bát âm của
   * các cụ ... liên hệ ai", nor a sentence's first word after "chợ xã.").
   */
  private isNotFoundCandidate(tokens: Token[], m: RawMention, opts: ResolveOptions, submit: boolean): boolean {
    if (!m.typeWord?.deliberate) return false;
    const capitalised = !tokens[m.nameFrom].breakBefore && !tokens[m.nameFrom - 1]?.dotAfter && tokens.slice(m.nameFrom, m.to).every((t) => t.upper);
    return !!opts.expectPlace || !!m.marker || (submit && capitalised) || hasPlaceCue(tokens) || asksWhatBecame(tokens, [m]);
  }

  private describeMention(text: string, tokens: Token[], m: RawMention, primary: boolean): PlaceMention {
    const levels = new Set(m.entries.map((e) => levelOf(e.ref)));
    const eras = new Set(m.entries.map((e) => (e.ref.kind.startsWith('old') ? 'old' : 'new')));
    return {
      text: text.slice(tokens[m.from].start, tokens[m.to - 1].end),
      start: tokens[m.from].start,
      end: tokens[m.to - 1].end,
      typeWord: m.typeWord?.type ?? null,
      name: text.slice(tokens[m.nameFrom].start, tokens[m.to - 1].end),
      level: levels.size === 1 ? [...levels][0] : null,
      era: eras.size === 1 ? ([...eras][0] as 'old' | 'new') : eras.size ? 'both' : null,
      marker: m.marker,
      role: m.unknown ? 'unknown' : primary ? 'primary' : 'context',
      candidates: new Set(m.entries.map((e) => e.ref.unit)).size,
    };
  }
}

/**
 * "xã Khuôi San Mù, huyện Bảo Lạc": a commune nobody knows, given right before the district (or province) it is said
 * to be in, is not found there; the district is its address, not the question.
 */
function unknownWithin(tokens: Token[], mentions: RawMention[], primary: RawMention | null, reading: PlaceReading | null):
  { mismatch: ContextMismatch; within: string } | null {
  if (!primary || !reading || reading.kind === 'old_commune' || reading.kind === 'new_commune') return null;
  const finer = mentions.find((m) => m.unknown && m.typeWord && COMMUNE_WORDS.has(m.typeWord.type) && m.to <= primary.from && adjacent(tokens, m, primary));
  if (!finer) return null;
  // Where it is said to be, as the catalogue writes it ("huyện Bảo Lạc, tỉnh Cao Bằng"), not as typed.
  const within = reading.kind === 'old_district' ? withProvince(reading.old, reading.old.province) : inline(reading.asked.name);
  return { mismatch: { finer, coarser: primary, level: 'unrelated' }, within };
}

/**
 * A message that is only an address, with a unit-type word ("xã An Bình huyện Phú Giáo Bình Dương"): the citizen
 * asks what it is now. One other word is allowed ("xã An Bình cũ ạ").
 */
function isBareAddress(tokens: Token[], trusted: RawMention[], subCommunes: Array<{ from: number; to: number }>): boolean {
  if (!trusted.some((m) => m.typeWord?.deliberate)) return false;
  const covered = [...trusted, ...subCommunes].reduce((n, m) => n + (m.to - m.from), 0);
  return tokens.length - covered <= 1;
}
