import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Prisma } from '../src/generated/prisma/client.js';
import { KbStore } from '../src/kb/store.js';
import { bumpKbVersion } from '../src/kb/snapshot.js';
import { buildingNlu, buildNlu, DEFAULT_NLU_OPTIONS } from '../src/nlu/build.js';
import { loadNluData } from '../src/nlu/data-files.js';
import { runSliced } from '../src/nlu/work.js';
import { DB_KINDS, openTestDb, type TestDb } from './helpers/db.js';

// An official's edit rebuilds the NLU only when it changes what the NLU reads: an FAQ's answer does not. A reload
// reads only the procedures that changed, and rebuilds in slices between which the bot goes on answering.

describe.each(DB_KINDS)('reloading the knowledge base (%s)', (kind) => {
  let t: TestDb;
  let kb: KbStore;
  beforeAll(async () => {
    t = await openTestDb(kind);
    kb = new KbStore(t.db, loadNluData(), DEFAULT_NLU_OPTIONS);
    await kb.load();
  }, 120_000);
  afterAll(async () => { await t.close(); });

  it("keeps the NLU when only an FAQ's answer changed, and answers with the new text", async () => {
    const nlu = kb.nlu;
    const faq = kb.snapshot.faqs[0];
    await t.db.prisma.faq.update({ where: { id: faq.id }, data: { answer: 'Dạ, câu trả lời mới.' } });
    await kb.changed();
    expect(kb.nlu).toBe(nlu);
    expect(kb.snapshot.faqById.get(faq.id)?.answer).toBe('Dạ, câu trả lời mới.');
  });

  it("rebuilds the NLU when an FAQ's questions changed", async () => {
    const nlu = kb.nlu;
    const faq = kb.snapshot.faqs[0];
    await t.db.prisma.faq.update({ where: { id: faq.id }, data: { questions: [...faq.questions, 'hỏi thêm một câu mới'] } });
    await kb.changed();
    expect(kb.nlu).not.toBe(nlu);
  });

  it('reads again only the procedures that changed, whoever changed them, and keeps the others as they were', async () => {
    const before = kb.snapshot;
    const [first, second] = before.procedures;
    // An import or a script writes SQL, not through the console: the row's version still tells.
    await t.db.prisma.$executeRaw`UPDATE "Procedure" SET aliases = ARRAY['giấy tờ mới đổi'] WHERE id = ${first.id}`;
    await kb.changed();
    expect(kb.snapshot.proceduresRead).toBe(1);
    expect(kb.snapshot.procedureById.get(first.id)?.aliases).toEqual(['giấy tờ mới đổi']);
    expect(kb.snapshot.procedureById.get(second.id)).toBe(before.procedureById.get(second.id));
    expect(kb.snapshot.procedures.map((p) => p.id)).toEqual(before.procedures.map((p) => p.id));

    const added = await t.db.prisma.procedure.create({ data: { ...withoutId(second), name: `${second.name} (bản thử)`, code: null } as unknown as Prisma.ProcedureUncheckedCreateInput });
    await t.db.prisma.procedure.delete({ where: { id: second.id } });
    await kb.changed();
    expect(kb.snapshot.proceduresRead).toBe(1);
    expect(kb.snapshot.procedureById.has(second.id)).toBe(false);
    expect(kb.snapshot.procedureById.get(added.id)?.name).toBe(added.name);
    expect(kb.snapshot.procedures.map((p) => p.id)).toEqual([...before.procedures.map((p) => p.id).filter((id) => id !== second.id), added.id]);
    expect(kb.nlu.understand(added.name).procedure?.id).toBe(added.id);
  });

  it('loads a change committed while a reload was running before the caller that made it goes on', async () => {
    const faq = kb.snapshot.faqs[1];
    await t.db.prisma.faq.update({ where: { id: faq.id }, data: { questions: [...faq.questions, 'một câu hỏi thêm nữa'] } });
    await bumpKbVersion(t.db.prisma);
    const running = kb.refresh(); // a rebuild (the questions changed) is under way...
    await t.db.prisma.faq.update({ where: { id: faq.id }, data: { answer: 'Dạ, câu trả lời sửa trong lúc nạp lại.' } });
    await kb.changed(); // ...and this change was committed after it started
    await running;
    expect(kb.snapshot.faqById.get(faq.id)?.answer).toBe('Dạ, câu trả lời sửa trong lúc nạp lại.');
    expect(kb.snapshot.version).toBe(await t.db.prisma.kbState.findUniqueOrThrow({ where: { id: 1 } }).then((s) => s.version));
  });
});

describe('building the NLU in slices', () => {
  it('gives the same understanding as building it at once, and lets other work run between slices', async () => {
    const t = await openTestDb('pglite');
    try {
      const kb = new KbStore(t.db, loadNluData(), DEFAULT_NLU_OPTIONS);
      await kb.load();
      let turns = 0;
      const ticker = setInterval(() => turns++, 0);
      const sliced = await runSliced(buildingNlu(loadNluData(), kb.snapshot), { sliceMs: 1, restMs: 1 });
      clearInterval(ticker);
      expect(turns).toBeGreaterThan(10);
      const once = buildNlu(loadNluData(), kb.snapshot);
      for (const text of ['làm giấy khai sinh cho con cần gì', 'hồ sơ của tôi đến đâu rồi', 'cho gặp cán bộ', 'xin chào', 'đăng ky ket hon o dau']) {
        expect(JSON.stringify(sliced.understand(text))).toBe(JSON.stringify(once.understand(text)));
      }
    } finally {
      await t.close();
    }
  }, 120_000);
});

function withoutId<T extends { id: number }>(row: T): Omit<T, 'id'> {
  const { id: _, ...rest } = row;
  return rest;
}
