import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactAnswer, modelAnswer } from '../src/bot/answers.js';
import { procedureAnswer } from '../src/bot/procedure-answer.js';
import type { Reply } from '../src/channels/types.js';
import { renderReply as renderMessenger } from '../src/channels/messenger/render.js';
import { renderReply as renderZalo } from '../src/channels/zalo/render.js';
import { ASPECTS } from '../src/nlu/data-files.js';
import { placeNow } from '../src/places/model-place.js';
import { PlaceIndex } from '../src/places/place-index.js';
import { openTestDb, type TestDb } from './helpers/db.js';

// Nothing unverified is shown as fact: every sample entry walked through every channel's renderer carries no call
// or open button, and says in one line that it is sample data; every reform model answers with its place now.

let t: TestDb;
let places: PlaceIndex;
beforeAll(async () => {
  t = await openTestDb('pglite');
  places = await PlaceIndex.fromDatabase(t.db.prisma);
});
afterAll(() => t.close());

async function buttonsOf(reply: Reply) {
  const zalo = (await renderZalo(reply, async () => undefined))
    .flatMap((m) => (m.attachment?.type === 'template' && 'buttons' in m.attachment.payload ? m.attachment.payload.buttons ?? [] : []));
  const messenger = renderMessenger(reply).flatMap((m) => {
    const msg = m as { quick_replies?: Array<{ content_type: string }>; attachment?: { payload?: { buttons?: Array<{ type: string }> } } };
    return [...(msg.quick_replies ?? []).map((q) => ({ type: q.content_type })), ...(msg.attachment?.payload?.buttons ?? [])];
  });
  return { zalo: zalo.map((b) => b.type), messenger: messenger.map((b) => b.type) };
}

describe('sample and unverified entries', () => {
  it('never turn a phone number, e-mail or link into a button, on any channel, and say they are sample data', async () => {
    const prisma = t.db.prisma;
    const replies: Reply[] = [];
    for (const p of await prisma.procedure.findMany({ where: { isSample: true } })) for (const a of ASPECTS) replies.push(procedureAnswer(p, a));
    for (const m of await prisma.reformModel.findMany({ where: { isSample: true } })) replies.push(modelAnswer(m, placeNow(places, m.placeCodes)));
    const offices = await prisma.office.findMany({ where: { isSample: true } });
    replies.push(contactAnswer(offices));
    expect(replies.length).toBeGreaterThan(200);
    for (const r of replies) {
      const { zalo, messenger } = await buttonsOf(r);
      expect(zalo.filter((b) => b === 'oa.open.url' || b === 'oa.open.phone')).toEqual([]);
      expect(messenger.filter((b) => b === 'web_url' || b === 'phone_number' || b === 'user_phone_number' || b === 'user_email')).toEqual([]);
      expect(r.text).toContain('dữ liệu mẫu');
      expect(r.files ?? []).toEqual([]);
    }
  });

  it('a verified office is offered with a call button', async () => {
    const [office] = await t.db.prisma.office.findMany({ take: 1 });
    const reply = contactAnswer([{ ...office, isSample: false, verifiedAt: new Date(), verifiedBy: 'admin' }]);
    expect((await buttonsOf(reply)).zalo).toContain('oa.open.phone');
    expect(reply.text).not.toContain('dữ liệu mẫu');
  });
});

describe('reform models in today\'s map', () => {
  it('every model answers with its place as the source named it and what it is now', async () => {
    const models = await t.db.prisma.reformModel.findMany();
    expect(models.length).toBeGreaterThanOrEqual(39);
    for (const m of models) {
      expect(m.placeCodes.length).toBeGreaterThan(0);
      const now = placeNow(places, m.placeCodes);
      const text = modelAnswer(m, now).text;
      expect(text).toMatch(/Nơi áp dụng: .+\./);
      // Every model outside Hà Tĩnh (the one province neither merged nor without a changed unit here) has moved.
      if (m.province !== 'Hà Tĩnh' || m.locality.startsWith('Xã')) expect(text).toMatch(/\(nay thuộc [^)]+\)/);
      if (m.agencyChanged) expect(text).toMatch(/Lưu ý: (từ ngày 1\/7\/2025|.+ đã thay đổi sau sắp xếp)/);
    }
  });

  it('gives no year the source does not state, and has the Hà Tĩnh policy items', async () => {
    const models = await t.db.prisma.reformModel.findMany();
    for (const m of models.filter((x) => x.province === 'Quảng Nam')) {
      expect(m.year).toBeNull();
      expect(modelAnswer(m, null).text).not.toMatch(/năm 20\d\d\)/);
    }
    expect(models.some((m) => m.keywords.includes('nq 12-nq/tu'))).toBe(true);
    expect(models.filter((m) => m.sourceFile.startsWith('002_')).length).toBe(14);
  });

  it('keeps notes meant for editors out of what citizens read', async () => {
    for (const m of await t.db.prisma.reformModel.findMany()) {
      expect(`${m.summary} ${m.howToUse}`).not.toMatch(/[Vv]ăn bản[^.]*(không (mô tả|nêu|liệt kê|nói)|chỉ nêu)/);
    }
  });
});
