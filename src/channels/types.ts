import type { IncomingHttpHeaders } from 'node:http';

// The one interface every channel implements; bot logic only sees these channel-neutral shapes.

export type ChannelName = 'zalo' | 'messenger' | 'web';

export type InboundKind = 'text' | 'postback' | 'image' | 'sticker' | 'file' | 'audio' | 'video' | 'location'
  | 'link' | 'contact' | 'follow' | 'unfollow' | 'user_info' | 'admin_reply' | 'thread_returned' | 'ignored';

export interface InboundMessage {
  channel: ChannelName;
  /** Platform message id (Zalo msg_id, Messenger mid): the idempotency key. */
  eventId: string;
  eventName: string;
  userId: string;
  kind: InboundKind;
  text?: string;
  /** Hidden payload of a tapped button or quick reply. */
  payload?: string;
  attachments?: Array<{ type: string; url?: string }>;
  location?: { latitude: number; longitude: number };
  userInfo?: { name?: string; phone?: string; address?: string };
  timestamp: number;
  /** Web chat only: a hash of the client's address, for limits that hold across sessions (never the address). */
  clientAddress?: string;
}

export interface ReplyButton {
  title: string;
  /** Sent back as the user's next message when tapped. */
  payload?: string;
  url?: string;
  phone?: string;
}

export interface Reply {
  text: string;
  buttons?: ReplyButton[];
  images?: string[];
  files?: Array<{ name: string; url: string }>;
  /** Ask the platform's own form for name/phone/address (Zalo request_user_info). */
  requestUserInfo?: { title: string; subtitle: string };
}

/**
 * Why a send failed, for the sender: `retry` later (rate limit, 5xx, network), `token` (credentials: retry, the
 * channel reports itself degraded), `window` / `recipient` (this person cannot get it now: undelivered, with why),
 * `permanent` (a bug or a refused message). `ambiguous`: the platform may have delivered it (timeout, reset,
 * an answer we cannot read), so its history is checked before sending again; `unanswered` (no answer at all: a
 * timeout, a reset) means the request itself may still be on its way, so the check waits for it to land.
 */
export class SendError extends Error {
  constructor(
    message: string,
    readonly kind: 'retry' | 'token' | 'permanent' | 'window' | 'recipient',
    readonly code?: string | number,
    readonly extra: { ambiguous?: boolean; unanswered?: boolean; retryAfterMs?: number } = {},
  ) {
    super(message);
  }

  get ambiguous(): boolean { return this.extra.ambiguous === true; }
  get retryAfterMs(): number | undefined { return this.extra.retryAfterMs; }
}

export interface SendResult { messageIds: string[] }

/** What an outbound message is for; each channel maps it to its own message type, tag or endpoint. */
export type SendPurpose = 'reply' | 'notice' | 'agent' | 'update' | 'event';

export interface SendOptions {
  purpose?: SendPurpose;
  /** The citizen's last message (null: never): the platform's free window is counted from it. */
  lastInboundAt?: Date | null;
  /** Platform messages of this reply already delivered: sending resumes after them. */
  fromPart?: number;
  /** Called after each platform message is accepted, with its index, the platform's id and the reply's part count. */
  onPart?: (index: number, messageId: string, total: number) => Promise<void>;
}

/** How a status notice can reach someone whose last message was at `lastInboundAt`. */
export type NoticeRoute = { kind: 'message' } | { kind: 'template' } | { kind: 'none'; why: string };

/** A pre-approved template message to a phone number (Zalo ZNS), for people outside the free window. */
export interface TemplateNotice { phone: string; data: Record<string, string>; trackingId: string }

export interface ChannelHealth { status: 'ok' | 'degraded'; reason?: string; since?: string }

/** What a signature check reads of a webhook request: its bytes as received and its headers. */
export interface WebhookRequest { rawBody?: Buffer; headers: IncomingHttpHeaders }

export interface Channel {
  readonly name: ChannelName;
  /** Checks the platform's signature over the raw body. */
  verify(req: WebhookRequest): boolean;
  /** Validates the body and turns it into inbound messages; throws ParseError for an unknown shape. */
  parse(body: unknown): InboundMessage[];
  /** What the platform can show beyond text and buttons (the bot adapts its wording, never names the channel). */
  readonly capabilities?: { userInfoForm?: boolean };
  /** Present for platforms that push signed webhooks to /webhooks/<name>; `handshake` answers a subscription GET. */
  readonly webhook?: { handshake?(query: Readonly<Record<string, unknown>>): { ok: true; challenge: string } | { ok: false } };
  /** Renders the reply within the platform's limits and sends it part by part; throws SendError. */
  send(userId: string, reply: Reply, opts?: SendOptions): Promise<SendResult>;
  /**
   * True when part `part` of `reply` reached the user at or after `since`, read from the platform's conversation
   * history; false when it did not or cannot be told (a part without text). Throws SendError when it cannot ask.
   */
  wasDelivered?(userId: string, reply: Reply, part: number, since: Date): Promise<boolean>;
  /** How a notice reaches this person now; absent: always as a message. */
  noticeRoute?(lastInboundAt: Date | null, now: Date): NoticeRoute;
  /** Sends a template notice (absent when the channel has none configured); resolves to the platform's id. */
  sendTemplate?(notice: TemplateNotice): Promise<string>;
  /** Degraded when the platform refuses our credentials for good (an official must act). */
  health?(): Promise<ChannelHealth>;
}

export class ParseError extends Error {}
