import type { Dossier, Prisma } from '../generated/prisma/client.js';
import { readPhone } from './forms/fields.js';

// Who may read a dossier's details, subscribe to it and rate it: the applicant, once their chat account has
// proved it (the phone Zalo shares matches the phone on the receipt). Sample dossiers are demo data: anyone.

type Tx = Prisma.TransactionClient;

export async function ownsDossier(tx: Tx, d: Pick<Dossier, 'id' | 'isSample'>, channel: string, userId: string): Promise<boolean> {
  if (d.isSample) return true;
  return (await tx.dossierOwner.count({ where: { dossierId: d.id, channel, userId } })) > 0;
}

/** Does the shared phone match the one on record? Both normalised ("+84 912..." = "0912..."). */
export function phoneMatches(d: Pick<Dossier, 'applicantPhone'>, shared: string | undefined): boolean {
  if (!d.applicantPhone || !shared) return false;
  const a = readPhone(d.applicantPhone);
  return a !== null && a === readPhone(shared);
}

export async function recordOwner(tx: Tx, d: Pick<Dossier, 'id'>, channel: string, userId: string, method: string): Promise<void> {
  await tx.dossierOwner.upsert({
    where: { dossierId_channel_userId: { dossierId: d.id, channel, userId } },
    create: { dossierId: d.id, channel, userId, method }, update: {},
  });
}
