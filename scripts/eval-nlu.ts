import path from 'node:path';
import { Nlu, type Understanding } from '../src/nlu/nlu.js';
import { loadNluData } from '../src/nlu/data-files.js';
import { DEFAULT_NLU_OPTIONS } from '../src/nlu/options.js';
import { sampleKbForNlu } from '../src/kb/seed.js';
import { PlaceIndex } from '../src/places/place-index.js';
import { placeStatedBeside } from '../src/bot/procedure-dialog.js';
import { confusion, crossValidateClassifier } from '../test/nlu/crossval.js';
import { evaluate, loadDevSet } from '../test/nlu/evaluate.js';
import { evaluateNational, loadNationalSet } from '../test/nlu/evaluate-national.js';
import { kbWithNational } from '../test/nlu/national-kb.js';
import { evaluatePlaces, falsePositives, loadNotPlaces, loadPlaceDevSet } from '../test/places/evaluate.js';

// `npm run eval`: every NLU figure, without a database.
//   1. the sample knowledge base and its development set (test/nlu/devset*.jsonl);
//   2. the national catalogue: questions as citizens type (test/nlu/national/devset.jsonl) over the sample plus a
//      province's share of the catalogue (the records the questions name and every "Cấp xã" record, ~680) and over
//      the sample plus the whole catalogue (2,649): top-1 on clear questions, resolved (answered right, or asked
//      with the right option), ambiguous handled, confidently wrong, out-of-scope precision/recall/F1, by register;
//      and the wider set (test/nlu/national/devset-wide.jsonl: more procedures, longer stories) over the whole catalogue;
//   3. place questions (test/places): the resolver, and the NLU routing them to the locality intent; the wider place
//      set (devset-wide.jsonl) for the resolver;
//   4. a confusion table of intents and a 5-fold cross-validation of the intent classifier.
// `-- --heldout` runs the blind held-out sets instead (written without seeing the training data or the
// development sets); `-- --errors` lists the misses; `-- --try "câu hỏi" ...` shows how messages are read.

const heldout = process.argv.includes('--heldout');
const showErrors = process.argv.includes('--errors');
const data = loadNluData();
const places = PlaceIndex.fromFiles();
const dir = path.join(import.meta.dirname, '../test/nlu');
const out: Record<string, unknown> = {};
const allPairs: Array<{ expected: string; got: string }> = [];

// 1. The sample.
const sampleNlu = new Nlu(data, sampleKbForNlu(), DEFAULT_NLU_OPTIONS, places);
const sampleLines = loadDevSet(heldout ? path.join(dir, 'heldout') : undefined);
const { errors: sampleErrors, ...sample } = evaluate(sampleNlu, sampleLines);
out.sample = sample;
for (const l of sampleLines) allPairs.push({ expected: l.intent, got: sampleNlu.understand(l.text).intent });
if (!heldout) {
  // Every intent but procedure questions, by another writer (test/nlu/intents-wide: dossier status, hand-off, contact...).
  const { errors: _wideErrors, ...wideIntents } = evaluate(sampleNlu, loadDevSet(path.join(dir, 'intents-wide')));
  out.sample_intents_wide = { lines: wideIntents.lines, intentAccuracy: wideIntents.intentAccuracy, oosF1: wideIntents.oosF1, dossierCodeExact: wideIntents.dossierCodeExact };
  if (showErrors) for (const e of _wideErrors) console.log(`intents  ${e.expected.padEnd(28)} <- ${e.got.padEnd(30)} | ${e.text}`);
}

// 2. The national catalogue.
const nationalLines = loadNationalSet(path.join(dir, 'national', heldout ? 'heldout/heldout.jsonl' : 'devset.jsonl'));
const named = new Set(nationalLines.flatMap((l) => l.procedures));
const configs = {
  province: kbWithNational((r) => named.has(r.ma_thu_tuc) || r.cap_thuc_hien.includes('Cấp xã')),
  full: kbWithNational(() => true),
};
const nationalErrors: string[] = [];
for (const [name, kb] of Object.entries(configs)) {
  const t0 = performance.now();
  const nlu = new Nlu(data, kb, DEFAULT_NLU_OPTIONS, places);
  const buildMs = Math.round(performance.now() - t0);
  const { errors, ...report } = evaluateNational(nlu, nationalLines);
  out[`national_${name}`] = { procedures: kb.procedures.length, buildMs, ...report };
  if (name === 'full') {
    // The sample's own questions, the sample rows now merged with their official records among 2,649 others.
    const { errors: _e, ...withCatalogue } = evaluate(nlu, sampleLines);
    out.sample_in_full_catalogue = { intentAccuracy: withCatalogue.intentAccuracy, procedureTop1: withCatalogue.procedureTop1,
      aspectAccuracy: withCatalogue.aspectAccuracy, oosF1: withCatalogue.oosF1 };
    if (showErrors) for (const e of _e) console.log(`in-full   ${e.expected.padEnd(28)} <- ${e.got.padEnd(30)} | ${e.text}`);
    for (const l of nationalLines) allPairs.push({ expected: l.intent, got: nlu.understand(l.text).intent });
    nationalErrors.push(...errors.map((e) => `${e.kind.padEnd(9)} ${e.expected.padEnd(24)} <- ${e.got} | ${e.text}`));
    // Over the whole catalogue too: the second and third blind sets (a month of a page's messages each, never read to
    // make a change), or the wider development set (more procedures, longer stories).
    const sets = heldout
      ? [['national_heldout2', 'heldout/heldout-2.jsonl', 'held-out-2 '], ['national_heldout3', 'heldout/heldout-3.jsonl', 'held-out-3 ']]
      : [['national_wide', 'devset-wide.jsonl', 'wide ']];
    for (const [key, file, label] of sets) {
      const { errors: more, ...figures } = evaluateNational(nlu, loadNationalSet(path.join(dir, 'national', file)));
      out[key] = figures;
      nationalErrors.push(...more.map((e) => `${label}${e.kind.padEnd(9)} ${e.expected.padEnd(24)} <- ${e.got} | ${e.text}`));
    }
  }
}

// 3. Places.
const placeLines = loadPlaceDevSet(heldout ? path.join(import.meta.dirname, '../test/places/heldout.jsonl') : undefined);
const { errors: placeErrors, ...placeFigures } = evaluatePlaces(places, placeLines);
// Answered about the place: read as a place question, or as a procedure asked beside the place, whose answer starts
// with what the place is now (src/bot/procedure-dialog.ts).
const placeReadings = placeLines.map((l) => sampleNlu.understand(l.text));
const placeAnswered = (u: Understanding) => u.intent === 'locality' || placeStatedBeside(u);
const routed = placeReadings.filter(placeAnswered).length;
out.places = { ...placeFigures, routedToLocality: Math.round((routed / placeLines.length) * 1000) / 1000, falsePositives: falsePositives(places, loadNotPlaces()) };
if (!heldout) {
  // The wider place set (test/places/devset-wide.jsonl: eight other writers, 1,220 questions over all 34 provinces).
  const { errors: wideErrors, ...wide } = evaluatePlaces(places, loadPlaceDevSet(path.join(import.meta.dirname, '../test/places/devset-wide.jsonl')));
  out.places_wide = wide;
  placeErrors.push(...wideErrors.map((e) => ({ ...e, text: `(wide) ${e.text}` })));
}
for (const u of placeReadings) allPairs.push({ expected: 'locality', got: placeAnswered(u) ? 'locality' : u.intent });

// 4. Intents.
out.confusion = confusion(allPairs);
out.classifierCrossValidation = crossValidateClassifier(data);

if (showErrors) {
  for (const e of sampleErrors) console.log(`sample    ${e.expected.padEnd(28)} <- ${e.got.padEnd(30)} | ${e.text}`);
  for (const e of nationalErrors) console.log(`national  ${e}`);
  for (const e of placeErrors) console.log(`places    ${e.expected} <- ${e.got} | ${e.text}`);
}
console.log(JSON.stringify(out, null, 2));
if (process.argv.includes('--try')) {
  const nlu = new Nlu(data, configs.full, DEFAULT_NLU_OPTIONS, places);
  for (const t of process.argv.slice(process.argv.indexOf('--try') + 1)) {
    const u = nlu.understand(t);
    console.log(t, '=>', u.intent, u.confidence.toFixed(2), u.decision.kind, u.procedure?.code ?? '', u.procedure?.name ?? '', u.entities,
      u.candidates.map((c) => `${c.item.code ?? c.item.name}:${c.score.toFixed(2)}`).join(' '));
  }
}
