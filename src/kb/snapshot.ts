import { setImmediate as nextTurn } from 'node:timers/promises';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Faq, LexiconTerm, Office, Procedure, ReformModel, TrainingPhrase } from '../generated/prisma/client.js';

/** Everything the bot answers from, read in one go; rebuilt when KbState.version changes. */
export interface KbSnapshot {
  version: number;
  procedures: Procedure[];
  models: ReformModel[];
  faqs: Faq[];
  offices: Office[];
  phrases: TrainingPhrase[];
  /** Citizens' words officials added (the NLU adds them to intents/lexicon.yaml). */
  lexicon: LexiconTerm[];
  /** Lookups by id, built once per load: the bot resolves entries on every message. */
  procedureById: Map<number, Procedure>;
  modelById: Map<number, ReformModel>;
  faqById: Map<number, Faq>;
  /** Each procedure row's xmin when it was read (what changed is read again, see loadKbSnapshot). */
  procedureStamps: Map<number, string>;
  /** How many procedure rows this load read (all of them the first time). */
  proceduresRead: number;
}

export async function readKbVersion(prisma: PrismaClient): Promise<number> {
  return (await prisma.kbState.findUnique({ where: { id: 1 } }))?.version ?? 0;
}

/** Rows read per query when reloading changed procedures: each query and its parsing stay a few milliseconds. */
const CHANGED_ROWS_PER_QUERY = 25;

/**
 * Reads the knowledge base. Given the previous snapshot, only the procedures whose row changed since are read
 * again (PostgreSQL's `xmin` changes with every update of a row, whoever made it): the national catalogue is
 * ~30 MB, and an official's edit of one record should not read it all again. The rows that did not change are
 * the previous snapshot's own objects.
 */
export async function loadKbSnapshot(prisma: PrismaClient, previous?: KbSnapshot): Promise<KbSnapshot> {
  // One query at a time, letting webhooks in between: on the embedded database a query and its parsing run on
  // the bot's own thread, and the seven at once held it ~55 ms.
  const read = async <T>(query: () => Promise<T>): Promise<T> => {
    const rows = await query();
    await nextTurn();
    return rows;
  };
  const version = await read(() => readKbVersion(prisma));
  const stamps = await read(() => prisma.$queryRaw<Array<{ id: number; stamp: string }>>`SELECT id, xmin::text AS stamp FROM "Procedure" ORDER BY id`);
  const models = await read(() => prisma.reformModel.findMany({ orderBy: { id: 'asc' } }));
  const faqs = await read(() => prisma.faq.findMany({ orderBy: { id: 'asc' } }));
  const offices = await read(() => prisma.office.findMany({ orderBy: [{ isPrimary: 'desc' }, { id: 'asc' }] }));
  const phrases = await read(() => prisma.trainingPhrase.findMany({ orderBy: { id: 'asc' } }));
  const lexicon = await read(() => prisma.lexiconTerm.findMany({ orderBy: { id: 'asc' } }));
  const procedureStamps = new Map(stamps.map((r) => [r.id, r.stamp]));
  const changed = stamps.filter((r) => !previous || previous.procedureStamps.get(r.id) !== r.stamp || !previous.procedureById.has(r.id)).map((r) => r.id);
  const fresh = new Map<number, Procedure>();
  if (!previous) {
    for (const p of await prisma.procedure.findMany({ orderBy: { id: 'asc' } })) fresh.set(p.id, p);
  } else {
    for (let i = 0; i < changed.length; i += CHANGED_ROWS_PER_QUERY) {
      const ids = changed.slice(i, i + CHANGED_ROWS_PER_QUERY);
      for (const p of await read(() => prisma.procedure.findMany({ where: { id: { in: ids } } }))) fresh.set(p.id, p);
    }
  }
  // A row deleted between the two reads is left out; one updated meanwhile is read again next time.
  const reread = new Set(changed);
  const procedures = stamps.map((r) => (reread.has(r.id) ? fresh.get(r.id) : previous?.procedureById.get(r.id))).filter((p): p is Procedure => p !== undefined);
  const byId = <T extends { id: number }>(rows: T[]) => new Map(rows.map((r) => [r.id, r]));
  return { version, procedures, models, faqs, offices, phrases, lexicon, procedureById: byId(procedures), modelById: byId(models), faqById: byId(faqs),
    procedureStamps, proceduresRead: fresh.size };
}

/** Marks the knowledge base changed so every instance reloads it (call inside the changing transaction). */
export async function bumpKbVersion(prisma: Pick<PrismaClient, 'kbState'>): Promise<void> {
  await prisma.kbState.upsert({ where: { id: 1 }, create: { id: 1, version: 1 }, update: { version: { increment: 1 } } });
}
