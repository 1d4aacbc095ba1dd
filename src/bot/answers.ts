import type { Office, ReformModel } from '../generated/prisma/client.js';
import type { Reply, ReplyButton } from '../channels/types.js';
import { fold, clean } from '../nlu/text.js';
import { placeAsNamed, type PlaceNow } from '../places/model-place.js';
import { ANSWER_TEXTS, BUTTONS, MODEL_TEXTS, T } from './texts.js';
import { isVerified, provenanceLine } from './verification.js';
import { reply } from './context.js';

// Answers composed from the knowledge base; nothing here is invented.

/** A reform model as its source states it, with where it is now and what became of the body that ran it. */
export function modelAnswer(m: ReformModel, now: PlaceNow | null): Reply {
  const place = placeAsNamed(m.locality, m.province) + (now?.now ? ` (${now.now})` : '');
  const lines = [MODEL_TEXTS.intro(m.name, m.agency, m.year), `${MODEL_TEXTS.place}: ${place}.`, m.summary, '', `${MODEL_TEXTS.howToUse}: ${m.howToUse}`];
  if (m.agencyChanged) lines.push('', m.agencyNow ? MODEL_TEXTS.agencyNow(m.agency, m.agencyNow) : MODEL_TEXTS.agencyChanged(m.agency));
  const provenance = provenanceLine(m);
  if (provenance) lines.push('', provenance);
  const buttons: ReplyButton[] = [{ title: BUTTONS.otherModels, payload: '#menu:models' }, { title: BUTTONS.procedures, payload: '#menu:procedures' }];
  if (m.agencyChanged && !m.agencyNow) buttons.push({ title: BUTTONS.human, payload: '#menu:human' });
  return reply(lines.join('\n'), buttons);
}

const key = (s: string) => fold(clean(s)).replace(/^(thanh pho|huyen|thi xa|thi tran|phuong|xa|tinh)\s+/, '');

export function modelsOfPlace(models: ReformModel[], place: string): ReformModel[] {
  const k = key(place);
  return models.filter((m) => key(m.locality).includes(k) || key(m.province).includes(k) || k.includes(key(m.locality)));
}

/** Models of the old units inside the new ones a message names ("Đà Nẵng có mô hình gì" finds Quảng Nam's). */
export function modelsInPlaceNow(models: ReformModel[], now: (m: ReformModel) => PlaceNow | null, asked: { provinces: Set<string>; communes: Set<string> }): ReformModel[] {
  return models.filter((m) => {
    const n = now(m);
    if (!n) return false;
    if (n.newCommuneCodes.some((c) => asked.communes.has(c))) return true;
    return asked.communes.size === 0 && n.newProvinceCodes.some((p) => asked.provinces.has(p));
  });
}

export function modelListAnswer(models: ReformModel[], place?: string, intro: string = T.modelsIntro): Reply {
  if (place && models.length === 0) return reply(T.noModelsOfLocality(place), [{ title: BUTTONS.featuredModels, payload: '#menu:models' }]);
  const list = models.slice(0, 8).map((m, i) => `${i + 1}. ${m.name} (${m.locality})`).join('\n');
  return reply(`${place ? T.modelsOfLocality(place) : intro}\n${list}\n${T.modelsPick}`,
    models.slice(0, 5).map((m) => ({ title: m.name, payload: `#model:${m.id}` })));
}

export function contactAnswer(offices: Office[]): Reply {
  if (offices.length === 0) return reply(T.noContact);
  const o = offices[0];
  const C = ANSWER_TEXTS.contact;
  const lines = [C.intro(o.name), C.line(C.address, o.address), C.line(C.phone, o.phone)];
  if (o.hotline) lines.push(C.line(C.hotline, o.hotline));
  if (o.email) lines.push(C.line(C.email, o.email));
  lines.push(C.line(C.hours, o.hours));
  if (o.website) lines.push(C.line(C.website, o.website));
  const others = offices.slice(1).map((x) => C.line(x.name, `${x.phone}${x.address ? ` (${x.address})` : ''}`));
  if (others.length) lines.push('', C.others, ...others);
  // Only a verified number or link becomes a call or open button; unverified ones are text, said to be so.
  const buttons: ReplyButton[] = [];
  if (isVerified(o)) {
    buttons.push({ title: C.call, phone: (o.hotline ?? o.phone).replace(/[^\d+]/g, '') });
    if (o.website) buttons.push({ title: C.website, url: o.website });
  }
  const provenance = provenanceLine(o);
  if (provenance) lines.push('', provenance);
  return reply(lines.join('\n'), buttons);
}
