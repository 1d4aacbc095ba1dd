import { extractDossierCode } from '../nlu/entities.js';
import { clean, fold } from '../nlu/text.js';
import { reply, type Outcome, type Turn } from './context.js';
import { allowRate, findDossier, subscribe } from './dossiers.js';
import { formatDate, MENU_BUTTONS, STATUS_LABELS } from './texts.js';
import type { DossierStatus } from '../kb/schemas.js';

// Multi-step conversations: feedback tickets, ratings, home service, notifications. Each step reads the
// user's next message; "hủy" cancels (handled by the bot before it gets here).

const SKIP = '#skip';
const skipButton = { title: 'Bỏ qua', payload: SKIP };
const yes = (t: string) => /^(co|dong y|ok|yes|uh|u|vang|da|da co|#yes)\b/.test(fold(clean(t)).trim());
export const TICKET_CODE = /\bPA-\d{4}-\d{6}\b/i;
export const HOME_CODE = /\bDV-\d{4}-\d{6}\b/i;

export const FEEDBACK_WORKING_DAYS = 10;
/** Tickets one user may open a day: enough for real petitions, not for flooding the officials' queue. */
export const TICKETS_PER_DAY = 5;

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

const done = (turn: Turn, text: string, buttons = MENU_BUTTONS.slice(0, 3)): Outcome =>
  ({ replies: [reply(text, buttons)], state: { ...turn.state, awaiting: undefined, draft: undefined } });
const ask = (turn: Turn, awaiting: Outcome['state']['awaiting'], text: string, draft: Record<string, unknown>, buttons?: Outcome['replies'][0]['buttons']): Outcome =>
  ({ replies: [reply(text, buttons)], state: { ...turn.state, awaiting, draft } });

/** Where the platform has a form for it (Zalo request_user_info), let the citizen share name/phone/address in one tap. */
function withUserInfoForm(o: Outcome): Outcome {
  o.replies[0].requestUserInfo = { title: 'Chia sẻ thông tin liên hệ', subtitle: 'Để cán bộ gọi điện hẹn lịch phục vụ tại nhà' };
  return o;
}

export function startFeedback(turn: Turn): Outcome {
  return ask(turn, 'feedback_content', 'Dạ, anh/chị vui lòng nêu nội dung phản ánh, kiến nghị (sự việc, thời gian, địa điểm). Anh/chị có thể gửi kèm hình ảnh hoặc vị trí ạ.', {});
}

export function startRating(turn: Turn, code?: string): Outcome {
  return ask(turn, 'rating_score', 'Dạ, anh/chị vui lòng chấm điểm mức độ hài lòng với việc giải quyết hồ sơ (1: rất không hài lòng – 5: rất hài lòng) ạ.',
    { code: code ?? turn.state.lastDossierCode ?? null },
    [1, 2, 3, 4, 5].map((n) => ({ title: `${n} ⭐`, payload: `#score:${n}` })));
}

export function startHomeService(turn: Turn): Outcome {
  return ask(turn, 'home_name', 'Dạ, Bộ phận Một cửa có cán bộ đến tận nhà tiếp nhận hồ sơ và trả kết quả cho người cao tuổi, người khuyết tật, người ốm đau không tự đi lại được. Anh/chị cho em xin họ và tên người cần hỗ trợ ạ.', {});
}

export async function startSubscribe(turn: Turn, code?: string): Promise<Outcome> {
  if (!code) return ask(turn, 'subscribe_code', 'Dạ, anh/chị nhắn mã hồ sơ cần nhận thông báo (ví dụ: 000.00.19.H12-231123-0001) ạ.', {});
  const d = await findDossier(turn.tx, code);
  if (!d) return done(turn, `Dạ, em chưa tìm thấy hồ sơ có mã ${code}. Anh/chị kiểm tra lại mã in trên Giấy tiếp nhận hồ sơ giúp em ạ.`);
  await subscribe(turn.tx, d, turn.msg.channel, turn.msg.userId);
  return {
    replies: [reply(`Dạ, em đã ghi nhận. Khi hồ sơ ${d.code} thay đổi trạng thái (hiện tại: ${STATUS_LABELS[d.status as DossierStatus] ?? d.status}), em sẽ nhắn cho anh/chị ngay. Nhắn "hủy thông báo" nếu anh/chị không muốn nhận nữa ạ.`)],
    state: { ...turn.state, awaiting: undefined, draft: undefined, lastDossierCode: d.code },
  };
}

/** Continues the flow the user is in with their latest message. */
export async function continueFlow(turn: Turn): Promise<Outcome> {
  const { msg, state, tx, now } = turn;
  const text = (msg.payload ?? msg.text ?? '').trim();
  const draft = { ...(state.draft ?? {}) } as Record<string, unknown>;
  const attachments = (draft.attachments as unknown[] | undefined) ?? [];
  switch (state.awaiting) {
    case 'subscribe_code': {
      const code = extractDossierCode(text);
      return code ? startSubscribe(turn, code) : ask(turn, 'subscribe_code', 'Dạ, em chưa nhận ra mã hồ sơ. Mã có dạng 000.00.19.H12-231123-0001; anh/chị nhắn lại giúp em, hoặc nhắn "hủy" ạ.', draft);
    }
    case 'feedback_content': {
      if (msg.attachments?.length || msg.location) {
        draft.attachments = [...attachments, ...(msg.attachments ?? [])];
        if (msg.location) draft.location = msg.location;
        return ask(turn, 'feedback_content', 'Dạ, em đã nhận hình ảnh/vị trí. Anh/chị nhắn nội dung phản ánh giúp em ạ.', draft);
      }
      if (text.length < 5) return ask(turn, 'feedback_content', 'Dạ, anh/chị nêu rõ hơn nội dung phản ánh giúp em ạ.', draft);
      draft.content = text.slice(0, 4000);
      return ask(turn, 'feedback_code', 'Dạ, nếu phản ánh liên quan đến một hồ sơ, anh/chị nhắn mã hồ sơ; nếu không, bấm "Bỏ qua" ạ.', draft, [skipButton]);
    }
    case 'feedback_code': {
      if (msg.attachments?.length || msg.location) {
        draft.attachments = [...attachments, ...(msg.attachments ?? [])];
        if (msg.location) draft.location = msg.location;
        return ask(turn, 'feedback_code', 'Dạ, em đã nhận thêm hình ảnh/vị trí. Anh/chị nhắn mã hồ sơ hoặc bấm "Bỏ qua" ạ.', draft, [skipButton]);
      }
      draft.dossierCode = text === SKIP ? null : extractDossierCode(text) ?? null;
      return ask(turn, 'feedback_consent', 'Dạ, anh/chị có đồng ý để cán bộ liên hệ lại qua kênh này (và số điện thoại nếu anh/chị cung cấp) để trao đổi thêm không ạ?', draft,
        [{ title: 'Đồng ý', payload: '#yes' }, { title: 'Không', payload: '#no' }]);
    }
    case 'feedback_consent': {
      if (!(await allowRate(tx, `ticket:${msg.channel}:${msg.userId}`, TICKETS_PER_DAY, 24 * 3600_000, now))) {
        return done(turn, `Dạ, hôm nay anh/chị đã gửi ${TICKETS_PER_DAY} phản ánh. Để cán bộ kịp xử lý, anh/chị vui lòng gửi thêm vào ngày mai, hoặc nhắn "gặp cán bộ" nếu việc gấp ạ.`);
      }
      const dueAt = addWorkingDays(now, FEEDBACK_WORKING_DAYS);
      const ticket = await tx.ticket.create({
        data: {
          code: `tmp-${msg.channel}-${msg.eventId}`, channel: msg.channel, userId: msg.userId,
          content: String(draft.content ?? ''), dossierCode: (draft.dossierCode as string | null) ?? null,
          attachments: (draft.attachments ?? []) as object[], location: (draft.location ?? undefined) as object | undefined,
          consentContact: yes(text), dueAt,
        },
      });
      const code = `PA-${now.getUTCFullYear()}-${String(ticket.id).padStart(6, '0')}`;
      await tx.ticket.update({ where: { id: ticket.id }, data: { code } });
      return done(turn, `Dạ, em đã tiếp nhận phản ánh, kiến nghị của anh/chị với mã ${code}. Cơ quan sẽ trả lời trước ngày ${formatDate(dueAt)} (${FEEDBACK_WORKING_DAYS} ngày làm việc). Anh/chị có thể nhắn mã ${code} để xem tình trạng xử lý ạ.`);
    }
    case 'rating_score': {
      const n = Number((text.match(/^#score:([1-5])$/) ?? text.match(/^\s*([1-5])\b/))?.[1]);
      if (!n) return ask(turn, 'rating_score', 'Dạ, anh/chị chọn số điểm từ 1 đến 5 giúp em ạ.', draft, [1, 2, 3, 4, 5].map((s) => ({ title: `${s} ⭐`, payload: `#score:${s}` })));
      draft.score = n;
      return ask(turn, 'rating_comment', 'Dạ, em cảm ơn anh/chị. Anh/chị có góp ý thêm không ạ? (nhắn nội dung hoặc bấm "Bỏ qua")', draft, [skipButton]);
    }
    case 'rating_comment': {
      const dossier = draft.code ? await findDossier(tx, String(draft.code)) : null;
      await tx.rating.create({
        data: {
          dossierId: dossier?.id ?? null, procedureName: dossier?.procedureName ?? null, office: dossier?.office ?? null,
          channel: msg.channel, userId: msg.userId, score: Number(draft.score), comment: text === SKIP ? null : text.slice(0, 2000),
        },
      });
      return done(turn, 'Dạ, em đã ghi nhận đánh giá của anh/chị. Ý kiến của anh/chị giúp Bộ phận Một cửa phục vụ tốt hơn. Cảm ơn anh/chị ạ!');
    }
    case 'home_name':
      if (text.length < 2) return ask(turn, 'home_name', 'Dạ, anh/chị cho em xin họ và tên ạ.', draft);
      draft.name = text.slice(0, 200);
      return withUserInfoForm(ask(turn, 'home_phone', 'Dạ, anh/chị cho em xin số điện thoại để cán bộ liên hệ hẹn lịch ạ (nhắn số hoặc bấm chia sẻ thông tin).', draft));
    case 'home_phone': {
      const phone = (msg.userInfo?.phone ?? text).replace(/[\s.]/g, '');
      if (!/^(\+?84|0)\d{9,10}$/.test(phone)) return ask(turn, 'home_phone', 'Dạ, số điện thoại chưa đúng (ví dụ: 0912345678). Anh/chị nhắn lại giúp em ạ.', draft);
      draft.phone = phone;
      if (msg.userInfo?.address) draft.address = msg.userInfo.address;
      return ask(turn, 'home_address', 'Dạ, anh/chị cho em xin địa chỉ nơi ở (số nhà, đường/thôn, xã/phường) ạ.', draft);
    }
    case 'home_address':
      if (msg.location) draft.address = `Vị trí ${msg.location.latitude}, ${msg.location.longitude}`;
      else if (text.length < 5) return ask(turn, 'home_address', 'Dạ, anh/chị nhắn địa chỉ cụ thể hơn giúp em ạ.', draft);
      else draft.address = text.slice(0, 500);
      return ask(turn, 'home_procedure', 'Dạ, anh/chị cần làm thủ tục gì ạ? (ví dụ: chứng thực, trợ cấp người cao tuổi, khai tử)', draft);
    case 'home_procedure': {
      const understood = turn.understanding?.procedure?.name;
      draft.procedureName = understood ?? text.slice(0, 300);
      return ask(turn, 'home_reason', 'Dạ, lý do người cần hỗ trợ không đến trực tiếp được là gì ạ?', draft,
        [{ title: 'Người cao tuổi', payload: '#reason:Người cao tuổi' }, { title: 'Người khuyết tật', payload: '#reason:Người khuyết tật' },
          { title: 'Đang ốm, bệnh', payload: '#reason:Đang ốm, bệnh' }, { title: 'Lý do khác', payload: '#reason:Khác' }]);
    }
    case 'home_reason': {
      const reason = text.startsWith('#reason:') ? text.slice(8) : text.slice(0, 300);
      const req = await tx.homeServiceRequest.create({
        data: {
          code: `tmp-${msg.channel}-${msg.eventId}`, channel: msg.channel, userId: msg.userId, name: String(draft.name),
          phone: String(draft.phone), address: String(draft.address), procedureName: String(draft.procedureName), reason,
        },
      });
      const code = `DV-${now.getUTCFullYear()}-${String(req.id).padStart(6, '0')}`;
      await tx.homeServiceRequest.update({ where: { id: req.id }, data: { code } });
      return done(turn, `Dạ, em đã ghi nhận yêu cầu phục vụ tại nhà, mã ${code}. Cán bộ sẽ gọi điện cho anh/chị để hẹn ngày giờ; khi có lịch em sẽ nhắn lại. Nếu muốn hủy, anh/chị nhắn "hủy lịch ${code}" ạ.`,
        [{ title: 'Hủy yêu cầu', payload: `#home_cancel:${code}` }]);
    }
    default:
      return done(turn, 'Dạ, anh/chị cần hỗ trợ gì ạ?');
  }
}
