import { createHash, timingSafeEqual } from 'node:crypto';
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { Channel, Reply, SendOptions, SendPurpose, SendResult } from '../types.js';
import { createGraphClient, type MessagingType, type SendApiMessage } from './client.js';
import { storable } from '../text.js';
import { renderReply } from './render.js';
import { verifyMessengerSignature } from './signature.js';
import { parseMessengerWebhook } from './webhook-schema.js';

// The Messenger channel: Meta's signature on the raw body, the webhook turned into InboundMessages, replies
// rendered and sent one Send API call per message, and a way to check after a crash what was delivered.

/** Messenger checks its conversation history for replies whose delivery is unknown. */
export interface MessengerChannel extends Channel {
  readonly name: 'messenger';
  wasDelivered(userId: string, reply: Reply, part: number, since: Date): Promise<boolean>;
}

export interface MessengerChannelDeps { config: Config; log: Logger; fetch?: typeof fetch; now?: () => Date }

/** The free window: 24 h after the user's last message (Meta, Messenger Platform policy). */
export const MESSENGER_WINDOW_MS = 24 * 3600_000;

/**
 * Outside the window only tagged messages may go out: ACCOUNT_UPDATE for a change to something the person applied
 * for, CONFIRMED_EVENT_UPDATE for an appointment, HUMAN_AGENT (7 days, a person writing; the app needs Meta's
 * approved Human Agent permission) for an official's reply. Inside it a notice is `UPDATE`, an answer `RESPONSE`.
 */
const OUTSIDE_WINDOW_TAG: Record<SendPurpose, string | undefined> = {
  reply: undefined, agent: 'HUMAN_AGENT', notice: 'ACCOUNT_UPDATE', update: 'ACCOUNT_UPDATE', event: 'CONFIRMED_EVENT_UPDATE',
};

export function messagingType(purpose: SendPurpose, lastInboundAt: Date | null | undefined, now: Date): MessagingType {
  const inside = lastInboundAt !== undefined && lastInboundAt !== null && now.getTime() - lastInboundAt.getTime() <= MESSENGER_WINDOW_MS;
  const tag = OUTSIDE_WINDOW_TAG[purpose];
  // A bot reply answers a message just received; without a known last message it is still an answer.
  if (inside || !tag || lastInboundAt === undefined) return { type: purpose === 'reply' || purpose === 'agent' ? 'RESPONSE' : 'UPDATE' };
  return { type: 'MESSAGE_TAG', tag };
}

export type HandshakeResult = { ok: true; challenge: string } | { ok: false };

function sameSecret(a: string, b: string): boolean {
  // Hashing first gives equal-length buffers, so the comparison leaks neither content nor length.
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/**
 * GET /webhooks/messenger subscription check: echo `hub.challenge` (as text/plain, it is caller-supplied)
 * when the mode is subscribe and the token matches; anything else is a 403.
 */
export function verifyHandshake(query: Readonly<Record<string, unknown>>, verifyToken: string): HandshakeResult {
  // `hub.mode` is a flat key with express's simple parser and nested `hub: { mode }` with qs's dot syntax.
  const nested = typeof query.hub === 'object' && query.hub !== null ? query.hub as Record<string, unknown> : {};
  const read = (key: string): string | undefined => {
    const value = query[`hub.${key}`] ?? nested[key];
    return typeof value === 'string' ? value : undefined;
  };
  const mode = read('mode');
  const token = read('verify_token');
  const challenge = read('challenge');
  if (mode !== 'subscribe' || token === undefined || challenge === undefined || !verifyToken) return { ok: false };
  return sameSecret(token, verifyToken) ? { ok: true, challenge } : { ok: false };
}

// Compared loosely: Meta may normalise whitespace, and a 200-character prefix is unique enough per user.
const comparable = (text: string): string => text.normalize('NFC').replace(/\s+/g, ' ').trim().slice(0, 200);
// Graph times have whole seconds, and its clock is not ours.
const CLOCK_SLACK_MS = 2_000;

/** The Messenger channel, or null (with the reason logged) when its secrets are not configured. */
export function createMessengerChannel(deps: MessengerChannelDeps): MessengerChannel | null {
  const { config } = deps;
  const appSecret = config.MESSENGER_APP_SECRET;
  const pageToken = config.MESSENGER_PAGE_ACCESS_TOKEN;
  const missing = (['MESSENGER_APP_SECRET', 'MESSENGER_PAGE_ACCESS_TOKEN', 'MESSENGER_VERIFY_TOKEN'] as const)
    .filter((name) => !config[name]);
  if (!appSecret || !pageToken || missing.length) {
    deps.log.info({ missing }, 'Messenger channel disabled: set these variables (Meta app dashboard) to enable it');
    return null;
  }
  const log = deps.log.child({ channel: 'messenger' });
  const client = createGraphClient({
    baseUrl: config.MESSENGER_GRAPH_BASE_URL,
    version: config.MESSENGER_GRAPH_VERSION,
    pageToken,
    fetch: deps.fetch,
    timeoutMs: config.SEND_TIMEOUT_MS,
  });
  const now = deps.now ?? (() => new Date());

  return {
    name: 'messenger',
    webhook: { handshake: (query) => verifyHandshake(query, config.MESSENGER_VERIFY_TOKEN ?? '') },

    verify(req) {
      if (!Buffer.isBuffer(req.rawBody)) {
        log.error('Messenger webhook has no raw body: set req.rawBody to the received bytes before JSON parsing');
        return false;
      }
      return verifyMessengerSignature(req.rawBody, req.headers['x-hub-signature-256'], appSecret);
    },

    parse(body) {
      return parseMessengerWebhook(body, (message, item) => log.warn({ item }, message), config.MESSENGER_APP_ID).map(storable);
    },

    async send(userId: string, reply: Reply, opts: SendOptions = {}): Promise<SendResult> {
      const messages = renderReply(reply, (warning) => log.warn({ userId }, `Messenger reply trimmed: ${warning}`));
      const messaging = messagingType(opts.purpose ?? 'reply', opts.lastInboundAt, now());
      const messageIds: string[] = [];
      // In order and one at a time: Messenger shows messages in the order the calls complete.
      for (let i = opts.fromPart ?? 0; i < messages.length; i++) {
        const id = await client.sendMessage(userId, messages[i], messaging);
        messageIds.push(id);
        await opts.onPart?.(i, id, messages.length);
      }
      return { messageIds };
    },

    async wasDelivered(userId, reply, part, since) {
      const message: SendApiMessage | undefined = renderReply(reply)[part];
      // Only text can be recognised in the history; anything else counts as not delivered (sent again).
      if (!message || !('text' in message)) return false;
      const wanted = comparable(message.text);
      const after = since.getTime() - CLOCK_SLACK_MS;
      const recent = await client.recentMessages(userId);
      return recent.some((m) => m.fromId !== userId && m.createdAt.getTime() >= after && comparable(m.text) === wanted);
    },
  };
}

export { parseMessengerWebhook } from './webhook-schema.js';
export { signMessengerBody, verifyMessengerSignature } from './signature.js';
export { renderReply, splitText, MESSENGER_LIMITS } from './render.js';
export { classifyGraphError, createGraphClient } from './client.js';
