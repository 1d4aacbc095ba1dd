import type { Procedure } from '../generated/prisma/client.js';
import type { Reply, ReplyButton } from '../channels/types.js';
import type { Aspect } from '../nlu/nlu.js';
import { reply } from './context.js';
import { displayName } from './option-labels.js';
import { ASPECT_LABELS, PROCEDURE_TEXTS as P } from './texts.js';
import { isVerified, provenanceLine } from './verification.js';
import { procedureForms } from '../db/json-columns.js';

// A procedure's answer, from its record only. An empty field is said to be empty, with the portal link,
// never shown as an empty list.


const has = (s: string | null | undefined) => typeof s === 'string' && s.trim().length > 0;
const list = (items: string[]) => items.map((d, i) => `${i + 1}. ${d}`).join('\n');

function noDetail(p: Procedure, what: string): string {
  return P.noDetail(what, isVerified(p) ? p.portalUrl ?? undefined : undefined);
}

/** Document names that are forms ("Tờ khai ... (mẫu ...)"), when the record gives no form links. */
function formNames(p: Procedure): string[] {
  return p.documents.filter((d) => /tờ khai|mẫu|đơn đề nghị|đơn xin|phiếu/i.test(d));
}

function body(p: Procedure, aspect: Aspect): string {
  const name = displayName(p.name);
  const forms = procedureForms(p);
  switch (aspect) {
    case 'documents': {
      if (p.documents.length === 0 && p.documentsToShow.length === 0) return noDetail(p, P.what.documents(name));
      const parts = [p.documents.length ? `${P.documentsIntro(name)}\n${list(p.documents)}` : P.noDocumentsToSubmit(name)];
      if (p.documentsToShow.length) parts.push(`${P.documentsToShow}\n${list(p.documentsToShow)}`);
      if (forms.length) parts.push(`${P.formsIntro}\n${forms.map((f) => `• ${f.name}: ${f.url}`).join('\n')}`);
      return parts.join('\n\n');
    }
    case 'fee': {
      if (!has(p.fee)) return noDetail(p, P.what.fee(name));
      return `${P.feeIntro(name)} ${p.fee}${p.feeByProvince ? `\n${P.feeByProvince}` : ''}`;
    }
    case 'duration':
      return has(p.processingTime) ? `${P.durationIntro(name)} ${p.processingTime}` : noDetail(p, P.what.duration(name));
    case 'place': {
      const lines = [
        has(p.place) ? `${P.placeIntro(name)} ${p.place}` : '',
        has(p.office) ? `${P.office}: ${p.office}` : '',
        has(p.competentBody) && p.competentBody !== p.office ? `${P.competentBody}: ${p.competentBody}` : '',
        has(p.howToSubmit) ? `${P.howToSubmit}: ${p.howToSubmit}` : '',
      ].filter(Boolean);
      return lines.length ? (has(p.place) ? lines.join('\n') : `${P.placeOffice(name)}\n${lines.join('\n')}`) : noDetail(p, P.what.place(name));
    }
    case 'online':
      if (!p.onlineAvailable) return has(p.place) ? P.notOnline(name, p.place) : P.notOnlineNoPlace(name);
      return P.online(name, isVerified(p) ? p.onlineUrl ?? undefined : undefined, p.howToSubmit);
    case 'forms': {
      if (forms.length) return `${P.formsOf(name)}\n${forms.map((f) => `• ${f.name}: ${f.url}`).join('\n')}`;
      const named = formNames(p);
      if (named.length) return `${P.formsNamed(name)}\n${named.map((f) => `• ${f}`).join('\n')}\n${P.formsWhere(isVerified(p) ? p.portalUrl ?? undefined : undefined)}`;
      return noDetail(p, P.what.forms(name));
    }
    case 'legal': {
      if (p.legalBasis.length === 0) return noDetail(p, P.what.legal(name));
      return `${P.legalIntro(name)}\n${p.legalBasis.map((l) => `• ${l}`).join('\n')}${p.decision ? `\n${P.decision(p.decision)}` : ''}`;
    }
    case 'eligibility': {
      const lines = [has(p.eligibility) ? `${P.eligibility}: ${p.eligibility}` : '', has(p.conditions) ? `${P.conditions}: ${p.conditions}` : ''].filter(Boolean);
      return lines.length ? `${P.eligibilityIntro(name)}\n${lines.join('\n')}` : noDetail(p, P.what.eligibility(name));
    }
    default: {
      const lines = [`${P.cardIntro(name)}${has(p.field) ? ` (${P.field} ${p.field}${has(p.level) ? `, ${p.level}` : ''})` : ''}:`];
      if (has(p.office)) lines.push(`• ${P.office}: ${p.office}`);
      if (has(p.processingTime)) lines.push(`• ${P.duration}: ${p.processingTime}`);
      if (has(p.fee)) lines.push(`• ${P.fee}: ${p.fee}${p.feeByProvince ? ` ${P.feeByProvinceShort}` : ''}`);
      if (has(p.result)) lines.push(`• ${P.result}: ${p.result}`);
      lines.push(`• ${P.onlineLabel}: ${p.onlineAvailable ? P.yes : P.no}`);
      if (p.legalBasis.length) lines.push(`• ${P.legalShort}: ${p.legalBasis.slice(0, 3).map((l) => l.split(' — ')[0]).join('; ')}${p.legalBasis.length > 3 ? '…' : ''}`);
      if (lines.length <= 2) lines.push(P.cardNoDetail(isVerified(p) ? p.portalUrl ?? undefined : undefined));
      lines.push(P.askMore);
      return lines.join('\n');
    }
  }
}

/** The aspects this record can answer, for buttons: those with something to say. */
function answerable(p: Procedure): Array<keyof typeof ASPECT_LABELS> {
  const forms = procedureForms(p).length > 0 || formNames(p).length > 0;
  const available: Record<keyof typeof ASPECT_LABELS, boolean> = {
    documents: p.documents.length > 0 || p.documentsToShow.length > 0,
    fee: has(p.fee),
    duration: has(p.processingTime),
    place: has(p.place) || has(p.office),
    online: true,
    forms,
    legal: p.legalBasis.length > 0,
    eligibility: has(p.eligibility) || has(p.conditions),
  };
  return (Object.keys(ASPECT_LABELS) as Array<keyof typeof ASPECT_LABELS>).filter((a) => available[a]);
}

export function procedureAnswer(p: Procedure, aspect: Aspect): Reply {
  const provenance = provenanceLine(p);
  const text = [body(p, aspect), provenance].filter(Boolean).join('\n\n');
  const buttons: ReplyButton[] = answerable(p)
    .filter((a) => a !== aspect)
    .slice(0, 4)
    .map((a) => ({ title: ASPECT_LABELS[a], payload: `#proc:${p.id}:${a}` }));
  const link = isVerified(p) ? p.onlineUrl ?? p.portalUrl : null;
  if (link) buttons.push({ title: P.openPortal, url: link });
  const out = reply(text, buttons);
  const forms = procedureForms(p);
  if ((aspect === 'documents' || aspect === 'forms') && forms.length && isVerified(p)) out.files = forms;
  return out;
}

