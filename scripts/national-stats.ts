import path from 'node:path';
import { procedureSchema } from '../src/kb/schemas.js';
import { readRecords } from '../src/kb/national/record.js';
import { toProcedure } from '../src/kb/national/to-procedure.js';

// `npx tsx scripts/national-stats.ts [file]`: parses every record of the national catalogue (the shipped one by
// default) and prints, as JSON, how many parse with empty documents, time, fee and the other fields, and any
// record the knowledge-base schema refuses. No database.

const file = process.argv[2] ?? path.resolve(import.meta.dirname, '../datasets/national-tthc/procedures.jsonl.gz');
const empty: Record<string, number> = {};
const invalid: Array<{ line: number; code: string; issues: string[] }> = [];
let records = 0;
let malformed = 0;
let feeByProvince = 0;
let online = 0;
const started = performance.now();
for await (const r of readRecords(file)) {
  if ('error' in r) {
    malformed++;
    continue;
  }
  records++;
  const p = toProcedure(r.record);
  for (const [k, v] of Object.entries(p)) {
    if (v === '' || v === null || (Array.isArray(v) && v.length === 0)) empty[k] = (empty[k] ?? 0) + 1;
  }
  if (p.feeByProvince) feeByProvince++;
  if (p.onlineAvailable) online++;
  const parsed = procedureSchema.safeParse(p);
  if (!parsed.success) invalid.push({ line: r.line, code: p.code ?? '', issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
}
console.log(JSON.stringify({ file, records, malformed, ms: Math.round(performance.now() - started), feeByProvince, online, empty, invalid }, null, 2));
