import { Nlu } from '../src/nlu/nlu.js';
import { loadNluData } from '../src/nlu/data-files.js';
import { DEFAULT_NLU_OPTIONS } from '../src/nlu/options.js';
import { kbWithNational } from '../test/nlu/national-kb.js';

// Developer probe: how the NLU reads some messages over the sample plus the national catalogue.
//   npx tsx scripts/probe-nlu.ts "câu hỏi 1" "câu hỏi 2"
const t0 = performance.now();
const kb = kbWithNational(() => process.env.SAMPLE_ONLY !== "1");
const nlu = new Nlu(loadNluData(), kb, DEFAULT_NLU_OPTIONS);
console.log(`built over ${kb.procedures.length} procedures in ${Math.round(performance.now() - t0)} ms`);
for (const text of process.argv.slice(2)) {
  const u = nlu.understand(text);
  const d = u.decision;
  console.log(`\n> ${text}\n  ${u.intent} ${u.confidence.toFixed(2)} aspect=${u.entities.aspect ?? '-'} decision=${d.kind}`
    + (d.kind === 'procedure' ? ` -> ${d.procedure.code} ${d.procedure.name}` : '')
    + (d.kind === 'clarify' ? ` options: ${d.options.map((o) => o.name.slice(0, 50)).join(' / ')}` : '')
    + ` | ${u.ranking.map((r) => `${r.label}:${r.p.toFixed(2)}`).join(' ')}`);
  for (const c of nlu.rankProcedures(text).slice(0, 6)) {
    console.log(`    ${c.score.toFixed(3)} n=${c.nameCov.toFixed(2)} q=${c.queryCov.toFixed(2)} e=${c.evidence.toFixed(1)} core=${c.core.toFixed(1)} ${c.item.code} ${c.item.name.slice(0, 90)}`);
  }
}
