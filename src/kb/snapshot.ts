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
}

export async function readKbVersion(prisma: PrismaClient): Promise<number> {
  return (await prisma.kbState.findUnique({ where: { id: 1 } }))?.version ?? 0;
}

export async function loadKbSnapshot(prisma: PrismaClient): Promise<KbSnapshot> {
  const [version, procedures, models, faqs, offices, phrases, lexicon] = await Promise.all([
    readKbVersion(prisma),
    prisma.procedure.findMany({ orderBy: { id: 'asc' } }),
    prisma.reformModel.findMany({ orderBy: { id: 'asc' } }),
    prisma.faq.findMany({ orderBy: { id: 'asc' } }),
    prisma.office.findMany({ orderBy: [{ isPrimary: 'desc' }, { id: 'asc' }] }),
    prisma.trainingPhrase.findMany({ orderBy: { id: 'asc' } }),
    prisma.lexiconTerm.findMany({ orderBy: { id: 'asc' } }),
  ]);
  const byId = <T extends { id: number }>(rows: T[]) => new Map(rows.map((r) => [r.id, r]));
  return { version, procedures, models, faqs, offices, phrases, lexicon, procedureById: byId(procedures), modelById: byId(models), faqById: byId(faqs) };
}

/** Marks the knowledge base changed so every instance reloads it (call inside the changing transaction). */
export async function bumpKbVersion(prisma: Pick<PrismaClient, 'kbState'>): Promise<void> {
  await prisma.kbState.upsert({ where: { id: 1 }, create: { id: 1, version: 1 }, update: { version: { increment: 1 } } });
}
