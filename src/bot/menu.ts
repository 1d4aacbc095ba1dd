import type { Outcome, Matched, Turn } from './context.js';
import { contactAnswer, modelListAnswer } from './answers.js';
import { requestHandoff } from './handoff.js';
import { answerProcedure } from './procedure-dialog.js';
import { ASPECTS } from '../nlu/data-files.js';
import { BUTTONS, MENU_BUTTONS, T, formatDate } from './texts.js';
import type { TurnContext } from './turn.js';

// The menu's buttons and the small requests recognised by their form (a procedure button, cancelling a home
// visit, a ticket code).

/** One model of each province first, so a short list shows the breadth of what provinces promote. */
export function featuredModels(models: Turn['kb']['models']) {
  const first = new Map<string, (typeof models)[number]>();
  for (const m of models) if (!first.has(m.province)) first.set(m.province, m);
  const featured = new Set(first.values());
  return [...featured, ...models.filter((m) => !featured.has(m))];
}

export function officeMatch(kb: Turn['kb']): Matched {
  const o = kb.offices[0];
  return o ? { type: 'office', id: o.id, name: o.name } : { type: null, id: null, name: null };
}

export async function menu(t: TurnContext, arg: string): Promise<Outcome> {
  const { kb, state } = t;
  if (arg === 'procedures') {
    const common = ['Đăng ký khai sinh', 'Cấp thẻ căn cước', 'Chứng thực bản sao từ bản chính', 'Đăng ký thường trú', 'Đăng ký kết hôn'];
    const ps = common.map((n) => kb.procedures.find((p) => p.name === n)).filter((p) => p !== undefined);
    return t.reply(ps.length ? T.menuProcedures : T.askProcedureName, ps.map((p) => ({ title: p.name, payload: `#proc:${p.id}:general` }))).result();
  }
  if (arg === 'dossier') {
    t.state = { ...state, awaiting: 'dossier_code' };
    return t.reply(T.askDossierCode, [{ title: BUTTONS.cancel, payload: '#cancel' }]).result();
  }
  if (arg === 'models') return t.result({ replies: [modelListAnswer(featuredModels(kb.models))] });
  if (arg === 'contact') return t.result({ replies: [contactAnswer(kb.offices)], matched: officeMatch(kb) });
  if (arg === 'human') return requestHandoff(t);
  return t.reply(T.help, MENU_BUTTONS).result({ state: { turn: state.turn } });
}

export function procedureButton(t: TurnContext, arg: string, picked: boolean): Outcome | null {
  const [id, aspect] = arg.split(':');
  const p = t.kb.procedureById.get(Number(id));
  if (!p) return null;
  const a = ASPECTS.find((x) => x === aspect) ?? 'general';
  return t.adopt(answerProcedure(t, p, a, picked ? { by: 'button' } : undefined));
}

export async function cancelHome(t: TurnContext, code: string): Promise<Outcome> {
  const { tx, msg } = t;
  const r = await tx.homeServiceRequest.updateMany({
    where: { code, channel: msg.channel, userId: msg.userId, status: { notIn: ['cancelled', 'done'] } },
    data: { status: 'cancelled' },
  });
  return t.reply(r.count ? T.homeCancelledByCitizen(code) : T.homeNotFound(code)).result();
}

export async function ticketStatus(t: TurnContext, code: string): Promise<Outcome> {
  const { tx, msg } = t;
  // A user only ever sees their own tickets.
  const ticket = await tx.ticket.findFirst({ where: { code, channel: msg.channel, userId: msg.userId } });
  if (!ticket) return t.reply(T.ticketNotFound(code)).result();
  return t.reply(ticket.status === 'answered' ? T.ticketAnswered(ticket.code, ticket.answer ?? '') : T.ticketOpen(ticket.code, formatDate(ticket.dueAt))).result();
}
