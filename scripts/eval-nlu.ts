import path from 'node:path';
import { Nlu } from '../src/nlu/nlu.js';
import { loadNluData } from '../src/nlu/data-files.js';
import { DEFAULT_NLU_OPTIONS } from '../src/nlu/build.js';
import { sampleKbForNlu } from '../src/kb/seed.js';
import { evaluate, loadDevSet } from '../test/nlu/evaluate.js';

// Quick NLU evaluation on the sample knowledge base, without a database: `npm run eval`.
const started = performance.now();
const nlu = new Nlu(loadNluData(), sampleKbForNlu(), DEFAULT_NLU_OPTIONS);
const built = performance.now() - started;
const heldout = process.argv.includes('--heldout');
const report = evaluate(nlu, loadDevSet(heldout ? path.join(import.meta.dirname, '../test/nlu/heldout') : undefined));
const { errors, ...figures } = report;
if (process.argv.includes('--errors')) for (const e of errors) console.log(`${e.expected.padEnd(28)} <- ${e.got.padEnd(30)} | ${e.text}`);
console.log(JSON.stringify({ ...figures, buildMs: Math.round(built) }, null, 2));
if (process.argv.includes('--try')) for (const t of process.argv.slice(process.argv.indexOf('--try') + 1)) {
  const u = nlu.understand(t);
  console.log(t, '=>', u.intent, u.confidence.toFixed(2), u.ranking.map((r) => `${r.label}:${r.p.toFixed(2)}`).join(' '), '| proc', u.procedure?.name, u.procedureScore.toFixed(2), '| model', u.model?.name, u.modelScore.toFixed(2), u.entities);
}
