import fs from 'node:fs';
import { Nlu } from '../src/nlu/nlu.js';
import { loadNluData } from '../src/nlu/data-files.js';
import { DEFAULT_NLU_OPTIONS } from '../src/nlu/options.js';
import { PlaceIndex } from '../src/places/place-index.js';
import { kbWithNational } from '../test/nlu/national-kb.js';

// `npm run bench:nlu-files -- test/places/devset-wide.jsonl test/nlu/national/devset.jsonl`: milliseconds per message
// of understanding (places included) over the whole national catalogue, for each file's texts (JSON lines with a
// "text", or plain lines), the median of five rounds. Compare two commits in the same run (a git worktree of the other).
const nlu = new Nlu(loadNluData(), kbWithNational(() => true), DEFAULT_NLU_OPTIONS, PlaceIndex.fromFiles());
for (const file of process.argv.slice(2)) {
  const texts = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => (l.startsWith('{') ? (JSON.parse(l) as { text: string }).text : l));
  const rounds: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    for (const t of texts) nlu.understand(t);
    rounds.push((performance.now() - t0) / texts.length);
  }
  rounds.sort((a, b) => a - b);
  console.log(`${file}: ${texts.length} messages, ${rounds[2].toFixed(3)} ms per message (median of 5 rounds)`);
}
