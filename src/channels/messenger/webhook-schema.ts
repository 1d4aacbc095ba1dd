import { z } from 'zod';
import { ParseError, type InboundKind, type InboundMessage } from '../types.js';

// The Messenger webhook body and its reading as InboundMessages. The envelope is strict (anything else is not
// a Page webhook and gets a 400), while each messaging item is validated on its own: Meta adds event types over
// time, and one item we do not understand must not make Meta retry, then unsubscribe, a whole batch of good ones.

const coordinatesSchema = z.object({ lat: z.number(), long: z.number() });

const attachmentSchema = z.object({
  type: z.string(),
  // Fallback attachments (shared links) carry `payload: null` and put title/URL on the attachment itself.
  payload: z.object({
    url: z.string().optional(),
    coordinates: coordinatesSchema.optional(),
    sticker_id: z.union([z.number(), z.string()]).optional(),
  }).loose().nullish(),
  title: z.string().optional(),
  url: z.string().optional(),
  URL: z.string().optional(),
});

export const messageSchema = z.object({
  mid: z.string(),
  text: z.string().optional(),
  quick_reply: z.object({ payload: z.string() }).optional(),
  attachments: z.array(attachmentSchema).optional(),
  is_echo: z.boolean().optional(),
  app_id: z.number().optional(),
  sticker_id: z.number().optional(),
});

export const postbackSchema = z.object({
  mid: z.string().optional(),
  title: z.string().optional(),
  payload: z.string(),
});

export const messagingItemSchema = z.object({
  sender: z.object({ id: z.string().optional() }).optional(),
  recipient: z.object({ id: z.string().optional() }).optional(),
  timestamp: z.number().optional(),
  message: messageSchema.optional(),
  postback: postbackSchema.optional(),
  read: z.unknown().optional(),
  delivery: z.unknown().optional(),
  // Handover protocol: another app (the Page Inbox) took the thread, or gave it back to us.
  take_thread_control: z.object({ previous_owner_app_id: z.union([z.string(), z.number()]).nullish() }).loose().optional(),
  pass_thread_control: z.object({ new_owner_app_id: z.union([z.string(), z.number()]).nullish() }).loose().optional(),
});

const entrySchema = z.object({
  id: z.string(),
  time: z.number(),
  // Items stay unknown here and are parsed one by one (see above). `standby` (another app owns the
  // thread under the handover protocol) is deliberately not read: the bot must stay quiet then.
  messaging: z.array(z.unknown()).optional(),
});

export const webhookBodySchema = z.object({
  object: z.literal('page'),
  entry: z.array(entrySchema),
});

export type MessengerAttachment = z.infer<typeof attachmentSchema>;
export type MessengerInboundMessage = z.infer<typeof messageSchema>;
export type MessengerPostback = z.infer<typeof postbackSchema>;
export type MessagingItem = z.infer<typeof messagingItemSchema>;
export type MessengerEntry = z.infer<typeof entrySchema>;
export type MessengerWebhookBody = z.infer<typeof webhookBodySchema>;

/** Called for a messaging item that does not match the schema; it becomes an 'ignored' event. */
export type ItemWarning = (message: string, item: unknown) => void;

type EventName = 'message' | 'postback' | 'echo' | 'read' | 'delivery' | 'take_thread_control' | 'pass_thread_control' | 'other';

const ATTACHMENT_KINDS: Partial<Record<string, InboundKind>> = {
  image: 'image', audio: 'audio', video: 'video', file: 'file', fallback: 'link', sticker: 'sticker',
};

function event(name: EventName, userId: string, timestamp: number, kind: InboundKind, mid?: string): InboundMessage {
  const eventId = mid ?? `${name}:${userId}:${timestamp}`;
  return { channel: 'messenger', eventId, eventName: name, userId, kind, timestamp };
}

function messageKind(m: MessengerInboundMessage): Pick<InboundMessage, 'kind' | 'location'> {
  if (m.quick_reply) return { kind: 'postback' };
  // Stickers (the thumbs-up too) arrived as image attachments with `sticker_id`; since 30 August 2026 they arrive
  // only as a `sticker` attachment (Messenger Platform changelog, 1 June 2026). Neither is a photo of a document.
  if (m.sticker_id !== undefined || m.attachments?.some((a) => a.type === 'sticker')) return { kind: 'sticker' };
  if (m.text !== undefined) return { kind: 'text' };
  const first = m.attachments?.[0];
  if (!first) return { kind: 'ignored' };
  const coordinates = first.payload?.coordinates;
  if (first.type === 'location' && coordinates) {
    return { kind: 'location', location: { latitude: coordinates.lat, longitude: coordinates.long } };
  }
  const url = first.payload?.url ?? first.url ?? first.URL;
  return { kind: ATTACHMENT_KINDS[first.type] ?? (url ? 'link' : 'ignored') };
}

/** The Page Inbox's own app id: its echoes are an official typing (Meta's handover documentation). */
export const PAGE_INBOX_APP_ID = '263902037430900';

/**
 * Is this echo a person answering from the Page Inbox rather than the bot? Ours carry our app_id; a person's carry
 * none, the Page Inbox's, or (when MESSENGER_APP_ID is set) any other.
 */
function isOfficialEcho(m: MessengerInboundMessage, appId?: string): boolean {
  if (m.app_id === undefined) return true;
  if (String(m.app_id) === PAGE_INBOX_APP_ID) return true;
  return appId !== undefined && String(m.app_id) !== appId;
}

function fromMessage(m: MessengerInboundMessage, item: MessagingItem, timestamp: number, appId?: string): InboundMessage {
  // An echo is the page's own message (the bot's, or an official's from the Page Inbox): the user is the
  // recipient, and it is never answered; an official's pauses the bot for that user.
  if (m.is_echo) {
    const kind = isOfficialEcho(m, appId) ? 'admin_reply' : 'ignored';
    return { ...event('echo', item.recipient?.id ?? '', timestamp, kind, m.mid), text: m.text };
  }
  const psid = item.sender?.id;
  if (!psid) return event('message', '', timestamp, 'ignored', m.mid);
  const attachments = m.attachments?.map((a) => ({ type: a.type, url: a.payload?.url ?? a.url ?? a.URL }));
  const result: InboundMessage = { ...event('message', psid, timestamp, 'text', m.mid), ...messageKind(m) };
  if (m.text !== undefined) result.text = m.text;
  if (m.quick_reply) result.payload = m.quick_reply.payload;
  if (attachments?.length) result.attachments = attachments;
  return result;
}

function fromItem(raw: unknown, entry: MessengerEntry, warn: ItemWarning, appId?: string): InboundMessage {
  const parsed = messagingItemSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    warn(`Messenger messaging item ignored: ${issues.join('; ')}`, raw);
    return event('other', '', entry.time, 'ignored');
  }
  const item = parsed.data;
  const timestamp = item.timestamp ?? entry.time;
  const psid = item.sender?.id ?? '';
  if (item.message) return fromMessage(item.message, item, timestamp, appId);
  if (item.take_thread_control) return event('take_thread_control', psid, timestamp, 'admin_reply');
  if (item.pass_thread_control) {
    const owner = item.pass_thread_control.new_owner_app_id;
    return event('pass_thread_control', psid, timestamp, appId && owner !== undefined && owner !== null && String(owner) === appId ? 'thread_returned' : 'admin_reply');
  }
  if (item.postback) {
    if (!psid) return event('postback', '', timestamp, 'ignored', item.postback.mid);
    const { mid, payload, title } = item.postback;
    const result: InboundMessage = { ...event('postback', psid, timestamp, 'postback', mid), payload };
    if (title !== undefined) result.text = title;
    return result;
  }
  if (item.read !== undefined) return event('read', psid, timestamp, 'ignored');
  if (item.delivery !== undefined) return event('delivery', psid, timestamp, 'ignored');
  return event('other', psid, timestamp, 'ignored');
}

/** Every messaging item of every entry as an InboundMessage; throws ParseError when `body` is not a Page webhook. */
export function parseMessengerWebhook(body: unknown, warn: ItemWarning = () => {}, appId?: string): InboundMessage[] {
  const parsed = webhookBodySchema.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
    throw new ParseError(`Messenger webhook body is not a Page event: ${issues.join('; ')}`);
  }
  return parsed.data.entry.flatMap((entry) => (entry.messaging ?? []).map((raw) => fromItem(raw, entry, warn, appId)));
}
