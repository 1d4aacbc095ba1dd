import type { Config } from '../../config.js';
import type { Database } from '../../db/open.js';
import { createSafeGet, type SafeGet } from '../../http/safe-fetch.js';
import type { Logger } from '../../logger.js';
import { storable } from '../text.js';
import type { Channel, NoticeRoute, Reply } from '../types.js';
import { ZaloClient } from './client.js';
import { toInboundMessage } from './inbound.js';
import { partTexts, renderNotice, renderReply, toZaloPhone, type ZaloMessage } from './render.js';
import { verifyZaloSignature } from './signature.js';
import { parseZaloEvent } from './webhook-schema.js';

// The Zalo Official Account channel: webhook signature, event parsing, and replies through the OA API v3.

/** Zalo accepts files up to 5 MB; anything larger is sent as a link without downloading it all. */
const MAX_FILE_BYTES = 5 * 1024 * 1024;
const DOWNLOAD_TIMEOUT_MS = 15_000;
/** How much of a reply identifies it when checking, after a crash, whether it was already delivered. */
const DELIVERY_MATCH_CHARS = 200;

export interface ZaloChannel extends Channel {
  readonly client: ZaloClient;
  wasDelivered(userId: string, reply: Reply, part: number, since: Date): Promise<boolean>;
  noticeRoute(lastInboundAt: Date | null, now: Date): NoticeRoute;
}

export interface ZaloChannelDeps {
  config: Config; db: Database; log: Logger; fetch?: typeof fetch;
  /** Fetches form files to upload (default: the checked fetch configured by FETCH_ALLOWED_HOSTS). */
  safeGet?: SafeGet;
}

/**
 * Windows as integrators of the OA API v3 quote them (the `@warriorteam/redai-zalo-sdk` documentation on npm, OA
 * guides; not re-verified against developers.zalo.me from an isolated network): consultation messages answer a
 * user within 48 h of their last interaction (a limited number: one provider documents 8 per 48 h) and are refused
 * after 7 days (-230/-232); beyond that a notice needs ZNS. Zalo enforces its quotas itself (-211): that answer
 * marks the message undelivered with why; nothing here guesses the count.
 */
export const ZALO_MESSAGE_WINDOW_MS = 7 * 24 * 3600_000;

/** The variables still needed to enable the channel (empty when it can start). */
export function missingZaloConfig(config: Config): string[] {
  const missing: string[] = [];
  if (!config.ZALO_APP_ID) missing.push('ZALO_APP_ID');
  if (!config.ZALO_OA_SECRET_KEY) missing.push('ZALO_OA_SECRET_KEY');
  if (!config.ZALO_ACCESS_TOKEN && !config.ZALO_REFRESH_TOKEN) missing.push('ZALO_ACCESS_TOKEN or ZALO_REFRESH_TOKEN');
  return missing;
}

/** The Zalo channel, or null when it is not configured (the caller logs which variables are missing). */
export function createZaloChannel(deps: ZaloChannelDeps): ZaloChannel | null {
  const { config, log } = deps;
  if (missingZaloConfig(config).length) return null;
  const secret = config.ZALO_OA_SECRET_KEY ?? '';
  const client = new ZaloClient(deps);
  const safeGet = deps.safeGet ?? createSafeGet({ allowedHosts: config.FETCH_ALLOWED_HOSTS, privateHosts: config.FETCH_PRIVATE_HOSTS });
  if (!config.ZALO_APP_SECRET) {
    log.warn('ZALO_APP_SECRET is not set: the Zalo access token cannot be refreshed and sending stops when it expires');
  }

  async function uploadFromUrl(file: { name: string; url: string }): Promise<string | undefined> {
    try {
      const { data, contentType } = await safeGet(file.url, { maxBytes: MAX_FILE_BYTES, timeoutMs: DOWNLOAD_TIMEOUT_MS });
      return await client.uploadFile({ name: file.name, data, contentType });
    } catch (err) {
      log.warn({ err, file: file.name, url: file.url }, 'could not upload a file to Zalo; sending it as a link');
      return undefined;
    }
  }

  return {
    name: 'zalo',
    client,
    // request_user_info: the OA's form that shares the account's name, phone and address.
    capabilities: { userInfoForm: true },
    webhook: {},
    verify: (req) => verifyZaloSignature(req.rawBody, req.headers, secret),
    parse: (body) => [storable(toInboundMessage(parseZaloEvent(body)))],

    async send(userId, reply, opts = {}) {
      // Status notices are transaction messages (their own endpoint); answers are consultation messages.
      const notice = opts.purpose === 'notice';
      const messages: ZaloMessage[] = notice ? renderNotice(reply) : await renderReply(reply, uploadFromUrl);
      const messageIds: string[] = [];
      for (let i = opts.fromPart ?? 0; i < messages.length; i++) {
        const id = await client.sendMessage(userId, messages[i], notice ? 'transaction' : 'cs');
        messageIds.push(id);
        await opts.onPart?.(i, id, messages.length);
      }
      return { messageIds };
    },

    async wasDelivered(userId, reply, part, since) {
      // Only text messages can be recognised in the history: a notice or an image in doubt is sent again.
      const text = partTexts(reply)[part];
      if (!text) return false;
      const wanted = text.trim().slice(0, DELIVERY_MATCH_CHARS);
      const recent = await client.recentMessages(userId, 10);
      // No clock-skew allowance: a false "delivered" loses a reply, a false "not delivered" only repeats one.
      return recent.some((m) => m.src === 0 && m.time >= since.getTime() && m.text !== undefined
        && m.text.trim().slice(0, DELIVERY_MATCH_CHARS) === wanted);
    },

    noticeRoute(lastInboundAt, now) {
      if (lastInboundAt && now.getTime() - lastInboundAt.getTime() <= ZALO_MESSAGE_WINDOW_MS) return { kind: 'message' };
      if (config.ZALO_ZNS_TEMPLATE_ID) return { kind: 'template' };
      return { kind: 'none', why: 'outside the 7-day window and no ZNS template (ZALO_ZNS_TEMPLATE_ID)' };
    },

    ...(config.ZALO_ZNS_TEMPLATE_ID ? {
      sendTemplate: (n: { phone: string; data: Record<string, string>; trackingId: string }) =>
        client.sendZns(toZaloPhone(n.phone), config.ZALO_ZNS_TEMPLATE_ID!, n.data, n.trackingId),
    } : {}),

    health: () => client.tokens.health(),
  };
}

export type { ZaloMessage } from './render.js';
export type { ZaloConversationMessage, ZaloProfile } from './client.js';
export { signZaloBody, verifyZaloSignature } from './signature.js';
