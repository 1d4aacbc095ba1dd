import { access } from 'node:fs/promises';
import path from 'node:path';
import type { ProcedureInput } from '../schemas.js';
import { readRecords } from './record.js';
import { toProcedure } from './to-procedure.js';

/** The national catalogue shipped with the application (datasets/national-tthc/SOURCE.md). */
export const CATALOGUE_FILE = path.resolve(import.meta.dirname, '../../../datasets/national-tthc/procedures.jsonl.gz');

/**
 * The catalogue's procedures for the given codes (only those are parsed); an empty map when the file is not
 * there, so a list of procedures still imports, without details.
 */
export async function catalogueProcedures(codes: Iterable<string>, file = CATALOGUE_FILE): Promise<Map<string, ProcedureInput>> {
  const wanted = new Set(codes);
  const out = new Map<string, ProcedureInput>();
  if (wanted.size === 0 || !(await access(file).then(() => true, () => false))) return out;
  for await (const r of readRecords(file)) {
    if ('record' in r && wanted.has(r.record.ma_thu_tuc.trim()) && !out.has(r.record.ma_thu_tuc.trim())) {
      out.set(r.record.ma_thu_tuc.trim(), toProcedure(r.record));
    }
  }
  return out;
}
