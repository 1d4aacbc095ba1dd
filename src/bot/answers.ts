import type { Office, Procedure, ReformModel } from '../generated/prisma/client.js';
import type { Reply, ReplyButton } from '../channels/types.js';
import type { Aspect } from '../nlu/nlu.js';
import { fold, clean } from '../nlu/text.js';
import { ASPECT_LABELS, MENU_BUTTONS, T } from './texts.js';
import { reply } from './context.js';

// Answers composed from the knowledge base; nothing here is invented.

type Forms = Array<{ name: string; url: string }>;

export function procedureAnswer(p: Procedure, aspect: Aspect): Reply {
  const forms = (p.forms as Forms | null) ?? [];
  let text: string;
  switch (aspect) {
    case 'documents':
      text = `Dạ, hồ sơ thủ tục "${p.name}" gồm:\n${p.documents.map((d, i) => `${i + 1}. ${d}`).join('\n')}`;
      if (forms.length) text += `\n\nMẫu đơn, tờ khai:\n${forms.map((f) => `• ${f.name}: ${f.url}`).join('\n')}`;
      break;
    case 'fee':
      text = `Dạ, phí, lệ phí thủ tục "${p.name}": ${p.fee}`;
      break;
    case 'duration':
      text = `Dạ, thời hạn giải quyết thủ tục "${p.name}": ${p.processingTime}`;
      break;
    case 'place':
      text = `Dạ, anh/chị nộp hồ sơ "${p.name}" tại: ${p.place}\nCơ quan giải quyết: ${p.office}\nCách thức: ${p.howToSubmit}`;
      break;
    case 'online':
      text = p.onlineAvailable
        ? `Dạ, thủ tục "${p.name}" có thể nộp trực tuyến${p.onlineUrl ? ` tại ${p.onlineUrl}` : ' trên Cổng Dịch vụ công quốc gia'}. Anh/chị đăng nhập bằng tài khoản định danh điện tử VNeID. ${p.howToSubmit}`
        : `Dạ, thủ tục "${p.name}" hiện chưa nộp trực tuyến được. Anh/chị nộp tại: ${p.place}`;
      break;
    default:
      text = `Dạ, thủ tục "${p.name}" (lĩnh vực ${p.field}, ${p.level}):\n• Cơ quan giải quyết: ${p.office}\n• Thời hạn: ${p.processingTime}\n• Phí, lệ phí: ${p.fee}\n• Nộp trực tuyến: ${p.onlineAvailable ? 'có' : 'chưa'}\nAnh/chị muốn xem thêm nội dung nào ạ?`;
  }
  const buttons: ReplyButton[] = (Object.keys(ASPECT_LABELS) as Array<keyof typeof ASPECT_LABELS>)
    .filter((a) => a !== aspect)
    .slice(0, 4)
    .map((a) => ({ title: ASPECT_LABELS[a], payload: `#proc:${p.id}:${a}` }));
  if (p.onlineAvailable && p.onlineUrl) buttons.push({ title: 'Mở Cổng DVC', url: p.onlineUrl });
  const out = reply(text, buttons);
  if (aspect === 'documents' && forms.length) out.files = forms;
  return out;
}

export function candidatesAnswer(candidates: Procedure[]): Reply {
  if (candidates.length === 0) return reply(T.askProcedureName, MENU_BUTTONS.slice(0, 3));
  return reply(T.unclearProcedure, candidates.slice(0, 3).map((p) => ({ title: p.name, payload: `#proc:${p.id}:general` })));
}

export function modelAnswer(m: ReformModel): Reply {
  return reply(
    `Dạ, mô hình "${m.name}" (${m.locality}, ${m.province}; ${m.agency}, năm ${m.year}):\n${m.summary}\n\nNgười dân được lợi gì: ${m.howToUse}`,
    [{ title: 'Mô hình khác', payload: '#menu:models' }, { title: 'Tra cứu thủ tục', payload: '#menu:procedures' }],
  );
}

const key = (s: string) => fold(clean(s)).replace(/^(thanh pho|huyen|thi xa|thi tran|phuong|xa|tinh)\s+/, '');

export function modelsOfPlace(models: ReformModel[], place: string): ReformModel[] {
  const k = key(place);
  return models.filter((m) => key(m.locality).includes(k) || key(m.province).includes(k) || k.includes(key(m.locality)));
}

export function modelListAnswer(models: ReformModel[], place?: string, intro: string = T.modelsIntro): Reply {
  if (place && models.length === 0) return reply(T.noModelsOfLocality(place), [{ title: 'Mô hình tiêu biểu', payload: '#menu:models' }]);
  const list = models.slice(0, 8).map((m, i) => `${i + 1}. ${m.name} (${m.locality})`).join('\n');
  return reply(`${place ? T.modelsOfLocality(place) : intro}\n${list}\nAnh/chị chọn mô hình để xem chi tiết ạ.`,
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
