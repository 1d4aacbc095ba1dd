import { splitText as splitAt, truncate } from '../text.js';
import type { Reply, ReplyButton } from '../types.js';

// Turns a channel-neutral Reply into Zalo `message` objects within Zalo's limits. The bot states intent; only this
// file knows that Zalo allows 2,000 characters of text and 5 buttons, and that files must be uploaded first.

export const ZALO_TEXT_LIMIT = 2000;
export const ZALO_MAX_BUTTONS = 5;
const BUTTON_TITLE_LIMIT = 100;
const FORM_TITLE_LIMIT = 100;
const FORM_SUBTITLE_LIMIT = 500;
/** request_user_info needs an image; Zalo's own documentation example image until the OA has its own. */
export const DEFAULT_USER_INFO_IMAGE = 'https://developers.zalo.me/web/static/zalo.png';

/** User-facing text this renderer adds, kept here for officials and translators. */
const TEXT = {
  chooseBelow: 'Dạ, anh/chị vui lòng chọn một mục bên dưới:',
  noticeHeader: 'Thông báo về hồ sơ của anh/chị',
  fileLink: (name: string, url: string) => `Dạ, anh/chị tải tệp "${name}" tại: ${url}`,
};

export type ZaloButton =
  | { type: 'oa.query.hide' | 'oa.query.show'; title: string; payload: string }
  | { type: 'oa.open.url'; title: string; payload: { url: string } }
  | { type: 'oa.open.phone'; title: string; payload: { phone_code: string } };

export type ZaloAttachment =
  | { type: 'template'; payload: { buttons: ZaloButton[] } }
  | { type: 'template'; payload: { template_type: 'media'; elements: Array<{ media_type: 'image'; url: string }> } }
  | { type: 'template'; payload: {
      template_type: 'request_user_info'; elements: Array<{ title: string; subtitle: string; image_url: string }> } }
  | { type: 'file'; payload: { token: string } }
  | { type: 'template'; payload: {
      template_type: typeof NOTICE_TEMPLATE; language: 'VI'; elements: NoticeElement[]; buttons?: ZaloButton[] } };

type NoticeElement = { type: 'header'; content: string; align: 'left' } | { type: 'text'; content: string; align: 'left' };

/**
 * Status notices go as transaction messages (POST /v3.0/oa/message/transaction, Zalo OA API v3: consultation
 * messages are for answers). The template type and its header/text elements follow the shape integrations use in
 * production (e.g. `transaction_order` with `header`, `text`, `table` elements); the text element is kept under
 * 1,000 characters, a longer notice takes several messages.
 */
export const NOTICE_TEMPLATE = 'transaction_order';
const NOTICE_TEXT_LIMIT = 1000;

/** The `message` field of a customer-service message. */
export interface ZaloMessage { text?: string; attachment?: ZaloAttachment }

/** Uploads a file and returns its Zalo token, or undefined when it could not (the file is then sent as a link). */
export type FileUploader = (file: { name: string; url: string }) => Promise<string | undefined>;

/** A notice as transaction messages: the header and text, the buttons on the last one. */
export function renderNotice(reply: Reply): ZaloMessage[] {
  const buttons = (reply.buttons ?? []).slice(0, ZALO_MAX_BUTTONS).map(renderButton);
  const chunks = splitText(reply.text, NOTICE_TEXT_LIMIT);
  return chunks.map((content, i) => ({ attachment: { type: 'template', payload: {
    template_type: NOTICE_TEMPLATE, language: 'VI',
    elements: [{ type: 'header', content: TEXT.noticeHeader, align: 'left' }, { type: 'text', content, align: 'left' }],
    ...(i === chunks.length - 1 && buttons.length ? { buttons } : {}),
  } } }));
}

/** The text of each message `renderReply` makes of `reply` (null where a message has none), without uploading. */
export function partTexts(reply: Reply): Array<string | null> {
  const texts: Array<string | null> = splitText(reply.text);
  if (texts.length === 0 && reply.buttons?.length) texts.push(TEXT.chooseBelow);
  for (let i = 0; i < (reply.images ?? []).length + (reply.files ?? []).length + (reply.requestUserInfo ? 1 : 0); i++) texts.push(null);
  return texts;
}

/** The messages to send, in order: text (buttons on the last chunk), images, files, then the user-info form. */
export async function renderReply(reply: Reply, uploadFile: FileUploader): Promise<ZaloMessage[]> {
  const messages: ZaloMessage[] = [];
  const buttons = (reply.buttons ?? []).slice(0, ZALO_MAX_BUTTONS).map(renderButton);
  const chunks = splitText(reply.text);
  if (buttons.length && chunks.length === 0) chunks.push(TEXT.chooseBelow);
  chunks.forEach((text, i) => {
    const last = i === chunks.length - 1;
    messages.push(last && buttons.length ? { text, attachment: { type: 'template', payload: { buttons } } } : { text });
  });
  for (const url of reply.images ?? []) {
    messages.push({ attachment: { type: 'template', payload: { template_type: 'media', elements: [{ media_type: 'image', url }] } } });
  }
  for (const file of reply.files ?? []) {
    const token = await uploadFile(file).catch(() => undefined);
    messages.push(token ? { attachment: { type: 'file', payload: { token } } } : { text: TEXT.fileLink(file.name, file.url) });
  }
  if (reply.requestUserInfo) {
    const { title, subtitle } = reply.requestUserInfo;
    messages.push({ attachment: { type: 'template', payload: { template_type: 'request_user_info', elements: [{
      title: truncate(title, FORM_TITLE_LIMIT), subtitle: truncate(subtitle, FORM_SUBTITLE_LIMIT), image_url: DEFAULT_USER_INFO_IMAGE,
    }] } } });
  }
  return messages;
}

export function renderButton(button: ReplyButton): ZaloButton {
  const title = truncate(button.title, BUTTON_TITLE_LIMIT);
  if (button.payload) return { type: 'oa.query.hide', title, payload: button.payload };
  if (button.url) return { type: 'oa.open.url', title, payload: { url: button.url } };
  if (button.phone) return { type: 'oa.open.phone', title, payload: { phone_code: toZaloPhone(button.phone) } };
  // A bare choice: tapping it sends its title back as the user's visible message.
  return { type: 'oa.query.show', title, payload: button.title };
}

/**
 * Zalo's examples write phone numbers in international form without "+": "84912345678" for the call button
 * (`oa.open.phone` phone_code) and for ZNS. Short service numbers (1900..., 1022) stay as they are.
 */
export function toZaloPhone(phone: string): string {
  const digits = phone.replace(/[\s.\-()]/g, '');
  if (/^0\d{8,10}$/.test(digits)) return `84${digits.slice(1)}`;
  if (/^\+84\d{8,10}$/.test(digits)) return digits.slice(1);
  return digits;
}

/** Splits text into chunks of at most `limit` characters on paragraph, sentence or word boundaries. */
export function splitText(text: string, limit = ZALO_TEXT_LIMIT): string[] {
  return splitAt(text, limit);
}

export { truncate };
