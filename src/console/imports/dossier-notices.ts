import { noticeText, type NoticeFacts } from '../../dossiers/notify.js';
import { queueNotices as queueSubscriberNotices, tellsTheCitizen } from '../../dossiers/service.js';
import type { Db } from './bulk.js';

// Notices for the subscribers of dossiers an import changed: the same rule and text as the status feed
// (src/dossiers/service.ts), one Notification and one durable 'notify' job each, in the import's transaction.

/** What changed on one dossier: the notice's facts plus the rows it belongs to. */
export interface DossierChange extends Omit<NoticeFacts, 'now'> {
  dossierId: number;
  eventId: number;
}

/** Returns the number of notices queued (the status feed's own queueNotices does the fan-out). */
export async function queueNotices(tx: Db, changes: DossierChange[], now: Date): Promise<number> {
  const worth = changes.filter(tellsTheCitizen);
  return queueSubscriberNotices(tx, worth.map((c) => ({ dossierId: c.dossierId, eventId: c.eventId, text: noticeText({ ...c, now }), code: c.code, status: c.status })));
}
