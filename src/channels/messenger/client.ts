import { z } from 'zod';
import { platformRequest, refused, retryAfter, type PlatformFetch } from '../http.js';
import { SendError } from '../types.js';

// A typed client for the few Graph API calls the channel makes. Every failure becomes a SendError whose kind
// tells the job queue what to do: retry later, stop and alert about the token, or give up for this user.

export interface QuickReply { content_type: 'text'; title: string; payload: string }

export type TemplateButton =
  | { type: 'web_url'; url: string; title: string }
  | { type: 'phone_number'; title: string; payload: string };

export type SendApiAttachment =
  | { type: 'image'; payload: { url: string; is_reusable: true } }
  | { type: 'file'; payload: { url: string } }
  | { type: 'template'; payload: { template_type: 'button'; text: string; buttons: TemplateButton[] } };

/** The `message` object of a Send API request. */
export type SendApiMessage =
  | { text: string; quick_replies?: QuickReply[] }
  | { attachment: SendApiAttachment; quick_replies?: QuickReply[] };

export type SenderAction = 'typing_on' | 'typing_off' | 'mark_seen';

/** A message of the page's conversation with one user, newest first. */
export interface RecentMessage { id?: string; text: string; fromId: string; createdAt: Date }

export interface GraphClientOptions {
  baseUrl: string;
  version: string;
  pageToken: string;
  fetch?: typeof fetch;
  /** A hung request becomes a 'retry' instead of blocking a worker. */
  timeoutMs?: number;
}

/** `RESPONSE` answers the user, `UPDATE` is the page's own notice inside the 24 h window, `MESSAGE_TAG` outside it. */
export type MessagingType = { type: 'RESPONSE' | 'UPDATE' } | { type: 'MESSAGE_TAG'; tag: string };

export interface GraphClient {
  /** Sends one message; resolves to its message_id. */
  sendMessage(psid: string, message: SendApiMessage, messaging?: MessagingType): Promise<string>;
  senderAction(psid: string, action: SenderAction): Promise<void>;
  /** The last 10 messages of the conversation with `psid`, to learn after a crash what was delivered. */
  recentMessages(psid: string): Promise<RecentMessage[]>;
}

const graphErrorSchema = z.object({
  error: z.object({
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.number().optional(),
    error_subcode: z.number().optional(),
  }),
});

const sendResponseSchema = z.object({ recipient_id: z.string().optional(), message_id: z.string() });

const conversationsSchema = z.object({
  data: z.array(z.object({
    messages: z.object({
      data: z.array(z.object({
        id: z.string().optional(),
        message: z.string().optional(),
        from: z.object({ id: z.string() }).optional(),
        created_time: z.string(),
      })),
    }).optional(),
  })),
});

// Graph API throttling (4 app, 17 user, 32 page, 613 call rate) and its "temporary, try again" codes.
const RETRY_CODES = new Set([1, 2, 4, 17, 32, 613, 1200]);
const OUTSIDE_WINDOW = { code: 10, subcode: 2018278 };
const USER_UNAVAILABLE = 551;

/** Maps a failed Graph response (HTTP status and parsed body, if any) to the SendError the queue acts on. */
export function classifyGraphError(status: number, body: unknown, context = 'Graph API', retryAfterMs?: number): SendError {
  const parsed = graphErrorSchema.safeParse(body);
  if (!parsed.success) {
    // A 5xx or a 2xx we cannot read (a proxy's page) may come after Meta took the message: check before resending.
    if (status === 429) return new SendError(`${context}: HTTP 429`, 'retry', 'http_429', { retryAfterMs });
    const unknown = status >= 500 || (status >= 200 && status < 300);
    return new SendError(`${context}: HTTP ${status} without a Graph error body`, unknown ? 'retry' : 'permanent', `http_${status}`,
      { ambiguous: unknown });
  }
  const { message = 'no message', code, error_subcode: subcode } = parsed.data.error;
  const detail = `${context}: ${message} (code ${code ?? '?'}${subcode ? `, subcode ${subcode}` : ''}, HTTP ${status})`;
  const errCode = code ?? `http_${status}`;
  if (code === 190) {
    return new SendError(`${detail}; the page access token is invalid or expired: generate a new one `
      + 'in the Meta app dashboard and set MESSENGER_PAGE_ACCESS_TOKEN', 'token', errCode);
  }
  if (code === OUTSIDE_WINDOW.code && subcode === OUTSIDE_WINDOW.subcode) return new SendError(detail, 'window', errCode);
  if (code === USER_UNAVAILABLE) return new SendError(detail, 'recipient', errCode);
  if ((code !== undefined && RETRY_CODES.has(code)) || status >= 500 || status === 429) {
    return new SendError(detail, 'retry', errCode, { retryAfterMs });
  }
  return new SendError(detail, 'permanent', errCode);
}

/** Graph writes `2024-05-01T10:00:00+0000`; add the colon ISO 8601 parsers expect. */
export function parseGraphTime(value: string): Date {
  return new Date(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

function describeNetworkError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // fetch puts the socket's error code in `cause`; undici's request on the error itself.
  const e = err as Error & { code?: unknown; cause?: { code?: unknown } };
  const raw = e.cause?.code ?? e.code;
  const code = typeof raw === 'string' && !e.message.includes(raw) ? ` ${raw}` : '';
  return `${err.name}: ${err.message}${code}`;
}

export function createGraphClient(opts: GraphClientOptions): GraphClient {
  const doFetch: PlatformFetch = opts.fetch ?? platformRequest;
  const timeoutMs = opts.timeoutMs ?? 10_000;

  // The token travels in the query string as Meta documents; it is never put into an error message.
  async function call(method: 'GET' | 'POST', path: string, context: string,
    params: Record<string, string>, body?: object): Promise<unknown> {
    const url = new URL(`${opts.baseUrl}/${opts.version}/${path}`);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    url.searchParams.set('access_token', opts.pageToken);
    let status: number;
    let text: string;
    let retryAfterMs: number | undefined;
    try {
      const res = await doFetch(url, {
        method,
        headers: body ? { 'content-type': 'application/json' } : undefined,
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = res.status;
      retryAfterMs = retryAfter(res.headers.get('retry-after'));
      text = await res.text();
    } catch (err) {
      // The request may or may not have reached Meta: the caller checks recentMessages before resending.
      throw new SendError(`${context}: network error (${describeNetworkError(err)})`, 'retry', 'network',
        { ambiguous: !refused(err), unanswered: true });
    }
    let json: unknown;
    try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
    if (status < 200 || status >= 300 || graphErrorSchema.safeParse(json).success) {
      throw classifyGraphError(status, json, context, retryAfterMs);
    }
    if (json === undefined) throw classifyGraphError(status, undefined, context);
    return json;
  }

  return {
    async sendMessage(psid, message, messaging = { type: 'RESPONSE' }) {
      const context = `Messenger Send API to ${psid}`;
      const body = messaging.type === 'MESSAGE_TAG'
        ? { recipient: { id: psid }, messaging_type: 'MESSAGE_TAG', tag: messaging.tag, message }
        : { recipient: { id: psid }, messaging_type: messaging.type, message };
      const json = await call('POST', 'me/messages', context, {}, body);
      const parsed = sendResponseSchema.safeParse(json);
      // Meta answered 2xx, so the message was probably delivered: its history is checked before any resend.
      if (!parsed.success) throw new SendError(`${context}: 2xx response without message_id`, 'retry', 'no_message_id', { ambiguous: true });
      return parsed.data.message_id;
    },

    async senderAction(psid, action) {
      await call('POST', 'me/messages', `Messenger sender action to ${psid}`, {},
        { recipient: { id: psid }, sender_action: action });
    },

    async recentMessages(psid) {
      const context = `Messenger conversations of ${psid}`;
      const json = await call('GET', 'me/conversations', context, {
        user_id: psid,
        fields: 'messages.limit(10){message,from,created_time}',
      });
      const parsed = conversationsSchema.safeParse(json);
      if (!parsed.success) throw new SendError(`${context}: unexpected response shape`, 'retry');
      return parsed.data.data.flatMap((c) => c.messages?.data ?? []).map((m) => ({
        id: m.id,
        text: m.message ?? '',
        fromId: m.from?.id ?? '',
        createdAt: parseGraphTime(m.created_time),
      }));
    },
  };
}
