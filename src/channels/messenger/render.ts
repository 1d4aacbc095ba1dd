import { splitText as splitAt, truncate } from '../text.js';
import type { Reply, ReplyButton } from '../types.js';
import type { QuickReply, SendApiMessage, TemplateButton } from './client.js';

// Turns a channel-neutral Reply into Send API messages that fit Messenger's limits. Meta rejects a whole
// message that breaks a limit, so everything is cut to size here rather than hoping the bot kept it short.

export const MESSENGER_LIMITS = {
  text: 2000,
  quickReplies: 13,
  quickReplyTitle: 20,
  quickReplyPayload: 1000,
  templateText: 640,
  templateButtons: 3,
  buttonTitle: 20,
} as const;

// The only user-facing words the channel adds itself.
const TEXTS = {
  links: 'Dạ, anh/chị xem thêm tại đây ạ:',
  choose: 'Dạ, anh/chị vui lòng chọn một mục bên dưới ạ:',
  askUserInfo: 'Dạ, anh/chị vui lòng nhắn lại họ tên, số điện thoại và địa chỉ để cán bộ liên hệ ạ.',
} as const;

export type RenderWarning = (message: string) => void;



/** Splits text into chunks of at most `max` characters on paragraph, sentence or word boundaries. */
export function splitText(text: string, max: number = MESSENGER_LIMITS.text): string[] {
  return splitAt(text, max);
}

function toQuickReply(button: ReplyButton, warn: RenderWarning): QuickReply | undefined {
  const title = button.title.normalize('NFC').trim();
  const payload = button.payload ?? title;
  if (!title) {
    warn('quick reply without a title dropped');
    return undefined;
  }
  // A cut payload would no longer mean anything to the bot; dropping the choice is the honest failure.
  if (payload.length > MESSENGER_LIMITS.quickReplyPayload) {
    warn(`quick reply "${title}" dropped: payload longer than ${MESSENGER_LIMITS.quickReplyPayload} characters`);
    return undefined;
  }
  return { content_type: 'text', title: truncate(title, MESSENGER_LIMITS.quickReplyTitle), payload };
}

/** Meta's call button needs +<country><number>; Vietnamese numbers are usually written 0xxx. */
export function toE164(phone: string): string | undefined {
  const digits = phone.replace(/[\s.\-()]/g, '');
  if (/^\+\d{8,15}$/.test(digits)) return digits;
  if (/^0\d{8,10}$/.test(digits)) return `+84${digits.slice(1)}`;
  if (/^84\d{9,10}$/.test(digits)) return `+${digits}`;
  // Short service numbers (1900 xxxx, 1022) have no international form.
  return undefined;
}

function toTemplateButton(button: ReplyButton): TemplateButton | undefined {
  const title = truncate(button.title.normalize('NFC').trim(), MESSENGER_LIMITS.buttonTitle);
  if (button.url) return { type: 'web_url', url: button.url, title };
  const phone = button.phone ? toE164(button.phone) : undefined;
  return phone ? { type: 'phone_number', title, payload: phone } : undefined;
}

function linkMessages(links: ReplyButton[]): SendApiMessage[] {
  const buttons: TemplateButton[] = [];
  const plainLines: string[] = [];
  for (const link of links) {
    const button = toTemplateButton(link);
    if (button) buttons.push(button);
    else plainLines.push(`${link.title}: ${link.phone ?? ''}`);
  }
  const messages: SendApiMessage[] = [];
  for (let i = 0; i < buttons.length; i += MESSENGER_LIMITS.templateButtons) {
    messages.push({
      attachment: {
        type: 'template',
        payload: {
          template_type: 'button',
          text: truncate(TEXTS.links, MESSENGER_LIMITS.templateText),
          buttons: buttons.slice(i, i + MESSENGER_LIMITS.templateButtons),
        },
      },
    });
  }
  if (plainLines.length) messages.push(...splitText(plainLines.join('\n')).map((text) => ({ text })));
  return messages;
}

/**
 * Reply -> Send API messages in sending order: text chunks, link/phone button templates, images, files,
 * the request for contact details. Quick replies ride on the last message, because Messenger only shows
 * the quick replies of the newest message in the thread.
 */
export function renderReply(reply: Reply, warn: RenderWarning = () => {}): SendApiMessage[] {
  const messages: SendApiMessage[] = splitText(reply.text).map((text) => ({ text }));
  const buttons = reply.buttons ?? [];
  messages.push(...linkMessages(buttons.filter((b) => b.url || b.phone)));
  for (const url of reply.images ?? []) {
    messages.push({ attachment: { type: 'image', payload: { url, is_reusable: true } } });
  }
  for (const file of reply.files ?? []) messages.push({ attachment: { type: 'file', payload: { url: file.url } } });
  if (reply.requestUserInfo) {
    // Messenger has no contact form: ask in words, the answer comes back as ordinary text.
    const { title, subtitle } = reply.requestUserInfo;
    const ask = [title, subtitle, TEXTS.askUserInfo].map((s) => s.trim()).filter(Boolean).join('\n');
    messages.push(...splitText(ask).map((text) => ({ text })));
  }

  let quickReplies = buttons.filter((b) => !b.url && !b.phone)
    .map((b) => toQuickReply(b, warn))
    .filter((q): q is QuickReply => q !== undefined);
  if (quickReplies.length > MESSENGER_LIMITS.quickReplies) {
    warn(`${quickReplies.length - MESSENGER_LIMITS.quickReplies} quick replies dropped: Messenger shows at most 13`);
    quickReplies = quickReplies.slice(0, MESSENGER_LIMITS.quickReplies);
  }
  if (quickReplies.length) {
    if (!messages.length) messages.push({ text: TEXTS.choose });
    messages[messages.length - 1] = { ...messages[messages.length - 1], quick_replies: quickReplies };
  }
  return messages;
}

export { truncate };
