import type { InboundKind, InboundMessage } from '../types.js';
import type { ZaloEvent } from './webhook-schema.js';

// Maps a validated Zalo event to the channel-neutral InboundMessage the bot understands.

const MEDIA_KIND: Record<string, InboundKind> = {
  image: 'image', gif: 'image', sticker: 'sticker', file: 'file', audio: 'audio', video: 'video', link: 'link',
  business_card: 'contact',
};

/** Button payloads travel back as the user's text; the bot marks them with a leading '#'. */
const HIDDEN_PAYLOAD_PREFIX = '#';

export function toInboundMessage(parsed: ZaloEvent): InboundMessage {
  const { event } = parsed;
  const base = (userId: string, msgId: string | undefined, kind: InboundKind): InboundMessage => ({
    channel: 'zalo',
    // Zalo redelivers failed webhooks: events without a msg_id still need a stable key to de-duplicate on.
    eventId: msgId ?? `${event.event_name}:${userId}:${event.timestamp}`,
    eventName: event.event_name,
    userId,
    kind,
    timestamp: Number(event.timestamp),
  });

  switch (parsed.type) {
    case 'user_text': {
      const { text, msg_id } = parsed.event.message;
      const hidden = text.startsWith(HIDDEN_PAYLOAD_PREFIX);
      return { ...base(parsed.event.sender.id, msg_id, 'text'), text, ...(hidden ? { payload: text } : {}) };
    }
    case 'user_attachment': {
      const { message, sender } = parsed.event;
      const attachments = (message.attachments ?? []).map((a) => ({ type: a.type, url: urlOf(a.payload) }));
      return {
        ...base(sender.id, message.msg_id, MEDIA_KIND[parsed.media] ?? 'ignored'),
        attachments, ...(message.text ? { text: message.text } : {}),
      };
    }
    case 'user_location': {
      const { message, sender } = parsed.event;
      const { latitude, longitude } = message.attachments[0].payload.coordinates;
      return { ...base(sender.id, message.msg_id, 'location'), location: { latitude, longitude } };
    }
    case 'follower': {
      const kind = parsed.event.event_name === 'follow' ? 'follow' : 'unfollow';
      return base(parsed.event.follower.id, undefined, kind);
    }
    case 'submit_info': {
      const { name, phone, address } = parsed.event.info;
      const userInfo = Object.fromEntries(Object.entries({ name, phone, address }).filter(([, v]) => v !== undefined));
      return { ...base(parsed.event.sender.id, undefined, 'user_info'), userInfo };
    }
    case 'oa_echo': {
      // Only an echo with admin_id is a person typing in the OA inbox; the bot's own messages echo without it.
      const { sender, recipient, message } = parsed.event;
      if (!sender.admin_id) return base(recipient.id, message?.msg_id, 'ignored');
      return { ...base(recipient.id, message?.msg_id, 'admin_reply'), ...(message?.text ? { text: message.text } : {}) };
    }
    case 'other': {
      const e = parsed.event;
      const userId = e.sender?.id ?? e.follower?.id ?? e.user_id_by_app ?? e.recipient?.id ?? '';
      return base(userId, e.message?.msg_id, 'ignored');
    }
  }
}

function urlOf(payload: Record<string, unknown> | undefined): string | undefined {
  const url = payload?.url ?? payload?.thumbnail;
  return typeof url === 'string' && url ? url : undefined;
}
