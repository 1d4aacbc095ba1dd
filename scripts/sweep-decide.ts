import path from 'node:path';
import { loadNluData } from '../src/nlu/data-files.js';
import { Nlu } from '../src/nlu/nlu.js';
import { DEFAULT_NLU_OPTIONS } from '../src/nlu/options.js';
import { labelMatches, loadNationalSet } from '../test/nlu/evaluate-national.js';
import { kbWithNational } from '../test/nlu/national-kb.js';

// Developer tool: how the answer/ask thresholds trade right answers against confidently wrong ones.
const dir = path.join(import.meta.dirname, '../test/nlu/national');
const lines = loadNationalSet(path.join(dir, process.argv.includes('--heldout') ? 'heldout/heldout.jsonl' : 'devset.jsonl')).filter((l) => l.kind !== 'oos');
const nlu = new Nlu(loadNluData(), kbWithNational(() => true), DEFAULT_NLU_OPTIONS);
const rows = lines.map((l) => {
  const r = nlu.rankProcedures(l.text);
  return { kind: l.kind, p1: r[0]?.score ?? 0, p2: r[1]?.score ?? 0, cov: r[0]?.nameCov ?? 0, ev: r[0]?.evidence ?? 0,
    ok: labelMatches(r[0]?.item, l.procedures), in4: r.slice(0, 4).some((x) => labelMatches(x.item, l.procedures)),
    okAt: r.slice(0, 4).map((x) => labelMatches(x.item, l.procedures)) };
});
console.log('questions', rows.length, 'top1', (rows.filter((r) => r.ok).length / rows.length).toFixed(3), 'top4', (rows.filter((r) => r.in4).length / rows.length).toFixed(3));
for (const pa of [0.3, 0.4, 0.5, 0.6, 0.7, 0.8]) {
  for (const ratio of [1, 1.5, 2, 3, 5]) {
    const answer = (r: (typeof rows)[number]) => r.p1 >= pa && r.p1 >= ratio * r.p2;
    const clear = rows.filter((r) => r.kind === 'clear');
    const amb = rows.filter((r) => r.kind === 'ambiguous');
    const top1 = clear.filter((r) => answer(r) && r.ok).length / clear.length;
    const resolved = clear.filter((r) => (answer(r) ? r.ok : r.in4)).length / clear.length;
    const handled = amb.filter((r) => (answer(r) ? r.ok : r.in4)).length / amb.length;
    const wrong = rows.filter((r) => answer(r) && !r.ok).length / rows.length;
    console.log(`p>=${pa} ratio>=${ratio}: top1 ${top1.toFixed(3)} resolved ${resolved.toFixed(3)} ambiguous ${handled.toFixed(3)} confidently-wrong ${wrong.toFixed(3)}`);
  }
}
