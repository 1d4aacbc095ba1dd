import type { Request } from 'express';

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

export class SendError extends Error {
  constructor(
    message: string,
    readonly kind: 'retry' | 'token' | 'permanent' | 'window',
    readonly code?: string | number,
  ) {
    super(message);
  }
}

export interface SendResult { messageIds: string[] }

export interface Channel {
  readonly name: ChannelName;
  /** Checks the platform's signature over the raw body. */
  verify(req: Request & { rawBody?: Buffer }): boolean;
  /** Validates the body and turns it into inbound messages; throws ParseError for an unknown shape. */
  parse(body: unknown): InboundMessage[];
  /** What the platform can show beyond text and buttons (the bot adapts its wording, never names the channel). */
  readonly capabilities?: { userInfoForm?: boolean };
  /** Renders the reply within the platform's limits and sends it; throws SendError. */
  send(userId: string, reply: Reply, opts?: { tag?: string }): Promise<SendResult>;
}

export class ParseError extends Error {}
