import { z } from 'zod';
import { ParseError } from '../types.js';

// Zalo OA webhook events (one per request). Only the fields the bot uses are required; everything else is kept
// loose so a field Zalo adds tomorrow does not turn into a 400 and a disabled webhook.

/** Zalo ids are ~19-digit numbers: kept as strings (a number, if one ever arrives, is converted). */
export const zaloId = z.union([z.string().trim().min(1), z.number().int().nonnegative()]).transform(String);

/** Milliseconds since the epoch, sent as a string; a number is accepted too. */
const msTimestamp = z.union([z.string().trim().regex(/^\d{1,16}$/), z.number().int().nonnegative()])
  .transform(String);

/** Coordinates have been seen as numbers and as numeric strings. */
const coordinate = z.union([z.number(), z.string().trim().min(1)]).pipe(z.coerce.number()).refine(Number.isFinite);

const envelope = z.looseObject({
  app_id: zaloId,
  event_name: z.string().trim().min(1),
  timestamp: msTimestamp,
  user_id_by_app: zaloId.optional(),
});

const party = z.looseObject({ id: zaloId });
const attachment = z.looseObject({
  type: z.string(),
  payload: z.looseObject({}).optional(),
});
const inboundMessage = z.looseObject({
  msg_id: zaloId,
  text: z.string().optional(),
  attachments: z.array(attachment).optional(),
});

const userMessage = envelope.extend({ sender: party, recipient: party, message: inboundMessage });
const userText = userMessage.extend({ message: inboundMessage.extend({ text: z.string() }) });

const coordinates = z.union([
  z.looseObject({ latitude: coordinate, longitude: coordinate }),
  z.looseObject({ lat: coordinate, long: coordinate }).transform((c) => ({ latitude: c.lat, longitude: c.long })),
]);
const userLocation = userMessage.extend({
  message: inboundMessage.extend({
    attachments: z.array(attachment.extend({ payload: z.looseObject({ coordinates }) })).min(1),
  }),
});

const follower = envelope.extend({ follower: party, oa_id: zaloId.optional() });

const infoValue = z.union([z.string(), z.number()]).transform(String).optional();
const submitInfo = envelope.extend({
  sender: party,
  recipient: party.optional(),
  info: z.looseObject({ name: infoValue, phone: infoValue, address: infoValue }),
});

const oaEcho = envelope.extend({
  sender: party.extend({ admin_id: zaloId.optional() }),
  recipient: party,
  message: inboundMessage.partial().optional(),
});

/** Events the bot does not act on: only user-like fields are read, to build a stable event id. */
const other = envelope.extend({
  sender: party.partial().optional(),
  recipient: party.partial().optional(),
  follower: party.partial().optional(),
  message: z.looseObject({ msg_id: zaloId.optional() }).optional(),
});

export type ZaloEnvelope = z.infer<typeof envelope>;
export type ZaloUserMessageEvent = z.infer<typeof userMessage>;
export type ZaloEvent =
  | { type: 'user_text'; event: z.infer<typeof userText> }
  | { type: 'user_location'; event: z.infer<typeof userLocation> }
  | { type: 'user_attachment'; media: string; event: ZaloUserMessageEvent }
  | { type: 'follower'; event: z.infer<typeof follower> }
  | { type: 'submit_info'; event: z.infer<typeof submitInfo> }
  | { type: 'oa_echo'; event: z.infer<typeof oaEcho> }
  | { type: 'other'; event: z.infer<typeof other> };

/** user_send_<media> events that carry attachments (location has its own schema). */
export const USER_MEDIA = ['image', 'sticker', 'gif', 'file', 'audio', 'video', 'link', 'business_card'] as const;

/** Validates one webhook body; throws ParseError (the route answers 400) when it is not a Zalo event. */
export function parseZaloEvent(body: unknown): ZaloEvent {
  const head = check(envelope, body, 'the common envelope (app_id, event_name, timestamp)');
  const name = head.event_name;
  if (name === 'user_send_text') return { type: 'user_text', event: check(userText, body, name) };
  if (name === 'user_send_location') return { type: 'user_location', event: check(userLocation, body, name) };
  const media = name.startsWith('user_send_') ? name.slice('user_send_'.length) : '';
  if ((USER_MEDIA as readonly string[]).includes(media)) {
    return { type: 'user_attachment', media, event: check(userMessage, body, name) };
  }
  if (name === 'follow' || name === 'unfollow') return { type: 'follower', event: check(follower, body, name) };
  if (name === 'user_submit_info') return { type: 'submit_info', event: check(submitInfo, body, name) };
  if (name.startsWith('oa_send_')) return { type: 'oa_echo', event: check(oaEcho, body, name) };
  // Unknown or uninteresting events are recorded and ignored; a malformed optional field must not reject them.
  const loose = other.safeParse(body);
  return { type: 'other', event: loose.success ? loose.data : head };
}

function check<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 5)
    .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
  throw new ParseError(`Invalid Zalo webhook body (${what}): ${issues}`);
}
