import type { Database } from '../db/open.js';
import { Prisma } from '../generated/prisma/client.js';
import { REDACTED, redact, redactJson } from './redact.js';

// Anonymising one citizen's conversation (on request, or when it has been quiet past MESSAGE_RETENTION_DAYS):
// the messages stay (statistics, the review list) with names, phones, ID numbers and addresses replaced; form
// answers marked personal are replaced whole; the citizen's tickets, home-service requests, ratings and
// clarifications lose their personal fields. On request, proofs of dossier ownership, subscriptions, notices
// and the raw webhook events of the account are deleted too.

type Tx = Prisma.TransactionClient;

export interface AnonymiseResult { conversation: boolean; messages: number; records: number; deleted: number }

const isPersonalForm = (entities: unknown) =>
  !!(entities && typeof entities === 'object' && (entities as { form?: { personal?: boolean } }).form?.personal);

/** What the account's own records say about the person: replaced wherever it appears in the texts. */
async function knownValues(tx: Tx, channel: string, userId: string, displayName: string | null) {
  const homes = await tx.homeServiceRequest.findMany({ where: { channel, userId }, select: { name: true, phone: true, address: true } });
  const owned = await tx.dossierOwner.findMany({ where: { channel, userId }, select: { dossier: { select: { applicantName: true, applicantPhone: true } } } });
  return {
    names: [displayName, ...homes.map((h) => h.name), ...owned.map((o) => o.dossier.applicantName)].filter((v): v is string => !!v),
    phones: [...homes.map((h) => h.phone), ...owned.map((o) => o.dossier.applicantPhone)].filter((v): v is string => !!v),
    addresses: homes.map((h) => h.address).filter(Boolean),
  };
}

/** Anonymises everything stored about one chat account; `onRequest` also deletes what only served that person. */
export async function anonymiseCitizen(db: Database, channel: string, userId: string, now: Date, opts: { onRequest: boolean }): Promise<AnonymiseResult> {
  return db.prisma.$transaction(async (tx) => {
    const conv = await tx.conversation.findUnique({ where: { channel_userId: { channel, userId } } });
    const known = await knownValues(tx, channel, userId, conv?.displayName ?? null);
    let messages = 0;
    let records = 0;
    let deleted = 0;
    if (conv) {
      const rows = await tx.message.findMany({ where: { conversationId: conv.id }, select: { id: true, text: true, payload: true, entities: true, direction: true } });
      for (const m of rows) {
        const text = m.direction === 'in' && isPersonalForm(m.entities) ? REDACTED.text : redact(m.text, known);
        const payload = m.payload === null ? undefined : redactJson(m.payload, known) as Prisma.InputJsonValue;
        if (text === m.text && (payload === undefined || JSON.stringify(payload) === JSON.stringify(m.payload))) continue;
        await tx.message.update({ where: { id: m.id }, data: { text, ...(payload === undefined ? {} : { payload }) } });
        messages++;
      }
      await tx.conversation.update({ where: { id: conv.id }, data: { displayName: null, state: {}, anonymisedAt: now } });
    }
    records += (await tx.homeServiceRequest.updateMany({ where: { channel, userId },
      data: { name: REDACTED.name, phone: REDACTED.phone, address: REDACTED.address } })).count;
    for (const t of await tx.ticket.findMany({ where: { channel, userId }, select: { id: true, content: true } })) {
      await tx.ticket.update({ where: { id: t.id }, data: { content: redact(t.content, known), location: Prisma.DbNull, attachments: [] } });
      records++;
    }
    for (const r of await tx.rating.findMany({ where: { channel, userId, comment: { not: null } }, select: { id: true, comment: true } })) {
      await tx.rating.update({ where: { id: r.id }, data: { comment: redact(r.comment ?? '', known) } });
      records++;
    }
    for (const c of await tx.clarification.findMany({ where: { channel, userId }, select: { id: true, text: true } })) {
      const text = redact(c.text, known);
      if (text !== c.text) { await tx.clarification.update({ where: { id: c.id }, data: { text } }); records++; }
    }
    if (opts.onRequest) {
      deleted += (await tx.dossierOwner.deleteMany({ where: { channel, userId } })).count;
      deleted += (await tx.subscription.deleteMany({ where: { channel, userId } })).count;
      deleted += (await tx.notification.deleteMany({ where: { channel, userId } })).count;
      // Raw webhook bodies hold the messages as sent; those already processed go (a pending one is still needed).
      deleted += await tx.$executeRawUnsafe(
        `DELETE FROM "InboundEvent" WHERE channel = $1 AND status <> 'pending' AND strpos(body::text, $2) > 0`, channel, JSON.stringify(userId));
    }
    return { conversation: !!conv, messages, records, deleted };
  }, { timeout: 60_000 });
}
