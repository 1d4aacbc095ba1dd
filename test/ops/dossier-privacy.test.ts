import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertDossierStatus } from '../../src/dossiers/service.js';
import { usedRate } from '../helpers/rate.js';
import { messengerText, startTestServer, waitFor, zaloText, type TestServer } from '../helpers/server.js';

// Item 9, sentence by sentence, on every channel: details, notes and notices only for an account that proved it
// owns the dossier; officials' notes only when marked public; subscriptions and ratings need the same proof;
// nothing of the details reaches an account without proof.

let s: TestServer;
beforeAll(async () => { s = await startTestServer(); }, 180_000);
afterAll(async () => { await s?.close(); });

const DAY = 86_400_000;
const due = new Date(Date.now() + 6 * DAY);
const dueText = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit' }).format(due); // dd/mm, Vietnam time
/** What only the applicant may read: procedure, name (also masked), phone, due date, the notes. */
const DETAILS = ['Cấp giấy phép xây dựng', 'Hoàng Văn Khánh', 'H** V** K', '0915666777', '6777', dueText, 'Bản vẽ thiếu chữ ký', 'CCCD 001199012345'];

type Channel = 'zalo' | 'messenger' | 'web';
const prisma = () => s.runtime.deps.db.prisma;

/** Sends a text (or a button payload) as `user` on `channel`; returns everything the bot sent back. */
async function say(channel: Channel, user: string, text: string): Promise<string> {
  const seen = () => received(channel, user);
  const before = (await seen()).length;
  if (channel === 'zalo') expect((await s.postZalo(zaloText(user, text))).status).toBe(200);
  else if (channel === 'messenger') {
    const body = text.startsWith('#')
      ? { object: 'page', entry: [{ id: 'page-1', time: Date.now(), messaging: [{ sender: { id: user }, recipient: { id: 'page-1' }, timestamp: Date.now(), postback: { title: 'x', payload: text, mid: `pb.${Date.now()}.${Math.random()}` } }] }] }
      : messengerText(user, text);
    expect((await s.postMessenger(body)).status).toBe(200);
  } else {
    const res = await fetch(`${s.url}/api/chat/messages`, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId: user, ...(text.startsWith('#') ? { payload: text } : { text }) }) });
    expect(res.status).toBe(202);
  }
  await waitFor(async () => (await seen()).length > before);
  await new Promise((r) => setTimeout(r, 150));
  return (await seen()).slice(before).join('\n');
}

/** Everything the bot has sent to `user` (texts and buttons), oldest first. */
async function received(channel: Channel, user: string): Promise<string[]> {
  if (channel === 'zalo') return s.zalo.sent.filter((m) => m.userId === user).map((m) => JSON.stringify(m.message));
  if (channel === 'messenger') return s.graph.sent.filter((m) => m.psid === user).map((m) => JSON.stringify(m.message));
  const r = await fetch(`${s.url}/api/chat/messages?sessionId=${user}&after=0`);
  return ((await r.json()) as { messages: Array<{ text: string; reply: unknown }> }).messages.map((m) => JSON.stringify([m.text, m.reply]));
}

const expectNoDetails = (text: string) => { for (const d of DETAILS) expect(text, d).not.toContain(d); };

const CODES: Record<Channel, string> = { zalo: 'H12.26-261202-0901', messenger: 'H12.26-261202-0902', web: 'H12.26-261202-0903' };

describe.each<Channel>(['zalo', 'messenger', 'web'])('dossier privacy on %s', (channel) => {
  const CODE = CODES[channel];
  const stranger = `${channel}-stranger-0001`;
  const owner = `${channel}-owner-00001`;
  const legacy = `${channel}-legacy-0001`;
  let dossierId = 0;

  beforeAll(async () => {
    dossierId = (await prisma().dossier.create({ data: {
      code: CODE, procedureName: 'Cấp giấy phép xây dựng', applicantName: 'Hoàng Văn Khánh', applicantPhone: '0915666777',
      office: 'UBND xã Hòa Phước', receivedAt: new Date(), dueAt: due, status: 'processing', note: 'CCCD 001199012345 cần đối chiếu', notePublic: false,
    } })).id;
    // The owner proved it (the proof flows themselves are tested in test/dialog.test.ts); the legacy account
    // subscribed before proofs existed.
    await prisma().dossierOwner.create({ data: { dossierId, channel, userId: owner, method: 'otp' } });
    await prisma().subscription.create({ data: { dossierId, channel, userId: legacy } });
  });

  it('a lookup without proof gives the coarse status and how to prove it: no detail', async () => {
    const text = await say(channel, stranger, `tra cứu hồ sơ ${CODE}`);
    expect(text).toContain(CODE);
    expect(text).toContain('đang được giải quyết');
    expectNoDetails(text);
  });

  it('subscribing or rating without proof is refused and stores nothing', async () => {
    expect(await say(channel, stranger, `#sub:${CODE}`)).toContain('chỉ người nộp hồ sơ');
    expect(await say(channel, stranger, `#rate:${CODE}`)).toContain('chỉ người nộp hồ sơ');
    expect(await say(channel, stranger, `đăng ký nhận thông báo hồ sơ ${CODE}`)).toContain('chỉ người nộp hồ sơ');
    expect(await prisma().subscription.count({ where: { dossierId, channel, userId: stranger } })).toBe(0);
    expect(await prisma().rating.count({ where: { dossierId, channel, userId: stranger } })).toBe(0);
    expectNoDetails((await received(channel, stranger)).join('\n'));
  });

  it('the owner sees the details but not the internal note, and may subscribe', async () => {
    const text = await say(channel, owner, `tra cứu hồ sơ ${CODE}`);
    expect(text).toContain('Cấp giấy phép xây dựng');
    expect(text).toContain(dueText);
    expect(text).not.toContain('001199012345');
    expect(text).not.toContain('0915666777');
    expect(await say(channel, owner, `#sub:${CODE}`)).toContain(CODE);
    expect(await prisma().subscription.count({ where: { dossierId, channel, userId: owner, active: true } })).toBe(1);
  });

  it('a status change: the owner is told the public note, a subscriber without proof only the coarse status', async () => {
    await say(channel, legacy, 'xin chào'); // within the platform's window for free messages
    const before = { owner: (await received(channel, owner)).length, legacy: (await received(channel, legacy)).length };
    await upsertDossierStatus(s.runtime.deps, CODE, {
      procedureName: 'Cấp giấy phép xây dựng', status: 'needs_supplement', applicantName: 'Hoàng Văn Khánh', applicantPhone: '0915666777',
      office: 'UBND xã Hòa Phước', receivedAt: new Date(), dueAt: due, note: `Bản vẽ thiếu chữ ký (${channel})`, notePublic: true,
    }, { actor: 'test' });
    s.runtime.deps.queue.poke();
    await waitFor(async () => (await received(channel, owner)).length > before.owner && (await received(channel, legacy)).length > before.legacy, 15_000);
    const toOwner = (await received(channel, owner)).slice(before.owner).join('\n');
    const toLegacy = (await received(channel, legacy)).slice(before.legacy).join('\n');
    expect(toOwner).toContain(`Bản vẽ thiếu chữ ký (${channel})`);
    expect(toOwner).toContain('Cấp giấy phép xây dựng');
    expect(toLegacy).toContain(CODE);
    expectNoDetails(toLegacy);
    expect(toLegacy).not.toContain('Bản vẽ');
    // Back to an internal note: nobody is told it.
    const mark = (await received(channel, owner)).length;
    await upsertDossierStatus(s.runtime.deps, CODE, {
      procedureName: 'Cấp giấy phép xây dựng', status: 'processing', applicantName: 'Hoàng Văn Khánh', applicantPhone: '0915666777',
      office: 'UBND xã Hòa Phước', receivedAt: new Date(), dueAt: due, note: `CCCD 001199012345 nội bộ ${channel}`, notePublic: false,
    }, { actor: 'test' });
    s.runtime.deps.queue.poke();
    await waitFor(async () => (await received(channel, owner)).length > mark, 15_000);
    expect((await received(channel, owner)).slice(mark).join('\n')).not.toContain('001199012345');
  });
});

describe('the public web chat limits what one address may create', () => {
  it('ratings from rotating sessions stop at WEB_FORMS_PER_ADDRESS_PER_DAY', async () => {
    const config = s.runtime.deps.config;
    const saved = config.WEB_FORMS_PER_ADDRESS_PER_DAY;
    config.WEB_FORMS_PER_ADDRESS_PER_DAY = (await usedRate(s.runtime.deps.db, 'rating:addr:', DAY, new Date())) + 2;
    try {
      const replies = [];
      for (let i = 0; i < 3; i++) {
        const sid = `web-rate-rot-000${i}`;
        expect(await say('web', sid, 'tôi muốn đánh giá dịch vụ')).toContain('⭐');
        await say('web', sid, '5');
        replies.push(await say('web', sid, '#skip'));
      }
      expect(replies[2]).toContain('từ địa chỉ mạng này');
      expect(await prisma().rating.count({ where: { channel: 'web', userId: { startsWith: 'web-rate-rot-' } } })).toBe(2);
    } finally {
      config.WEB_FORMS_PER_ADDRESS_PER_DAY = saved;
    }
  });
});
