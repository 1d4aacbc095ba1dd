import type { Office, ReformModel } from '../generated/prisma/client.js';
import type { Reply, ReplyButton } from '../channels/types.js';
import { fold, clean } from '../nlu/text.js';
import { ANSWER_TEXTS, BUTTONS, T } from './texts.js';
import { reply } from './context.js';

// Answers composed from the knowledge base; nothing here is invented.

export function modelAnswer(m: ReformModel): Reply {
  return reply(
    ANSWER_TEXTS.model(m.name, `${m.locality}, ${m.province}; ${m.agency}, năm ${m.year}`, m.summary, m.howToUse),
    [{ title: BUTTONS.otherModels, payload: '#menu:models' }, { title: BUTTONS.procedures, payload: '#menu:procedures' }],
  );
}

const key = (s: string) => fold(clean(s)).replace(/^(thanh pho|huyen|thi xa|thi tran|phuong|xa|tinh)\s+/, '');

export function modelsOfPlace(models: ReformModel[], place: string): ReformModel[] {
  const k = key(place);
  return models.filter((m) => key(m.locality).includes(k) || key(m.province).includes(k) || k.includes(key(m.locality)));
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
  const buttons: ReplyButton[] = [{ title: C.call, phone: (o.hotline ?? o.phone).replace(/[^\d+]/g, '') }];
  if (o.website) buttons.push({ title: C.website, url: o.website });
  return reply(lines.join('\n'), buttons);
}
