import path from 'node:path';
import { placeAnswer } from '../src/places/answer.js';
import { PlaceIndex } from '../src/places/place-index.js';
import { evaluatePlaces, falsePositives, loadNotPlaces, loadPlaceDevSet } from '../test/places/evaluate.js';

// Place resolver figures from the shipped files, without a database: `npm run eval:places [-- --heldout] [--errors]`,
// or `npm run eval:places -- --try "xa binh trieu cu gio la xa nao"` to see what it understands and answers.
const started = performance.now();
const index = PlaceIndex.fromFiles();
const built = performance.now() - started;
if (process.argv.includes('--try')) {
  for (const text of process.argv.slice(process.argv.indexOf('--try') + 1)) {
    const r = index.resolve(text);
    console.log(JSON.stringify({ kind: r.kind, asksAboutPlace: r.asksAboutPlace, mentions: r.mentions }, null, 1));
    console.log(placeAnswer(r));
  }
  process.exit(0);
}
const heldout = process.argv.includes('--heldout');
const file = heldout ? path.join(import.meta.dirname, '../test/places/heldout.jsonl') : undefined;
const { errors, ...figures } = evaluatePlaces(index, loadPlaceDevSet(file));
// With --heldout, the second held-out set too (units drawn at random over the 34 provinces, 7 December).
if (heldout) {
  const { errors: more, ...second } = evaluatePlaces(index, loadPlaceDevSet(path.join(import.meta.dirname, '../test/places/heldout-2.jsonl')));
  errors.push(...more);
  console.log(JSON.stringify({ heldout2: { lines: second.lines, accuracy: second.accuracy, byKind: second.byKind } }));
}
if (process.argv.includes('--errors')) for (const e of errors) console.log(`${e.expected} <- ${e.got} | ${e.text}`);
const fp = falsePositives(index, loadNotPlaces());
console.log(JSON.stringify({ ...figures, falsePositives: fp, buildMs: Math.round(built) }, null, 2));
