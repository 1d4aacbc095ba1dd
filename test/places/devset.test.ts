import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PlaceIndex } from '../../src/places/place-index.js';
import { evaluatePlaces, falsePositives, loadNotPlaces, loadPlaceDevSet } from './evaluate.js';

let index: PlaceIndex;
beforeAll(() => { index = PlaceIndex.fromFiles(); });

const print = (label: string, report: ReturnType<typeof evaluatePlaces>) => {
  const { errors, ...figures } = report;
  console.log(label, JSON.stringify(figures, null, 2));
  if (process.env.PLACE_ERRORS) for (const e of errors) console.log(e);
};

describe('place questions as citizens type them', () => {
  it('resolves the development set (figures printed; floor 0.95 overall and per register)', () => {
    const report = evaluatePlaces(index, loadPlaceDevSet());
    print('Place development set', report);
    expect(report.lines).toBeGreaterThanOrEqual(120);
    expect(report.accuracy).toBeGreaterThanOrEqual(0.95);
    for (const [register, r] of Object.entries(report.byRegister)) expect(r.accuracy, register).toBeGreaterThanOrEqual(0.9);
  });

  it('resolves the wider set of twenty-six other writers, all 34 provinces (figures printed; floor 0.94)', () => {
    const report = evaluatePlaces(index, loadPlaceDevSet(path.join(import.meta.dirname, 'devset-wide.jsonl')));
    print('Place wider set', report);
    expect(report.lines).toBeGreaterThanOrEqual(3880);
    expect(report.accuracy).toBeGreaterThanOrEqual(0.94);
  });

  it('holds up on the held-out set, written after the resolver (figures printed)', () => {
    const report = evaluatePlaces(index, loadPlaceDevSet(path.join(import.meta.dirname, 'heldout.jsonl')));
    print('Place held-out set', report);
    expect(report.lines).toBeGreaterThanOrEqual(60);
    expect(report.accuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('holds up on a second held-out set: units drawn at random over the 34 provinces, typed as people type (figures printed)', () => {
    const report = evaluatePlaces(index, loadPlaceDevSet(path.join(import.meta.dirname, 'heldout-2.jsonl')));
    print('Place second held-out set', report);
    expect(report.lines).toBeGreaterThanOrEqual(300);
    expect(report.accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('has the three registers in about the intended proportions and every kind', () => {
    const lines = loadPlaceDevSet();
    const share = (r: string) => lines.filter((l) => l.register === r).length / lines.length;
    expect(share('diacritics')).toBeGreaterThanOrEqual(0.4);
    expect(share('no_diacritics')).toBeGreaterThanOrEqual(0.3);
    expect(share('teencode')).toBeGreaterThanOrEqual(0.18);
    expect(new Set(lines.map((l) => l.kind)).size).toBe(7);
  });

  it('finds no place in ordinary procedure questions (false positives: 0)', () => {
    const texts = loadNotPlaces();
    const hits = falsePositives(index, texts);
    console.log(`Place false positives: ${hits.length} of ${texts.length} ordinary questions`, hits);
    expect(texts.length).toBeGreaterThanOrEqual(60);
    expect(hits).toEqual([]);
  });
});
