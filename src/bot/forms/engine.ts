import type { Reply, ReplyButton } from '../../channels/types.js';
import type { FormRecord, FormState, Outcome } from '../context.js';
import { BUTTONS, FORM_TEXTS as F, MENU_BUTTONS } from '../texts.js';
import type { TurnContext } from '../turn.js';
import { readYesNo } from './fields.js';

// Forms as step tables (`{ step -> parse, onValid, prompt }`): one runner asks, reads, re-asks with an example,
// shows the summary, lets the citizen correct a field or leave at any step, and saves only after "Gửi".

export type Draft = Record<string, unknown>;
export type Parsed = { ok: true; value: unknown } | { ok: false; retry: Reply };
/** The next step, 'summary' (show it and wait for "Gửi"), or 'save' (the citizen already confirmed). */
export type Next = string;

export interface Step {
  /** The question (with buttons the citizen's channel has). */
  prompt(t: TurnContext, draft: Draft): Reply;
  /** Reads the message as this step's value, or says what to send instead (with an example). */
  parse(t: TurnContext, draft: Draft): Parsed | Promise<Parsed>;
  /** Stores the value and chooses the next step. */
  onValid(t: TurnContext, draft: Draft, value: unknown): Next | Promise<Next>;
  /** The field's name in the "which field?" list; a step without one cannot be corrected from the summary. */
  label?: string;
  /** Its answers hold personal data (name, phone, address, free text). */
  personal?: boolean;
  /** A message that does not fit may be a question to answer (strict fields: phone, date, score, code). */
  strict?: boolean;
}

export interface Flow {
  name: string;
  /** "đăng ký phục vụ tại nhà": used in "em đã dừng ..." and "anh/chị đang ...". */
  title: string;
  first: string;
  steps: Record<string, Step>;
  /** Draft fields that must be there before saving (a missing one is asked instead of saving). */
  required?: string[];
  /** Everything the citizen gave, and how to confirm. */
  summary(t: TurnContext, draft: Draft): Reply;
  /** Writes the record and says so (turn.reply); returns the state after it. */
  save(t: TurnContext, draft: Draft): Promise<void>;
}

const FLOWS = new Map<string, Flow>();
export function registerFlow(flow: Flow): Flow {
  FLOWS.set(flow.name, flow);
  return flow;
}
export const flowOf = (state: { form?: FormState }) => (state.form ? FLOWS.get(state.form.flow) : undefined);

const EXIT = /^(huy|huy bo|thoi|thoi khoi|dung|dung lai|ngung|cancel|stop|exit|menu|bo qua thao tac|khong lam nua|#cancel)$/;
const EDIT = /^(sua|sua lai|chinh sua|sai|sai roi|#edit)$/;
export const CANCEL_BUTTON: ReplyButton = { title: BUTTONS.cancel, payload: '#cancel' };
export const summaryButtons = (): ReplyButton[] => [{ title: BUTTONS.send, payload: '#yes' }, { title: BUTTONS.edit, payload: '#edit' }, CANCEL_BUTTON];

/** Is the message a way out of the form ("hủy", "thôi", "menu", a menu button)? */
export function isExit(t: TurnContext): boolean {
  return EXIT.test(t.folded) || t.text.startsWith('#menu') || t.text === '#cancel';
}

/** Starts `flow` at its first step (or `at`), with what is already known. */
export function startForm(t: TurnContext, flow: Flow, draft: Draft = {}, at = flow.first): Outcome {
  t.state = { ...t.state, form: { flow: flow.name, step: at, draft } };
  if (at === 'summary') t.reply(flow.summary(t, draft));
  else t.reply(flow.steps[at].prompt(t, draft));
  return t.result();
}

/** Leaves the form without saving (`withMenu`: offer the menu; not when a menu button is about to be answered). */
export function leaveForm(t: TurnContext, flow: Flow, withMenu = true): Outcome {
  const step = t.state.form?.step ?? '';
  t.state = { ...t.state, form: undefined };
  t.form = record(flow, step, 'exit');
  t.reply(F.left(flow.title), withMenu ? MENU_BUTTONS : undefined);
  return t.result();
}

const record = (flow: Flow, step: string, outcome: FormRecord['outcome']): FormRecord =>
  ({ flow: flow.name, step, personal: Boolean(flow.steps[step]?.personal), outcome });

/**
 * One message inside a form. `answerQuestion` is tried when a strict field gets something else: a real question
 * ("lệ phí chứng thực bao nhiêu?") is answered, and the step asked again.
 */
export async function continueForm(t: TurnContext, answerQuestion: (t: TurnContext) => Promise<Outcome | undefined>): Promise<Outcome> {
  const fs = t.state.form!;
  const flow = FLOWS.get(fs.flow);
  if (!flow) { // a form this version no longer has
    t.state = { ...t.state, form: undefined };
    return t.result();
  }
  if (isExit(t)) return leaveForm(t, flow);
  const draft = { ...fs.draft };
  if (fs.step === 'summary' || /^#edit(:\w+)?$/.test(t.text)) return summaryAnswer(t, flow, draft);
  const step = flow.steps[fs.step];
  if (!step) return leaveForm(t, flow);
  const parsed = await step.parse(t, draft);
  if (!parsed.ok) {
    if (step.strict && t.msg.kind === 'text') {
      const answered = await answerQuestion(t);
      if (answered) {
        // Answered as a question: the form waits at the same step, reminded below the answer.
        const state = { ...answered.state, form: { ...fs } };
        return { ...answered, state, replies: [...answered.replies, reminder(t, flow, step.prompt(t, draft))] };
      }
    }
    const misses = (fs.misses ?? 0) + 1;
    t.state = { ...t.state, form: { ...fs, misses } };
    t.form = record(flow, fs.step, 'retry');
    const retry = parsed.retry;
    t.reply(misses >= 2 ? { ...retry, text: `${retry.text}\n${F.howToLeave}` } : retry);
    return t.result();
  }
  t.form = record(flow, fs.step, 'answer');
  let next = await step.onValid(t, draft, parsed.value);
  if (fs.returnTo && next !== 'save') next = fs.returnTo;
  return goTo(t, flow, draft, next);
}

async function goTo(t: TurnContext, flow: Flow, draft: Draft, next: Next): Promise<Outcome> {
  const missing = next === 'save' || next === 'summary' ? flow.required?.find((k) => draft[k] === undefined || draft[k] === null) : undefined;
  if (missing && flow.steps[missing]) next = missing;
  if (next === 'save') {
    t.state = { ...t.state, form: undefined };
    await flow.save(t, draft);
    return t.result();
  }
  t.state = { ...t.state, form: { flow: flow.name, step: next, draft } };
  t.reply(next === 'summary' ? flow.summary(t, draft) : flow.steps[next].prompt(t, draft));
  return t.result();
}

async function summaryAnswer(t: TurnContext, flow: Flow, draft: Draft): Promise<Outcome> {
  const from = t.state.form!.returnTo ?? t.state.form!.step;
  const edit = /^#edit:(\w+)$/.exec(t.text);
  if (edit && flow.steps[edit[1]]) {
    t.form = record(flow, 'summary', 'edit');
    t.state = { ...t.state, form: { flow: flow.name, step: edit[1], draft, returnTo: from } };
    t.form = record(flow, t.state.form!.step, 'edit');
    t.reply(flow.steps[edit[1]].prompt(t, draft));
    return t.result();
  }
  if (EDIT.test(t.folded) || t.text === '#edit') {
    t.form = record(flow, 'summary', 'edit');
    const fields = Object.entries(flow.steps).filter(([, s]) => s.label).map(([name, s]) => ({ title: s.label!, payload: `#edit:${name}` }));
    t.reply(F.whichField, fields.slice(0, 5));
    return t.result();
  }
  if (t.text === '#yes' || readYesNo(t.text) === true) {
    t.form = record(flow, 'summary', 'confirm');
    return goTo(t, flow, draft, 'save');
  }
  t.form = record(flow, 'summary', 'retry');
  t.reply(F.confirmHow, summaryButtons());
  return t.result();
}

function reminder(_t: TurnContext, flow: Flow, prompt: Reply): Reply {
  return { ...prompt, text: `${F.stillIn(flow.title)} ${prompt.text}` };
}

/** "• Họ và tên: Nguyễn Thị Hoa" lines, the intro, and the confirm text. */
export function summaryText(lines: Array<[string, string | null | undefined]>, ask: string = F.confirmHow): string {
  return [F.summaryIntro, ...lines.map(([k, v]) => `• ${k}: ${v || F.none}`), ask].join('\n');
}
