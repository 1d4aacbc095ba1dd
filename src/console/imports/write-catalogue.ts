import type { Procedure } from '../../generated/prisma/client.js';
import type { ProcedureInput } from '../../kb/schemas.js';
import { recordRevisions, type Db } from './bulk.js';
import { nameKey, type RowError } from './validate.js';
import { PlanBuilder, PROCEDURE_COLUMNS, writeEntries, type Planned } from './write-kb.js';

// Procedures from the national portal (its catalogue of records, or its list of procedures by code) matched
// to the knowledge base by national code, or, for an entry without a code, by the same name. A matched entry
// takes the portal's fields but keeps its own name and aliases (officials' wording, citizens' words); a new
// one whose name another entry has is told apart by its level, else its code.

export interface CatalogueRow {
  /** Line of the catalogue or row of the sheet, for messages. */
  row: number;
  data: ProcedureInput;
  /** Fields an existing entry takes from this row. */
  present: ReadonlySet<string>;
}

export interface CatalogueInput {
  rows: CatalogueRow[];
  headerOf: (field: string) => string;
  /** Details for new entries by code (the shipped catalogue), under the fields the row does not fill. */
  details?: ReadonlyMap<string, ProcedureInput>;
}

/** Never taken from the portal for an entry that exists. */
const KEPT = new Set(['name', 'aliases']);

export async function planCatalogue(db: Db, input: CatalogueInput): Promise<Planned> {
  const existing = await db.procedure.findMany();
  const byCode = new Map(existing.filter((p) => p.code).map((p) => [p.code as string, p]));
  const uncoded = new Map(existing.filter((p) => !p.code).map((p) => [nameKey(p.name), p]));
  const names = new Set(existing.map((p) => nameKey(p.name)));
  const claimed = new Set<number>();
  const codes = new Map<string, number>();
  const plan = new PlanBuilder<ProcedureInput>(new Set(Object.keys(PROCEDURE_COLUMNS)));
  const errors: RowError[] = plan.errors;
  let enriched = 0;
  let renamed = 0;
  for (const { row, data: given, present } of input.rows) {
    const code = given.code;
    if (code) {
      const first = codes.get(code);
      if (first !== undefined) {
        errors.push({ row, column: input.headerOf('code'), reason: `mã thủ tục ${code} trùng với dòng ${first}` });
        continue;
      }
      codes.set(code, row);
    }
    const sameName = uncoded.get(nameKey(given.name));
    const target: Procedure | undefined = (code ? byCode.get(code) : undefined) ?? (sameName && !claimed.has(sameName.id) ? sameName : undefined);
    if (target) {
      claimed.add(target.id);
      const fields = new Set([...present].filter((f) => !KEPT.has(f) && !(f === 'forms' && given.forms.length === 0)));
      plan.compare(target, given, fields);
      continue;
    }
    const details = code ? input.details?.get(code) : undefined;
    const data = details ? { ...details, ...Object.fromEntries([...present].map((f) => [f, given[f as keyof ProcedureInput]])) } as ProcedureInput : given;
    if (details) enriched++;
    const name = distinctName(data, names);
    if (name !== data.name) renamed++;
    names.add(nameKey(name));
    plan.creates.push({ ...data, name });
  }
  return plan.planned(async (tx, ctx) => {
    const ids = await writeEntries(tx, 'Procedure', PROCEDURE_COLUMNS, 'name', plan.creates, plan.updates, ctx);
    await recordRevisions(tx, 'Procedure', 'procedure', ids, { action: 'import', actor: ctx.actor, at: ctx.now });
  }, { enriched, renamed });
}

/** "Cấp lại giấy phép ... (cấp tỉnh)", or "(mã 2.000281)" when the level does not tell them apart. */
function distinctName(p: ProcedureInput, taken: ReadonlySet<string>): string {
  if (!taken.has(nameKey(p.name))) return p.name;
  const level = p.level.trim().toLowerCase();
  const candidates = [level && `${p.name} (${level})`, p.code && `${p.name} (mã ${p.code})`].filter(Boolean) as string[];
  for (const name of candidates) if (!taken.has(nameKey(name))) return name;
  for (let n = 2; ; n++) if (!taken.has(nameKey(`${p.name} (${n})`))) return `${p.name} (${n})`;
}
