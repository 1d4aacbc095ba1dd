import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { PlaceReading, PlaceResolution } from '../../src/places/types.js';

// The place-question development set (devset.jsonl), the ordinary questions that must not resolve to a place
// (not-places.txt), and the figures the build is held to.

export const PLACE_KINDS = ['old_to_new', 'new_to_old', 'district', 'province', 'where_to_submit', 'not_found', 'ambiguous'] as const;
export const REGISTERS = ['diacritics', 'no_diacritics', 'teencode'] as const;

const lineSchema = z.object({
  text: z.string().min(1),
  kind: z.enum(PLACE_KINDS),
  /** New commune codes the answer must name (exactly this set); empty when the kind alone is checked. */
  new_communes: z.array(z.string().regex(/^\d{5}$/)),
  /** The new province the answer must name, when there is one. */
  province: z.string().regex(/^\d{2}$/).nullable(),
  register: z.enum(REGISTERS),
});
export type PlaceDevLine = z.infer<typeof lineSchema>;

export interface PlaceResolver { resolve(text: string): PlaceResolution }

export function loadPlaceDevSet(file = path.join(import.meta.dirname, 'devset.jsonl')): PlaceDevLine[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l, i) => {
    try {
      return lineSchema.parse(JSON.parse(l));
    } catch (err) {
      throw new Error(`${path.basename(file)}:${i + 1}: ${(err as Error).message}`);
    }
  });
}

export function loadNotPlaces(file = path.join(import.meta.dirname, 'not-places.txt')): string[] {
  return readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

/** New commune codes a reading names: what an old unit became, the new unit itself, a district's successors. */
export function communesOf(r: PlaceReading | null): string[] {
  if (!r) return [];
  switch (r.kind) {
    case 'old_commune': return r.targets.map((t) => t.code).sort();
    case 'new_commune': return [r.commune.code];
    case 'old_district': return r.communes.map((c) => c.code).sort();
    case 'province': return [];
  }
}

export function provinceOf(r: PlaceReading | null): string | null {
  if (!r) return null;
  switch (r.kind) {
    case 'old_commune': return r.provinces.length === 1 ? r.provinces[0].code : null;
    case 'new_commune': return r.commune.province.code;
    case 'old_district': return r.provinces.length === 1 ? r.provinces[0].code : null;
    case 'province': return r.province.code;
  }
}

export interface PlaceReport {
  lines: number;
  accuracy: number;
  byRegister: Record<string, { lines: number; accuracy: number }>;
  byKind: Record<string, { lines: number; accuracy: number }>;
  msPerMessage: number;
  errors: Array<{ text: string; expected: string; got: string }>;
}

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);

function describe(kind: string, communes: string[], province: string | null): string {
  return `${kind}${communes.length ? ` [${communes.join(',')}]` : ''}${province ? ` p${province}` : ''}`;
}

export function evaluatePlaces(resolver: PlaceResolver, lines: PlaceDevLine[]): PlaceReport {
  const tally = (groups: Map<string, [number, number]>, key: string, ok: boolean) => {
    const [n, good] = groups.get(key) ?? [0, 0];
    groups.set(key, [n + 1, good + (ok ? 1 : 0)]);
  };
  const registers = new Map<string, [number, number]>();
  const kinds = new Map<string, [number, number]>();
  const errors: PlaceReport['errors'] = [];
  let correct = 0;
  const started = performance.now();
  for (const line of lines) {
    const r = resolver.resolve(line.text);
    const communes = communesOf(r.reading);
    const province = provinceOf(r.reading);
    const ok = r.kind === line.kind
      && (line.new_communes.length === 0 || communes.join(',') === [...line.new_communes].sort().join(','))
      && (line.province === null || province === line.province);
    if (ok) correct++;
    else errors.push({ text: line.text, expected: describe(line.kind, line.new_communes, line.province), got: describe(r.kind, communes, province) });
    tally(registers, line.register, ok);
    tally(kinds, line.kind, ok);
  }
  const ms = (performance.now() - started) / Math.max(1, lines.length);
  const figures = (m: Map<string, [number, number]>) =>
    Object.fromEntries([...m].map(([k, [n, good]]) => [k, { lines: n, accuracy: ratio(good, n) }]));
  return {
    lines: lines.length, accuracy: ratio(correct, lines.length), byRegister: figures(registers), byKind: figures(kinds),
    msPerMessage: ms, errors,
  };
}

/** Ordinary questions the resolver took for a place (any mention, any kind but "none"). */
export function falsePositives(resolver: PlaceResolver, texts: string[]): Array<{ text: string; got: string }> {
  return texts.flatMap((text) => {
    const r = resolver.resolve(text);
    return r.kind === 'none' && r.mentions.length === 0 ? [] : [{ text, got: `${r.kind}: ${r.mentions.map((m) => m.text).join(', ')}` }];
  });
}
