import type { Procedure } from '../generated/prisma/client.js';
import type { KbSnapshot } from '../kb/snapshot.js';
import type { Aspect, Understanding } from '../nlu/nlu.js';
import { clean, fold, tokenize } from '../nlu/text.js';
import { reply, type ConversationState, type Outcome, type Turn } from './context.js';
import { placeAnswer, type OfficeLookup } from '../places/answer.js';
import { officeLookupFromKb } from '../places/offices.js';
import { isVerified } from './verification.js';
import { truncate } from '../channels/text.js';
import { numberedNames, OPTION_LABEL_LIMIT, optionLabels, pickedNumber } from './option-labels.js';
import { procedureAnswer } from './procedure-answer.js';
import { MENU_BUTTONS, PROCEDURE_TEXTS as P } from './texts.js';

// Questions about procedures: answer the one the NLU decided on, ask which one when it could not decide,
// read the citizen's choice ("2", a tap, or a word that tells the options apart), and apply a follow-up that
// names no procedure ("còn lệ phí?") to the procedure of the last few turns.

/** A follow-up refers to the procedure discussed within this many of the citizen's messages... */
export const CONTEXT_TURNS = 3;
/** ...and this many minutes. */
export const CONTEXT_MINUTES = 30;

/** The procedure a follow-up would refer to, if the last one discussed is still within the window. */
export function contextProcedure(state: ConversationState, kb: KbSnapshot, now: Date): Procedure | undefined {
  const topic = state.topic;
  if (!topic) return undefined;
  const turns = (state.turn ?? 0) - topic.turn;
  if (turns > CONTEXT_TURNS || now.getTime() - topic.at > CONTEXT_MINUTES * 60_000) return undefined;
  return kb.procedureById.get(topic.procedureId);
}

/** The procedure's answer, remembered as the topic of follow-ups. */
export function answerProcedure(turn: Turn, p: Procedure, aspect: Aspect, picked?: { by: string }): Outcome {
  const { pending: _pending, askedAspect: _asked, ...rest } = turn.state;
  const outcome: Outcome = {
    replies: [procedureAnswer(p, aspect)],
    state: { ...rest, topic: { procedureId: p.id, turn: turn.state.turn ?? 0, at: turn.now.getTime() } },
    matched: { type: 'procedure', id: p.id, name: p.name },
  };
  if (picked && turn.state.pending) {
    outcome.clarification = { event: 'picked', procedureId: p.id, by: picked.by };
  }
  return outcome;
}

/** Where to go, from the map: only offices an official verified are named (the map itself has no addresses). */
export function verifiedOffices(kb: KbSnapshot): OfficeLookup {
  return officeLookupFromKb(kb.offices.filter(isVerified).map((o) => ({ name: o.name, address: o.address, phone: o.phone, hours: o.hours })));
}

/**
 * "làm căn cước lần đầu cần giấy tờ gì, nhà ở xã Bình An cũ", "xã Húc cũ giờ làm khai sinh thì lên xã nào": a
 * procedure asked beside a place the map can say is now another is answered with what that place is now first (the
 * map's answer, without its buttons). Not when the place is unknown or needs asking about ("which xã Tân Phú?").
 */
function withPlaceNote(kb: KbSnapshot, u: Understanding, outcome: Outcome): Outcome {
  if (!u.place || !placeStatedBeside(u)) return outcome;
  return { ...outcome, replies: [reply(placeAnswer(u.place, verifiedOffices(kb)).text), ...outcome.replies] };
}

/** Whether a procedure answer (or question) to `u` starts with what the place it names is now (`withPlaceNote`). */
export function placeStatedBeside(u: Understanding): boolean {
  const place = u.place;
  return (u.decision.kind === 'procedure' || u.decision.kind === 'clarify') && !!place?.asksAboutPlace && !!place.reading
    && place.kind !== 'ambiguous' && place.kind !== 'not_found';
}

export function askWhichProcedure(turn: Turn, options: Procedure[], aspect: Aspect, unsure = false): Outcome {
  const names = options.map((p) => p.name);
  const labels = optionLabels(names);
  const text = unsure ? `${P.unsureIntro}\n${numberedNames(names)}\n${P.unsureHow}`
    : `${P.clarifyIntro(options.length)}\n${numberedNames(names)}\n${P.clarifyHow(options.length)}`;
  const buttons = options.map((p, i) => ({ title: truncate(`${i + 1}. ${labels[i]}`, OPTION_LABEL_LIMIT), payload: `#pick:${p.id}:${aspect}` }));
  return {
    replies: [reply(text, buttons)],
    state: { ...turn.state, pending: { options: options.map((p) => p.id), aspect, at: turn.now.getTime() } },
    clarification: { event: 'asked', text: (turn.msg.text ?? '').slice(0, 1000), aspect, options: options.map((p) => ({ id: p.id, code: p.code, name: p.name })) },
  };
}

export function askProcedureName(turn: Turn, aspect: Aspect): Outcome {
  const what = aspect === 'general' ? undefined : ASPECT_WHAT[aspect];
  return { replies: [reply(P.askWhich(what), MENU_BUTTONS.slice(0, 3))], state: { ...turn.state, askedAspect: aspect === 'general' ? undefined : aspect } };
}

const ASPECT_WHAT: Record<Exclude<Aspect, 'general'>, string> = {
  documents: '(để em gửi thành phần hồ sơ)',
  fee: '(để em báo phí, lệ phí)',
  duration: '(để em báo thời hạn giải quyết)',
  place: '(để em báo nơi nộp)',
  online: '(để em hướng dẫn nộp trực tuyến)',
  forms: '(để em gửi mẫu đơn, tờ khai)',
  legal: '(để em gửi căn cứ pháp lý)',
  eligibility: '(để em báo đối tượng, điều kiện)',
};

/**
 * The citizen's answer to "which procedure?": a number, or words that belong to exactly one of the options
 * and to none of the others ("nước ngoài", "cấp lại"). Undefined when the message is something else.
 */
export function pickFromPending(turn: Turn, text: string, u: Understanding | undefined): { procedure: Procedure; by: string } | undefined {
  const pending = turn.state.pending;
  if (!pending) return undefined;
  const options = pending.options.map((id) => turn.kb.procedureById.get(id)).filter((p) => p !== undefined);
  if (options.length === 0) return undefined;
  const n = pickedNumber(text, options.length);
  if (n !== undefined) return { procedure: options[n - 1], by: 'number' };
  if (u?.decision.kind === 'procedure' && pending.options.includes(u.decision.procedure.id)) {
    return { procedure: options.find((p) => p.id === (u.decision as { procedure: { id: number } }).procedure.id)!, by: 'words' };
  }
  const words = new Set(tokenize(fold(clean(text))));
  const own = options.map((p) => tokenize(fold(clean(p.name))));
  const shared = new Set(own[0].filter((w) => own.every((o) => o.includes(w))));
  const hits = own.map((o) => o.filter((w) => !shared.has(w) && words.has(w)).length);
  const max = Math.max(...hits);
  if (max > 0 && hits.filter((h) => h === max).length === 1 && words.size <= 8) return { procedure: options[hits.indexOf(max)], by: 'words' };
  return undefined;
}

/** What to do with a procedure question, from the NLU's decision. */
export function procedureOutcome(turn: Turn, u: Understanding): Outcome | undefined {
  const aspect = u.entities.aspect && u.entities.aspect !== 'general' ? u.entities.aspect : turn.state.askedAspect ?? 'general';
  const d = u.decision;
  if (d.kind === 'procedure') {
    const p = turn.kb.procedureById.get(d.procedure.id);
    if (!p) return undefined;
    return withPlaceNote(turn.kb, u, answerProcedure(turn, p, aspect));
  }
  if (d.kind === 'clarify') {
    const options = d.options.map((o) => turn.kb.procedureById.get(o.id)).filter((p) => p !== undefined);
    if (options.length === 0) return undefined;
    return withPlaceNote(turn.kb, u, askWhichProcedure(turn, options, aspect, d.unsure === true));
  }
  if (d.kind === 'ask_procedure') return askProcedureName(turn, aspect);
  return undefined;
}
