import { createHash, randomInt } from 'node:crypto';
import type { Reply } from '../../channels/types.js';
import { continueAfterProof } from '../dossier-actions.js';
import { allowRate, findDossier } from '../dossiers.js';
import { phoneMatches, recordOwner } from '../ownership.js';
import { FORM_TEXTS } from '../texts.js';
import type { TurnContext } from '../turn.js';
import { CANCEL_BUTTON, registerFlow, type Draft } from './engine.js';

// Proving a dossier is one's own, then going on with what needed the proof (status, notices, rating):
// - where the platform has a contact form (Zalo), the account's phone must be the phone on the dossier;
// - elsewhere, where an SMS gateway is configured, a one-time code sent to the phone on the dossier is typed back.

const P = FORM_TEXTS.prove;
export const OTP_SMS_JOB = 'otp-sms';
const OTP_TTL_MS = 10 * 60_000;
const OTP_TRIES = 5;
/** Codes sent for one dossier per hour: the applicant's phone must not be flooded. */
const OTP_PER_DOSSIER_PER_HOUR = 3;

const askShare = (code: string): Reply => ({
  text: P.askShare(code), buttons: [CANCEL_BUTTON], requestUserInfo: { title: P.shareTitle, subtitle: P.shareSubtitle },
});
const askOtp = (d: Draft): Reply => ({ text: P.askOtp(String(d.tail)), buttons: [{ title: P.resend, payload: '#otp:resend' }, CANCEL_BUTTON] });
const hashOtp = (otp: string, d: Draft, userId: string) => createHash('sha256').update(`${otp}:${d.code}:${userId}`).digest('hex');

/** Sends a new code to the phone on the dossier (a durable job); false when the hourly allowance is used. */
export async function sendOtp(t: TurnContext, d: Draft): Promise<boolean> {
  const dossier = await findDossier(t.tx, String(d.code));
  if (!dossier?.applicantPhone) return false;
  if (!(await allowRate(t.tx, `otp:${dossier.id}`, OTP_PER_DOSSIER_PER_HOUR, 3600_000, t.now))) return false;
  const otp = String(randomInt(0, 1_000_000)).padStart(6, '0');
  d.otp = hashOtp(otp, d, t.msg.userId);
  d.otpUntil = t.now.getTime() + OTP_TTL_MS;
  d.tries = 0;
  d.tail = dossier.applicantPhone.slice(-3);
  await t.tx.job.create({ data: { kind: OTP_SMS_JOB, key: `otp:${t.msg.channel}:${t.msg.eventId}`, payload: { phone: dossier.applicantPhone, text: P.sms(dossier.code, otp) } } });
  return true;
}

export const prove = registerFlow({
  name: 'prove',
  title: P.title,
  first: 'share',
  steps: {
    share: {
      personal: true,
      prompt: (_t, d) => askShare(String(d.code)),
      parse: (t) => (t.msg.userInfo?.phone ? { ok: true, value: t.msg.userInfo.phone } : { ok: false, retry: { ...askShare(''), text: P.retryShare } }),
      async onValid(t, d, v) {
        const dossier = await findDossier(t.tx, String(d.code));
        if (dossier && phoneMatches(dossier, String(v))) {
          await recordOwner(t.tx, dossier, t.msg.channel, t.msg.userId, 'zalo_user_info');
          d.proven = true;
        }
        return 'save';
      },
    },
    otp: {
      prompt: (_t, d) => askOtp(d),
      parse: (t) => {
        if (t.text === '#otp:resend') return { ok: true, value: 'resend' };
        const otp = /^\s*(\d{6})\s*$/.exec(t.text.replace(/\s+/g, ''))?.[1];
        return otp ? { ok: true, value: otp } : { ok: false, retry: { text: P.retryOtp, buttons: [{ title: P.resend, payload: '#otp:resend' }, CANCEL_BUTTON] } };
      },
      async onValid(t, d, v) {
        if (v === 'resend' || t.now.getTime() > Number(d.otpUntil)) {
          if (v !== 'resend') t.reply(P.expiredOtp);
          if (!(await sendOtp(t, d))) { d.failed = P.otpLimit; return 'save'; }
          return 'otp';
        }
        if (hashOtp(String(v), d, t.msg.userId) === d.otp) {
          const dossier = await findDossier(t.tx, String(d.code));
          if (dossier) await recordOwner(t.tx, dossier, t.msg.channel, t.msg.userId, 'otp');
          d.proven = true;
          return 'save';
        }
        d.tries = Number(d.tries ?? 0) + 1;
        if (Number(d.tries) >= OTP_TRIES) { d.failed = P.tooManyOtp; return 'save'; }
        t.reply(P.wrongOtp);
        return 'otp';
      },
    },
  },
  summary: (_t, d) => askShare(String(d.code)),
  async save(t, d) {
    if (!d.proven) {
      t.reply(typeof d.failed === 'string' ? d.failed : P.mismatch);
      return;
    }
    t.reply(P.proven(String(d.code)));
    await continueAfterProof(t, String(d.code), String(d.then ?? 'status'));
  },
});
