import path from 'node:path';
import { loadNluData } from '../src/nlu/data-files.js';
import { Nlu } from '../src/nlu/nlu.js';
import { DEFAULT_NLU_OPTIONS } from '../src/nlu/options.js';
import { collapseFamilies } from '../src/nlu/decide.js';
import { labelMatches, loadNationalSet } from '../test/nlu/evaluate-national.js';
import { kbWithNational } from '../test/nlu/national-kb.js';

// Developer diagnosis: where the right procedure sits in the ranking for each clear question.
const dir = path.join(import.meta.dirname, '../test/nlu/national');
const lines = loadNationalSet(path.join(dir, process.argv.includes('--heldout') ? 'heldout/heldout.jsonl' : 'devset.jsonl'));
const nlu = new Nlu(loadNluData(), kbWithNational(() => true), DEFAULT_NLU_OPTIONS);
const buckets: Record<string, number> = {};
const show = process.argv.find((a) => a.startsWith('--show='))?.slice(7);
for (const l of lines) {
  if (l.kind !== 'clear') continue;
  const ranked = nlu.rankProcedures(l.text);
  const rank = ranked.findIndex((r) => labelMatches(r.item, l.procedures));
  const u = nlu.understand(l.text);
  const ok = u.decision.kind === 'procedure' && labelMatches(u.decision.procedure, l.procedures);
  const b = ok ? 'answered-right' : rank === 0 ? `top1-but-${u.decision.kind}` : rank > 0 && rank < 4 ? 'rank2-4' : rank >= 4 ? 'rank5+' : 'absent';
  buckets[b] = (buckets[b] ?? 0) + 1;
  if (show && b.startsWith(show)) {
    const top = ranked.slice(0, 3).map((r) => `${r.score.toFixed(2)}/${r.nameCov.toFixed(2)}/${r.queryCov.toFixed(2)}/${r.evidence.toFixed(0)} ${r.item.code} ${r.item.name.slice(0, 50)}`).join(' ; ');
    const right = rank >= 0 ? `${rank + 1}: ${ranked[rank].score.toFixed(2)}/${ranked[rank].nameCov.toFixed(2)}/${ranked[rank].queryCov.toFixed(2)}` : '-';
    console.log(`${l.text}\n   want ${l.procedures[0]} (${right}) | ${u.intent}/${u.decision.kind} | ${top}`);
  }
}
console.log(buckets);
