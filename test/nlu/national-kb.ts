import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { sampleKbForNlu } from '../../src/kb/seed.js';
import { CATALOGUE_FILE } from '../../src/kb/national/catalogue.js';
import { nationalRecordSchema, type NationalRecord } from '../../src/kb/national/record.js';
import { toProcedure } from '../../src/kb/national/to-procedure.js';
import { procedureForNlu } from '../../src/nlu/build.js';
import type { KbForNlu } from '../../src/nlu/nlu.js';
import { fold } from '../../src/nlu/text.js';

// The knowledge base the evaluation runs on: the sample plus national records parsed and merged exactly as
// `npm run import -- national` does (same code, or same name when the sample row has none: one procedure that
// keeps the sample's name and aliases), without a database.

let cache: NationalRecord[] | undefined;
export function nationalRecords(): NationalRecord[] {
  cache ??= gunzipSync(readFileSync(CATALOGUE_FILE)).toString('utf8').split('\n').filter((l) => l.trim())
    .map((l) => nationalRecordSchema.parse(JSON.parse(l)));
  return cache;
}

const key = (s: string) => fold(s.toLowerCase()).replace(/\s+/g, ' ').trim();

/** The sample KB plus the national records `keep` selects. */
export function kbWithNational(keep: (r: NationalRecord) => boolean): KbForNlu {
  const kb = sampleKbForNlu();
  const byCode = new Map(kb.procedures.filter((p) => p.code).map((p) => [p.code!, p]));
  const byName = new Map(kb.procedures.filter((p) => !p.code).map((p) => [key(p.name), p]));
  let id = 10_000;
  for (const r of nationalRecords()) {
    if (!keep(r)) continue;
    const rec = procedureForNlu({ id: id++, ...toProcedure(r) });
    const same = byCode.get(rec.code!) ?? byName.get(key(rec.name));
    if (same) {
      Object.assign(same, { ...rec, id: same.id, name: same.name, aliases: same.aliases, isSample: false });
      continue;
    }
    kb.procedures.push(rec);
  }
  return kb;
}
