import type { Conversation, Prisma, ReformModel } from '../generated/prisma/client.js';
import type { ChannelName, InboundMessage } from '../channels/types.js';
import type { Config } from '../config.js';
import type { KbSnapshot } from '../kb/snapshot.js';
import type { KbStore } from '../kb/store.js';
import { extractDossierCode } from '../nlu/entities.js';
import type { Understanding } from '../nlu/nlu.js';
import { clean, fold } from '../nlu/text.js';
import { contactAnswer, modelAnswer, modelListAnswer, modelsInPlaceNow, modelsOfPlace } from './answers.js';
import { placeCodesOf, placeNow, type PlaceNow } from '../places/model-place.js';
import { reply, type ConversationState, type Outcome, type Turn } from './context.js';
import { lookupDossier, startProof, startRating, startSubscribe } from './dossier-actions.js';
import { findDossier, unsubscribe } from './dossiers.js';
import { continueForm, flowOf, leaveForm, startForm } from './forms/engine.js';
import { startFeedback, TICKET_CODE } from './forms/feedback.js';
import { HOME_CODE, homeService } from './forms/home-service.js';
import { leaveMessage } from './forms/leave-message.js';
import { duringHandoff, isRealQuestion, officialReplied, requestHandoff, threadReturned } from './handoff.js';
import { PayloadRegistry } from './payloads.js';
import { answerProcedure, CONTEXT_MINUTES, contextProcedure, pickFromPending, procedureOutcome, verifiedOffices } from './procedure-dialog.js';
import { cancelHome, featuredModels, menu, officeMatch, procedureButton, ticketStatus } from './menu.js';
import { smallTalk } from './small-talk.js';
import { TurnContext, turnText, type Capabilities } from './turn.js';
import { sameAsk, understandAsk, type Ask } from '../nlu/ask.js';
import type { Foreseen } from '../nlu/thread-client.js';
import { placeAnswer } from '../places/answer.js';
import type { PlaceResolution } from '../places/types.js';
import { isVerified, provenanceLine } from './verification.js';
import { BUTTONS, MENU_BUTTONS, T } from './texts.js';
import { metrics, timed } from '../metrics.js';
import { faqButtons } from '../db/json-columns.js';

export interface TurnResult extends Outcome { understanding?: Understanding }

const CANCEL = /^(huy|thoi|dung lai|cancel|bo qua thao tac|menu)$/;
/**
 * "hủy / ngừng / tắt thông báo hồ sơ X", "stop, đừng gửi tin nữa", "hủy đăng ký nhận tin", "không nhận tin nữa" (read on
 * the folded text, before the NLU: the subscription intent's `says` lists such phrases too, and a test holds every one
 * of them to this, so that none subscribes the citizen who asks to stop).
 */
const UNSUBSCRIBE = /\b(huy|dung|ngung|tat|stop)\b.*\b(thong bao|tb)\b|\b(dung|ngung|huy|stop)\W+(dang ky\W+)?(gui|nhan)\W+tin\b|\bkhong\W+(muon\W+)?nhan\W+tin\W+nua\b|\b(huy|bo|ngung|dung)\W+theo\W+doi\b/;
/** Whether a message (folded, as TurnContext.folded gives it) asks to stop the citizen's notices. */
export const asksToStopNotices = (folded: string): boolean => UNSUBSCRIBE.test(folded);
const CANCEL_HOME = /\bhuy\b.*\blich\b|#home_cancel:/;
const ASKS_FOR_OFFICIAL = /^(cho (toi|em|minh|chau) )?(xin )?(gap|noi chuyen voi|ket noi voi|lien he voi|chuyen cho) (can bo|nguoi that|nhan vien|cb)( (a|voi|duoc khong|nhe|di))?$|^#menu:human$/;
/** Payloads of a form's buttons: tapped after the form ended, they do nothing but say so. */
const FORM_PAYLOADS = ['#score', '#skip', '#yes', '#no', '#edit', '#reason', '#cancel'] as const;

/** One step of deciding a turn: answer it, or pass it on with `next()` (the first that answers wins). */
type Handler = (turn: TurnContext, next: () => Promise<TurnResult>) => Promise<TurnResult>;

/** Decides what to say to one message. Channel-blind: it states intent, the channel renders it. */
export class Bot {
  /** In order of precedence. */
  private readonly handlers: Handler[] = [
    (t, next) => this.platformEvents(t, next),
    (t, next) => this.whileOfficialsAnswer(t, next),
    (t, next) => this.nonText(t, next),
    (t, next) => this.forms(t, next),
    (t, next) => this.cancel(t, next),
    (t, next) => this.payloads(t, next),
    (t, next) => this.shortcuts(t, next),
    (t, next) => this.smallTalk(t, next),
    (t) => this.understandAndAnswer(t),
  ];

  private readonly registry = new PayloadRegistry()
    .on('#menu', (t, arg) => menu(t, arg))
    .on('#proc', (t, arg) => procedureButton(t, arg, false))
    .on('#pick', (t, arg) => procedureButton(t, arg, true))
    .on('#model', (t, arg) => {
      const m = t.kb.modelById.get(Number(arg));
      return m ? t.adopt(this.modelReply(t, m)) : null;
    })
    .on('#sub', (t, arg) => startSubscribe(t, arg || undefined))
    .on('#rate', (t, arg) => startRating(t, arg || undefined))
    .on('#prove', (t, arg) => {
      const [code, then] = splitLast(arg);
      return code ? startProof(t, code, then || 'status') : null;
    })
    .on('#home_cancel', (t, arg) => cancelHome(t, arg.toUpperCase()))
    .on('#handoff', (t) => t.reply(T.staleButton, MENU_BUTTONS).result());

  constructor(private readonly kb: KbStore, private readonly config: Config,
    private readonly capabilities: (channel: ChannelName) => Capabilities = () => ({})) {
    for (const head of FORM_PAYLOADS) this.registry.on(head, (t) => t.reply(T.staleButton, MENU_BUTTONS).result());
  }

  async handle(msg: InboundMessage, conv: Pick<Conversation, 'state' | 'pausedUntil' | 'handoffStatus'> & { id?: number }, tx: Prisma.TransactionClient, now: Date,
    foreseen?: Foreseen): Promise<TurnResult> {
    const turn = this.turn(msg, (conv.state ?? {}) as Turn['state'], tx, now, conv);
    turn.foreseen = foreseen;
    return this.run(turn);
  }

  /**
   * What understandAndAnswer would ask the NLU about this message, if the turn gets that far: a typed text outside a
   * form, with the context the turn will have (nonText counts the turn first). A wrong guess costs only the NLU
   * thread's work: the turn uses the answer only for exactly this ask.
   */
  foresee(msg: InboundMessage, conv: Pick<Conversation, 'state'>, now: Date): Ask | undefined {
    const text = turnText(msg);
    const state = (conv.state ?? {}) as Turn['state'];
    if (msg.kind !== 'text' || !text || text.startsWith('#') || state.form) return undefined;
    return { text, ...this.context({ ...state, turn: (state.turn ?? 0) + 1 }, this.kb.snapshot, now) };
  }

  /** The NLU's context for a turn in `state`: the procedure of the last few turns, and whether a place was asked for. */
  private context(state: Turn['state'], kb: KbSnapshot, now: Date): Omit<Ask, 'text'> {
    return { procedureId: contextProcedure(state, kb, now)?.id, expectPlace: expectsPlace(state, now) };
  }

  /** What the bot would answer to `text` for a new user, without recording anything (console "try it"). */
  async preview(text: string, tx: Prisma.TransactionClient, now: Date) {
    const msg: InboundMessage = { channel: 'web', eventId: 'preview', eventName: 'preview', userId: 'preview', kind: 'text', text, timestamp: now.getTime() };
    const result = await this.run(this.turn(msg, {}, tx, now, { pausedUntil: null, handoffStatus: null }));
    const u = result.understanding;
    return {
      understanding: u ? { intent: u.intent, confidence: u.confidence, entities: u.entities, decision: u.decision.kind } : null,
      matched: result.matched ?? { type: null, id: null, name: null },
      replies: result.replies,
    };
  }

  private turn(msg: InboundMessage, state: Turn['state'], tx: Prisma.TransactionClient, now: Date, conv: Turn['conversation'] & { id?: number }): TurnContext {
    // States written by an older version (multi-step flows before forms) are dropped rather than misread.
    const clean = state.awaiting && state.awaiting !== 'dossier_code' ? { ...state, awaiting: undefined } : state;
    const nlu = this.kb.nlu;
    const t: TurnContext = new TurnContext(msg, clean, tx, this.kb.snapshot, this.config, now, conv, this.capabilities(msg.channel), (text) => {
      const context = contextProcedure(t.state, t.kb, t.now);
      return nlu.understand(text, { procedure: context });
    });
    return t;
  }

  private async run(turn: TurnContext): Promise<TurnResult> {
    const step = (i: number): Promise<TurnResult> =>
      i < this.handlers.length ? this.handlers[i](turn, () => step(i + 1)) : Promise.resolve(turn.result());
    const r = await step(0);
    // Whatever a handler said before passing the turn on is said first, even if a later one built its own outcome.
    const missing = turn.out.filter((x) => !r.replies.includes(x));
    return missing.length ? { ...r, replies: [...missing, ...r.replies] } : r;
  }

  private async platformEvents(t: TurnContext, next: () => Promise<TurnResult>): Promise<TurnResult> {
    switch (t.msg.kind) {
      case 'admin_reply': return officialReplied(t);
      case 'thread_returned': return threadReturned(t);
      case 'ignored': case 'unfollow': return t.result();
      case 'follow': return t.reply(T.welcome, MENU_BUTTONS).result({ state: {} });
      default: return next();
    }
  }

  private async nonText(t: TurnContext, next: () => Promise<TurnResult>): Promise<TurnResult> {
    const { msg, state } = t;
    // A form reads photos, locations and the platform's contact form itself.
    if (state.form && msg.kind !== 'text' && msg.kind !== 'postback') return next();
    if (msg.kind === 'sticker') return t.reply(T.sticker, MENU_BUTTONS.slice(0, 3)).result();
    if (msg.kind === 'location') return t.reply(T.location).result();
    if (msg.kind === 'user_info') return t.reply(T.help, MENU_BUTTONS).result();
    if (msg.kind !== 'text' && msg.kind !== 'postback') return t.reply(T.nonText).result();
    // Every text turn advances the clock of the follow-up window.
    t.state = { ...state, turn: (state.turn ?? 0) + 1 };
    return next();
  }

  private async whileOfficialsAnswer(t: TurnContext, next: () => Promise<TurnResult>): Promise<TurnResult> {
    return (await duringHandoff(t, next, (turn) => startForm(turn, leaveMessage))) ?? next();
  }

  private async forms(t: TurnContext, next: () => Promise<TurnResult>): Promise<TurnResult> {
    if (!t.state.form) return next();
    // Asking for an official leaves the form (nothing saved), whatever the step was waiting for.
    if (ASKS_FOR_OFFICIAL.test(t.folded) && !t.conversation.handoffStatus) {
      t.state = { ...t.state, form: undefined };
      return requestHandoff(t);
    }
    // A menu button leaves the form and does what it says.
    const flow = flowOf(t.state);
    if (flow && t.text.startsWith('#menu:')) {
      leaveForm(t, flow, false);
      return next();
    }
    return continueForm(t, (turn) => this.questionDuringForm(turn));
  }

  /** A message a form's field could not read, answered if it is a real question (the form waits). */
  private async questionDuringForm(t: TurnContext): Promise<Outcome | undefined> {
    const u = t.understand(t.text);
    if (!isRealQuestion(u, this.config.NLU_CONFIDENCE_THRESHOLD)) return undefined;
    t.understanding = u;
    const answered = u.intent === 'dossier_status' && u.entities.dossier_code ? await lookupDossier(t, u.entities.dossier_code) : await this.answer(t, u);
    return { ...answered, understanding: u } as TurnResult;
  }

  private async cancel(t: TurnContext, next: () => Promise<TurnResult>): Promise<TurnResult> {
    if (t.state.awaiting && (CANCEL.test(t.folded) || t.text === '#cancel')) return t.reply(T.cancelled, MENU_BUTTONS).result({ state: { turn: t.state.turn } });
    return next();
  }

  private async payloads(t: TurnContext, next: () => Promise<TurnResult>): Promise<TurnResult> {
    return (await this.registry.run(t)) ?? next();
  }

  /** Requests recognised by their form: unsubscribing, cancelling a home visit, a ticket code. */
  private async shortcuts(t: TurnContext, next: () => Promise<TurnResult>): Promise<TurnResult> {
    const text = t.text;
    if (asksToStopNotices(t.folded)) {
      const code = extractDossierCode(text);
      const dossier = code ? await findDossier(t.tx, code) : null;
      const n = await unsubscribe(t.tx, t.msg.channel, t.msg.userId, dossier?.id);
      t.state = { ...t.state, awaiting: undefined };
      return t.reply(n ? T.unsubscribed : T.noSubscription).result();
    }
    const homeCode = text.match(HOME_CODE)?.[0];
    if (homeCode && CANCEL_HOME.test(t.folded)) return cancelHome(t, homeCode.toUpperCase());
    const ticketCode = text.match(TICKET_CODE)?.[0];
    if (ticketCode && !t.state.awaiting) return ticketStatus(t, ticketCode.toUpperCase());
    return next();
  }

  private async smallTalk(t: TurnContext, next: () => Promise<TurnResult>): Promise<TurnResult> {
    if (t.state.awaiting || t.state.pending) return next();
    const r = smallTalk(t.msg.text ?? '');
    return r ? t.reply(r).result() : next();
  }

  private async understandAndAnswer(turn: TurnContext): Promise<TurnResult> {
    const u = await this.understand(turn);
    if (turn.state.expectPlace !== undefined) {
      // The question the bot asked about is this turn's to answer, and no later one's.
      if (expectsPlace(turn.state, turn.now)) turn.placeQuestion = turn.state.placeQuestion;
      turn.state = { ...turn.state, expectPlace: undefined, placeQuestion: undefined };
    }
    turn.understanding = u;
    const picked = pickFromPending(turn, turn.text, u);
    if (picked) {
      const aspect = u.entities.aspect && u.entities.aspect !== 'general' ? u.entities.aspect : turn.state.pending!.aspect;
      return { ...turn.adopt(answerProcedure(turn, picked.procedure, aspect, { by: picked.by })), understanding: u };
    }
    const leftPending = turn.state.pending !== undefined;
    if (leftPending) turn.state = { ...turn.state, pending: undefined };
    const result = turn.state.awaiting ? await this.inFlow(turn, u) : await this.answer(turn, u);
    return { ...result, understanding: u, clarification: result.clarification ?? (leftPending ? { event: 'abandoned' } : undefined) };
  }

  /** The NLU thread's answer when it was asked exactly this, with this knowledge base; else the bot's own NLU. */
  private async understand(turn: TurnContext): Promise<Understanding> {
    const ask: Ask = { text: turn.text, ...this.context(turn.state, turn.kb, turn.now) };
    const f = turn.foreseen;
    if (f && sameAsk(f.ask, ask)) {
      const u = await f.understanding;
      // The knowledge base may have been reloaded since it was asked: its answer stands only for the same one.
      if (u && f.key === this.kb.key) {
        metrics.nluThread.inc({ result: 'used' });
        return u;
      }
    }
    if (f) metrics.nluThread.inc({ result: 'own' });
    return timed(metrics.nlu, () => understandAsk(this.kb.nlu, turn.kb.procedureById, ask));
  }

  private async inFlow(turn: TurnContext, u: Understanding): Promise<Outcome> {
    // The bot asked for a dossier code.
    const code = u.entities.dossier_code;
    turn.state = { ...turn.state, awaiting: undefined };
    if (code) return lookupDossier(turn, code);
    if (u.intent !== 'dossier_status' && u.intent !== 'out_of_scope' && u.confidence >= this.config.NLU_CONFIDENCE_THRESHOLD) return this.answer(turn, u);
    turn.state = { ...turn.state, awaiting: 'dossier_code' };
    return turn.reply(T.notACode).result();
  }

  private async answer(t: TurnContext, u: Understanding): Promise<Outcome> {
    const { kb } = t;
    const d = u.decision;
    if (d.kind === 'faq' && u.faq) {
      const full = kb.faqById.get(u.faq.faq.id);
      if (full) {
        // An unverified FAQ's links are not offered as buttons (its text still says what it says).
        const buttons = faqButtons(full).filter((b) => isVerified(full) || (!b.url && !b.phone));
        const provenance = provenanceLine(full);
        return t.result({ replies: [{ text: provenance ? `${full.answer}\n\n${provenance}` : full.answer, buttons }], matched: { type: 'faq', id: full.id, name: full.questions[0] } });
      }
    }
    const procedural = procedureOutcome(t, u);
    if (procedural) return t.adopt(procedural);
    switch (u.intent) {
      case 'greeting': return t.reply(T.greeting, MENU_BUTTONS).result({ state: { turn: t.state.turn } });
      case 'help': return t.reply(T.help, MENU_BUTTONS).result();
      case 'goodbye_thanks': return t.reply(T.goodbye).result({ state: { turn: t.state.turn } });
      case 'dossier_status':
        if (u.entities.dossier_code) return lookupDossier(t, u.entities.dossier_code);
        t.state = { ...t.state, awaiting: 'dossier_code' };
        return t.reply(T.askDossierCode, [{ title: BUTTONS.cancel, payload: '#cancel' }]).result();
      case 'model_info': return t.adopt(this.model(t, u));
      case 'contact_info': return t.result({ replies: [contactAnswer(kb.offices)], matched: officeMatch(kb) });
      case 'human_handoff': return requestHandoff(t);
      case 'feedback': return startFeedback(t, u.entities.dossier_code);
      case 'rating': return this.ratingIntent(t, u.entities.dossier_code, u.entities.stars);
      case 'home_service': return startForm(t, homeService);
      case 'subscribe': return startSubscribe(t, u.entities.dossier_code ?? t.state.lastDossierCode);
      case 'locality': return t.adopt(this.locality(t, u));
      default: return t.reply(T.outOfScope, MENU_BUTTONS).result();
    }
  }

  /** A rating names its dossier, or rates the one last looked up, or the service in general; stars it gave are its score. */
  private async ratingIntent(t: TurnContext, code?: string, stars?: number): Promise<Outcome> {
    if (code) return startRating(t, code, stars);
    const last = t.state.lastDossierCode ? await findDossier(t.tx, t.state.lastDossierCode) : null;
    const owned = last && (last.isSample || (await t.tx.dossierOwner.count({ where: { dossierId: last.id, channel: t.msg.channel, userId: t.msg.userId } })) > 0);
    return owned ? startRating(t, last.code, stars) : startRating(t, undefined, stars);
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
    return { replies: [modelListAnswer(featuredModels(kb.models), undefined, T.modelNotFound)], state };
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
  private locality(turn: TurnContext, u: Understanding): Outcome {
    const { kb, state } = turn;
    if (!u.place) return { replies: [reply(T.help, MENU_BUTTONS)], state };
    // "xã Tân Phú cũ giờ thuộc xã nào" -> which province? -> "Long An": the answer narrows the question asked.
    const narrowed = turn.placeQuestion ? this.narrowedPlace(turn.placeQuestion, u.text) : undefined;
    const place = narrowed?.place ?? u.place;
    const answer = placeAnswer(place, verifiedOffices(kb));
    const options = answer.options ?? [];
    return {
      replies: [reply(answer.text, options.slice(0, 5).map((o) => ({ title: o, payload: o })))],
      // The bot asked for a place (which new unit, which province): the next message may be just its name.
      state: {
        ...state,
        expectPlace: options.length > 0 ? turn.now.getTime() : undefined,
        placeQuestion: place.kind === 'ambiguous' ? (narrowed?.text ?? u.text) : undefined,
      },
    };
  }

  /**
   * The place question asked before, narrowed by the citizen's answer: the answer is read right after the unit asked
   * about ("thị trấn Long Thành, Đồng Nai cũ giờ là xã nào"). Only a bare answer ("Đồng Nai", "quận 5"): a new
   * question ("huyện Củ Chi giờ còn không") is its own. A province or district that holds none of the units is said
   * so and the same question asked again, its text kept for the next answer.
   */
  private narrowedPlace(question: string, answer: string): { place: PlaceResolution; text: string } | undefined {
    const places = this.kb.places;
    const asked = places?.resolve(question);
    const unit = asked?.mentions.find((m) => m.role === 'primary');
    if (!places || !asked || !unit || ASKS_AGAIN.test(` ${clean(answer)} `)) return undefined;
    const text = `${question.slice(0, unit.end)}, ${answer}${question.slice(unit.end)}`;
    const place = places.resolve(text);
    const primary = place.mentions.find((m) => m.role === 'primary');
    if (!primary || primary.start >= unit.end) return undefined;
    if (place.notFound?.within && asked.kind === 'ambiguous') return { place: { ...asked, contextMismatch: place.notFound.within }, text: question };
    return place.reading !== null || (place.kind === 'ambiguous' && place.candidates.length > 0) ? { place, text } : undefined;
  }


}

/** Words of a question rather than a bare place name answering "which province?" (with diacritics: "Gio Linh", "Côn Đảo" are names). */
const ASKS_AGAIN = /[?]|[\s,.](giờ|nay|còn|thuộc|nào|đâu|không|ko|làm sao|là|hỏi)[\s,.]/u;

/** "CODE:then" where the code itself may hold colons? It does not; the last part is the action. */
function splitLast(arg: string): [string, string] {
  const i = arg.lastIndexOf(':');
  return i < 0 ? [arg, ''] : [arg.slice(0, i), arg.slice(i + 1)];
}

/** Whether the bot asked for a place (which new unit, which province) recently enough for a bare name to answer it. */
function expectsPlace(state: ConversationState, now: Date): boolean {
  return state.expectPlace !== undefined && now.getTime() - state.expectPlace < CONTEXT_MINUTES * 60_000;
}
