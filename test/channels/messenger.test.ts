import type { Request } from 'express';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { classifyGraphError, createGraphClient, parseGraphTime } from '../../src/channels/messenger/client.js';
import {
  createMessengerChannel, messagingType, verifyHandshake, type MessengerChannel,
} from '../../src/channels/messenger/index.js';
import { MESSENGER_LIMITS, renderReply, splitText, toE164, truncate } from '../../src/channels/messenger/render.js';
import { signMessengerBody, verifyMessengerSignature } from '../../src/channels/messenger/signature.js';
import { parseMessengerWebhook } from '../../src/channels/messenger/webhook-schema.js';
import { ParseError, SendError, type Reply } from '../../src/channels/types.js';
import { startFakeGraph, type FakeGraph } from '../helpers/fake-graph.js';

const APP_SECRET = 'test-app-secret';
const PAGE_TOKEN = 'test-page-token';
const VERIFY_TOKEN = 'verify-me';
const PAGE_ID = '1000000000000001';
const PSID = '24681357902468135';
const log = createLogger('silent');

function makeConfig(graphUrl: string, env: Record<string, string> = {}) {
  return configSchema.parse({
    MESSENGER_APP_SECRET: APP_SECRET, MESSENGER_PAGE_ACCESS_TOKEN: PAGE_TOKEN, MESSENGER_VERIFY_TOKEN: VERIFY_TOKEN,
    MESSENGER_GRAPH_BASE_URL: graphUrl, ...env,
  });
}

/** Serialises like Meta: non-ASCII as \uXXXX and slashes escaped, so the raw bytes differ from JSON.stringify. */
function metaJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');
}

function webhookRequest(rawBody: Buffer | undefined, signature?: string): Request & { rawBody?: Buffer } {
  const headers = signature === undefined ? {} : { 'x-hub-signature-256': signature };
  return { rawBody, headers } as unknown as Request & { rawBody?: Buffer };
}

const textItem = (psid: string, mid: string, text: string, timestamp = 1_700_000_000_000) => ({
  sender: { id: psid }, recipient: { id: PAGE_ID }, timestamp, message: { mid, text },
});
const pageBody = (...entries: unknown[][]) => ({
  object: 'page',
  entry: entries.map((messaging, i) => ({ id: PAGE_ID, time: 1_700_000_000_500 + i, messaging })),
});

function channelFor(graph: FakeGraph, env: Record<string, string> = {}): MessengerChannel {
  const channel = createMessengerChannel({ config: makeConfig(graph.url, env), log });
  if (!channel) throw new Error('channel should be enabled');
  return channel;
}

async function sendError(promise: Promise<unknown>): Promise<SendError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  if (!(err instanceof SendError)) throw new Error(`expected a SendError, got ${String(err)}`);
  return err;
}

describe('Messenger signature', () => {
  const raw = Buffer.from(metaJson(pageBody([textItem(PSID, 'm_1', 'xin chào')])));

  it('accepts a body signed with the app secret', () => {
    expect(verifyMessengerSignature(raw, signMessengerBody(raw, APP_SECRET), APP_SECRET)).toBe(true);
  });

  it('rejects a signature made with another secret, a missing header and malformed headers', () => {
    expect(verifyMessengerSignature(raw, signMessengerBody(raw, 'other-secret'), APP_SECRET)).toBe(false);
    expect(verifyMessengerSignature(raw, undefined, APP_SECRET)).toBe(false);
    const hex = signMessengerBody(raw, APP_SECRET).slice('sha256='.length);
    expect(verifyMessengerSignature(raw, hex, APP_SECRET)).toBe(false);
    expect(verifyMessengerSignature(raw, `sha1=${hex}`, APP_SECRET)).toBe(false);
    expect(verifyMessengerSignature(raw, `sha256=${hex.slice(0, 40)}`, APP_SECRET)).toBe(false);
    expect(verifyMessengerSignature(raw, [signMessengerBody(raw, APP_SECRET)], APP_SECRET)).toBe(false);
  });

  it('rejects a body changed after signing', () => {
    const signature = signMessengerBody(raw, APP_SECRET);
    const tampered = Buffer.from(raw.toString('utf8').replace('xin ch', 'xin kh'));
    expect(verifyMessengerSignature(tampered, signature, APP_SECRET)).toBe(false);
  });

  it('verifies Vietnamese text over the raw escaped bytes, not over re-serialised JSON', () => {
    const body = pageBody([textItem(PSID, 'm_vi', 'Thủ tục đăng ký khai sinh cần giấy tờ gì? https://dichvucong.gov.vn/')]);
    const rawVi = Buffer.from(metaJson(body));
    expect(rawVi.toString('utf8')).toContain('\\u1ee7');
    const signature = signMessengerBody(rawVi, APP_SECRET);
    expect(verifyMessengerSignature(rawVi, signature, APP_SECRET)).toBe(true);
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(rawVi.toString('utf8'))));
    expect(verifyMessengerSignature(reserialised, signature, APP_SECRET)).toBe(false);
    const [message] = parseMessengerWebhook(JSON.parse(rawVi.toString('utf8')));
    expect(message.text).toBe('Thủ tục đăng ký khai sinh cần giấy tờ gì? https://dichvucong.gov.vn/');
  });

  it('channel.verify reads req.rawBody and the X-Hub-Signature-256 header', async () => {
    const channel = createMessengerChannel({ config: makeConfig('http://127.0.0.1:9'), log });
    expect(channel?.verify(webhookRequest(raw, signMessengerBody(raw, APP_SECRET)))).toBe(true);
    expect(channel?.verify(webhookRequest(raw, signMessengerBody(raw, 'nope')))).toBe(false);
    expect(channel?.verify(webhookRequest(raw))).toBe(false);
    expect(channel?.verify(webhookRequest(undefined, signMessengerBody(raw, APP_SECRET)))).toBe(false);
  });
});

describe('Messenger webhook handshake', () => {
  it('echoes the challenge when the mode is subscribe and the token matches', () => {
    const query = { 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1158201444' };
    expect(verifyHandshake(query, VERIFY_TOKEN)).toEqual({ ok: true, challenge: '1158201444' });
    const nested = { hub: { mode: 'subscribe', verify_token: VERIFY_TOKEN, challenge: 'abc' } };
    expect(verifyHandshake(nested, VERIFY_TOKEN)).toEqual({ ok: true, challenge: 'abc' });
  });

  it('refuses (403) a wrong token, another mode, a missing challenge or an unset token', () => {
    const ok = { 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': 'c' };
    expect(verifyHandshake({ ...ok, 'hub.verify_token': 'wrong' }, VERIFY_TOKEN)).toEqual({ ok: false });
    expect(verifyHandshake({ ...ok, 'hub.mode': 'unsubscribe' }, VERIFY_TOKEN)).toEqual({ ok: false });
    expect(verifyHandshake({ 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN }, VERIFY_TOKEN)).toEqual({ ok: false });
    expect(verifyHandshake({ ...ok, 'hub.verify_token': ['a', 'b'] }, VERIFY_TOKEN)).toEqual({ ok: false });
    expect(verifyHandshake({ ...ok, 'hub.verify_token': '' }, '')).toEqual({ ok: false });
    expect(verifyHandshake({}, VERIFY_TOKEN)).toEqual({ ok: false });
  });
});

describe('Messenger webhook parsing', () => {
  it('reads every messaging item of every entry, in order', () => {
    const messages = parseMessengerWebhook(pageBody(
      [textItem('111', 'm_a', 'lệ phí khai sinh bao nhiêu'), textItem('222', 'm_b', 'cho hỏi giờ làm việc')],
      [textItem('333', 'm_c', 'tra cứu hồ sơ', 1_700_000_001_000)],
    ));
    expect(messages).toEqual([
      { channel: 'messenger', eventId: 'm_a', eventName: 'message', userId: '111', kind: 'text',
        text: 'lệ phí khai sinh bao nhiêu', timestamp: 1_700_000_000_000 },
      expect.objectContaining({ eventId: 'm_b', userId: '222', kind: 'text' }),
      expect.objectContaining({ eventId: 'm_c', userId: '333', text: 'tra cứu hồ sơ', timestamp: 1_700_000_001_000 }),
    ]);
  });

  it('turns postbacks into kind postback with the payload and the button title as text', () => {
    const [withMid, withoutMid] = parseMessengerWebhook(pageBody([
      { sender: { id: PSID }, recipient: { id: PAGE_ID }, timestamp: 5,
        postback: { mid: 'm_pb', title: 'Bắt đầu', payload: 'GET_STARTED' } },
      { sender: { id: PSID }, recipient: { id: PAGE_ID }, timestamp: 6, postback: { title: 'Menu', payload: 'MENU' } },
    ]));
    expect(withMid).toMatchObject({ eventId: 'm_pb', eventName: 'postback', kind: 'postback', payload: 'GET_STARTED', text: 'Bắt đầu' });
    expect(withoutMid).toMatchObject({ eventId: `postback:${PSID}:6`, payload: 'MENU', userId: PSID });
  });

  it('turns a quick reply into kind postback with its payload', () => {
    const [m] = parseMessengerWebhook(pageBody([{ sender: { id: PSID }, recipient: { id: PAGE_ID }, timestamp: 7,
      message: { mid: 'm_qr', text: 'Lệ phí', quick_reply: { payload: 'FEE:KHAI_SINH' } } }]));
    expect(m).toMatchObject({ eventId: 'm_qr', eventName: 'message', kind: 'postback', payload: 'FEE:KHAI_SINH', text: 'Lệ phí' });
  });

  it('marks echoes of the page\'s own messages as ignored, keyed to the user', () => {
    const [m] = parseMessengerWebhook(pageBody([{ sender: { id: PAGE_ID }, recipient: { id: PSID }, timestamp: 8,
      message: { mid: 'm_echo', text: 'Dạ, em chào anh/chị', is_echo: true, app_id: 123 } }]));
    expect(m).toMatchObject({ eventId: 'm_echo', eventName: 'echo', kind: 'ignored', userId: PSID });
  });

  it('reads attachments: image, audio, video, file, location, sticker and shared links', () => {
    const item = (mid: string, message: object) => ({ sender: { id: PSID }, recipient: { id: PAGE_ID }, timestamp: 9,
      message: { mid, ...message } });
    const att = (type: string, payload: object | null) => ({ attachments: [{ type, payload }] });
    const messages = parseMessengerWebhook(pageBody([
      item('m_img', att('image', { url: 'https://cdn/x.jpg' })),
      item('m_aud', att('audio', { url: 'https://cdn/x.mp4' })),
      item('m_vid', att('video', { url: 'https://cdn/v.mp4' })),
      item('m_file', att('file', { url: 'https://cdn/don.pdf' })),
      item('m_loc', att('location', { coordinates: { lat: 21.0285, long: 105.8542 } })),
      item('m_stk', { sticker_id: 369239263222822, ...att('image', { url: 'https://cdn/like.png', sticker_id: 369239263222822 }) }),
      item('m_link', { attachments: [{ type: 'fallback', payload: null, title: 'Cổng DVC', URL: 'https://dichvucong.gov.vn' }] }),
    ]));
    expect(messages.map((m) => m.kind)).toEqual(['image', 'audio', 'video', 'file', 'location', 'sticker', 'link']);
    expect(messages[0].attachments).toEqual([{ type: 'image', url: 'https://cdn/x.jpg' }]);
    expect(messages[4].location).toEqual({ latitude: 21.0285, longitude: 105.8542 });
    expect(messages[6].attachments).toEqual([{ type: 'fallback', url: 'https://dichvucong.gov.vn' }]);
  });

  it('ignores read receipts, deliveries and event types it does not know', () => {
    const base = { sender: { id: PSID }, recipient: { id: PAGE_ID }, timestamp: 10 };
    const messages = parseMessengerWebhook(pageBody([
      { ...base, read: { watermark: 9 } },
      { ...base, delivery: { mids: ['m_1'], watermark: 9 } },
      { ...base, reaction: { mid: 'm_1', action: 'react', reaction: 'love' } },
    ]));
    expect(messages.map((m) => [m.eventName, m.kind, m.eventId])).toEqual([
      ['read', 'ignored', `read:${PSID}:10`],
      ['delivery', 'ignored', `delivery:${PSID}:10`],
      ['other', 'ignored', `other:${PSID}:10`],
    ]);
  });

  it('throws ParseError for bodies that are not a Page webhook', () => {
    const bad: unknown[] = [null, 'text', [], {}, { object: 'user', entry: [] }, { object: 'page' },
      { object: 'page', entry: {} }, { object: 'page', entry: [{ time: 1, messaging: [] }] },
      { object: 'page', entry: [{ id: PAGE_ID, time: 1, messaging: 'nope' }] }];
    for (const body of bad) expect(() => parseMessengerWebhook(body), JSON.stringify(body)).toThrow(ParseError);
  });

  it('ignores a malformed messaging item with a warning and still reads the others', () => {
    const warnings: string[] = [];
    const messages = parseMessengerWebhook(pageBody([
      { sender: { id: 42 }, timestamp: 1, message: { mid: 'm_x', text: 'x' } },
      textItem(PSID, 'm_ok', 'xin chào'),
    ]), (msg) => warnings.push(msg));
    expect(messages.map((m) => m.kind)).toEqual(['ignored', 'text']);
    expect(warnings).toHaveLength(1);
    expect(parseMessengerWebhook({ object: 'page', entry: [{ id: PAGE_ID, time: 1 }] })).toEqual([]);
  });
});

describe('Messenger rendering', () => {
  const sentence = 'Người dân nộp hồ sơ đăng ký khai sinh tại Ủy ban nhân dân cấp xã nơi cư trú của cha hoặc mẹ. ';

  it('keeps a short text as one message', () => {
    expect(renderReply({ text: 'Dạ, em chào anh/chị.' })).toEqual([{ text: 'Dạ, em chào anh/chị.' }]);
  });

  it('splits long text under 2,000 characters on word boundaries, losing no word', () => {
    const words = Array.from({ length: 900 }, (_, i) => `từ${i}`).join(' ');
    const chunks = splitText(words);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(MESSENGER_LIMITS.text);
    expect(chunks.join(' ')).toBe(words);
  });

  it('prefers a paragraph break, then a sentence end, to a word break', () => {
    const para1 = sentence.repeat(12).trim();
    const para2 = sentence.repeat(12).trim();
    expect(splitText(`${para1}\n\n${para2}`)).toEqual([para1, para2]);
    const long = sentence.repeat(40).trim();
    for (const chunk of splitText(long)) expect(chunk.endsWith('.')).toBe(true);
  });

  it('cuts an unbroken string hard, and composes decomposed Vietnamese first', () => {
    const url = `https://example.gov.vn/${'a'.repeat(4500)}`;
    expect(splitText(url).map((c) => c.length)).toEqual([2000, 2000, 523]);
    expect(splitText('Khai sinh'.normalize('NFD'))).toEqual(['Khai sinh']);
    expect(truncate('Đăng ký thường trú cho trẻ em', 20)).toBe('Đăng ký thường trú…');
  });

  it('puts at most 13 quick replies of at most 20 characters on the last message', () => {
    const warnings: string[] = [];
    const buttons = Array.from({ length: 15 }, (_, i) => ({ title: `Thủ tục hành chính số ${i}`, payload: `P${i}` }));
    const messages = renderReply({ text: sentence.repeat(30), buttons }, (w) => warnings.push(w));
    expect(messages.length).toBe(2);
    expect(messages[0]).not.toHaveProperty('quick_replies');
    const qr = messages[1].quick_replies ?? [];
    expect(qr).toHaveLength(13);
    expect(qr[0]).toEqual({ content_type: 'text', title: 'Thủ tục hành chính…', payload: 'P0' });
    for (const q of qr) expect(q.title.length).toBeLessThanOrEqual(20);
    expect(warnings).toEqual([expect.stringContaining('2 quick replies dropped')]);
  });

  it('drops a quick reply whose payload is too long and uses the title when there is no payload', () => {
    const warnings: string[] = [];
    const [m] = renderReply({ text: 'Chọn', buttons: [{ title: 'A', payload: 'x'.repeat(1001) }, { title: 'Có' }] },
      (w) => warnings.push(w));
    expect(m.quick_replies).toEqual([{ content_type: 'text', title: 'Có', payload: 'Có' }]);
    expect(warnings).toHaveLength(1);
    const [only] = renderReply({ text: '  ', buttons: [{ title: 'Có', payload: 'YES' }] });
    expect(only).toMatchObject({ text: expect.stringContaining('chọn'), quick_replies: [{ payload: 'YES' }] });
  });

  it('renders link and phone buttons as button templates of at most 3 after the text', () => {
    const links = Array.from({ length: 7 }, (_, i) => ({ title: `Mẫu đơn ${i}`, url: `https://dvc.gov.vn/${i}` }));
    const reply: Reply = { text: 'Dạ, mẫu đơn ở đây:', buttons: [...links, { title: 'Gọi tổng đài UBND', phone: '0243 825 3536' },
      { title: 'Đường dây nóng', phone: '1900 1234' }, { title: 'Thêm', payload: 'MORE' }] };
    const messages = renderReply(reply);
    expect(messages[0]).toEqual({ text: 'Dạ, mẫu đơn ở đây:' });
    const templates = messages.flatMap((m) => ('attachment' in m && m.attachment.type === 'template' ? [m.attachment.payload] : []));
    expect(templates.map((t) => t.buttons.length)).toEqual([3, 3, 2]);
    expect(templates[0].buttons[0]).toEqual({ type: 'web_url', url: 'https://dvc.gov.vn/0', title: 'Mẫu đơn 0' });
    expect(templates[2].buttons[1]).toEqual({ type: 'phone_number', title: 'Gọi tổng đài UBND', payload: '+842438253536' });
    for (const t of templates) expect(t.text.length).toBeLessThanOrEqual(640);
    const last = messages[messages.length - 1];
    expect(last).toMatchObject({ text: 'Đường dây nóng: 1900 1234', quick_replies: [{ payload: 'MORE' }] });
    expect(toE164('+84 912 345 678')).toBe('+84912345678');
  });

  it('renders images, files and a written request for contact details', () => {
    const messages = renderReply({ text: 'Dạ', images: ['https://cdn/a.png'], files: [{ name: 'Tờ khai', url: 'https://cdn/tk.docx' }],
      requestUserInfo: { title: 'Đăng ký nhận kết quả tại nhà', subtitle: 'Cán bộ sẽ gọi lại' } });
    expect(messages).toEqual([
      { text: 'Dạ' },
      { attachment: { type: 'image', payload: { url: 'https://cdn/a.png', is_reusable: true } } },
      { attachment: { type: 'file', payload: { url: 'https://cdn/tk.docx' } } },
      { text: expect.stringContaining('họ tên, số điện thoại và địa chỉ') },
    ]);
  });
});

describe('Messenger sending through the Graph API', () => {
  let graph: FakeGraph;
  let channel: MessengerChannel;
  beforeAll(async () => {
    graph = await startFakeGraph({ token: PAGE_TOKEN, pageId: PAGE_ID });
    channel = channelFor(graph);
  });
  afterEach(() => { graph.setFailure(null); graph.sent.length = 0; });
  afterAll(() => graph.close());

  it('is disabled (null) when any of its three secrets is missing', () => {
    for (const name of ['MESSENGER_APP_SECRET', 'MESSENGER_PAGE_ACCESS_TOKEN', 'MESSENGER_VERIFY_TOKEN']) {
      expect(createMessengerChannel({ config: makeConfig(graph.url, { [name]: '' }), log })).toBeNull();
    }
  });

  it('sends each rendered message in order as a RESPONSE and returns their ids', async () => {
    const reply: Reply = { text: 'Dạ, lệ phí đăng ký khai sinh đúng hạn được miễn.', buttons: [
      { title: 'Hồ sơ cần gì', payload: 'DOCS' }, { title: 'Tra cứu online', url: 'https://dichvucong.gov.vn' }] };
    const result = await channel.send(PSID, reply);
    expect(result.messageIds).toEqual(graph.sent.map((s) => s.message_id));
    expect(graph.sent.map((s) => [s.psid, s.messaging_type, s.tag])).toEqual([[PSID, 'RESPONSE', undefined], [PSID, 'RESPONSE', undefined]]);
    expect(graph.sent[0].message).toEqual({ text: reply.text });
    expect(graph.sent[1].message).toMatchObject({ attachment: { type: 'template' }, quick_replies: [{ payload: 'DOCS' }] });
  });

  it('sends a notice as UPDATE inside the 24 h window and tagged ACCOUNT_UPDATE outside it', async () => {
    await channel.send(PSID, { text: 'Hồ sơ của anh/chị đã có kết quả.' }, { purpose: 'notice', lastInboundAt: new Date(Date.now() - 3600_000) });
    await channel.send(PSID, { text: 'Hồ sơ của anh/chị đã có kết quả.' }, { purpose: 'notice', lastInboundAt: new Date(Date.now() - 25 * 3600_000) });
    expect(graph.sent.map((s) => [s.messaging_type, s.tag])).toEqual([['UPDATE', undefined], ['MESSAGE_TAG', 'ACCOUNT_UPDATE']]);
  });

  it('picks the messaging type from what a message is for and the window', () => {
    const now = new Date();
    const old = new Date(now.getTime() - 48 * 3600_000);
    expect(messagingType('reply', now, now)).toEqual({ type: 'RESPONSE' });
    expect(messagingType('agent', old, now)).toEqual({ type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
    expect(messagingType('event', old, now)).toEqual({ type: 'MESSAGE_TAG', tag: 'CONFIRMED_EVENT_UPDATE' });
    expect(messagingType('update', now, now)).toEqual({ type: 'UPDATE' });
  });

  it('gets a 5,000-character reply with 20 buttons past Meta\'s limits', async () => {
    const buttons = Array.from({ length: 20 }, (_, i) => (i % 2 ? { title: `Liên kết số ${i} rất dài`, url: `https://x.vn/${i}` }
      : { title: `Lựa chọn số ${i} rất dài`, payload: `C${i}` }));
    const { messageIds } = await channel.send(PSID, { text: 'Thủ tục hành chính. '.repeat(250), buttons });
    expect(messageIds.length).toBe(graph.sent.length);
    expect(graph.sent.length).toBe(3 + 4);
  });

  it('classifies Graph failures for the job queue', async () => {
    const cases = [
      ['http500', 'retry'], ['rate_limit', 'retry'], ['temporary', 'retry'], ['drop', 'retry'],
      ['outside_window', 'window'], ['user_unavailable', 'recipient'], [{ code: 100, message: 'Invalid parameter' }, 'permanent'],
    ] as const;
    for (const [failure, kind] of cases) {
      graph.setFailure(() => failure);
      const err = await sendError(channel.send(PSID, { text: 'Dạ' }));
      expect([failure, err.kind]).toEqual([failure, kind]);
      expect(err.message).not.toContain(PAGE_TOKEN);
    }
    const wrongToken = channelFor(graph, { MESSENGER_PAGE_ACCESS_TOKEN: 'expired' });
    const err = await sendError(wrongToken.send(PSID, { text: 'Dạ' }));
    expect([err.kind, err.code]).toEqual(['token', 190]);
    expect(err.message).toContain('MESSENGER_PAGE_ACCESS_TOKEN');
  });

  it('reports each delivered part and resumes after the parts already sent', async () => {
    const parts: number[] = [];
    graph.setFailure((req) => (req.kind === 'message' && graph.sent.length === 1 ? 'rate_limit' : null));
    const reply = { text: 'Dạ', images: ['https://cdn/a.png', 'https://cdn/b.png'] };
    const err = await sendError(channel.send(PSID, reply, { onPart: async (i) => { parts.push(i); } }));
    expect([err.kind, parts]).toEqual(['retry', [0]]);
    graph.setFailure(null);
    await channel.send(PSID, reply, { fromPart: 1, onPart: async (i) => { parts.push(i); } });
    expect(parts).toEqual([0, 1, 2]);
    expect(graph.sent.map((s) => s.message.text ?? (s.message.attachment as { payload: { url: string } }).payload.url))
      .toEqual(['Dạ', 'https://cdn/a.png', 'https://cdn/b.png']);
  });

  it('maps Graph error bodies and bare HTTP failures to the right kind', () => {
    const graphErr = (code: number, subcode?: number) => ({ error: { message: 'x', type: 'OAuthException', code, error_subcode: subcode } });
    expect(classifyGraphError(400, graphErr(10, 2018278)).kind).toBe('window');
    expect(classifyGraphError(400, graphErr(10, 2018065)).kind).toBe('permanent');
    expect(classifyGraphError(400, graphErr(4)).kind).toBe('retry');
    expect(classifyGraphError(400, graphErr(190, 463)).kind).toBe('token');
    expect(classifyGraphError(502, undefined).kind).toBe('retry');
    expect(classifyGraphError(502, undefined).ambiguous).toBe(true);
    expect(classifyGraphError(200, undefined).ambiguous).toBe(true);
    expect(classifyGraphError(429, undefined).kind).toBe('retry');
    expect(classifyGraphError(404, undefined).kind).toBe('permanent');
  });

  it('turns a network error or timeout into retry', async () => {
    const failing = createGraphClient({ baseUrl: graph.url, version: 'v21.0', pageToken: PAGE_TOKEN,
      fetch: () => Promise.reject(new DOMException('The operation was aborted due to timeout', 'TimeoutError')) });
    const err = await sendError(failing.sendMessage(PSID, { text: 'x' }));
    expect([err.kind, err.code, err.ambiguous]).toEqual(['retry', 'network', true]);
  });

  it('sends typing indicators as their own request', async () => {
    const client = createGraphClient({ baseUrl: graph.url, version: 'v21.0', pageToken: PAGE_TOKEN });
    await client.senderAction(PSID, 'typing_on');
    expect(graph.actions.at(-1)).toMatchObject({ psid: PSID, action: 'typing_on' });
  });
});

describe('Messenger delivery check after a crash', () => {
  let graph: FakeGraph;
  let channel: MessengerChannel;
  beforeAll(async () => {
    graph = await startFakeGraph({ token: PAGE_TOKEN, pageId: PAGE_ID });
    channel = channelFor(graph);
  });
  afterAll(() => graph.close());

  it('finds a reply the page already sent after the given time', async () => {
    const user = '900000000000001';
    const since = new Date(Date.now() - 1000);
    const text = 'Dạ, thời gian giải quyết thủ tục đăng ký khai sinh là trong ngày làm việc. '.repeat(40);
    await channel.send(user, { text });
    expect(await channel.wasDelivered(user, { text }, 0, since)).toBe(true);
    expect(await channel.wasDelivered(user, { text }, 1, since)).toBe(true);
    expect(await channel.wasDelivered(user, { text: 'Một câu trả lời khác' }, 0, since)).toBe(false);
    expect(await channel.wasDelivered(user, { text }, 0, new Date(Date.now() + 60_000))).toBe(false);
  });

  it('does not count the user\'s own message with the same words', async () => {
    const user = '900000000000002';
    graph.addHistory(user, { text: 'Lệ phí bao nhiêu?', fromId: user, at: new Date() });
    expect(await channel.wasDelivered(user, { text: 'Lệ phí bao nhiêu?' }, 0, new Date(Date.now() - 5000))).toBe(false);
    expect(await channel.wasDelivered('900000000000003', { text: 'Lệ phí bao nhiêu?' }, 0, new Date(0))).toBe(false);
  });

  it('throws a SendError when the conversation cannot be read', async () => {
    graph.setFailure((req) => (req.kind === 'conversations' ? 'http500' : null));
    const err = await sendError(channel.wasDelivered('900000000000004', { text: 'x' }, 0, new Date()));
    expect(err.kind).toBe('retry');
    graph.setFailure(null);
  });

  it('parses Graph time stamps with a +0000 offset', () => {
    expect(parseGraphTime('2024-05-01T10:00:00+0000').toISOString()).toBe('2024-05-01T10:00:00.000Z');
    expect(parseGraphTime('2024-05-01T17:00:00+0700').toISOString()).toBe('2024-05-01T10:00:00.000Z');
  });
});
