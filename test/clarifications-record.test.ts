import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECORD_DECISIONS_SQL } from '../src/pipeline/decide.js';
import { openTestDb, DB_KINDS, type TestDb } from './helpers/db.js';

// A batch of decisions records its "which procedure?" questions, choices and abandons with its messages, in one
// statement: each row
// must do what a statement of its own did (a new question abandons the person's open ones; a choice or another
// subject closes only the latest open one), and touch nobody else's questions.
describe.each(DB_KINDS)('recording clarifications on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => { t = await openTestDb(kind, { seed: false }); }, 120_000);
  afterAll(async () => { await t.close(); });

  it('asks, picks and abandons for several people in one statement', async () => {
    const open = (userId: string, text: string) => t.db.sql.query(`INSERT INTO "Clarification" (channel, "userId", text, options, status, "createdAt")
      VALUES ('zalo', $1, $2, '[]'::jsonb, 'open', now())`, [userId, text]);
    await open('asker', 'old 1');
    await open('asker', 'old 2');
    await open('picker', 'older');
    await open('picker', 'latest');
    await open('leaver', 'question');
    await open('bystander', 'untouched');
    // Nothing else recorded: no messages, jobs or conversations; the clarifications' columns from $7 on.
    await t.db.sql.query(RECORD_DECISIONS_SQL, ['[]', '[]', '[]', [], false, null, [0, 1, 2, 3],
      ['zalo', 'zalo', 'zalo', 'zalo'], ['asker', 'picker', 'leaver', 'newcomer'], ['asked', 'picked', 'abandoned', 'asked'],
      ['new question', null, null, 'first question'], ['fee', null, null, null],
      [JSON.stringify([{ id: 1, code: '1.000', name: 'A' }]), null, null, '[]'], [null, 42, null, null], [null, 'button', null, null], [], []]);
    const rows = await t.db.sql.query<{ userId: string; text: string; status: string; aspect: string | null; options: unknown;
      pickedProcedureId: number | null; pickedBy: string | null; resolved: boolean }>(`SELECT "userId", text, status, aspect, options,
      "pickedProcedureId", "pickedBy", "resolvedAt" IS NOT NULL AS resolved FROM "Clarification" ORDER BY id`);
    const of = (userId: string) => rows.filter((r) => r.userId === userId).map((r) => `${r.text}: ${r.status}`);
    expect(of('asker')).toEqual(['old 1: abandoned', 'old 2: abandoned', 'new question: open']);
    expect(of('picker')).toEqual(['older: open', 'latest: picked']);
    expect(of('leaver')).toEqual(['question: abandoned']);
    expect(of('bystander')).toEqual(['untouched: open']);
    expect(of('newcomer')).toEqual(['first question: open']);
    expect(rows.find((r) => r.text === 'latest')).toMatchObject({ pickedProcedureId: 42, pickedBy: 'button', resolved: true });
    expect(rows.find((r) => r.text === 'new question')).toMatchObject({ aspect: 'fee', options: [{ id: 1, code: '1.000', name: 'A' }], resolved: false });
  });
});
