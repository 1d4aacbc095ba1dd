import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { PrismaClient } from '../generated/prisma/client.js';
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
    procedures: withIds(readSeed('procedures.json', procedureSchema)),
    models: withIds(readSeed('models.json', reformModelSchema)),
    faqs: withIds(readSeed('faqs.json', faqSchema)),
    phrases: [],
  };
}

export async function seedIfEmpty(prisma: PrismaClient): Promise<boolean> {
  if ((await prisma.procedure.count()) > 0) return false;
  const procedures = readSeed('procedures.json', procedureSchema);
  const models = readSeed('models.json', reformModelSchema);
  const faqs = readSeed('faqs.json', faqSchema);
  const offices = readSeed('offices.json', officeSchema);
  const dossiers = readSeed('dossiers.json', sampleDossierSchema);
  const byName = new Map(procedures.map((p) => [p.name, p]));
  await prisma.$transaction(async (tx) => {
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
  }, { timeout: 60_000 });
  return true;
}
