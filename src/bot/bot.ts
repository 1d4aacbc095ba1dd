import type { Conversation, Prisma, ReformModel } from '../generated/prisma/client.js';
import type { InboundMessage, Reply } from '../channels/types.js';
import type { Config } from '../config.js';
import type { KbStore } from '../kb/store.js';
import { extractDossierCode } from '../nlu/entities.js';
import type { Understanding } from '../nlu/nlu.js';
import { clean, fold } from '../nlu/text.js';
import { contactAnswer, modelAnswer, modelListAnswer, modelsInPlaceNow, modelsOfPlace } from './answers.js';
import { placeCodesOf, placeNow, type PlaceNow } from '../places/model-place.js';
import { reply, type Matched, type Outcome, type Turn } from './context.js';
import { allowRate, dossierStatusReply, findDossier, isSubscribed, unsubscribe } from './dossiers.js';
import { continueFlow, HOME_CODE, startFeedback, startHomeService, startRating, startSubscribe, TICKET_CODE } from './flows.js';
import { answerProcedure, CONTEXT_MINUTES, contextProcedure, pickFromPending, procedureOutcome } from './procedure-dialog.js';
import { ASPECTS } from '../nlu/data-files.js';
import { placeAnswer } from '../places/answer.js';
import { officeLookupFromKb } from '../places/offices.js';
import { isVerified, provenanceLine } from './verification.js';
import { MENU_BUTTONS, T, formatDate } from './texts.js';

export interface TurnResult extends Outcome { understanding?: Understanding }

const CANCEL = /^(huy|thoi|dung lai|cancel|bo qua thao tac)$/;
const UNSUBSCRIBE = /\b(huy|dung|ngung|tat)\b.*\bthong bao\b/;
const CANCEL_HOME = /\bhuy\b.*\blich\b|#home_cancel:/;

/** One step of deciding a turn: answer it, or pass it on with `next()` (the first that answers wins). */
type Handler = (turn: Turn, next: () => Promise<TurnResult>) => Promise<TurnResult>;

/** Decides what to say to one message. Channel-blind: it states intent, the channel renders it. */
export class Bot {
  /** In order of precedence. */
  private readonly handlers: Handler[] = [
    (t, next) => this.platformEvents(t, next),
    (t, next) => this.whileOfficialsAnswer(t, next),
    (t, next) => this.nonText(t, next),
    (t, next) => this.cancel(t, next),
    (t, next) => this.payloads(t, next),
    (t, next) => this.shortcuts(t, next),
    (t) => this.understandAndAnswer(t),
  ];

  constructor(private readonly kb: KbStore, private readonly config: Config) {}

  async handle(msg: InboundMessage, conv: Pick<Conversation, 'state' | 'pausedUntil' | 'handoffStatus'>, tx: Prisma.TransactionClient, now: Date): Promise<TurnResult> {
    const state = (conv.state ?? {}) as Turn['state'];
    const turn: Turn = { msg, state, tx, kb: this.kb.snapshot, config: this.config, now, conversation: conv };
    return this.run(turn);
  }

  /** What the bot would answer to `text` for a new user, without recording anything (console "try it"). */
  async preview(text: string, tx: Prisma.TransactionClient, now: Date) {
    const msg: InboundMessage = { channel: 'web', eventId: 'preview', eventName: 'preview', userId: 'preview', kind: 'text', text, timestamp: now.getTime() };
    const result = await this.run({ msg, state: {}, tx, kb: this.kb.snapshot, config: this.config, now, conversation: { pausedUntil: null, handoffStatus: null } });
    const u = result.understanding;
    return {
      understanding: u ? { intent: u.intent, confidence: u.confidence, entities: u.entities, decision: u.decision.kind } : null,
      matched: result.matched ?? { type: null, id: null, name: null },
      replies: result.replies,
    };
  }

  private run(turn: Turn): Promise<TurnResult> {
    const step = (i: number): Promise<TurnResult> =>
      i < this.handlers.length ? this.handlers[i](turn, () => step(i + 1)) : Promise.resolve({ replies: [], state: turn.state });
    return step(0);
  }

  private async platformEvents(turn: Turn, next: () => Promise<TurnResult>): Promise<TurnResult> {
    switch (turn.msg.kind) {
      case 'admin_reply': return { replies: [], state: turn.state, pauseMinutes: this.config.BOT_PAUSE_MINUTES };
      case 'ignored': case 'unfollow': return { replies: [], state: turn.state };
      case 'follow': return { replies: [reply(T.welcome, MENU_BUTTONS)], state: {} };
      default: return next();
    }
  }

  private async whileOfficialsAnswer(turn: Turn, next: () => Promise<TurnResult>): Promise<TurnResult> {
    const { conversation: conv, now } = turn;
    if (conv.handoffStatus === 'waiting' || conv.handoffStatus === 'active') return { replies: [], state: turn.state };
    if (conv.pausedUntil && conv.pausedUntil > now) return { replies: [], state: turn.state };
    return next();
  }

  private async nonText(turn: Turn, next: () => Promise<TurnResult>): Promise<TurnResult> {
    const { msg, state } = turn;
    if (msg.kind === 'sticker') return { replies: [reply(T.sticker, MENU_BUTTONS.slice(0, 3))], state };
    if (state.awaiting && msg.kind !== 'text' && msg.kind !== 'postback') return continueFlow(turn);
    if (msg.kind === 'location') return { replies: [reply(T.location)], state };
    if (msg.kind !== 'text' && msg.kind !== 'postback' && msg.kind !== 'user_info') return { replies: [reply(T.nonText)], state };
    // Every text turn advances the clock of the follow-up window.
    turn.state = { ...state, turn: (state.turn ?? 0) + 1 };
    return next();
  }

  private async cancel(turn: Turn, next: () => Promise<TurnResult>): Promise<TurnResult> {
    if (turn.state.awaiting && CANCEL.test(folded(turn))) return { replies: [reply(T.cancelled, MENU_BUTTONS)], state: { turn: turn.state.turn } };
    return next();
  }

  private async payloads(turn: Turn, next: () => Promise<TurnResult>): Promise<TurnResult> {
    const text = textOf(turn);
    if (!text.startsWith('#')) return next();
    return (await this.payload(turn, text)) ?? next();
  }

  /** Requests recognised by their form: unsubscribing, cancelling a home visit, a ticket code. */
  private async shortcuts(turn: Turn, next: () => Promise<TurnResult>): Promise<TurnResult> {
    const { msg, state } = turn;
    const text = textOf(turn);
    if (UNSUBSCRIBE.test(folded(turn))) {
      const code = extractDossierCode(text);
      const dossier = code ? await findDossier(turn.tx, code) : null;
      const n = await unsubscribe(turn.tx, msg.channel, msg.userId, dossier?.id);
      return { replies: [reply(n ? 'Dạ, em đã dừng gửi thông báo về hồ sơ cho anh/chị ạ.' : 'Dạ, anh/chị hiện không đăng ký nhận thông báo hồ sơ nào ạ.')], state: { ...state, awaiting: undefined } };
    }
    const homeCode = text.match(HOME_CODE)?.[0];
    if (homeCode && CANCEL_HOME.test(folded(turn))) return this.cancelHome(turn, homeCode.toUpperCase());
    const ticketCode = text.match(TICKET_CODE)?.[0];
    if (ticketCode && !state.awaiting) return this.ticketStatus(turn, ticketCode.toUpperCase());
    return next();
  }

  private async understandAndAnswer(turn: Turn): Promise<TurnResult> {
    const text = textOf(turn);
    const context = contextProcedure(turn.state, turn.kb, turn.now);
    const expectPlace = turn.state.expectPlace !== undefined && turn.now.getTime() - turn.state.expectPlace < CONTEXT_MINUTES * 60_000;
    const u = this.kb.nlu.understand(text, { procedure: context, expectPlace });
    if (turn.state.expectPlace !== undefined) turn.state = { ...turn.state, expectPlace: undefined };
    turn.understanding = u;
    const picked = pickFromPending(turn, text, u);
    if (picked) {
      const aspect = u.entities.aspect && u.entities.aspect !== 'general' ? u.entities.aspect : turn.state.pending!.aspect;
      return { ...answerProcedure(turn, picked.procedure, aspect, { by: picked.by }), understanding: u };
    }
    const leftPending = turn.state.pending !== undefined;
    if (leftPending) turn.state = { ...turn.state, pending: undefined };
    const result = turn.state.awaiting ? await this.inFlow(turn, u) : await this.answer(turn, u);
    return { ...result, understanding: u, clarification: result.clarification ?? (leftPending ? { event: 'abandoned' } : undefined) };
  }

  private async inFlow(turn: Turn, u: Understanding): Promise<Outcome> {
    if (turn.state.awaiting === 'dossier_code') {
      const code = u.entities.dossier_code;
      if (code) return this.dossierStatus({ ...turn, state: { ...turn.state, awaiting: undefined } }, code);
      if (u.intent !== 'dossier_status' && u.intent !== 'out_of_scope' && u.confidence >= this.config.NLU_CONFIDENCE_THRESHOLD) {
        return this.answer({ ...turn, state: { ...turn.state, awaiting: undefined } }, u);
      }
      return { replies: [reply(T.notACode)], state: turn.state };
    }
    return continueFlow(turn);
  }

  private async answer(turn: Turn, u: Understanding): Promise<Outcome> {
    const { state, kb } = turn;
    const d = u.decision;
    if (d.kind === 'faq' && u.faq) {
      const full = kb.faqById.get(u.faq.faq.id);
      if (full) {
        // An unverified FAQ's links are not offered as buttons (its text still says what it says).
        const buttons = ((full.buttons as unknown as Reply['buttons']) ?? []).filter((b) => isVerified(full) || (!b.url && !b.phone));
        const provenance = provenanceLine(full);
        return { replies: [{ text: provenance ? `${full.answer}\n\n${provenance}` : full.answer, buttons }], state, matched: { type: 'faq', id: full.id, name: full.questions[0] } };
      }
    }
    const procedural = procedureOutcome(turn, u);
    if (procedural) return procedural;
    switch (u.intent) {
      case 'greeting': return { replies: [reply(T.greeting, MENU_BUTTONS)], state: { turn: state.turn } };
      case 'help': return { replies: [reply(T.help, MENU_BUTTONS)], state };
      case 'goodbye_thanks': return { replies: [reply(T.goodbye)], state: { turn: state.turn } };
      case 'dossier_status':
        if (u.entities.dossier_code) return this.dossierStatus(turn, u.entities.dossier_code);
        return { replies: [reply(T.askDossierCode)], state: { ...state, awaiting: 'dossier_code' } };
      case 'model_info': return this.model(turn, u);
      case 'contact_info': return { replies: [contactAnswer(kb.offices)], state, matched: this.officeMatch(kb) };
      case 'human_handoff': return this.handoff(turn);
      case 'feedback': return startFeedback(turn);
      case 'rating': return startRating(turn, u.entities.dossier_code);
      case 'home_service': return startHomeService(turn);
      case 'subscribe': return startSubscribe(turn, u.entities.dossier_code ?? state.lastDossierCode);
      case 'locality': return this.locality(turn, u);
      default: return { replies: [reply(T.outOfScope, MENU_BUTTONS)], state };
    }
  }

  private async dossierStatus(turn: Turn, code: string): Promise<Outcome> {
    const { tx, msg, now, state } = turn;
    if (!(await allowRate(tx, `lookup:${msg.channel}:${msg.userId}`, this.config.LOOKUP_LIMIT_PER_10_MIN, 10 * 60_000, now))) {
      return { replies: [reply(T.lookupLimit)], state };
    }
    const subscribed = await isSubscribed(tx, code, msg.channel, msg.userId);
    const r = await dossierStatusReply(tx, code, now, subscribed);
    const d = await findDossier(tx, code);
    return { replies: [r], state: { ...state, awaiting: undefined, lastDossierCode: d?.code ?? state.lastDossierCode } };
  }

  private model(turn: Turn, u: Understanding): Outcome {
    const { kb, state } = turn;
    const place = u.entities.locality;
    const asksList = /\b(nhung|cac|nao|gi|danh sach|liet ke)\b/.test(fold(clean(u.text))) && place;
    if (u.model && !(asksList && u.modelScore < 0.85)) {
      const m = kb.modelById.get(u.model.id)!;
      return this.modelReply(turn, m);
    }
    if (place) return { replies: [modelListAnswer(modelsOfPlace(kb.models, place), place)], state };
    // A place named as it is now ("Đà Nẵng", "phường Vũng Tàu"): the models of the old units inside it.
    // A question about models names places as places: read a bare name ("Đà Nẵng") as one.
    const named = u.place?.reading ? u.place : this.kb.places?.resolve(u.text, { expectPlace: true });
    const asked = placeCodesOf(named);
    const inside = asked.provinces.size || asked.communes.size ? modelsInPlaceNow(kb.models, (m) => this.modelPlace(m), asked) : [];
    if (inside.length) return { replies: [modelListAnswer(inside, named!.mentions[0]?.text ?? '')], state };
    return { replies: [modelListAnswer(this.featuredModels(kb.models), undefined, T.modelNotFound)], state };
  }

  private modelReply(turn: Turn, m: ReformModel): Outcome {
    return { replies: [modelAnswer(m, this.modelPlace(m))], state: turn.state, matched: { type: 'model', id: m.id, name: m.name } };
  }

  /** Where a model is now, from the administrative map (remembered per model version). */
  private modelPlace(m: ReformModel): PlaceNow | null {
    const places = this.kb.places;
    if (!places || m.placeCodes.length === 0) return null;
    const key = `${m.id}:${m.version}`;
    let now = this.placeCache.get(key);
    if (!now) {
      now = placeNow(places, m.placeCodes);
      this.placeCache.set(key, now);
    }
    return now;
  }

  private readonly placeCache = new Map<string, PlaceNow>();

  /** Where a place is since 1 July 2025: the new unit, the resolution, and which commune handles an old address. */
  private locality(turn: Turn, u: Understanding): Outcome {
    const { kb, state } = turn;
    if (!u.place) return { replies: [reply(T.help, MENU_BUTTONS)], state };
    // Only offices an official verified are named as where to go; the map itself has no addresses.
    const offices = kb.offices.filter(isVerified).map((o) => ({ name: o.name, address: o.address, phone: o.phone, hours: o.hours }));
    const answer = placeAnswer(u.place, officeLookupFromKb(offices));
    const options = answer.options ?? [];
    return {
      replies: [reply(answer.text, options.slice(0, 5).map((o) => ({ title: o, payload: o })))],
      // The bot asked for a place (which new unit, which province): the next message may be just its name.
      state: { ...state, expectPlace: options.length > 0 ? turn.now.getTime() : undefined },
    };
  }

  /** One model of each province first, so a short list shows the breadth of what provinces promote. */
  private featuredModels(models: Turn['kb']['models']) {
    const first = new Map<string, (typeof models)[number]>();
    for (const m of models) if (!first.has(m.province)) first.set(m.province, m);
    const featured = new Set(first.values());
    return [...featured, ...models.filter((m) => !featured.has(m))];
  }

  private handoff(turn: Turn): Outcome {
    const office = turn.kb.offices[0];
    const hours = office ? ` (${office.hours})` : '';
    return {
      replies: [reply(`Dạ, em đã chuyển cuộc trò chuyện đến cán bộ Bộ phận Một cửa. Cán bộ sẽ trả lời anh/chị trong giờ làm việc${hours}. Trong lúc chờ, em tạm dừng trả lời tự động; anh/chị cứ nhắn nội dung cần hỏi, cán bộ sẽ đọc được ạ.`)],
      state: { ...turn.state, awaiting: undefined },
      handoff: true,
    };
  }

  private officeMatch(kb: Turn['kb']): Matched {
    const o = kb.offices[0];
    return o ? { type: 'office', id: o.id, name: o.name } : { type: null, id: null, name: null };
  }

  private async payload(turn: Turn, payload: string): Promise<Outcome | null> {
    const { kb, state } = turn;
    const [head, ...rest] = payload.split(':');
    const arg = rest.join(':');
    switch (head) {
      case '#menu':
        if (arg === 'procedures') {
          const common = ['Đăng ký khai sinh', 'Cấp thẻ căn cước', 'Chứng thực bản sao từ bản chính', 'Đăng ký thường trú', 'Đăng ký kết hôn'];
          const ps = common.map((n) => kb.procedures.find((p) => p.name === n)).filter((p) => p !== undefined);
          return { replies: [reply(T.askProcedureName, ps.map((p) => ({ title: p.name, payload: `#proc:${p.id}:general` })))], state };
        }
        if (arg === 'dossier') return { replies: [reply(T.askDossierCode)], state: { ...state, awaiting: 'dossier_code' } };
        if (arg === 'models') return { replies: [modelListAnswer(this.featuredModels(kb.models))], state };
        if (arg === 'contact') return { replies: [contactAnswer(kb.offices)], state, matched: this.officeMatch(kb) };
        if (arg === 'human') return this.handoff(turn);
        return { replies: [reply(T.help, MENU_BUTTONS)], state: { turn: state.turn } };
      case '#proc':
      case '#pick': {
        const [id, aspect] = arg.split(':');
        const p = kb.procedureById.get(Number(id));
        if (!p) return null;
        const a = ASPECTS.find((x) => x === aspect) ?? 'general';
        return answerProcedure(turn, p, a, head === '#pick' ? { by: 'button' } : undefined);
      }
      case '#model': {
        const m = kb.modelById.get(Number(arg));
        return m ? this.modelReply(turn, m) : null;
      }
      case '#sub': return startSubscribe(turn, arg || undefined);
      case '#rate': return startRating(turn, arg || undefined);
      case '#home_cancel': return this.cancelHome(turn, arg);
      default:
        return state.awaiting ? continueFlow(turn) : null;
    }
  }

  private async cancelHome(turn: Turn, code: string): Promise<Outcome> {
    const { tx, msg, state } = turn;
    const r = await tx.homeServiceRequest.updateMany({
      where: { code, channel: msg.channel, userId: msg.userId, status: { notIn: ['cancelled', 'done'] } },
      data: { status: 'cancelled' },
    });
    return { replies: [reply(r.count ? `Dạ, em đã hủy yêu cầu phục vụ tại nhà ${code} ạ.` : `Dạ, em không tìm thấy yêu cầu ${code} của anh/chị còn hiệu lực ạ.`)], state };
  }

  private async ticketStatus(turn: Turn, code: string): Promise<Outcome> {
    const { tx, msg, state } = turn;
    // A user only ever sees their own tickets.
    const t = await tx.ticket.findFirst({ where: { code, channel: msg.channel, userId: msg.userId } });
    if (!t) return { replies: [reply(`Dạ, em không tìm thấy phản ánh ${code} do anh/chị gửi qua kênh này ạ.`)], state };
    const status = t.status === 'answered' ? `đã có trả lời: ${t.answer}` : `đang được xử lý, hạn trả lời ${formatDate(t.dueAt)}`;
    return { replies: [reply(`Dạ, phản ánh ${t.code} ${status}`)], state };
  }
}

const textOf = (turn: Turn) => (turn.msg.payload ?? turn.msg.text ?? '').trim();
const folded = (turn: Turn) => fold(clean(textOf(turn))).trim();
