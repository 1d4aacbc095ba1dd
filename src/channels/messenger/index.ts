import { createHash, timingSafeEqual } from 'node:crypto';
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import { SendError, type Channel, type Reply, type SendResult } from '../types.js';
import { createGraphClient } from './client.js';
import { renderReply, splitText } from './render.js';
import { verifyMessengerSignature } from './signature.js';
import { parseMessengerWebhook } from './webhook-schema.js';

// The Messenger channel: Meta's signature on the raw body, the webhook turned into InboundMessages, replies
// rendered and sent one Send API call per message, and a way to check after a crash what was delivered.

/** Messenger adds a delivery check the job queue uses for replies interrupted by a crash. */
export interface MessengerChannel extends Channel {
  readonly name: 'messenger';
  /**
   * True when the page sent `text` (the first 200 characters of its first message) to the user at or after
   * `since`. Throws SendError when the Graph API cannot be asked; the caller should retry, not resend.
   */
  wasDelivered(userId: string, text: string, since: Date): Promise<boolean>;
}

export interface MessengerChannelDeps { config: Config; log: Logger; fetch?: typeof fetch }

/** A send that failed part-way: the messages in `delivered` reached the user, so do not resend them. */
export class PartialSendError extends SendError {
  constructor(cause: SendError, readonly delivered: string[], readonly total: number) {
    super(`${cause.message} (after ${delivered.length} of ${total} messages were delivered)`, cause.kind, cause.code);
  }
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
  });

  return {
    name: 'messenger',

    verify(req) {
      if (!Buffer.isBuffer(req.rawBody)) {
        log.error('Messenger webhook has no raw body: set req.rawBody to the received bytes before JSON parsing');
        return false;
      }
      return verifyMessengerSignature(req.rawBody, req.headers['x-hub-signature-256'], appSecret);
    },

    parse(body) {
      return parseMessengerWebhook(body, (message, item) => log.warn({ item }, message), config.MESSENGER_APP_ID);
    },

    async send(userId: string, reply: Reply, opts?: { tag?: string }): Promise<SendResult> {
      const messages = renderReply(reply, (warning) => log.warn({ userId }, `Messenger reply trimmed: ${warning}`));
      const messageIds: string[] = [];
      // In order and one at a time: Messenger shows messages in the order the calls complete.
      for (const message of messages) {
        try {
          messageIds.push(await client.sendMessage(userId, message, opts));
        } catch (err) {
          if (!(err instanceof SendError) || !messageIds.length) throw err;
          throw new PartialSendError(err, messageIds, messages.length);
        }
      }
      return { messageIds };
    },

    async wasDelivered(userId, text, since) {
      // The first message of a long reply is its first chunk, so compare against that, as it was sent.
      const first = splitText(text)[0];
      if (!first) return false;
      const wanted = comparable(first);
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
