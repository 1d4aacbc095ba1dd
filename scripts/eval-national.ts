import path from 'node:path';
import { loadNluData } from '../src/nlu/data-files.js';
import { Nlu } from '../src/nlu/nlu.js';
import { DEFAULT_NLU_OPTIONS } from '../src/nlu/options.js';
import { evaluateNational, loadNationalSet } from '../test/nlu/evaluate-national.js';
import { kbWithNational } from '../test/nlu/national-kb.js';

const dir = path.join(import.meta.dirname, '../test/nlu/national');
const set = process.argv.includes('--heldout') ? path.join(dir, 'heldout/heldout.jsonl') : path.join(dir, 'devset.jsonl');
const lines = loadNationalSet(set);
const labelled = new Set(lines.flatMap((l) => l.procedures));
const configs = {
  province: kbWithNational((r) => labelled.has(r.ma_thu_tuc) || r.cap_thuc_hien.includes('Cấp xã')),
  full: kbWithNational(() => true),
};
for (const [name, kb] of Object.entries(configs)) {
  if (process.argv.includes('--full-only') && name !== 'full') continue;
  const t0 = performance.now();
  const nlu = new Nlu(loadNluData(), kb, DEFAULT_NLU_OPTIONS);
  const built = performance.now() - t0;
  const { errors, ...report } = evaluateNational(nlu, lines);
  console.log(JSON.stringify({ config: name, procedures: kb.procedures.length, buildMs: Math.round(built), ...report }));
  if (process.argv.includes('--errors') && (name === 'full' || !process.argv.includes('--full-errors'))) {
    for (const e of errors) console.log(`  ${e.kind.padEnd(9)} ${e.expected.padEnd(24)} <- ${e.got} | ${e.text}`);
  }
}
