import type { Config } from '../../config.js';
import type { Database } from '../../db/open.js';
import { createSafeGet, type SafeGet } from '../../http/safe-fetch.js';
import type { Logger } from '../../logger.js';
import { SendError, type Channel } from '../types.js';
import { ZaloClient } from './client.js';
import { ZaloPartialSendError } from './errors.js';
import { toInboundMessage } from './inbound.js';
import { renderReply } from './render.js';
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
  /** True when the OA sent a text starting like `text` (first 200 characters) to the user at or after `since`. */
  wasDelivered(userId: string, text: string, since: Date): Promise<boolean>;
}

export interface ZaloChannelDeps {
  config: Config; db: Database; log: Logger; fetch?: typeof fetch;
  /** Fetches form files to upload (default: the checked fetch configured by FETCH_ALLOWED_HOSTS). */
  safeGet?: SafeGet;
}

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
  const fetchFn = deps.fetch ?? globalThis.fetch;
  const client = new ZaloClient({ ...deps, fetch: fetchFn });
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
    verify: (req) => verifyZaloSignature(req.rawBody, req.headers, secret),
    parse: (body) => [toInboundMessage(parseZaloEvent(body))],

    async send(userId, reply) {
      const messages = await renderReply(reply, uploadFromUrl);
      const messageIds: string[] = [];
      for (const message of messages) {
        try {
          messageIds.push(await client.sendCs(userId, message));
        } catch (err) {
          if (err instanceof SendError && messageIds.length) throw new ZaloPartialSendError(err, messageIds, messages.length);
          throw err;
        }
      }
      return { messageIds };
    },

    async wasDelivered(userId, text, since) {
      const wanted = text.trim().slice(0, DELIVERY_MATCH_CHARS);
      const recent = await client.recentMessages(userId, 10);
      // No clock-skew allowance: a false "delivered" loses a reply, a false "not delivered" only repeats one.
      return recent.some((m) => m.src === 0 && m.time >= since.getTime() && m.text !== undefined
        && m.text.trim().slice(0, DELIVERY_MATCH_CHARS) === wanted);
    },
  };
}

export type { ZaloMessage } from './render.js';
export type { ZaloConversationMessage, ZaloProfile } from './client.js';
export { signZaloBody, verifyZaloSignature } from './signature.js';
