import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { procedureForNlu } from '../nlu/build.js';
import type { KbForNlu } from '../nlu/nlu.js';
import { faqSchema, officeSchema, procedureSchema, reformModelSchema, sampleDossierSchema } from './schemas.js';

// Sample data (Vietnamese, marked isSample: to verify before deployment), loaded into an empty database.

export const SEED_DIR = path.resolve(import.meta.dirname, '../../prisma/seed');

function readSeed<T extends z.ZodTypeAny>(file: string, schema: T): z.infer<T>[] {
  const full = path.join(SEED_DIR, file);
  const parsed = z.array(schema).safeParse(JSON.parse(readFileSync(full, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Seed file ${full}: item ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

/** The sample knowledge base as the NLU sees it, without a database (evaluation and benchmark scripts). */
export function sampleKbForNlu(): KbForNlu {
  const withIds = <T>(rows: T[]) => rows.map((r, i) => ({ id: i + 1, ...r }));
  return {
    procedures: withIds(readSeed('procedures.json', procedureSchema)).map((p) => procedureForNlu({ ...p, isSample: true })),
    models: withIds(readSeed('models.json', reformModelSchema)),
    faqs: withIds(readSeed('faqs.json', faqSchema)),
    phrases: [],
  };
}

/** Set once the sample is in: a knowledge base emptied afterwards (or loaded from elsewhere) stays as it is. */
export const SAMPLE_SEEDED = 'sampleSeeded';

/**
 * Loads the sample into a database that has never had it and holds no knowledge base or dossiers at all,
 * once; returns whether it did. Two processes starting together on one server: the second finds the mark.
 */
export async function seedIfEmpty(prisma: PrismaClient): Promise<boolean> {
  if (await prisma.setting.findUnique({ where: { key: SAMPLE_SEEDED } })) return false;
  const counts = await Promise.all([prisma.procedure.count(), prisma.reformModel.count(), prisma.faq.count(), prisma.office.count(), prisma.dossier.count()]);
  if (counts.some((n) => n > 0)) return false;
  const procedures = readSeed('procedures.json', procedureSchema);
  const models = readSeed('models.json', reformModelSchema);
  const faqs = readSeed('faqs.json', faqSchema);
  const offices = readSeed('offices.json', officeSchema);
  const dossiers = readSeed('dossiers.json', sampleDossierSchema);
  const byName = new Map(procedures.map((p) => [p.name, p]));
  try {
    await prisma.$transaction(async (tx) => seed(tx), { timeout: 60_000 });
  } catch (err) {
    if ((err as { code?: string }).code === 'P2002') return false; // another process seeded it first
    throw err;
  }
  return true;

  async function seed(tx: Prisma.TransactionClient): Promise<void> {
    await tx.setting.create({ data: { key: SAMPLE_SEEDED, value: { at: new Date().toISOString() } } });
    await tx.procedure.createMany({ data: procedures.map((p) => ({ ...p, isSample: true })) });
    await tx.reformModel.createMany({ data: models.map((m) => ({ ...m, isSample: true })) });
    await tx.faq.createMany({ data: faqs.map((f) => ({ ...f, isSample: true })) });
    await tx.office.createMany({ data: offices.map((o, i) => ({ ...o, isPrimary: o.isPrimary ?? i === 0, isSample: true })) });
    for (const { history, ...d } of dossiers) {
      await tx.dossier.create({
        data: {
          ...d,
          procedureCode: byName.get(d.procedureName)?.code ?? null,
          isSample: true,
          events: { create: history.map((h) => ({ status: h.status, at: h.at, note: h.note ?? null })) },
        },
      });
    }
    await tx.kbState.upsert({ where: { id: 1 }, create: { id: 1, version: 1 }, update: { version: { increment: 1 } } });
  }
}
