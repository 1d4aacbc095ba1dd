import type { Dossier } from '../generated/prisma/client.js';
import type { Outcome } from './context.js';
import { coarseStatus, dossierCard, FINISHED_STATUSES, statusLabel } from './dossier-text.js';
import { allowRate, findDossier, isSubscribed, subscribe } from './dossiers.js';
import { startForm } from './forms/engine.js';
import { prove, sendOtp } from './forms/prove.js';
import { rating } from './forms/rating.js';
import { subscribeFlow } from './forms/subscribe.js';
import { ownsDossier } from './ownership.js';
import { BUTTONS, DOSSIER_TEXTS as D, FORM_TEXTS, T } from './texts.js';
import type { TurnContext } from './turn.js';

// Dossier status, notices and ratings, private to the applicant: full details only for an account that proved it
// is the applicant's (or for sample dossiers); anyone else gets the coarse status and how to prove it. Lookups are
// limited per account, per dossier code and per web-chat client address.

const HOUR = 3600_000;
const HUMAN = { title: BUTTONS.human, payload: '#menu:human' };

/** Counts a lookup against every limit; the refusal's wording when one is reached. */
async function lookupRefusal(t: TurnContext, code: string): Promise<string | null> {
  const { tx, msg, now, config } = t;
  if (!(await allowRate(tx, `lookup:${msg.channel}:${msg.userId}`, config.LOOKUP_LIMIT_PER_10_MIN, 10 * 60_000, now))) return T.lookupLimit;
  if (msg.clientAddress && !(await allowRate(tx, `lookup:addr:${msg.clientAddress}`, config.LOOKUP_LIMIT_PER_ADDRESS_PER_HOUR, HOUR, now))) return D.lookupLimitAddress;
  if (!(await allowRate(tx, `lookup:code:${code.toUpperCase()}`, config.LOOKUP_LIMIT_PER_CODE_PER_HOUR, HOUR, now))) return D.lookupLimitCode;
  return null;
}

/** How this account can prove it is the applicant: a button where the platform has a contact form, else words. */
function proofOffer(t: TurnContext, d: Dossier, then: string) {
  if (!d.applicantPhone) return { text: D.noPhoneOnRecord, buttons: [HUMAN] };
  const button = { title: BUTTONS.prove, payload: `#prove:${d.code}:${then}` };
  if (t.can.userInfoForm) return { text: D.proveByZalo, buttons: [button, HUMAN] };
  if (t.config.OTP_SMS_WEBHOOK_URL) return { text: D.proveBySms, buttons: [button, HUMAN] };
  return { text: D.proveElsewhere, buttons: [HUMAN] };
}

/** The status of `code`: the card for its owner, the coarse status and the way to prove it for anyone else. */
export async function lookupDossier(t: TurnContext, code: string): Promise<Outcome> {
  const refusal = await lookupRefusal(t, code);
  if (refusal) return t.reply(refusal).result();
  const d = await findDossier(t.tx, code);
  t.state = { ...t.state, awaiting: undefined, lastDossierCode: d?.code ?? t.state.lastDossierCode };
  if (!d) return t.reply(T.dossierNotFound(code)).result();
  await showDossier(t, d);
  return t.result();
}

async function showDossier(t: TurnContext, d: Dossier): Promise<void> {
  const { tx, msg, now } = t;
  if (!(await ownsDossier(tx, d, msg.channel, msg.userId))) {
    const offer = proofOffer(t, d, 'status');
    t.reply(`${D.coarseCard(d.code, coarseStatus(d.status))}\n\n${offer.text}`, offer.buttons);
    return;
  }
  const subscribed = await isSubscribed(tx, d.code, msg.channel, msg.userId);
  const open = !FINISHED_STATUSES.has(d.status);
  const buttons = [];
  if (!subscribed && open) buttons.push({ title: BUTTONS.subscribe, payload: `#sub:${d.code}` });
  if (d.status === 'returned' || d.status === 'done') buttons.push({ title: BUTTONS.rate, payload: `#rate:${d.code}` });
  buttons.push(HUMAN);
  t.reply(dossierCard(d, now) + (!subscribed && open ? `\n\n${T.offerNotify}` : ''), buttons);
}

/** Starts the proof for `code`, then `then` ('status' | 'subscribe' | 'rate'). */
export async function startProof(t: TurnContext, code: string, then: string): Promise<Outcome> {
  const d = await findDossier(t.tx, code);
  if (!d) return t.reply(T.dossierNotFound(code)).result();
  if (await ownsDossier(t.tx, d, t.msg.channel, t.msg.userId)) {
    await continueAfterProof(t, d.code, then);
    return t.result();
  }
  if (d.applicantPhone && t.can.userInfoForm) return startForm(t, prove, { code: d.code, then });
  if (d.applicantPhone && t.config.OTP_SMS_WEBHOOK_URL) {
    const draft = { code: d.code, then };
    if (!(await sendOtp(t, draft))) return t.reply(FORM_TEXTS.prove.otpLimit, [HUMAN]).result();
    return startForm(t, prove, draft, 'otp');
  }
  return t.reply(proofOffer(t, d, then).text, [HUMAN]).result();
}

/** After the proof: the action it was for. */
export async function continueAfterProof(t: TurnContext, code: string, then: string): Promise<void> {
  const d = await findDossier(t.tx, code);
  if (!d) return;
  if (then === 'subscribe') await subscribeTo(t, d.code);
  else if (then === 'rate') startForm(t, rating, { code: d.code });
  else await showDossier(t, d);
}

/** Subscribes this account to `code` if it may; says what happened. */
export async function subscribeTo(t: TurnContext, code: string): Promise<void> {
  const d = await findDossier(t.tx, code);
  if (!d) { t.reply(FORM_TEXTS.subscribe.notFound(code)); return; }
  if (!(await ownsDossier(t.tx, d, t.msg.channel, t.msg.userId))) {
    const offer = proofOffer(t, d, 'subscribe');
    t.reply(`${D.proofFirst(D.needsProofFor.subscribe, d.code)} ${offer.text}`, offer.buttons);
    return;
  }
  await subscribe(t.tx, d, t.msg.channel, t.msg.userId);
  t.state = { ...t.state, lastDossierCode: d.code };
  t.reply(FORM_TEXTS.subscribe.saved(d.code, statusLabel(d.status)), [{ title: BUTTONS.stopNotices, payload: D.stopPayload(d.code) }]);
}

export async function startSubscribe(t: TurnContext, code?: string): Promise<Outcome> {
  if (!code) return startForm(t, subscribeFlow);
  await subscribeTo(t, code);
  return t.result();
}

/** A rating of `code` (or of the service in general when no dossier is named). */
export async function startRating(t: TurnContext, code?: string, stars?: number): Promise<Outcome> {
  // A score the message already gave ("5 sao nha") is taken: the form asks for a comment next.
  const begin = (draft: Record<string, unknown>) => (stars ? startForm(t, rating, { ...draft, score: stars }, 'comment') : startForm(t, rating, draft));
  if (!code) return begin({});
  const d = await findDossier(t.tx, code);
  if (!d) return begin({});
  if (!(await ownsDossier(t.tx, d, t.msg.channel, t.msg.userId))) {
    const offer = proofOffer(t, d, 'rate');
    return t.reply(`${D.proofFirst(D.needsProofFor.rate, d.code)} ${offer.text}`, offer.buttons).result();
  }
  return begin({ code: d.code });
}
