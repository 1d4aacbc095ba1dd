import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KbStore } from '../src/kb/store.js';
import { DEFAULT_NLU_OPTIONS } from '../src/nlu/build.js';
import { loadNluData } from '../src/nlu/data-files.js';
import { openTestDb, type TestDb } from './helpers/db.js';

// An official's edit rebuilds the NLU only when it changes what the NLU reads: an FAQ's answer does not.

describe('reloading the knowledge base', () => {
  let t: TestDb;
  let kb: KbStore;
  beforeAll(async () => {
    t = await openTestDb('pglite');
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
});
