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
  | { type: 'file'; payload: { token: string } };

/** The `message` field of a customer-service message. */
export interface ZaloMessage { text?: string; attachment?: ZaloAttachment }

/** Uploads a file and returns its Zalo token, or undefined when it could not (the file is then sent as a link). */
export type FileUploader = (file: { name: string; url: string }) => Promise<string | undefined>;

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
  if (button.phone) return { type: 'oa.open.phone', title, payload: { phone_code: button.phone } };
  // A bare choice: tapping it sends its title back as the user's visible message.
  return { type: 'oa.query.show', title, payload: button.title };
}

/** Splits text into chunks of at most `limit` characters on paragraph, sentence or word boundaries. */
export function splitText(text: string, limit = ZALO_TEXT_LIMIT): string[] {
  return splitAt(text, limit);
}

export { truncate };
