import type { Office } from '../generated/prisma/client.js';
import type { Understanding } from '../nlu/nlu.js';
import { formatOpening, parseWorkingHours, WorkingCalendar } from '../services/working-hours.js';
import type { Config } from '../config.js';
import type { Outcome } from './context.js';
import { isExit } from './forms/engine.js';
import { BUTTONS, HANDOFF_TEXTS as H, MENU_BUTTONS } from './texts.js';
import type { TurnContext } from './turn.js';

// The citizen's side of a hand-off: asking (told the expected wait within working hours, when officials are back
// outside them), leaving it, asking real questions while it waits, and officials answering from the platforms'
// own inboxes. The timers (escalation, holding messages, hand-back) are in src/services/handoff-timer.ts.

export const OPEN_HANDOFF = ['waiting', 'active'];
/** `assignedTo` of a conversation an official answered from the platform's own inbox (not the console). */
export const PLATFORM_INBOX = 'platform-inbox';
const CANCEL = { title: BUTTONS.cancelHandoff, payload: '#handoff:cancel' };
const LEAVE = { title: BUTTONS.leaveMessage, payload: '#handoff:message' };

/** The office whose hours the hand-off keeps: the primary one, else the first. */
export function handoffOffice(offices: Office[]): Office | undefined {
  return offices.find((o) => o.isPrimary) ?? offices[0];
}

/** The office's working calendar: its own hours when set and valid, else OFFICE_HOURS; holidays applied. */
export function calendarOf(office: Pick<Office, 'workingHours'> | undefined, config: Config): { calendar: WorkingCalendar; hours: string } {
  const own = office?.workingHours?.trim();
  const hours = own && parseWorkingHours(own) ? own : config.OFFICE_HOURS;
  return { calendar: new WorkingCalendar(parseWorkingHours(hours)!, { extraHolidays: config.HOLIDAYS_EXTRA, extraWorkdays: config.WORKDAYS_EXTRA }), hours };
}

/** "cho tôi gặp cán bộ": queued, with the expected wait, or when officials are back. */
export async function requestHandoff(t: TurnContext): Promise<Outcome> {
  const status = t.conversation.handoffStatus;
  if (status && OPEN_HANDOFF.includes(status)) return t.reply(H.already, [CANCEL]).result();
  const { calendar, hours } = calendarOf(handoffOffice(t.kb.offices), t.config);
  const openUntil = calendar.openUntil(t.now);
  const convId = t.conversation.id;
  let backAt: Date | null = null;
  if (openUntil) {
    const wait = t.config.HANDOFF_EXPECTED_WAIT_MINUTES;
    if (openUntil.getTime() - t.now.getTime() < wait * 60_000) {
      backAt = calendar.nextOpen(new Date(openUntil.getTime() + 60_000));
      t.reply(H.requestedNearClose(backAt ? formatOpening(backAt) : hours), [CANCEL]);
    } else {
      const ahead = convId ? await t.tx.handoff.count({ where: { status: 'waiting' } }) : 0;
      t.reply(H.requested(wait, ahead), [CANCEL]);
    }
  } else {
    backAt = calendar.nextOpen(t.now);
    t.reply(H.outOfHours(backAt ? formatOpening(backAt) : hours, hours), [LEAVE, CANCEL]);
  }
  if (convId) {
    await t.tx.handoff.create({
      data: { conversationId: convId, channel: t.msg.channel, userId: t.msg.userId, withinHours: openUntil !== null, backAt, requestedAt: t.now },
    });
  }
  t.state = { ...t.state, awaiting: undefined, form: undefined };
  return t.result({ handoff: true });
}

/** Ends the open hand-off (`status`: cancelled, ticket, returned, closed) and gives the conversation back to the bot. */
export async function closeHandoff(t: Pick<TurnContext, 'tx' | 'conversation' | 'now'>, status: string, by: string, ticketCode?: string): Promise<void> {
  const id = t.conversation.id;
  if (!id) return;
  await t.tx.conversation.update({ where: { id }, data: { handoffStatus: null, assignedTo: null, pausedUntil: null } });
  await t.tx.handoff.updateMany({ where: { conversationId: id, status: { in: OPEN_HANDOFF } }, data: { status, closedAt: t.now, closedBy: by, ticketCode: ticketCode ?? null } });
}

/** An official wrote to the citizen from the platform's own inbox: the bot steps back exactly as after a console reply. */
export async function officialReplied(t: TurnContext): Promise<Outcome> {
  const id = t.conversation.id;
  if (id) {
    const conv = await t.tx.conversation.findUnique({ where: { id } });
    await t.tx.conversation.update({ where: { id }, data: { handoffStatus: 'active', assignedTo: conv?.assignedTo ?? PLATFORM_INBOX, handoffAt: conv?.handoffAt ?? t.now } });
    const open = await t.tx.handoff.findFirst({ where: { conversationId: id, status: { in: OPEN_HANDOFF } }, orderBy: { id: 'desc' } });
    if (open) {
      await t.tx.handoff.update({ where: { id: open.id }, data: { status: 'active', answeredAt: open.answeredAt ?? t.now, answeredBy: open.answeredBy ?? PLATFORM_INBOX } });
    } else {
      await t.tx.handoff.create({ data: { conversationId: id, channel: t.msg.channel, userId: t.msg.userId, status: 'active', origin: 'official',
        requestedAt: t.now, answeredAt: t.now, answeredBy: PLATFORM_INBOX } });
    }
  }
  return t.result({ pauseMinutes: t.config.BOT_PAUSE_MINUTES });
}

/** The platform gave the thread back to the bot (Messenger handover): the hand-off ends quietly. */
export async function threadReturned(t: TurnContext): Promise<Outcome> {
  await closeHandoff(t, 'closed', PLATFORM_INBOX);
  return t.result();
}

/** What the NLU understood that the bot answers even while officials have the conversation. */
export function isRealQuestion(u: Understanding, threshold: number): boolean {
  const d = u.decision;
  // An unsure "which one?" is not: it may be a message for the officials.
  if (d.kind === 'faq' || d.kind === 'procedure' || (d.kind === 'clarify' && !d.unsure)) return true;
  if (u.intent === 'dossier_status' && u.entities.dossier_code) return true;
  // An address alone ("xã An Bình huyện Phú Giáo") is what the citizen tells the official, not a question.
  if (u.intent === 'locality' && u.place?.bareAddress) return false;
  return ['model_info', 'contact_info', 'locality'].includes(u.intent) && u.confidence >= threshold;
}

/**
 * While a hand-off is open: leaving it ("hủy", "thôi", "menu", a button), leaving a message, and real questions go
 * on (`next`); anything else is for the official and gets no bot reply (the timers see that no turn waits unanswered).
 */
export async function duringHandoff(t: TurnContext, next: () => Promise<Outcome>, startLeaveMessage: (t: TurnContext) => Outcome): Promise<Outcome | null> {
  const status = t.conversation.handoffStatus;
  const open = status !== null && OPEN_HANDOFF.includes(status);
  const paused = !open && t.conversation.pausedUntil !== null && t.conversation.pausedUntil > t.now;
  if (!open && !paused) return null;
  if (t.state.form) return next(); // leaving a message, or a form started meanwhile
  if (t.text === '#handoff:message') return startLeaveMessage(t);
  if (t.text === '#handoff:cancel' || isExit(t)) {
    await closeHandoff(t, 'cancelled', 'citizen');
    t.reply(H.cancelled, MENU_BUTTONS);
    // A menu button also does what it says, after the hand-off is left.
    if (t.text.startsWith('#menu:') && t.text !== '#menu:human') return next();
    return t.result();
  }
  if (status === 'waiting' && t.msg.kind === 'text') {
    const u = t.understand(t.text);
    if (u.intent === 'human_handoff' && u.confidence >= t.config.NLU_CONFIDENCE_THRESHOLD) return t.reply(H.already, [{ title: BUTTONS.cancelHandoff, payload: '#handoff:cancel' }]).result();
    if (t.text.startsWith('#') || isRealQuestion(u, t.config.NLU_CONFIDENCE_THRESHOLD)) {
      const answered = await next();
      const last = answered.replies.at(-1);
      if (!last || answered.handoff) return answered;
      return { ...answered, replies: [...answered.replies.slice(0, -1), { ...last, text: `${last.text}\n\n${H.stillQueued}` }] };
    }
  }
  return t.result();
}
