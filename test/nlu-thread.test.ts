import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { KbStore } from '../src/kb/store.js';
import { DEFAULT_NLU_OPTIONS } from '../src/nlu/build.js';
import { loadNluData } from '../src/nlu/data-files.js';
import { understandAsk, type Ask } from '../src/nlu/ask.js';
import { NluThread } from '../src/nlu/thread-client.js';
import { PlaceIndex } from '../src/places/place-index.js';
import { openTestDb, type TestDb } from './helpers/db.js';
import { waitFor } from './helpers/server.js';

// On the PostgreSQL server messages are understood on a thread of its own with its own copy of the knowledge base:
// it must understand exactly as the bot's thread does, and never with another knowledge base than the bot's.

const log = pino({ level: 'silent' });
const MESSAGES = [
  'lệ phí đăng ký kết hôn bao nhiêu',
  'lam giay khai sinh cho con can giay to gi',
  'xin chao', 'cảm ơn nhé', 'cho tôi gặp cán bộ',
  'hồ sơ 000.00.19.H12-231123-0001 đến đâu rồi',
  'phường 5 vũng tàu giờ là phường nào',
  'mô hình chạm để biết là gì',
  'thủ tục cấp lại căn cước mất thì làm sao',
  'giá vàng hôm nay',
];

describe('the NLU thread (PostgreSQL server)', () => {
  let t: TestDb;
  let kb: KbStore;
  let thread: NluThread;
  beforeAll(async () => {
    t = await openTestDb('postgres');
    kb = new KbStore(t.db, loadNluData(), DEFAULT_NLU_OPTIONS, undefined, await PlaceIndex.fromDatabase(t.db.prisma));
    await kb.load();
    thread = new NluThread(kb, { databaseUrl: t.url, options: DEFAULT_NLU_OPTIONS, pollMs: 60_000 }, log);
    expect(await thread.ready).toBe(true);
  }, 120_000);
  afterAll(async () => {
    await thread?.close();
    await t?.close();
  });

  const local = (ask: Ask) => understandAsk(kb.nlu, kb.snapshot.procedureById, ask);

  it('understands every message as the bot itself does, with the conversation\'s context', async () => {
    const fee = kb.snapshot.procedures.find((p) => /kết hôn/i.test(p.name))!;
    const asks: Ask[] = [
      ...MESSAGES.map((text) => ({ text, expectPlace: false })),
      { text: 'còn lệ phí thì sao', procedureId: fee.id, expectPlace: false },
      { text: 'Vũng Tàu', expectPlace: true },
    ];
    const answers = await Promise.all(thread.understandAll(asks));
    answers.forEach((u, i) => expect(u, asks[i].text).toEqual(local(asks[i])));
    expect(answers[asks.length - 2]?.decision).toMatchObject({ kind: 'procedure', via: 'context' });
  });

  it('answers nothing while its knowledge base is not the bot\'s, and catches up when the bot reloads', async () => {
    const p = kb.snapshot.procedures[0];
    const ask: Ask = { text: 'xin giấy phép nuôi chim yến', expectPlace: false };
    expect(local(ask).procedure?.id).not.toBe(p.id);
    await t.db.prisma.procedure.update({ where: { id: p.id }, data: { aliases: [...p.aliases, 'giấy phép nuôi chim yến'] } });
    await kb.changed();
    const right = local(ask);
    expect(right.procedure?.id).toBe(p.id);
    // Either the thread has not reloaded yet (no answer: the bot understands it itself) or it answers as the bot.
    const now = await thread.understandAll([ask])[0];
    if (now) expect(now).toEqual(right);
    expect(await waitFor(() => thread.understandAll([ask])[0], 20_000)).toEqual(right);
  }, 30_000);

  it('a thread that cannot start answers nothing, and the bot goes on alone', async () => {
    const broken = new NluThread(kb, { databaseUrl: 'postgres://postgres@127.0.0.1:1/none', options: DEFAULT_NLU_OPTIONS, pollMs: 60_000 }, log);
    expect(await broken.ready).toBe(false);
    expect(await Promise.all(broken.understandAll([{ text: MESSAGES[0], expectPlace: false }]))).toEqual([undefined]);
    await broken.close();
  });
});
