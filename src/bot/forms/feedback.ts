import type { Outcome } from '../context.js';
import { allowRecord } from '../limits.js';
import { BUTTONS, FORM_TEXTS, formatDate } from '../texts.js';
import type { TurnContext } from '../turn.js';
import { CANCEL_BUTTON, registerFlow, startForm, summaryText, type Draft, type Parsed } from './engine.js';
import { readDossierCode, readText, readYesNo } from './fields.js';

// Feedback tickets: the content (with photos or a location), a dossier code or "Bỏ qua", then the summary whose
// two buttons say whether officials may contact the citizen and send it.

const FB = FORM_TEXTS.feedback;
export const TICKET_CODE = /\bPA-\d{4}-\d{6}\b/i;
export const FEEDBACK_WORKING_DAYS = 10;
const CONTENT_MAX = 4000;

export function addWorkingDays(from: Date, days: number): Date {
  const d = new Date(from);
  let left = days;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) left--;
  }
  return d;
}

const retry = (text: string, buttons = [CANCEL_BUTTON]): Parsed => ({ ok: false, retry: { text, buttons } });
const SKIP_WORDS = /^(khong|khong co|ko|k|bo qua|skip|khong lien quan)$/;

/** Photos, files or a location sent with the complaint are kept with it. */
function keepAttachments(t: TurnContext, d: Draft): boolean {
  const { attachments, location } = t.msg;
  if (!attachments?.length && !location) return false;
  d.attachments = [...((d.attachments as unknown[]) ?? []), ...(attachments ?? [])];
  if (location) d.location = location;
  return true;
}

/** The content step of feedback and of a hand-off message. */
export function contentStep(ask: string, again: string) {
  return {
    label: FB.labels.content, personal: true,
    prompt: (_t: TurnContext, d: Draft) => ({ text: d.attachments && !d.content ? `${FORM_TEXTS.attachmentNoted} ${ask}` : ask, buttons: [CANCEL_BUTTON] }),
    parse: (t: TurnContext): Parsed => {
      if (t.msg.attachments?.length || t.msg.location) return { ok: true, value: { attachment: true } };
      const text = readText(t.msg.text ?? '', 10, CONTENT_MAX);
      if (text === 'long') return retry(FORM_TEXTS.tooLong(CONTENT_MAX));
      return text ? { ok: true, value: text } : retry(again);
    },
  };
}

const consentReply = (d: Draft, lines: Array<[string, string | null | undefined]>) => ({
  text: summaryText(d.attachments ? [...lines, [FB.labels.attachments, FB.attachments((d.attachments as unknown[]).length)]] : lines, FB.askConsent),
  buttons: [{ title: FB.sendConsent, payload: '#yes' }, { title: FB.sendNoContact, payload: '#no' }, { title: BUTTONS.edit, payload: '#edit' }, CANCEL_BUTTON],
});
const consentStep = (lines: (d: Draft) => Array<[string, string | null | undefined]>) => ({
  prompt: (_t: TurnContext, d: Draft) => consentReply(d, lines(d)),
  parse: (t: TurnContext, d: Draft): Parsed => {
    const yes = readYesNo(t.text);
    return yes === undefined ? { ok: false, retry: consentReply(d, lines(d)) } : { ok: true, value: yes };
  },
  onValid: (_t: TurnContext, d: Draft, v: unknown) => { d.consent = v; return 'save'; },
});
export { consentStep };

/** Creates the ticket (code PA-<year>-<id>) and says so; null when a limit stopped it (and said why). */
export async function createTicket(t: TurnContext, d: Draft): Promise<string | null> {
  const allowed = await allowRecord(t, 'ticket');
  if (allowed !== 'ok') {
    t.reply(allowed === 'address' ? FORM_TEXTS.limitAddress : FB.perDay(5));
    return null;
  }
  const { msg, tx, now } = t;
  const dueAt = addWorkingDays(now, FEEDBACK_WORKING_DAYS);
  const ticket = await tx.ticket.create({
    data: {
      code: `tmp-${msg.channel}-${msg.eventId}`, channel: msg.channel, userId: msg.userId,
      content: String(d.content ?? ''), dossierCode: (d.code as string | null | undefined) ?? null,
      attachments: (d.attachments ?? []) as object[], location: (d.location ?? undefined) as object | undefined,
      consentContact: d.consent === true, dueAt,
    },
  });
  const code = `PA-${now.getUTCFullYear()}-${String(ticket.id).padStart(6, '0')}`;
  await tx.ticket.update({ where: { id: ticket.id }, data: { code } });
  return code;
}

/**
 * Words that ask to give feedback without giving it ("tôi muốn phản ánh", "góp ý với xã"): what is left when they are
 * taken out, if five words or more, is the feedback itself ("fanpage trả lời chậm quá, nhắn từ hôm qua chưa ai xem").
 */
const ASKING_TO = /\b(toi|em|minh|tui|chau|con|muon|can|xin|cho|gui|phan anh|gop y|khieu nai|kien nghi|to cao|y kien|ve|voi|len|xa|phuong|ad|admin|oi|a|lam sao de|nhu the nao|the nao|ntn|o dau|dau|duoc khong|dc ko|k|ko|khong)\b/g;
const CONTENT_WORDS = 5;

/**
 * The feedback form, from the message that asked for it: a message that states its feedback is its content (and the
 * dossier code it names, its code); one that only asks to give some is asked for it.
 */
export function startFeedback(t: TurnContext, dossierCode?: string): Outcome {
  const text = (t.msg.text ?? '').trim();
  const rest = t.folded.replace(ASKING_TO, ' ').split(/[^a-z0-9]+/).filter(Boolean);
  if (rest.length < CONTENT_WORDS || text.length > CONTENT_MAX) return startForm(t, feedback);
  const draft: Draft = { content: text, noted: true };
  if (dossierCode) return startForm(t, feedback, { ...draft, code: dossierCode }, 'consent');
  return startForm(t, feedback, draft, 'code');
}

const lines = (d: Draft): Array<[string, string | null | undefined]> => [[FB.labels.content, d.content as string], [FB.labels.code, d.code as string | null]];

export const feedback = registerFlow({
  name: 'feedback',
  title: FB.title,
  required: ['content'],
  first: 'content',
  steps: {
    content: {
      ...contentStep(FB.askContent, FB.retryContent),
      onValid: (t, d, v) => {
        if (typeof v !== 'string') { keepAttachments(t, d); return d.content ? 'consent' : 'content'; }
        d.content = v;
        return 'code';
      },
    },
    code: {
      label: FB.labels.code, strict: true,
      prompt: (_t, d) => ({ text: d.noted ? `${FB.contentNoted} ${FB.askCode}` : FB.askCode, buttons: [{ title: BUTTONS.skip, payload: '#skip' }, CANCEL_BUTTON] }),
      parse: (t) => {
        if (t.msg.attachments?.length || t.msg.location) return { ok: true, value: { attachment: true } };
        if (SKIP_WORDS.test(t.folded)) return { ok: true, value: null };
        const code = readDossierCode(t.text);
        return code === undefined ? retry(FB.retryCode, [{ title: BUTTONS.skip, payload: '#skip' }, CANCEL_BUTTON]) : { ok: true, value: code };
      },
      onValid: (t, d, v) => {
        if (v && typeof v === 'object') { keepAttachments(t, d); return 'code'; }
        d.code = v;
        return 'consent';
      },
    },
    consent: consentStep(lines),
  },
  summary: (_t, d) => consentReply(d, lines(d)),
  async save(t, d) {
    const code = await createTicket(t, d);
    if (code) t.reply(FB.saved(code, formatDate(addWorkingDays(t.now, FEEDBACK_WORKING_DAYS)), FEEDBACK_WORKING_DAYS));
  },
});
