import type { Dossier, Prisma } from '../generated/prisma/client.js';
import { canonicalDossierCode } from '../nlu/entities.js';
import { hitRate, prismaRateQuery } from '../limits/rate-store.js';

// Dossier rows and subscriptions as the dialog reads and writes them; what is shown to whom is in dossier-actions.ts.

type Tx = Prisma.TransactionClient;

export async function findDossier(tx: Tx, code: string): Promise<Dossier | null> {
  return tx.dossier.findFirst({ where: { code: { equals: canonicalDossierCode(code), mode: 'insensitive' } } });
}

/** Counts this use of `key` in the shared rate store; false when it was already used `limit` times in the last `windowMs`. */
export async function allowRate(tx: Tx, key: string, limit: number, windowMs: number, now: Date): Promise<boolean> {
  return (await hitRate(prismaRateQuery(tx), key, limit, windowMs, now)).allowed;
}

export async function subscribe(tx: Tx, dossier: Dossier, channel: string, userId: string): Promise<void> {
  await tx.subscription.upsert({
    where: { dossierId_channel_userId: { dossierId: dossier.id, channel, userId } },
    create: { dossierId: dossier.id, channel, userId },
    update: { active: true },
  });
}

export async function unsubscribe(tx: Tx, channel: string, userId: string, dossierId?: number): Promise<number> {
  const r = await tx.subscription.updateMany({ where: { channel, userId, active: true, ...(dossierId ? { dossierId } : {}) }, data: { active: false } });
  return r.count;
}

export async function isSubscribed(tx: Tx, code: string, channel: string, userId: string): Promise<boolean> {
  const d = await findDossier(tx, code);
  if (!d) return false;
  return (await tx.subscription.count({ where: { dossierId: d.id, channel, userId, active: true } })) > 0;
}
