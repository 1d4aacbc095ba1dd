import type { Reply } from '../../channels/types.js';
import { allowRecord } from '../limits.js';
import { BUTTONS, FORM_TEXTS, formatDate } from '../texts.js';
import type { TurnContext } from '../turn.js';
import { registerFlow, summaryButtons, summaryText, CANCEL_BUTTON, type Draft, type Parsed } from './engine.js';
import { readAddress, readDate, readName, readPhone, readText, showPhone } from './fields.js';

// Home service: name, phone, address, procedure, then the summary with the reasons to choose (a tap sends).

const H = FORM_TEXTS.home;
export const HOME_CODE = /\bDV-\d{4}-\d{6}\b/i;
const ORDER = ['name', 'phone', 'address', 'procedure'] as const;
const nextMissing = (d: Draft) => ORDER.find((k) => !d[k]) ?? 'reason';
const retry = (text: string): Parsed => ({ ok: false, retry: { text, buttons: [CANCEL_BUTTON] } });

/** Where the platform has a contact form (Zalo), offer it; elsewhere the words never mention it. */
function withShare(t: TurnContext, shared: string, plain: string): Reply {
  if (!t.can.userInfoForm) return { text: plain, buttons: [CANCEL_BUTTON] };
  return { text: shared, buttons: [CANCEL_BUTTON], requestUserInfo: { title: 'Chia sẻ thông tin liên hệ', subtitle: 'Để cán bộ gọi điện hẹn lịch phục vụ tại nhà' } };
}

const lines = (d: Draft, withReason: boolean): Array<[string, string | null | undefined]> => [
  [H.labels.name, d.name as string], [H.labels.phone, d.phone ? showPhone(d.phone as string) : null],
  [H.labels.address, d.address as string], [H.labels.procedure, d.procedure as string],
  ...(withReason ? [[H.labels.reason, d.reason as string] as [string, string]] : []),
  [H.labels.date, d.date ? formatDate(new Date(d.date as string)) : H.dateByCall],
];

export const homeService = registerFlow({
  name: 'home_service',
  title: H.title,
  required: ['name', 'phone', 'address', 'procedure', 'reason'],
  first: 'name',
  steps: {
    name: {
      label: H.labels.name, personal: true,
      prompt: (t, d) => {
        const r = withShare(t, H.askNameShare, H.askName);
        return Object.keys(d).length ? r : { ...r, text: `${H.intro} ${r.text}` };
      },
      parse: (t) => {
        if (t.msg.userInfo) return { ok: true, value: t.msg.userInfo };
        const name = readName(t.text);
        return name ? { ok: true, value: name } : retry(H.retryName);
      },
      onValid: (_t, d, v) => {
        if (typeof v === 'string') d.name = v;
        else {
          // The platform's form: keep each field only if it fits its type.
          const info = v as { name?: string; phone?: string; address?: string };
          const name = info.name ? readName(info.name) : null;
          const phone = info.phone ? readPhone(info.phone) : null;
          const address = info.address ? readAddress(info.address) : null;
          if (name) d.name = name;
          if (phone) d.phone = phone;
          if (address) d.address = address;
        }
        return nextMissing(d);
      },
    },
    phone: {
      label: H.labels.phone, personal: true, strict: true,
      prompt: (t) => withShare(t, H.askPhoneShare, H.askPhone),
      parse: (t) => {
        const phone = readPhone(t.msg.userInfo?.phone ?? t.text);
        return phone ? { ok: true, value: phone } : retry(H.retryPhone);
      },
      onValid: (t, d, v) => {
        d.phone = v;
        const address = t.msg.userInfo?.address ? readAddress(t.msg.userInfo.address) : null;
        if (address && !d.address) d.address = address;
        return nextMissing(d);
      },
    },
    address: {
      label: H.labels.address, personal: true,
      prompt: () => ({ text: H.askAddress, buttons: [CANCEL_BUTTON] }),
      parse: (t) => {
        const loc = t.msg.location;
        if (loc) return { ok: true, value: `Vị trí đã chia sẻ: ${loc.latitude.toFixed(6)}, ${loc.longitude.toFixed(6)}` };
        const address = readAddress(t.msg.userInfo?.address ?? t.text);
        return address ? { ok: true, value: address } : retry(H.retryAddress);
      },
      onValid: (_t, d, v) => { d.address = v; return nextMissing(d); },
    },
    procedure: {
      label: H.labels.procedure,
      prompt: () => ({ text: H.askProcedure, buttons: [CANCEL_BUTTON] }),
      parse: (t) => {
        const text = readText(t.text, 2, 300);
        if (!text || text === 'long') return retry(H.retryProcedure);
        const u = t.understand(text);
        return { ok: true, value: u.decision.kind === 'procedure' ? u.decision.procedure.name : text };
      },
      onValid: (_t, d, v) => { d.procedure = v; return nextMissing(d); },
    },
    reason: {
      label: H.labels.reason,
      prompt: (_t, d) => ({
        text: summaryText(lines(d, false), H.askReason),
        buttons: [...H.reasons.map((r) => ({ title: r, payload: `#reason:${r}` })), { title: H.otherReason, payload: '#reason:other' }, { title: BUTTONS.edit, payload: '#edit' }],
      }),
      parse: (t) => {
        const tapped = /^#reason:(.+)$/.exec(t.text);
        if (tapped) return { ok: true, value: { tapped: tapped[1] } };
        const text = readText(t.text, 3, 300);
        return text && text !== 'long' ? { ok: true, value: text } : retry(H.retryReason);
      },
      onValid: (_t, d, v) => {
        if (typeof v === 'string') { d.reason = v; return 'summary'; }
        const tapped = (v as { tapped: string }).tapped;
        if (tapped === 'other') return 'reason_text';
        d.reason = tapped;
        return 'save'; // chosen under the summary: that tap sends it
      },
    },
    reason_text: {
      prompt: () => ({ text: H.askReasonText, buttons: [CANCEL_BUTTON] }),
      parse: (t) => {
        const text = readText(t.text, 3, 300);
        return text && text !== 'long' ? { ok: true, value: text } : retry(H.retryReason);
      },
      onValid: (_t, d, v) => { d.reason = v; return 'summary'; },
    },
    date: {
      label: H.labels.date, strict: true,
      prompt: () => ({ text: H.askDate, buttons: [CANCEL_BUTTON] }),
      parse: (t) => {
        const day = readDate(t.text, t.now);
        const today = readDate('hôm nay', t.now)!;
        const ok = day && day >= today && day.getTime() - today.getTime() <= 90 * 86_400_000;
        return ok ? { ok: true, value: day.toISOString() } : retry(H.retryDate);
      },
      onValid: (_t, d, v) => { d.date = v; return 'summary'; },
    },
  },
  summary: (_t, d) => ({ text: summaryText(lines(d, true)), buttons: summaryButtons() }),
  async save(t, d) {
    const allowed = await allowRecord(t, 'home');
    if (allowed !== 'ok') {
      t.reply(allowed === 'address' ? FORM_TEXTS.limitAddress : H.perDay(3));
      return;
    }
    const { msg, tx, now } = t;
    const req = await tx.homeServiceRequest.create({
      data: {
        code: `tmp-${msg.channel}-${msg.eventId}`, channel: msg.channel, userId: msg.userId, name: String(d.name), phone: String(d.phone),
        address: String(d.address), procedureName: String(d.procedure), reason: String(d.reason),
        preferredDate: d.date ? new Date(String(d.date)) : null,
      },
    });
    const code = `DV-${now.getUTCFullYear()}-${String(req.id).padStart(6, '0')}`;
    await tx.homeServiceRequest.update({ where: { id: req.id }, data: { code } });
    t.reply(H.saved(code), [{ title: BUTTONS.cancelHome, payload: `#home_cancel:${code}` }]);
  },
});
