import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Database } from '../../db/open.js';
import type { Logger } from '../../logger.js';
import { platformRequest, refused, retryAfter, type PlatformAnswer, type PlatformFetch } from '../http.js';
import { pacer, type Pacer } from '../pacer.js';
import { RATE_LIMITED, TOKEN_ERRORS, zaloApiError, zaloProtocolError, zaloTransportError } from './errors.js';
import type { ZaloMessage } from './render.js';
import { ZaloTokenStore } from './tokens.js';
import { zaloId } from './webhook-schema.js';

// The few Zalo OA API v2/v3 calls the bot needs, over undici's request (http.ts). Zalo answers HTTP 200 with { error, message, data };
// error < 0 is a failure. Every failure is a SendError whose kind tells the job queue whether to retry.

const answerSchema = z.looseObject({
  error: z.coerce.number().int(),
  message: z.string().optional(),
  data: z.unknown().optional(),
});
type Answer = z.infer<typeof answerSchema>;

const sentData = z.looseObject({ message_id: zaloId });
const fileData = z.looseObject({ token: z.string().min(1) });
const imageData = z.looseObject({ attachment_id: z.string().min(1) });
const profileData = z.looseObject({
  user_id: zaloId,
  display_name: z.string().optional(),
  avatar: z.string().optional(),
  user_is_follower: z.boolean().optional(),
}).transform((p) => ({ userId: p.user_id, displayName: p.display_name, avatar: p.avatar, isFollower: p.user_is_follower }));
const conversationData = z.array(z.looseObject({
  message_id: zaloId,
  src: z.coerce.number().int(),
  time: z.coerce.number(),
  type: z.string().optional(),
  message: z.unknown().optional(),
}).transform((m) => ({
  messageId: m.message_id, src: m.src, time: m.time, type: m.type ?? 'unknown',
  text: typeof m.message === 'string' ? m.message : undefined,
})));

export type ZaloProfile = z.infer<typeof profileData>;
/** One message of a conversation: src 0 was sent by the OA, 1 by the user; time in ms; text for text messages. */
export type ZaloConversationMessage = z.infer<typeof conversationData>[number];
export interface ZaloUpload { name: string; data: Uint8Array; contentType?: string }

export interface ZaloClientDeps { config: Config; db: Database; log: Logger; fetch?: typeof fetch; now?: () => number }

interface Call { method: 'GET' | 'POST'; path: string; body?: () => string | FormData; json?: boolean; base?: string }

/** After a rate-limit answer (-32, or HTTP 429 without Retry-After) every Zalo call of this process waits this long. */
const RATE_LIMIT_HOLD_MS = 1000;

/** A ZNS answer: `msg_id` on success. */
const znsData = z.looseObject({ msg_id: zaloId });

export class ZaloClient {
  readonly tokens: ZaloTokenStore;
  private readonly fetch: PlatformFetch;
  private readonly log: Logger;
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly pace: Pacer;

  constructor(private readonly deps: ZaloClientDeps) {
    this.fetch = deps.fetch ?? platformRequest;
    this.pace = pacer(deps.config.ZALO_CALLS_PER_MINUTE);
    this.log = deps.log;
    this.base = deps.config.ZALO_API_BASE_URL;
    this.timeoutMs = deps.config.SEND_TIMEOUT_MS;
    this.tokens = new ZaloTokenStore({ ...deps, fetch: deps.fetch ?? globalThis.fetch, now: deps.now ?? Date.now });
  }

  /**
   * Sends one message; returns Zalo's message_id. `cs` is a consultation message (an answer); `transaction` the
   * message type Zalo's OA API v3 has for notices about something the user applied for (its own endpoint).
   */
  async sendMessage(userId: string, message: ZaloMessage, type: 'cs' | 'transaction' = 'cs'): Promise<string> {
    const body = JSON.stringify({ recipient: { user_id: userId }, message });
    const data = await this.call(`send ${type} to user ${userId}`, sentData,
      { method: 'POST', path: `/v3.0/oa/message/${type}`, body: () => body, json: true });
    return data.message_id;
  }

  /** Sends an approved ZNS template to a phone number ("84..." form); returns ZNS's msg_id. */
  async sendZns(phone: string, templateId: string, data: Record<string, string>, trackingId: string): Promise<string> {
    const body = JSON.stringify({ phone, template_id: templateId, template_data: data, tracking_id: trackingId });
    return (await this.call(`ZNS ${trackingId}`, znsData,
      { method: 'POST', path: '/message/template', body: () => body, json: true, base: this.deps.config.ZALO_ZNS_BASE_URL })).msg_id;
  }

  /** Uploads a PDF/DOC/DOCX (Zalo's limit: 5 MB); returns the token for a file attachment. */
  async uploadFile(file: ZaloUpload): Promise<string> {
    return (await this.call(`uploadFile ${file.name}`, fileData, this.upload('/v2.0/oa/upload/file', file))).token;
  }

  /** Uploads a JPG/PNG (Zalo's limit: 1 MB); returns its attachment_id. */
  async uploadImage(file: ZaloUpload): Promise<string> {
    return (await this.call(`uploadImage ${file.name}`, imageData, this.upload('/v2.0/oa/upload/image', file))).attachment_id;
  }

  async getProfile(userId: string): Promise<ZaloProfile> {
    return this.call(`getProfile of user ${userId}`, profileData,
      { method: 'GET', path: `/v3.0/oa/user/detail?data=${query({ user_id: userId })}` });
  }

  /** The latest messages with the user, newest first (Zalo returns at most 10 per call). */
  async recentMessages(userId: string, count = 10): Promise<ZaloConversationMessage[]> {
    const n = Math.min(Math.max(Math.trunc(count), 1), 10);
    return this.call(`recentMessages of user ${userId}`, conversationData,
      { method: 'GET', path: `/v2.0/oa/conversation?data=${query({ user_id: userId, offset: 0, count: n })}` });
  }

  private upload(path: string, file: ZaloUpload): Call {
    return {
      method: 'POST', path,
      // A fresh form per attempt: the retry after a token refresh must send the whole file again.
      body: () => {
        const form = new FormData();
        // Copied into a plain ArrayBuffer: Blob refuses views over a SharedArrayBuffer (a Buffer's type allows one).
        form.append('file', new Blob([new Uint8Array(file.data)], { type: file.contentType ?? 'application/octet-stream' }), file.name);
        return form;
      },
    };
  }

  /** One API call; on -216/-220 the token is refreshed and the call repeated once. */
  private async call<T>(what: string, schema: z.ZodType<T>, call: Call): Promise<T> {
    let token = await this.tokens.accessToken();
    let answer = await this.request(what, call, token);
    if (TOKEN_ERRORS.has(answer.error)) {
      this.log.info({ call: what, code: answer.error }, 'Zalo rejected the access token; refreshing it once');
      token = await this.tokens.refresh(token);
      answer = await this.request(what, call, token);
    }
    if (answer.error === RATE_LIMITED) this.pace.holdFor(RATE_LIMIT_HOLD_MS);
    if (answer.error !== 0) throw zaloApiError(what, answer.error, answer.message);
    const data = schema.safeParse(answer.data);
    if (!data.success) {
      throw zaloProtocolError(what, `unexpected data in a successful answer: ${JSON.stringify(answer.data)?.slice(0, 200)}`);
    }
    return data.data;
  }

  private async request(what: string, call: Call, token: string): Promise<Answer> {
    const headers: Record<string, string> = { access_token: token };
    if (call.json) headers['content-type'] = 'application/json';
    const base = call.base ?? this.base;
    let res: PlatformAnswer;
    let text: string;
    await this.pace.take();
    try {
      res = await this.fetch(`${base}${call.path}`, {
        method: call.method, headers, body: call.body?.(), signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      // A timeout or a reset may come after Zalo took the message: only a refused connection proves it did not.
      throw zaloTransportError(what, `no answer from ${base} (${describe(err)})`, undefined, { ambiguous: !refused(err), unanswered: true });
    }
    if (res.status === 429) {
      const wait = retryAfter(res.headers.get('retry-after'));
      this.pace.holdFor(wait ?? RATE_LIMIT_HOLD_MS);
      throw zaloTransportError(what, 'HTTP 429', 429, { retryAfterMs: wait });
    }
    if (res.status >= 500 || res.status === 408) throw zaloTransportError(what, `HTTP ${res.status}`, res.status, { ambiguous: true });
    const answer = answerSchema.safeParse(parseJson(text));
    if (!answer.success && res.ok) {
      // A 2xx we cannot read (a proxy's page, a cut body): Zalo may have sent the message.
      throw zaloTransportError(what, `HTTP ${res.status}, unreadable answer: ${text.slice(0, 200)}`, res.status, { ambiguous: true });
    }
    if (!answer.success || (!res.ok && answer.data.error === 0)) {
      throw zaloProtocolError(what, `HTTP ${res.status}, unexpected answer: ${text.slice(0, 200)}`, res.status);
    }
    return answer.data;
  }
}

function query(data: Record<string, string | number>): string {
  return encodeURIComponent(JSON.stringify(data));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // undici hides the socket error (ECONNRESET, ECONNREFUSED) in `cause`.
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err.name === 'TimeoutError' ? 'timed out' : err.message}${cause}`;
}
