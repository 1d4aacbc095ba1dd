import type { Office, ReformModel } from '../generated/prisma/client.js';
import type { Reply, ReplyButton } from '../channels/types.js';
import { fold, clean } from '../nlu/text.js';
import { BUTTONS, T } from './texts.js';
import { reply } from './context.js';

// Answers composed from the knowledge base; nothing here is invented.

export function modelAnswer(m: ReformModel): Reply {
  return reply(
    `Dạ, mô hình "${m.name}" (${m.locality}, ${m.province}; ${m.agency}, năm ${m.year}):\n${m.summary}\n\nNgười dân được lợi gì: ${m.howToUse}`,
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
  const lines = [`Dạ, thông tin liên hệ ${o.name}:`, `• Địa chỉ: ${o.address}`, `• Điện thoại: ${o.phone}`];
  if (o.hotline) lines.push(`• Đường dây nóng: ${o.hotline}`);
  if (o.email) lines.push(`• Email: ${o.email}`);
  lines.push(`• Giờ làm việc: ${o.hours}`);
  if (o.website) lines.push(`• Trang thông tin: ${o.website}`);
  const others = offices.slice(1).map((x) => `• ${x.name}: ${x.phone}${x.address ? ` (${x.address})` : ''}`);
  if (others.length) lines.push('', 'Các đơn vị khác:', ...others);
  const buttons: ReplyButton[] = [{ title: 'Gọi điện', phone: (o.hotline ?? o.phone).replace(/[^\d+]/g, '') }];
  if (o.website) buttons.push({ title: 'Trang thông tin', url: o.website });
  return reply(lines.join('\n'), buttons);
}
