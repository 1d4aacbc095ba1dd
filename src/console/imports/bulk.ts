import type { Prisma } from '../../generated/prisma/client.js';

// Batched writes: thousands of rows go to the database as a few statements, not thousands of round trips.

export type Db = Prisma.TransactionClient;

export const BATCH = 500;

export function chunks<T>(items: T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** PostgreSQL types of the columns an import may update, per table. */
export type ColumnTypes = Record<string, 'text' | 'text[]' | 'int' | 'boolean' | 'jsonb' | 'timestamp(3)'>;

const recordOf = (cols: string[], types: ColumnTypes) => [`"id" int`, ...cols.map((c) => `"${c}" ${types[c]}`)].join(', ');

/**
 * Updates many rows of one table in one statement per batch: the new values travel as one JSON parameter
 * read by jsonb_to_recordset (on PGlite about 20 times faster than Prisma's createMany/update per row).
 * Only the listed columns present in a row change (rows that change different columns go in different
 * statements); `extraSet` adds assignments such as a version increment. Table and column names come from
 * code, never from input.
 */
export async function bulkUpdate(db: Db, table: string, types: ColumnTypes, rows: Array<{ id: number } & Record<string, unknown>>,
  extraSet = ''): Promise<void> {
  const bySet = new Map<string, Array<{ id: number } & Record<string, unknown>>>();
  for (const row of rows) {
    const cols = Object.keys(types).filter((c) => c in row);
    const key = cols.join(',');
    const group = bySet.get(key);
    if (group) group.push(row);
    else bySet.set(key, [row]);
  }
  for (const [key, group] of bySet) {
    const cols = key ? key.split(',') : [];
    const set = [...cols.map((c) => `"${c}" = r."${c}"`), `"updatedAt" = now()`, ...(extraSet ? [extraSet] : [])].join(', ');
    const sql = `UPDATE "${table}" AS t SET ${set} FROM jsonb_to_recordset($1::jsonb) AS r(${recordOf(cols, types)}) WHERE t."id" = r."id"`;
    for (const batch of chunks(group)) await db.$executeRawUnsafe(sql, JSON.stringify(batch));
  }
}

/** Inserts many rows the same way; returns the new ids with the `key` column, to tell which row got which id. */
export async function bulkInsert<K extends string>(db: Db, table: string, types: ColumnTypes, rows: Array<Record<string, unknown>>,
  key: K, opts: { updatedAt?: boolean } = { updatedAt: true }): Promise<Array<{ id: number } & Record<K, unknown>>> {
  if (rows.length === 0) return [];
  const cols = Object.keys(types);
  const target = [...cols, ...(opts.updatedAt ? ['updatedAt'] : [])].map((c) => `"${c}"`).join(', ');
  const source = [...cols.map((c) => `r."${c}"`), ...(opts.updatedAt ? ['now()'] : [])].join(', ');
  const sql = `INSERT INTO "${table}" (${target}) SELECT ${source} FROM jsonb_to_recordset($1::jsonb) AS r(${recordOf(cols, types)}) `
    + `RETURNING "id", ${key === 'questions' ? '"questions"[1] AS "questions"' : `"${key}"`}`;
  const out: Array<{ id: number } & Record<K, unknown>> = [];
  for (const batch of chunks(rows)) out.push(...await db.$queryRawUnsafe<Array<{ id: number } & Record<K, unknown>>>(sql, JSON.stringify(batch)));
  return out.map((r) => ({ ...r, id: Number(r.id) }));
}

/**
 * One Revision per entry, with the entry as stored now, built in the database rather than round-tripped.
 * `baseline` first records the current state of entries that have no history yet (as the console's editor
 * does), so the state before an import can be restored.
 */
export async function recordRevisions(db: Db, table: 'Procedure' | 'Faq', entityType: string, ids: number[],
  opts: { action: 'import' | 'create'; actor: string | null; at: Date | null; onlyWithoutHistory?: boolean }): Promise<void> {
  const unrecorded = opts.onlyWithoutHistory
    ? `AND NOT EXISTS (SELECT 1 FROM "Revision" AS r WHERE r."entityType" = $1 AND r."entityId" = t."id")` : '';
  for (const batch of chunks(ids, 2000)) {
    await db.$executeRawUnsafe(
      `INSERT INTO "Revision" ("entityType", "entityId", "version", "action", "data", "changedBy", "createdAt") `
      + `SELECT $1, t."id", t."version", $2, to_jsonb(t), $3, COALESCE($4::timestamp(3), t."createdAt") FROM "${table}" AS t `
      + `WHERE t."id" IN (SELECT jsonb_array_elements_text($5::jsonb)::int) ${unrecorded}`,
      entityType, opts.action, opts.actor, opts.at?.toISOString() ?? null, JSON.stringify(batch));
  }
}

/** A row as plain JSON (dates as ISO strings), for Revision.data and the audit log. */
export function asJson(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}

/** Same value for the purpose of "did this row change" (arrays and JSON compared by content). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (typeof a === 'object' || typeof b === 'object') return canonical(a) === canonical(b);
  return (a ?? null) === (b ?? null);
}

/** JSON with object keys sorted: jsonb does not keep the key order it was given. */
function canonical(v: unknown): string {
  return JSON.stringify(v ?? null, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x)
    ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([p], [q]) => (p < q ? -1 : 1)))
    : x));
}

/** The fields of `data` the file had a column for. */
export function pick<T extends object>(data: T, fields: ReadonlySet<string>): Partial<T> {
  return Object.fromEntries(Object.entries(data).filter(([k]) => fields.has(k))) as Partial<T>;
}

export function changed(current: Record<string, unknown>, patch: Record<string, unknown>): boolean {
  return Object.entries(patch).some(([k, v]) => !sameValue(current[k], v));
}
