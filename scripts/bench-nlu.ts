import path from 'node:path';
import { Nlu } from '../src/nlu/nlu.js';
import { loadNluData } from '../src/nlu/data-files.js';
import { DEFAULT_NLU_OPTIONS } from '../src/nlu/build.js';
import { sampleKbForNlu } from '../src/kb/seed.js';
import { loadDevSet } from '../test/nlu/evaluate.js';
import { loadNationalSet } from '../test/nlu/evaluate-national.js';
import { kbWithNational } from '../test/nlu/national-kb.js';

// `npm run bench:nlu`: building the NLU and classifying messages over the sample alone and over the sample
// plus the whole national catalogue (2,642 records), with the memory the catalogue adds. Run with
// `node --expose-gc` (the npm script does) so heap figures are measured after a collection.

const gc = (globalThis as { gc?: () => void }).gc;
const heapMb = () => {
  gc?.();
  return process.memoryUsage().heapUsed / 1e6;
};
const data = loadNluData();
const texts = [...loadDevSet().map((l) => l.text), ...loadNationalSet(path.join(import.meta.dirname, '../test/nlu/national/devset.jsonl')).map((l) => l.text)];

function measure(name: string, kb: ReturnType<typeof sampleKbForNlu>) {
  const before = heapMb();
  const t0 = performance.now();
  const nlu = new Nlu(data, kb, DEFAULT_NLU_OPTIONS);
  const buildMs = performance.now() - t0;
  const heapAdded = heapMb() - before;
  for (const t of texts) nlu.understand(t); // warm-up
  const times: number[] = [];
  for (let round = 0; round < 3; round++) for (const t of texts) {
    const s = performance.now();
    nlu.understand(t);
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => Math.round(times[Math.floor(p * (times.length - 1))] * 1000) / 1000;
  console.log(JSON.stringify({ catalogue: name, procedures: kb.procedures.length, buildMs: Math.round(buildMs), heapMb: Math.round(heapAdded),
    messages: times.length, p50Ms: q(0.5), p99Ms: q(0.99), maxMs: q(1) }));
  return nlu;
}

const sample = measure('sample', sampleKbForNlu());
const kb = kbWithNational(() => true);
const full = measure('sample + national', kb);
void sample; void full;
