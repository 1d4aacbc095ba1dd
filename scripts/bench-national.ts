import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { importNational, type NationalSummary } from '../src/console/imports/national.js';
import { prepareDatabase } from '../src/db/prepare.js';
import { LEVEL_KEYS, DEFAULT_LEVELS } from '../src/kb/national/levels.js';
import { loadKbSnapshot } from '../src/kb/snapshot.js';
import { buildNlu } from '../src/nlu/build.js';
import { loadNluData } from '../src/nlu/data-files.js';
import { createPgDatabase } from '../test/helpers/db.js';

// `npm run bench:national [-- --pg]`: loads the shipped national catalogue into a fresh database seeded like a
// first start (embedded PGlite in a temp directory, or with --pg a new database on TEST_PG_URL): the default
// levels, then every level, then every level again (nothing to change), and builds the NLU over the result.
// Prints elapsed seconds and counts as JSON. Target (issue 8): the whole catalogue well under a minute.

const ON_PG = process.argv.includes('--pg');
const dir = mkdtempSync(path.join(tmpdir(), 'cchc-bench-national-'));

async function main() {
  const pg = ON_PG ? await createPgDatabase() : undefined;
  const db = await prepareDatabase(pg?.url ?? `file:${path.join(dir, 'db')}`, { seed: true });
  try {
    const line = (s: NationalSummary) => ({ ok: s.ok, records: s.records, skipped: s.skipped, created: s.created, updated: s.updated,
      unchanged: s.unchanged, renamed: s.renamed, seconds: s.seconds });
    const byDefault = line(await importNational(db.prisma, { levels: DEFAULT_LEVELS, dryRun: false, actor: 'bench' }));
    const all = line(await importNational(db.prisma, { levels: LEVEL_KEYS, dryRun: false, actor: 'bench' }));
    const again = line(await importNational(db.prisma, { levels: LEVEL_KEYS, dryRun: false, actor: 'bench' }));
    const started = performance.now();
    const snapshot = await loadKbSnapshot(db.prisma);
    buildNlu(loadNluData(), snapshot);
    const nluSeconds = Math.round((performance.now() - started) / 100) / 10;
    console.log(JSON.stringify({ database: db.kind, defaultLevels: byDefault, allLevels: all, allAgain: again,
      procedures: snapshot.procedures.length, loadKbAndBuildNluSeconds: nluSeconds, rssMb: Math.round(process.memoryUsage().rss / 1048576) }, null, 2));
  } finally {
    await db.close();
    await pg?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
