import type { Dossier } from '../generated/prisma/client.js';
import type { DossierStatus } from '../kb/schemas.js';
import { DOSSIER_TEXTS as D, STATUS_LABELS, STATUS_TEXTS, formatDate, maskName } from './texts.js';

// What a dossier's status means to the citizen, said once per status for the status card and the notices alike:
// what is happening, what they do next, and an apology only when the office is the one late.

/** Statuses after which nothing more is expected from the office. */
export const FINISHED_STATUSES: ReadonlySet<string> = new Set(['done', 'returned', 'rejected', 'withdrawn']);
/** Statuses in which the office is the one working: only these can be late. */
const OFFICE_WORKING: ReadonlySet<string> = new Set(['received', 'processing']);
/** While documents are awaited the old due date no longer holds: the office sets a new one once they arrive. */
const showsDueDate = (status: string) => status !== 'needs_supplement';

export const statusLabel = (status: string) => STATUS_LABELS[status as DossierStatus] ?? status;

/** The office is past the due date on a dossier it is still working on. */
export function isLate(d: { status: string; dueAt: Date }, now: Date): boolean {
  return OFFICE_WORKING.has(d.status) && d.dueAt < now;
}

/** The paragraph for a status: what is happening, what to do next, an apology if the office is late. */
export function statusParagraph(status: string, late: boolean): string {
  const t = STATUS_TEXTS[status as DossierStatus];
  if (!t) return '';
  return late && t.late ? t.late : t.now;
}

/** The public note as the status puts it ("Cần bổ sung: ..." or "Ghi chú của cán bộ: ..."). */
const noteLine = (status: string, note: string) => (status === 'needs_supplement' ? D.supplement(note) : D.note(note));

/** The full card, for the proven applicant (or a sample dossier): never the phone number, never the full name. */
export function dossierCard(d: Dossier, now: Date): string {
  const lines = [
    D.cardIntro(d.code), D.procedure(d.procedureName), D.applicant(maskName(d.applicantName)), D.received(formatDate(d.receivedAt)),
    showsDueDate(d.status) && D.due(formatDate(d.dueAt)), D.status(statusLabel(d.status)), D.office(d.office),
  ].filter((l): l is string => typeof l === 'string');
  if (d.note && d.notePublic) lines.push(noteLine(d.status, d.note));
  lines.push('', statusParagraph(d.status, isLate(d, now)));
  if (d.isSample) lines.push(D.sample);
  return lines.join('\n').trim();
}

/** Where the dossier is, in words that tell a stranger nothing about the applicant. */
export function coarseStatus(status: string): string {
  if (OFFICE_WORKING.has(status) || status === 'suspended') return D.coarse.working;
  if (status === 'needs_supplement' || status === 'awaiting_payment') return D.coarse.applicantStep;
  if (status === 'done') return D.coarse.ready;
  if (status === 'returned') return D.coarse.returned;
  return D.coarse.closed;
}

export interface NoticeFacts {
  code: string;
  procedureName: string;
  status: string;
  statusChanged: boolean;
  dueAt: Date;
  /** The due date before this change, when this change moved it. */
  previousDueAt: Date | null;
  note: string | null;
  /** Officials marked the note as one the applicant may read (unset: internal). */
  notePublic?: boolean;
  now: Date;
}

/** A status-change notice in plain words: never the applicant's name or phone number, the note only when public. */
export function noticeText(f: NoticeFacts): string {
  const finished = FINISHED_STATUSES.has(f.status);
  const moved = f.previousDueAt !== null && f.dueAt.getTime() !== f.previousDueAt.getTime() && !finished && showsDueDate(f.status);
  // Only the office can be late: a later date while the citizen has to act is a new date, not an apology.
  const postponed = moved && f.dueAt > f.previousDueAt! && OFFICE_WORKING.has(f.status);
  const lines: string[] = [];
  if (postponed) lines.push(D.postponed(f.code, f.procedureName, formatDate(f.previousDueAt!), formatDate(f.dueAt)));
  else if (moved && !f.statusChanged) lines.push(D.rescheduled(f.code, f.procedureName, formatDate(f.dueAt)));
  else lines.push(D.noticeHeader(f.code, f.procedureName));
  lines.push(D.status(statusLabel(f.status)));
  if (!finished && showsDueDate(f.status)) lines.push(D.due(formatDate(f.dueAt)));
  if (f.note && f.notePublic) lines.push(noteLine(f.status, f.note));
  // After an apology for a new date the office is no longer late: the paragraph says what happens now.
  lines.push('', statusParagraph(f.status, !postponed && isLate(f, f.now)));
  if (f.status === 'returned') lines.push(D.askRating);
  return lines.join('\n').trim();
}

/** A notice for a subscriber who has not proved ownership (subscribed before proofs existed): coarse only. */
export function coarseNoticeText(code: string, status: string): string {
  return `${D.coarseCard(code, coarseStatus(status))}\n${D.proveElsewhere}`;
}
