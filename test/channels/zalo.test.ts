import type { Request } from 'express';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configSchema, type Config } from '../../src/config.js';
import { createZaloChannel, missingZaloConfig, type ZaloChannel } from '../../src/channels/zalo/index.js';
import { DEFAULT_USER_INFO_IMAGE, renderReply, splitText } from '../../src/channels/zalo/render.js';
import { signZaloBody } from '../../src/channels/zalo/signature.js';
import { ZALO_TOKENS_KEY } from '../../src/channels/zalo/tokens.js';
import { ParseError, SendError, type Reply } from '../../src/channels/types.js';
import { createLogger } from '../../src/logger.js';
import { openDatabase } from '../../src/db/open.js';
import { openTestDb, type TestDb } from '../helpers/db.js';
import { startFakeZalo, type FakeZalo } from '../helpers/fake-zalo.js';

const APP_ID = '1234567890123456789';
const OA_SECRET = 'oa-secret-key';
const USER = '8765432109876543210';
const OA = '5555555555555555555';
const log = createLogger('silent');

function zaloConfig(overrides: Record<string, string> = {}): Config {
  return configSchema.parse({
    ZALO_APP_ID: APP_ID, ZALO_APP_SECRET: 'fake-app-secret', ZALO_OA_SECRET_KEY: OA_SECRET,
    ZALO_ACCESS_TOKEN: 'fake-access-0', ZALO_REFRESH_TOKEN: 'fake-refresh-0', ...overrides,
  });
}

/** The express request verify() sees: headers lower-cased by node, raw bytes kept by the body parser. */
function webhookRequest(rawBody: string, headers: Record<string, string>): Request & { rawBody?: Buffer } {
  return { rawBody: Buffer.from(rawBody, 'utf8'), headers } as unknown as Request & { rawBody?: Buffer };
}

const textEvent = (text: string, extra: Record<string, unknown> = {}) => ({
  app_id: APP_ID, user_id_by_app: '111', event_name: 'user_send_text', timestamp: '1700000000123',
  sender: { id: USER }, recipient: { id: OA }, message: { msg_id: 'msg-1', text }, ...extra,
});
const mediaEvent = (media: string, payload: Record<string, unknown>) => ({
  app_id: APP_ID, event_name: `user_send_${media}`, timestamp: '1700000000123', sender: { id: USER }, recipient: { id: OA },
  message: { msg_id: `msg-${media}`, attachments: [{ type: media, payload }] },
});

describe('Zalo webhook signature', () => {
  const channel = createZaloChannel({ config: zaloConfig(), db: {} as TestDb['db'], log })!;
  const body = JSON.stringify(textEvent('Dạ cho hỏi lệ phí khai sinh bao nhiêu ạ?'));
  const mac = signZaloBody(body, APP_ID, '1700000000123', OA_SECRET);

  it('accepts a body signed as Zalo signs it, with and without the "mac=" prefix', () => {
    expect(mac).toMatch(/^mac=[0-9a-f]{64}$/);
    expect(channel.verify(webhookRequest(body, { 'x-zevent-signature': mac }))).toBe(true);
    expect(channel.verify(webhookRequest(body, { 'x-zevent-signature': mac.slice(4) }))).toBe(true);
    expect(channel.verify(webhookRequest(body, { 'x-zevent-signature': mac.toUpperCase().replace('MAC=', 'mac=') }))).toBe(true);
  });

  it('accepts a signature made with the X-ZEvent-Timestamp header as the timestamp', () => {
    const signed = signZaloBody(body, APP_ID, '1700000000999', OA_SECRET);
    expect(channel.verify(webhookRequest(body, { 'x-zevent-signature': signed }))).toBe(false);
    expect(channel.verify(webhookRequest(body, { 'x-zevent-signature': signed, 'x-zevent-timestamp': '1700000000999' }))).toBe(true);
  });

  it('rejects a wrong mac, a missing header, a tampered body, another secret and a malformed header', () => {
    const wrong = `mac=${'0'.repeat(64)}`;
    expect(channel.verify(webhookRequest(body, { 'x-zevent-signature': wrong }))).toBe(false);
    expect(channel.verify(webhookRequest(body, {}))).toBe(false);
    expect(channel.verify(webhookRequest(body.replace('khai sinh', 'kết hôn'), { 'x-zevent-signature': mac }))).toBe(false);
    expect(channel.verify(webhookRequest(body, { 'x-zevent-signature': signZaloBody(body, APP_ID, '1700000000123', 'other') }))).toBe(false);
    expect(channel.verify(webhookRequest(body, { 'x-zevent-signature': `${mac}00` }))).toBe(false);
    expect(channel.verify(webhookRequest(body, { 'x-zevent-signature': 'mac=' }))).toBe(false);
    expect(channel.verify({ headers: { 'x-zevent-signature': mac } } as unknown as Request)).toBe(false);
    expect(channel.verify(webhookRequest('not json', { 'x-zevent-signature': signZaloBody('not json', APP_ID, '', OA_SECRET) }))).toBe(false);
  });

  it('signs the exact bytes received, so re-serialised JSON does not verify', () => {
    const spaced = JSON.stringify(textEvent('Xin chào'), null, 2);
    const signed = signZaloBody(spaced, APP_ID, '1700000000123', OA_SECRET);
    expect(channel.verify(webhookRequest(spaced, { 'x-zevent-signature': signed }))).toBe(true);
    expect(channel.verify(webhookRequest(JSON.stringify(JSON.parse(spaced)), { 'x-zevent-signature': signed }))).toBe(false);
  });
});

describe('parsing Zalo webhook events', () => {
  const channel = createZaloChannel({ config: zaloConfig(), db: {} as TestDb['db'], log })!;
  const one = (body: unknown) => {
    const parsed = channel.parse(body);
    expect(parsed).toHaveLength(1);
    return parsed[0];
  };

  it('turns user_send_text into a text message keyed by msg_id', () => {
    expect(one(textEvent('lệ phí khai sinh'))).toEqual({
      channel: 'zalo', eventId: 'msg-1', eventName: 'user_send_text', userId: USER, kind: 'text',
      text: 'lệ phí khai sinh', timestamp: 1700000000123,
    });
  });

  it('treats text starting with "#" as a hidden button payload, keeping it as text too', () => {
    const m = one(textEvent('#FEE_BIRTH'));
    expect(m).toMatchObject({ kind: 'text', text: '#FEE_BIRTH', payload: '#FEE_BIRTH' });
  });

  it('accepts numeric ids and timestamps and returns them as strings and a number', () => {
    const m = one({ ...textEvent('hi'), app_id: 42, timestamp: 1700000000999, sender: { id: 77 }, message: { msg_id: 9, text: 'hi' } });
    expect(m).toMatchObject({ userId: '77', eventId: '9', timestamp: 1700000000999 });
  });

  it.each([
    ['image', 'image'], ['gif', 'image'], ['sticker', 'sticker'], ['file', 'file'], ['audio', 'audio'],
    ['video', 'video'], ['link', 'link'], ['business_card', 'contact'],
  ])('maps user_send_%s to kind %s with its attachment', (media, kind) => {
    const m = one(mediaEvent(media, { url: `https://zalo.example/${media}`, thumbnail: 'https://zalo.example/t' }));
    expect(m).toMatchObject({ kind, userId: USER, eventId: `msg-${media}`, eventName: `user_send_${media}` });
    expect(m.attachments).toEqual([{ type: media, url: `https://zalo.example/${media}` }]);
  });

  it('reads a shared location from the first attachment, numbers or numeric strings', () => {
    const m = one(mediaEvent('location', { coordinates: { latitude: '10.7642473', longitude: 106.6564 } }));
    expect(m).toMatchObject({ kind: 'location', location: { latitude: 10.7642473, longitude: 106.6564 } });
    const short = one(mediaEvent('location', { coordinates: { lat: 21.0285, long: 105.8542 } }));
    expect(short.location).toEqual({ latitude: 21.0285, longitude: 105.8542 });
    expect(() => channel.parse(mediaEvent('location', { coordinates: { latitude: 'north' } }))).toThrow(ParseError);
  });

  it('takes the user of follow and unfollow from follower.id, with a stable event id', () => {
    const follow = { app_id: APP_ID, event_name: 'follow', timestamp: '1700000000500', oa_id: OA, follower: { id: USER }, source: 'qr' };
    expect(one(follow)).toMatchObject({ kind: 'follow', userId: USER, eventId: `follow:${USER}:1700000000500` });
    expect(one({ ...follow, event_name: 'unfollow' })).toMatchObject({ kind: 'unfollow', userId: USER });
  });

  it('turns user_submit_info into user_info', () => {
    const body = { app_id: APP_ID, event_name: 'user_submit_info', timestamp: '1700000000600', sender: { id: USER },
      recipient: { id: OA }, info: { name: 'Nguyễn Văn A', phone: 84912345678, address: '12 Lê Lợi', city: 'Huế' } };
    expect(one(body)).toMatchObject({ kind: 'user_info', userId: USER,
      userInfo: { name: 'Nguyễn Văn A', phone: '84912345678', address: '12 Lê Lợi' } });
  });

  it('treats an oa_send_* echo with admin_id as an official replying to the citizen', () => {
    const echo = { app_id: APP_ID, event_name: 'oa_send_text', timestamp: '1700000000700',
      sender: { id: OA, admin_id: '999' }, recipient: { id: USER }, message: { msg_id: 'echo-1', text: 'Dạ, cán bộ xin trả lời' } };
    expect(one(echo)).toMatchObject({ kind: 'admin_reply', userId: USER, text: 'Dạ, cán bộ xin trả lời', eventId: 'echo-1' });
    expect(one({ ...echo, sender: { id: OA } })).toMatchObject({ kind: 'ignored', userId: USER });
  });

  it.each(['user_received_message', 'user_seen_message', 'anonymous_send_text', 'user_click_chatnow', 'shop_has_order_v2'])(
    'records %s as ignored', (eventName) => {
      const m = one({ app_id: APP_ID, event_name: eventName, timestamp: '1700000000800', sender: { id: USER },
        recipient: { id: OA }, message: { msg_ids: ['a', 'b'] }, brand_new_field: { nested: true } });
      expect(m).toMatchObject({ kind: 'ignored', eventName, userId: USER, eventId: `${eventName}:${USER}:1700000000800` });
    });

  it('throws nothing but ParseError, whatever the body', () => {
    fc.assert(fc.property(fc.oneof(fc.anything(), fc.record({ app_id: fc.anything(), event_name: fc.anything(),
      timestamp: fc.anything(), sender: fc.anything(), message: fc.anything() })), (body) => {
      try {
        channel.parse(body);
      } catch (err) {
        expect(err).toBeInstanceOf(ParseError);
      }
    }), { numRuns: 500 });
  });

  it('keeps an unknown event with only the common envelope', () => {
    expect(one({ app_id: APP_ID, event_name: 'something_new', timestamp: '1' })).toMatchObject({ kind: 'ignored', userId: '' });
  });

  it.each([
    ['a string', 'user_send_text'], ['null', null], ['an array', [textEvent('x')]], ['no event_name', { app_id: APP_ID, timestamp: '1' }],
    ['no app_id', { event_name: 'follow', timestamp: '1' }], ['no timestamp', { app_id: APP_ID, event_name: 'follow' }],
    ['a non-numeric timestamp', { app_id: APP_ID, event_name: 'x', timestamp: 'yesterday' }],
    ['a text event without sender', { ...textEvent('x'), sender: undefined }],
    ['a text event without text', { ...textEvent('x'), message: { msg_id: '1' } }],
    ['a follow without follower', { app_id: APP_ID, event_name: 'follow', timestamp: '1' }],
  ])('rejects %s with a ParseError', (_what, body) => {
    expect(() => channel.parse(body)).toThrow(ParseError);
  });
});

describe('rendering replies for Zalo', () => {
  const noUpload = async () => undefined;
  const words = (s: string) => s.split(/\s+/).filter(Boolean);

  it('splits long Vietnamese text into chunks of at most 2,000 characters without breaking a word', () => {
    const sentence = 'Hồ sơ đăng ký khai sinh gồm tờ khai theo mẫu, giấy chứng sinh và giấy tờ tùy thân của người đi đăng ký. ';
    const text = sentence.repeat(60);
    const chunks = splitText(text);
    expect(chunks.length).toBeGreaterThan(2);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(2000);
      expect(c.endsWith('.')).toBe(true);
    }
    expect(words(chunks.join(' '))).toEqual(words(text));
  });

  it('never exceeds the limit nor breaks a word shorter than the limit (property)', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'ă', 'ệ', 'Đ', 'x', '1', ',', '😀'), minLength: 1, maxLength: 12 });
    const gap = fc.constantFrom(' ', '\n', '\n\n', '. ', '? ', '  ');
    const text = fc.array(fc.tuple(word, gap), { maxLength: 80 }).map((parts) => parts.map(([w, g]) => w + g).join(''));
    fc.assert(fc.property(text, fc.integer({ min: 24, max: 60 }), (input, limit) => {
      const chunks = splitText(input, limit);
      expect(chunks.every((c) => c.length > 0 && c.length <= limit)).toBe(true);
      expect(words(chunks.join(' '))).toEqual(words(input));
    }), { numRuns: 300 });
  });

  it('prefers a paragraph break, and cuts a word only when it is longer than the limit', () => {
    const first = 'a'.repeat(1200);
    expect(splitText(`${first}\n\n${'b '.repeat(600)}`)[0]).toBe(first);
    const noSpaces = 'x'.repeat(4500);
    expect(splitText(noSpaces).map((c) => c.length)).toEqual([2000, 2000, 500]);
    const spaced = `${'y'.repeat(1990)} ${'z'.repeat(30)}`;
    expect(splitText(spaced)).toEqual(['y'.repeat(1990), 'z'.repeat(30)]);
  });

  it('attaches at most 5 buttons to the last text chunk, typed by what they do', async () => {
    const reply: Reply = {
      text: 'Thủ tục nào ạ? '.repeat(200),
      buttons: [
        { title: 'Lệ phí', payload: '#FEE' }, { title: 'Nộp trực tuyến', url: 'https://dichvucong.gov.vn' },
        { title: 'Gọi tổng đài', phone: '19001234' }, { title: 'T'.repeat(150), payload: '#LONG' }, { title: 'Khác' },
        { title: 'Thứ sáu', payload: '#SIX' },
      ],
    };
    const messages = await renderReply(reply, noUpload);
    expect(messages.length).toBe(2);
    expect(messages[0].attachment).toBeUndefined();
    const attachment = messages[1].attachment as { type: string; payload: { buttons: Array<Record<string, unknown>> } };
    expect(attachment.type).toBe('template');
    const buttons = attachment.payload.buttons;
    expect(buttons).toHaveLength(5);
    expect(buttons[0]).toEqual({ type: 'oa.query.hide', title: 'Lệ phí', payload: '#FEE' });
    expect(buttons[1]).toEqual({ type: 'oa.open.url', title: 'Nộp trực tuyến', payload: { url: 'https://dichvucong.gov.vn' } });
    expect(buttons[2]).toEqual({ type: 'oa.open.phone', title: 'Gọi tổng đài', payload: { phone_code: '19001234' } });
    expect((buttons[3].title as string).length).toBe(100);
    expect(buttons[4]).toEqual({ type: 'oa.query.show', title: 'Khác', payload: 'Khác' });
  });

  it('sends images as media templates, the user-info form with an https image, and buttons alone with a prompt', async () => {
    const messages = await renderReply({ text: '', buttons: [{ title: 'Có', payload: '#YES' }],
      images: ['https://example.gov.vn/a.png'], requestUserInfo: { title: 'Thông tin liên hệ', subtitle: 'Để cán bộ gọi lại' } }, noUpload);
    expect(messages[0].text).toMatch(/chọn/);
    expect(messages[1]).toEqual({ attachment: { type: 'template', payload: { template_type: 'media',
      elements: [{ media_type: 'image', url: 'https://example.gov.vn/a.png' }] } } });
    expect(messages[2]).toEqual({ attachment: { type: 'template', payload: { template_type: 'request_user_info',
      elements: [{ title: 'Thông tin liên hệ', subtitle: 'Để cán bộ gọi lại', image_url: DEFAULT_USER_INFO_IMAGE }] } } });
    expect(DEFAULT_USER_INFO_IMAGE).toMatch(/^https:\/\//);
  });

  it('attaches an uploaded file by token and falls back to a link when the upload fails', async () => {
    const files = [{ name: 'to-khai.pdf', url: 'https://example.gov.vn/to-khai.pdf' }];
    expect(await renderReply({ text: '', files }, async () => 'tok-1'))
      .toEqual([{ attachment: { type: 'file', payload: { token: 'tok-1' } } }]);
    const [fallback] = await renderReply({ text: '', files }, async () => { throw new Error('upload refused'); });
    expect(fallback.text).toContain('https://example.gov.vn/to-khai.pdf');
  });
});

describe('sending through the Zalo API', () => {
  let t: TestDb;
  let fake: FakeZalo;
  const channel = (overrides: Record<string, string> = {}): ZaloChannel =>
    // The fake also serves the form files: a private address the test trusts explicitly.
    createZaloChannel({ config: zaloConfig({ ZALO_API_BASE_URL: fake.url, ZALO_OAUTH_BASE_URL: fake.url, FETCH_PRIVATE_HOSTS: '127.0.0.1', ...overrides }), db: t.db, log })!;
  const stored = async () => (await t.db.prisma.setting.findUnique({ where: { key: ZALO_TOKENS_KEY } }))?.value as Record<string, unknown> | undefined;
  const sendError = async (p: Promise<unknown>) => {
    const err = await p.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(SendError);
    return err as SendError;
  };

  beforeAll(async () => { t = await openTestDb('pglite', { seed: false }); }, 120_000);
  afterAll(async () => { await t?.close(); });
  beforeEach(async () => {
    fake = await startFakeZalo({ appId: APP_ID });
    await t.db.prisma.setting.deleteMany({ where: { key: ZALO_TOKENS_KEY } });
  });
  afterEach(async () => { await fake.close(); });

  it('is disabled when the app id, the OA secret key or both tokens are missing', () => {
    expect(createZaloChannel({ config: configSchema.parse({}), db: t.db, log })).toBeNull();
    expect(missingZaloConfig(zaloConfig({ ZALO_OA_SECRET_KEY: '' }))).toEqual(['ZALO_OA_SECRET_KEY']);
    expect(missingZaloConfig(zaloConfig({ ZALO_ACCESS_TOKEN: '', ZALO_REFRESH_TOKEN: '' }))).toEqual(['ZALO_ACCESS_TOKEN or ZALO_REFRESH_TOKEN']);
    expect(createZaloChannel({ config: zaloConfig({ ZALO_APP_ID: '' }), db: t.db, log })).toBeNull();
    expect(missingZaloConfig(zaloConfig({ ZALO_REFRESH_TOKEN: '' }))).toEqual([]);
  });

  it('sends text, buttons, an image and an uploaded file in order and returns the message ids', async () => {
    const zalo = channel();
    const result = await zalo.send(USER, { text: 'Dạ, hồ sơ gồm tờ khai và giấy chứng sinh.', buttons: [{ title: 'Lệ phí', payload: '#FEE' }],
      images: ['https://example.gov.vn/a.png'], files: [{ name: 'to-khai.pdf', url: `${fake.url}/files/to-khai.pdf` }] });
    expect(result.messageIds).toEqual(['fake-msg-1', 'fake-msg-2', 'fake-msg-3']);
    expect(fake.sent.map((s) => s.userId)).toEqual([USER, USER, USER]);
    expect(fake.sent[0].message).toMatchObject({ text: 'Dạ, hồ sơ gồm tờ khai và giấy chứng sinh.', attachment: { type: 'template' } });
    expect(fake.sent[2].message).toEqual({ attachment: { type: 'file', payload: { token: 'fake-file-token-1' } } });
    expect(fake.uploads).toEqual([expect.objectContaining({ kind: 'file' })]);
    expect(await stored()).toMatchObject({ accessToken: 'fake-access-0', refreshToken: 'fake-refresh-0', expiresAt: null });
  });

  it('sends a 4,500-character answer as three messages the fake API accepts', async () => {
    const text = 'Công dân nộp hồ sơ tại bộ phận một cửa của Ủy ban nhân dân cấp xã. '.repeat(70);
    const { messageIds } = await channel().send(USER, { text });
    expect(messageIds.length).toBe(3);
    expect(fake.sent.every((s) => (s.message.text as string).length <= 2000)).toBe(true);
  });

  it('refreshes once on -216, saves the new pair before using it, and retries the call once', async () => {
    const zalo = channel({ ZALO_ACCESS_TOKEN: 'stale-token' });
    const seenInDb: unknown[] = [];
    fake.setFailure(async (req) => {
      if (req.path === '/v3.0/oa/message/cs' && req.accessToken === 'fake-access-1') seenInDb.push((await stored())?.accessToken);
      return undefined;
    });
    expect((await zalo.send(USER, { text: 'Xin chào' })).messageIds).toEqual(['fake-msg-1']);
    expect(fake.refreshCalls).toBe(1);
    expect(seenInDb).toEqual(['fake-access-1']);
    const row = await stored();
    expect(row).toMatchObject({ accessToken: 'fake-access-1', refreshToken: 'fake-refresh-1' });
    expect(Date.parse(row?.expiresAt as string) - Date.now()).toBeGreaterThan(89_000 * 1000);
  });

  it('refreshes on -220 (expired) and succeeds on the retry', async () => {
    let expiredOnce = false;
    fake.setFailure((req) => (req.path === '/v3.0/oa/message/cs' && !expiredOnce ? ((expiredOnce = true), 'expired') : undefined));
    expect((await channel().send(USER, { text: 'Xin chào' })).messageIds).toHaveLength(1);
    expect(fake.refreshCalls).toBe(1);
    expect(fake.sent[0].message).toEqual({ text: 'Xin chào' });
  });

  it('gives up with a token error when the retry after a refresh is still rejected', async () => {
    let attempts = 0;
    fake.setFailure((req) => (req.path === '/v3.0/oa/message/cs' ? (attempts++, 'expired') : undefined));
    const err = await sendError(channel().send(USER, { text: 'Xin chào' }));
    expect(err).toMatchObject({ kind: 'token', code: -220 });
    expect(err.message).toContain('send cs to user');
    expect(attempts).toBe(2);
    expect(fake.refreshCalls).toBe(1);
  });

  it('serialises concurrent refreshes: two processes with a stale token make one OAuth call', async () => {
    await fake.close();
    fake = await startFakeZalo({ appId: APP_ID, oauthDelayMs: 150 });
    const a = channel({ ZALO_ACCESS_TOKEN: 'stale-token' });
    const b = channel({ ZALO_ACCESS_TOKEN: 'stale-token' });
    await a.client.tokens.read();
    const results = await Promise.all([a.send(USER, { text: 'một' }), b.send(USER, { text: 'hai' }),
      a.client.tokens.refresh('stale-token'), b.client.tokens.refresh('stale-token')]);
    expect(results.slice(2)).toEqual(['fake-access-1', 'fake-access-1']);
    expect(fake.refreshCalls).toBe(1);
    expect(fake.sent.map((s) => s.message.text).sort()).toEqual(['hai', 'một']);
    expect(await stored()).toMatchObject({ accessToken: 'fake-access-1', refreshToken: 'fake-refresh-1' });
  });

  it('refreshes ahead of time when the access token expires within the hour', async () => {
    const zalo = channel();
    await zalo.client.tokens.read();
    const soon = new Date(Date.now() + 30 * 60 * 1000).toISOString();
    await t.db.prisma.setting.update({ where: { key: ZALO_TOKENS_KEY }, data: { value: { ...(await stored()), expiresAt: soon } } });
    await channel().send(USER, { text: 'Xin chào' });
    expect(fake.refreshCalls).toBe(1);
    expect(await stored()).toMatchObject({ accessToken: 'fake-access-1' });
  });

  it('keeps a refreshed pair across restarts, but takes a new pair an operator puts in the environment', async () => {
    await channel({ ZALO_ACCESS_TOKEN: 'stale-token' }).send(USER, { text: 'một' });
    await channel({ ZALO_ACCESS_TOKEN: 'stale-token' }).send(USER, { text: 'hai' });
    expect(fake.refreshCalls).toBe(1);
    await fake.close();
    fake = await startFakeZalo({ appId: APP_ID, accessToken: 'reauthorised', refreshToken: 'reauthorised-refresh' });
    await channel({ ZALO_ACCESS_TOKEN: 'reauthorised', ZALO_REFRESH_TOKEN: 'reauthorised-refresh' }).send(USER, { text: 'ba' });
    expect(await stored()).toMatchObject({ accessToken: 'reauthorised', refreshToken: 'reauthorised-refresh' });
  });

  it('reports a used-up refresh token as a token error that names the fix', async () => {
    const err = await sendError(channel({ ZALO_ACCESS_TOKEN: 'stale-token', ZALO_REFRESH_TOKEN: 'used-refresh' }).send(USER, { text: 'x' }));
    expect(err).toMatchObject({ kind: 'token', code: -14014 });
    expect(err.message).toMatch(/re-authorise the OA/);
    expect(await stored()).toMatchObject({ refreshToken: 'used-refresh' });
  });

  it('detects a refused refresh token once: degraded with why, and no further OAuth calls', async () => {
    const zalo = channel({ ZALO_ACCESS_TOKEN: 'stale-token', ZALO_REFRESH_TOKEN: 'used-refresh' });
    expect(await zalo.health!()).toEqual({ status: 'ok' });
    for (let i = 0; i < 20; i++) expect((await sendError(zalo.send(USER, { text: 'x' }))).kind).toBe('token');
    const again = channel({ ZALO_ACCESS_TOKEN: 'stale-token', ZALO_REFRESH_TOKEN: 'used-refresh' });
    expect((await sendError(again.send(USER, { text: 'x' }))).message).toMatch(/refused on .*re-authorise the OA/);
    expect(fake.refreshCalls).toBe(1);
    const health = await again.health!();
    expect(health).toMatchObject({ status: 'degraded', reason: expect.stringContaining('-14014') });
    expect(JSON.stringify(health)).not.toContain('used-refresh');
  });

  it.each([
    ['rate limit -32', 'rate_limit', 'retry', -32],
    ['HTTP 500', 'http500', 'retry', 500],
    ['a dropped connection', 'drop', 'retry', undefined],
    ['-230 outside the window', 'window', 'window', -230],
    ['-213 not a follower', { error: -213, message: 'User is not a follower' }, 'recipient', -213],
    ['-201 bad parameter', { error: -201, message: 'Parameters are invalid' }, 'permanent', -201],
  ] as const)('classifies %s', async (_what, failure, kind, code) => {
    fake.setFailure((req) => (req.path === '/v3.0/oa/message/cs' ? failure : undefined));
    const err = await sendError(channel().send(USER, { text: 'Xin chào' }));
    expect(err.kind).toBe(kind);
    expect(err.code).toBe(code);
    expect(err.message).toContain(`send cs to user ${USER}`);
    if (typeof code === 'number' && code < 0) expect(err.message).toContain(`error ${code}`);
  });

  it('paces its calls at ZALO_CALLS_PER_MINUTE, and holds every call for a second after a -32 rate limit', async () => {
    // 10 a second on average: 10 at once, then one per 25 ms (four times the average) while the minute's 600 last
    const zalo = channel({ ZALO_CALLS_PER_MINUTE: '600' });
    const started = performance.now();
    await Promise.all(Array.from({ length: 14 }, (_, i) => zalo.send(USER, { text: `Tin ${i}` })));
    const at = fake.sent.map((s) => s.at - fake.sent[0].at);
    expect(at[9]).toBeLessThan(250);
    expect(at[13]).toBeGreaterThanOrEqual(70);
    expect(performance.now() - started).toBeGreaterThanOrEqual(70);

    let refusals = 1;
    fake.setFailure((req) => (req.path === '/v3.0/oa/message/cs' && refusals-- > 0 ? 'rate_limit' : undefined));
    const fresh = channel(); // 4,000 a minute: nothing waits but for the hold
    expect((await sendError(fresh.send(USER, { text: 'bị từ chối' }))).kind).toBe('retry');
    const refusedAt = performance.now();
    await fresh.send(USER, { text: 'sau một giây' });
    expect(performance.now() - refusedAt).toBeGreaterThanOrEqual(950);
  });

  it('reports each delivered part, and resumes after them', async () => {
    let n = 0;
    const parts: string[] = [];
    fake.setFailure((req) => (req.path === '/v3.0/oa/message/cs' && ++n === 2 ? 'window' : undefined));
    const reply = { text: 'Một', images: ['https://example.gov.vn/a.png'] };
    const err = await sendError(channel().send(USER, reply, { onPart: async (i, id) => { parts.push(`${i}:${id}`); } }));
    expect([err.kind, parts]).toEqual(['window', ['0:fake-msg-1']]);
    await channel().send(USER, reply, { fromPart: 1 });
    expect(fake.sent.map((s) => s.message.text ?? 'image')).toEqual(['Một', 'image']);
  });

  it('sends a status notice as a transaction message, and the call button with an 84... number', async () => {
    await channel().send(USER, { text: 'Hồ sơ đã có kết quả.', buttons: [{ title: 'Gọi', phone: '0277 3851 234' }] }, { purpose: 'notice' });
    expect(fake.sent[0].path).toBe('/v3.0/oa/message/transaction');
    expect(fake.sent[0].message).toMatchObject({ attachment: { payload: { template_type: 'transaction_order',
      elements: [{ type: 'header' }, { type: 'text', content: 'Hồ sơ đã có kết quả.' }],
      buttons: [{ type: 'oa.open.phone', payload: { phone_code: '842773851234' } }] } } });
  });

  it('wasDelivered finds a reply the OA sent after a given time, by its first 200 characters', async () => {
    const zalo = channel();
    const before = new Date(Date.now() - 1000);
    const long = `Dạ, kết quả tra cứu hồ sơ: ${'đang xử lý đúng hạn. '.repeat(150)}`;
    await zalo.send(USER, { text: long });
    await zalo.send(USER, { text: 'Cảm ơn anh/chị.' });
    expect(await zalo.wasDelivered(USER, { text: long }, 0, before)).toBe(true);
    expect(await zalo.wasDelivered(USER, { text: long }, 1, before)).toBe(true);
    expect(await zalo.wasDelivered(USER, { text: 'Cảm ơn anh/chị.' }, 0, before)).toBe(true);
    expect(await zalo.wasDelivered(USER, { text: 'Một câu trả lời khác' }, 0, before)).toBe(false);
    expect(await zalo.wasDelivered(USER, { text: long }, 0, new Date(Date.now() + 60_000))).toBe(false);
    expect(await zalo.wasDelivered('someone-else', { text: long }, 0, before)).toBe(false);
  });

  it('reads a profile and the recent conversation', async () => {
    const zalo = channel();
    await zalo.send(USER, { text: 'Xin chào' });
    expect(await zalo.client.getProfile(USER)).toMatchObject({ userId: USER, displayName: `Công dân ${USER}`, isFollower: true });
    expect(await zalo.client.recentMessages(USER, 5)).toEqual([
      expect.objectContaining({ messageId: 'fake-msg-1', src: 0, type: 'text', text: 'Xin chào' })]);
  });

  it('uploads an image and returns its attachment id', async () => {
    const id = await channel().client.uploadImage({ name: 'a.png', data: new Uint8Array([137, 80, 78, 71]), contentType: 'image/png' });
    expect(id).toBe('fake-image-1');
  });
});

describe('token refresh across processes on PostgreSQL', () => {
  it('40 sends waiting on one slow refresh hold one pooled connection: the database keeps answering', async () => {
    const t = await openTestDb('postgres', { seed: false });
    const fake = await startFakeZalo({ appId: APP_ID, oauthDelayMs: 1500 });
    try {
      const zalo = createZaloChannel({ config: zaloConfig({ ZALO_API_BASE_URL: fake.url, ZALO_OAUTH_BASE_URL: fake.url,
        ZALO_ACCESS_TOKEN: 'stale-token' }), db: t.db, log })!;
      await zalo.client.tokens.read();
      const order: string[] = [];
      const sends = Array.from({ length: 40 }, (_, i) => zalo.send(USER, { text: `tin ${i}` }).then(() => order.push('send')));
      await new Promise((r) => setTimeout(r, 300)); // every send now waits for the refresh
      // The pool has 10 connections: were each waiter holding one, these would wait for the OAuth answer.
      await Promise.all(Array.from({ length: 10 }, () => t.db.sql.query('SELECT 1').then(() => order.push('query'))));
      await Promise.all(sends);
      expect(order.slice(0, 10)).toEqual(Array(10).fill('query'));
      expect([fake.refreshCalls, fake.sent.length]).toEqual([1, 40]);
    } finally {
      await fake.close();
      await t.close();
    }
  });

  it('40 first sends after a start (no tokens stored yet) on a pool of 10 all go out', async () => {
    const t = await openTestDb('postgres', { seed: false });
    const fake = await startFakeZalo({ appId: APP_ID });
    try {
      const zalo = createZaloChannel({ config: zaloConfig({ ZALO_API_BASE_URL: fake.url, ZALO_OAUTH_BASE_URL: fake.url }), db: t.db, log })!;
      // Each waiting on the seeding lock with its own connection once left the holder none: every send hung.
      await Promise.all(Array.from({ length: 40 }, (_, i) => zalo.send(USER, { text: `tin ${i}` })));
      expect(fake.sent).toHaveLength(40);
      expect(await t.db.sql.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await fake.close();
      await t.close();
    }
  });

  it('two processes with their own connections and a stale token make one OAuth call', async () => {
    const t = await openTestDb('postgres', { seed: false });
    const otherProcess = await openDatabase(t.url);
    const fake = await startFakeZalo({ appId: APP_ID, oauthDelayMs: 200 });
    try {
      const config = zaloConfig({ ZALO_API_BASE_URL: fake.url, ZALO_OAUTH_BASE_URL: fake.url, ZALO_ACCESS_TOKEN: 'stale-token' });
      const a = createZaloChannel({ config, db: t.db, log })!;
      const b = createZaloChannel({ config, db: otherProcess, log })!;
      await Promise.all([a.send(USER, { text: 'một' }), b.send(USER, { text: 'hai' }), a.send(USER, { text: 'ba' })]);
      expect(fake.refreshCalls).toBe(1);
      expect(fake.sent).toHaveLength(3);
      const row = await otherProcess.prisma.setting.findUnique({ where: { key: ZALO_TOKENS_KEY } });
      expect(row?.value).toMatchObject({ accessToken: 'fake-access-1', refreshToken: 'fake-refresh-1' });
    } finally {
      await fake.close();
      await otherProcess.close();
      await t.close();
    }
  });
});
