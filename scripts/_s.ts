import { prepareDatabase } from '../src/db/prepare.js';
import { importNational } from '../src/console/imports/national.js';
import { KbStore } from '../src/kb/store.js';
import { loadNluData } from '../src/nlu/data-files.js';
import { DEFAULT_NLU_OPTIONS } from '../src/nlu/build.js';
import { bumpKbVersion } from '../src/kb/snapshot.js';
const db = await prepareDatabase('file:/tmp/tdb', { seed: true });
if ((await db.prisma.procedure.count()) < 100) await importNational(db.prisma, { levels: ['bo', 'tinh', 'xa'], dryRun: false });
const kb = new KbStore(db, loadNluData(), DEFAULT_NLU_OPTIONS);
await kb.load();
let last = performance.now(); const gaps: number[] = [];
const timer = setInterval(() => { const n = performance.now(); gaps.push(n - last); last = n; }, 1);
for (const what of ['faq', 'alias']) {
  gaps.length = 0; last = performance.now();
  const t0 = performance.now();
  if (what === 'faq') { const f = await db.prisma.faq.findFirstOrThrow(); await db.prisma.faq.update({ where: { id: f.id }, data: { answer: `x ${Date.now()}` } }); }
  else { const p = await db.prisma.procedure.findFirstOrThrow({ orderBy: { id: 'desc' } }); await db.prisma.procedure.update({ where: { id: p.id }, data: { aliases: [`b ${Date.now()}`] } }); }
  const t1 = performance.now();
  await bumpKbVersion(db.prisma);
  const t2 = performance.now();
  gaps.length = 0; last = performance.now();
  await kb.refresh();
  const t3 = performance.now();
  gaps.sort((a, b) => b - a);
  console.log(what, { update: t1 - t0, bump: t2 - t1, refresh: t3 - t2, worstGaps: gaps.slice(0, 5).map(Math.round) });
}
clearInterval(timer);
await db.close();
