import type { Scored } from './classifier.js';
import { ACTIONS, type Aspect, type Intent } from './data-files.js';
import type { NluOptions } from './options.js';
import type { Ranked } from './procedure-index.js';

// The last stage: from the ranked procedures, the intent classifier and the entities, one decision the dialog
// acts on. The dialog does not threshold anything again.

export type Decision<P> =
  | { kind: 'procedure'; procedure: P; via: 'match' | 'context' }
  /**
   * `unsure`: maybe not about a procedure at all, or about one the catalogue lacks (the intent stays out_of_scope, or
   * procedure_lookup when the message reads as a procedure question but matches every option poorly); the reply says so.
   */
  | { kind: 'clarify'; options: P[]; unsure?: true }
  | { kind: 'ask_procedure' }
  | { kind: 'faq' }
  | { kind: 'intent'; intent: Intent }
  | { kind: 'out_of_scope' };

export interface DecideInput<P> {
  ranked: Array<Ranked<P>>;
  intents: Scored[];
  aspect: Aspect | undefined;
  hasDossierCode: boolean;
  hasContent: boolean;
  /** The message asks what no procedure answers (a rate, a price, advice: NluData.asksElse). */
  asksElse: boolean;
  /** The message asks what only a submitted dossier answers (NluData.asksStatus). */
  asksStatus: boolean;
  /** The message says what makes the classifier's first intent stand over a procedure named (NluData.standsWith). */
  stands?: boolean;
  /** The gate's probability that the message is about a procedure at all (see ranker.ts). */
  procedureProbability: number;
  /** The message asks where a place is now, or was (src/places). */
  asksAboutPlace: boolean;
  /** ...and names a unit (a commune, district or province). */
  namesPlace: boolean;
  /**
   * For a place question that names a unit: the candidates of the message without the places and the reorganisation's
   * words, the gate's probability that what is left asks about a procedure, and whether it asks where to do something.
   */
  besidePlace?: { ranked: Array<Ranked<P>>; procedureProbability: number; submit: boolean };
  /** ...and asks what a unit is now or was made of ("xã gì", "gồm những xã nào"), not only names one. */
  asksUnit?: boolean;
  modelScore: number;
  /** The message asks what a thing is (NluData.asksWhat). */
  asksWhat?: boolean;
  /** The share of the message's words (but those never evidence) that are the best model's words. */
  modelShare: number;
  /** The message names a place that has reform models. */
  mentionsModelPlace: boolean;
  faqScore: number | undefined;
  /** The procedure of the last few turns, for a follow-up that names none. */
  context?: P;
  /** The level of the procedure, to choose within a family published at several levels. */
  levelOf: (p: P) => string;
  /** The procedure is done at the citizen's home by its nature (registration "lưu động"). */
  atHome?: (p: P) => boolean;
}

/** The gate's probability above which what a place question says besides its places surely asks a procedure. */
const SURELY_PROCEDURE = 0.9;

/** Intents whose answer officials may replace with an FAQ. */
export const FAQ_INTENTS = new Set<Intent>(['procedure_lookup', 'contact_info', 'help', 'greeting', 'goodbye_thanks', 'model_info', 'out_of_scope']);

/** One record per family (the same procedure published at several levels): the commune's first, then the province's. */
export function collapseFamilies<P>(ranked: Array<Ranked<P>>, levelOf: (p: P) => string): Array<Ranked<P>> {
  const rankLevel = (p: P) => {
    const l = levelOf(p).toLowerCase();
    return l.includes('xã') ? 0 : l.includes('tỉnh') ? 1 : 2;
  };
  const byFamily = new Map<string, Ranked<P>>();
  for (const r of ranked) {
    const prev = byFamily.get(r.familyKey);
    if (!prev) byFamily.set(r.familyKey, r);
    else if (rankLevel(r.item) < rankLevel(prev.item)) byFamily.set(r.familyKey, { ...r, score: prev.score });
  }
  return [...byFamily.values()].sort((a, b) => b.score - a.score);
}

const quality = <P>(r: Ranked<P> | undefined) => r?.indexScore ?? r?.score ?? 0;

/**
 * The candidate the bot answers with, if any: at least `answer` likely and `ratio` times as likely as the second, and
 * the message covers its name, or (unless `mustBeNamed`) the ranker is sure of it (`sure`, `sureRatio`) on enough evidence.
 */
function answerableIn<P>(ranked: Array<Ranked<P>>, o: NluOptions['procedure'], mustBeNamed = false): Ranked<P> | undefined {
  const [best, second] = ranked.filter((r) => r.core >= o.minEvidence);
  if (!best) return undefined;
  const leads = (p: number, ratio: number) => best.score >= p && best.score >= ratio * (second?.score ?? 0);
  const named = quality(best) >= o.answerQuality && best.nameCov >= o.answerCoverage;
  const rankerSure = leads(o.sure, o.sureRatio) && quality(best) >= o.sureQuality && best.evidence >= o.sureEvidence;
  return leads(o.answer, o.ratio) && (named || (rankerSure && !mustBeNamed)) ? best : undefined;
}

/** What the bot offers when it asks which one: candidates that match well enough and are likely enough, at most maxOptions. */
function offeredIn<P>(ranked: Array<Ranked<P>>, o: NluOptions['procedure']): Array<Ranked<P>> {
  const candidates = ranked.filter((r) => r.core >= o.minEvidence);
  const top = candidates[0]?.score ?? 0;
  return candidates.filter((r) => quality(r) >= o.offer && r.score >= Math.max(o.offerFloor, o.offerShare * top)).slice(0, o.maxOptions);
}

/** Actions whose words a question about a shop, a bank or a farm borrows (hours, a hotline, stars, notices, a "mô hình"). */
const ELSEWHERE_ALIKE: ReadonlySet<Intent> = new Set<Intent>(['contact_info', 'rating', 'subscribe', 'model_info', 'dossier_status']);

export function decide<P>(input: DecideInput<P>, options: NluOptions): { decision: Decision<P>; intent: Intent; confidence: number; offered: Array<Ranked<P>> } {
  const o = options.procedure;
  // `score` is the ranker's probability (which candidate); `indexScore` how well the message matches it at all (`quality`).
  // A record the message says only qualifiers of ("16 tuổi" for the card of those over 14) is not what it asks.
  const candidates = input.ranked.filter((r) => r.core >= o.minEvidence);
  const best = candidates[0];
  const second = candidates[1];
  const strong = best !== undefined && quality(best) >= o.strong && best.evidence >= o.strongEvidence;
  // "cảm ơn, cho hỏi thêm lệ phí bao nhiêu", "chào ad, nộp ở đâu ạ": thanks or a greeting around a question about a
  // part of a procedure is courtesy; the question is what the message asks. So is a greeting before a procedure named
  // clearly ("cho e hỏi xíu nha, em muốn làm giấy khai sinh"), not thanks after it ("cảm ơn, khai sinh xong rồi").
  const courtesy = (label: string) => label === 'greeting' || label === 'goodbye_thanks';
  const opening = input.intents[0].label === 'greeting' && strong;
  const top = (input.aspect || opening) && courtesy(input.intents[0].label)
    ? { label: 'procedure_lookup', p: Math.max(options.confidenceThreshold, input.intents.find((i) => i.label === 'procedure_lookup')?.p ?? 0) }
    : input.intents[0];
  const classified = top.label as Intent;
  // Even the best candidate matches the message poorly (a procedure the catalogue lacks, or another intent).
  const poor = quality(best) < o.weakOffer;
  const offered = offeredIn(input.ranked, o);
  const result = (decision: Decision<P>, intent: Intent, confidence: number, options = offered) => ({ decision, intent, confidence, offered: options });
  // Out of scope, with what the message matched offered, unsure: the reply says the question may be outside what the bot does.
  const unsureOutOfScope = (choices: P[]) => result({ kind: 'clarify', options: choices, unsure: true }, 'out_of_scope', 1 - input.procedureProbability);

  if (!input.hasContent) return result({ kind: 'out_of_scope' }, 'out_of_scope', 1);
  // A dossier code, or a question only a submitted dossier answers ("hồ sơ trích lục kết hôn của em xong chưa": it names
  // the procedure, but asks where its dossier is).
  // A code with "bật thông báo", "đánh giá", "phản ánh" is that action, when the classifier reads it as surely as any
  // intent must be read to act on (a weaker reading, "tin nhắn báo hồ sơ X cần bổ sung", left the code unanswered).
  const otherAction = ['subscribe', 'feedback', 'rating'].includes(classified) && top.p >= options.confidenceThreshold;
  // "mã vận đơn SPX… giao tới đâu rồi", "giờ làm việc của Agribank", "mô hình trồng dừa xen ca cao có lời không": a
  // dossier's, the office's or a model's words about what no office answers are no such action.
  const borrowed = input.asksElse && ELSEWHERE_ALIKE.has(classified);
  // "tra cứu hồ sơ qua zalo là sao": what a model named well is, not where a dossier is.
  const asksModel = input.asksWhat === true && input.modelScore >= options.intent.model;
  if ((input.hasDossierCode || (input.asksStatus && !input.asksElse && !asksModel)) && !otherAction) {
    return result({ kind: 'intent', intent: 'dossier_status' }, 'dossier_status', Math.max(top.p, 0.95));
  }
  // An FAQ officials wrote about the reorganisation itself answers a question about it that names no unit ("sau sáp
  // nhập giấy tờ cũ có phải đổi không"): the map has nothing to look up.
  const faqMatches = input.faqScore !== undefined && input.faqScore >= options.faqThreshold;
  if ((input.asksAboutPlace || classified === 'locality') && !input.namesPlace && faqMatches && !(strong && classified === 'procedure_lookup')) {
    return result({ kind: 'faq' }, classified, top.p);
  }
  // "xã Bình Triều cũ giờ là xã nào", "không còn huyện thì nộp ở đâu": the map, unless a procedure is named clearly
  // or the classifier is sure of an action ("cho tôi gặp cán bộ xã X"); thanks or a greeting with it is courtesy.
  if (input.asksAboutPlace && !(ACTIONS.has(classified) && !courtesy(classified) && top.p >= options.intent.sureAction)
    && !(strong && classified === 'procedure_lookup' && top.p >= options.intent.sureAction)) {
    // "làm căn cước lần đầu cần giấy tờ gì, nhà ở xã Kiên Lương mới (xã Bình An cũ)": a procedure the bot would answer
    // from the words besides the places and the reorganisation is the question, the place its setting (the bot's
    // answer says what the place is now too).
    const beside = input.besidePlace;
    if (beside && beside.procedureProbability >= o.gate && !input.asksElse && !ACTIONS.has(classified)) {
      const surely = beside.procedureProbability >= SURELY_PROCEDURE;
      const aside = answerableIn(beside.ranked, o, !surely);
      if (aside) return result({ kind: 'procedure', procedure: aside.item, via: 'match' }, 'procedure_lookup', Math.max(aside.score, 0.6));
      // Where to do, or a part of, what it matched (covering half the name at least) but not sure which: asked, as any
      // procedure question ("sau sáp nhập làm căn cước ở đâu", "làm khai tử mất bao lâu, e ở xã Long Cang (Phước Vân
      // cũ)"); not "giờ nộp hồ sơ ở đâu", "giờ làm giấy tờ thì ra xã nào", which name none.
      const choices = offeredIn(beside.ranked, o);
      const first = beside.ranked.find((r) => r.core >= o.minEvidence);
      const asksPart = beside.submit || (input.aspect !== undefined && input.aspect !== 'place' && input.aspect !== 'general') || surely;
      const matched = first !== undefined && quality(first) >= o.weakOffer && (first.nameCov >= o.answerCoverage || surely) && first.evidence >= o.strongEvidence;
      if (asksPart && matched && choices.length > 0) {
        return result({ kind: 'clarify', options: choices.map((r) => r.item) }, 'procedure_lookup', quality(first), choices);
      }
    }
    // "p Hội Phú Pleiku cúp nước từ sáng": a place named, something else asked ("xã Thường Phước gồm những xã nào, em
    // thấy trên hóa đơn tiền điện" asks the map).
    if (input.asksElse && !input.asksUnit) return result({ kind: 'out_of_scope' }, 'out_of_scope', Math.max(top.label === 'out_of_scope' ? top.p : 0, 0.6));
    return result({ kind: 'intent', intent: 'locality' }, 'locality', Math.max(top.label === 'locality' ? top.p : 0, 0.9));
  }
  // A follow-up that names no procedure clearly ("còn lệ phí?", "nộp ở đâu") is about the procedure of the last
  // few turns, before any FAQ.
  const namesOne = best !== undefined && quality(best) >= o.answerQuality && best.nameCov >= o.answerCoverage;
  if (input.context && input.aspect && !namesOne && !ACTIONS.has(classified)) {
    return result({ kind: 'procedure', procedure: input.context, via: 'context' }, 'procedure_lookup', Math.max(top.p, 0.6));
  }
  // An FAQ officials wrote answers before the bot's own answers (contact, greeting, models...), unless the message
  // names a procedure clearly.
  // Nor one about what no office answers ("đổi gói cước data mạng vina ntn").
  const elsewhereFaq = input.asksElse && (classified === 'procedure_lookup' || classified === 'out_of_scope');
  if (faqMatches && FAQ_INTENTS.has(classified) && !strong && !borrowed && !elsewhereFaq) {
    return result({ kind: 'faq' }, classified, top.p);
  }
  // "cán bộ xuống tận nhà đăng ký kết hôn được không": a request to be served at home that names a procedure the
  // office does at home by its nature (khai sinh, kết hôn, khai tử "lưu động") asks about that procedure.
  if (classified === 'home_service' && best && input.atHome?.(best.item) && best.score >= o.answer && best.score >= o.ratio * (second?.score ?? 0)) {
    return result({ kind: 'procedure', procedure: best.item, via: 'match' }, 'procedure_lookup', Math.max(top.p, best.score));
  }
  // "ông em 90 tuổi cần chứng thực chữ ký mà không lên xã nổi, hỗ trợ tận nhà được không", "đăng ký kết hôn mà cán bộ hẹn
  // tới hẹn lui, tôi rất bức xúc": asking an official to come, a complaint, is what the message asks, whatever procedure
  // it names; not a procedure done at home by its nature ("xã có cử cán bộ xuống tận nhà làm khai sinh không"), nor a
  // place's model of it ("xã Tam Phước có xuống nhà nhận hồ sơ không").
  if (input.stands && ACTIONS.has(classified) && classified === input.intents[0].label && top.p >= options.confidenceThreshold
    && !input.mentionsModelPlace
    && !(classified === 'home_service' && best && input.atHome?.(best.item))) {
    return result({ kind: 'intent', intent: classified }, classified, top.p);
  }
  // "hồ sơ sang tên đất của tôi xong chưa" names a procedure but asks for a dossier: a sure classifier wins.
  if (ACTIONS.has(classified) && !borrowed && (top.p >= options.intent.sureAction || (top.p >= options.intent.action && !strong))) {
    return result({ kind: 'intent', intent: classified }, classified, top.p);
  }
  // A message that names a reform model (or a place that has one) more clearly than any procedure is about the
  // model; so is one the classifier reads as asking about models ("xã mình có mô hình chứng thực ngoài giờ không").
  // So is one that asks what a model named well is ("nghe nói thứ Hai lên xã không cần viết tờ khai, vậy là sao").
  // Asking what it is lowers the bar a model's words must reach ("cái trạm tra cứu tự động ở sảnh dùng thế nào"),
  // unless the message asks about a dossier too ("trễ hẹn mà không ai báo, vậy là sao").
  const modelBar = options.intent.model - (input.asksWhat === true && !input.asksStatus ? 0.1 : 0);
  const modelFirst = input.modelScore >= modelBar && !answerableIn(input.ranked, o, true)
    && ((input.modelScore > quality(best) + 0.1 && !strong
      && (input.mentionsModelPlace || (input.modelScore >= options.intent.sureModel && input.modelShare >= options.intent.modelShare)))
      || input.asksWhat === true);
  // A sure classifier's procedure question still names the model when no procedure matches it even fairly: "đội hỗ trợ
  // dịch vụ công miễn phí ở đâu" is the model's full name, and only "hỗ trợ ... phí" of a funeral allowance. Not a
  // question about what no office answers, though it names a model's place ("cuối tuần đi Hội An chơi chỗ nào đẹp").
  if (!input.asksElse && ((classified === 'model_info' && top.p >= options.intent.modelIntent)
    || (modelFirst && (classified === 'model_info' || top.p < options.intent.sureAction || poor)))) {
    return result({ kind: 'intent', intent: 'model_info' }, 'model_info', Math.max(top.p, input.modelScore));
  }
  // Whether it is about a procedure at all: the gate weighs how people ask against what the catalogue holds.
  // "đất vườn lên thổ cư giờ nộp ở xã hay lên huyện": the reorganisation's words with no place named read like a place
  // question to the classifier; what it asks is where a procedure is done.
  const placeless = classified === 'locality' && !input.namesPlace && (best?.score ?? 0) >= o.answer;
  const undecided = classified === 'procedure_lookup' || classified === 'out_of_scope' || placeless || top.p < options.confidenceThreshold;
  const procedureLike = strong || (undecided && input.procedureProbability >= o.gate)
    || (classified === 'procedure_lookup' && top.p >= options.intent.action);
  if (procedureLike && best && offered.length > 0) {
    const confidence = Math.max(classified === 'procedure_lookup' ? top.p : 0, Math.min(1, quality(best) + 0.3));
    // "lãi suất vay thế chấp sổ đỏ ở ngân hàng nào" names a procedure and asks what none answers: the bot offers
    // what it matched, unsure, and the question stays out of scope.
    if (input.asksElse) return unsureOutOfScope(offered.map((r) => r.item));
    if (answerableIn(input.ranked, o)) {
      return result({ kind: 'procedure', procedure: best.item, via: 'match' }, 'procedure_lookup', confidence);
    }
    const weak = !strong && poor;
    return result({ kind: 'clarify', options: offered.map((r) => r.item), ...(weak ? { unsure: true as const } : {}) }, 'procedure_lookup', confidence);
  }
  const halfGate = input.procedureProbability >= o.gate / 2;
  const askedProcedure = classified === 'procedure_lookup' && top.p >= options.confidenceThreshold;
  // Below the gate (what is procedureLike with options returned above), a message that matches some procedure well
  // may still be about it: "đăng ký biển số xe máy mới mua" reads to the classifier like shopping, yet names "đăng ký,
  // cấp biển số xe". The bot offers the procedures; unless the classifier read a procedure question, it stays out of
  // scope, unsure, and the reply says the question may be outside what the bot does. Never an answer from here.
  // So is a bare name every word of which a record says, though the gate (which weighs how people ask) finds little
  // to go on: "đăng ký tàu cá" (asked, as the classifier reads a procedure question), "giải thể công ty" (unsure; read
  // as out of scope, only when the ranker is as sure of its record as it must be to answer).
  const bareName = best !== undefined && best.queryCov >= 1 && (askedProcedure || best.score >= o.answer);
  if (undecided && (halfGate || bareName) && best && offered.length > 0 && quality(best) >= o.offer && best.evidence >= o.strongEvidence) {
    const choices = offered.map((r) => r.item);
    return askedProcedure && !input.asksElse ? result({ kind: 'clarify', options: choices }, 'procedure_lookup', top.p)
      : unsureOutOfScope(choices);
  }
  if ((procedureLike || (askedProcedure && halfGate)) && !input.asksElse) {
    return result({ kind: 'ask_procedure' }, 'procedure_lookup', Math.max(top.p, input.procedureProbability));
  }
  // "chiều nay có mưa lớn không cán bộ": what no procedure and no action answers, unless the classifier is sure (the
  // out-of-scope reply says how to send a report).
  const elsewhere = input.asksElse && (top.p < options.intent.sureAction || borrowed);
  if (classified !== 'out_of_scope' && classified !== 'procedure_lookup' && top.p >= options.confidenceThreshold && !elsewhere) {
    return result({ kind: 'intent', intent: classified }, classified, top.p);
  }
  if (faqMatches) return result({ kind: 'faq' }, 'out_of_scope', top.p);
  return result({ kind: 'out_of_scope' }, 'out_of_scope', classified === 'out_of_scope' ? top.p : 1 - top.p);
}
