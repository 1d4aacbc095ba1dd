import { FINISHED_STATUSES, noticeText } from '../../dossiers/notify.js';
import type { Db } from './bulk.js';

// Notices for the subscribers of dossiers an import changed: the same rule and text as the status feed
// (src/dossiers/service.ts), one Notification and one durable 'notify' job each, in the import's transaction.

export interface DossierChange {
  dossierId: number;
  eventId: number;
  code: string;
  procedureName: string;
  status: string;
  statusChanged: boolean;
  dueAt: Date;
  /** The due date before this change, when it moved. */
  previousDueAt: Date | null;
  note: string | null;
}

/** Returns the number of notices queued. */
export async function queueNotices(tx: Db, changes: DossierChange[], now: Date): Promise<number> {
  // A new due date on a finished dossier tells the citizen nothing.
  const worth = changes.filter((c) => c.statusChanged || !FINISHED_STATUSES.has(c.status));
  if (worth.length === 0) return 0;
  const subs = await tx.subscription.findMany({
    where: { dossierId: { in: worth.map((c) => c.dossierId) }, active: true }, orderBy: { id: 'asc' },
  });
  if (subs.length === 0) return 0;
  const byDossier = new Map(worth.map((c) => [c.dossierId, c]));
  const data = subs.map((s) => {
    const c = byDossier.get(s.dossierId) as DossierChange;
    return { dossierId: c.dossierId, channel: s.channel, userId: s.userId, eventId: c.eventId, text: noticeText({ ...c, now }) };
  });
  let queued = 0;
  for (let i = 0; i < data.length; i += 500) {
    const notes = await tx.notification.createManyAndReturn({ data: data.slice(i, i + 500), skipDuplicates: true, select: { id: true } });
    await tx.job.createMany({
      data: notes.map((n) => ({ kind: 'notify', key: `notify:${n.id}`, payload: { notificationId: n.id } })),
      skipDuplicates: true,
    });
    queued += notes.length;
  }
  return queued;
}
