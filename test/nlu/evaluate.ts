import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { canonicalDossierCode } from '../../src/nlu/entities.js';
import type { Nlu } from '../../src/nlu/nlu.js';
import { hasDiacritics } from '../../src/nlu/text.js';

// The labelled development set (test/nlu/*.jsonl) and the figures the build is held to.

const lineSchema = z.object({
  text: z.string(),
  intent: z.string(),
  procedure: z.string().nullable(),
  aspect: z.string().nullable(),
  dossier_code: z.string().nullable(),
  model: z.string().nullable(),
  locality: z.string().optional(),
  tags: z.array(z.string()),
});
export type DevLine = z.infer<typeof lineSchema>;

export function loadDevSet(dir = import.meta.dirname): DevLine[] {
  return readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort().flatMap((f) =>
    readFileSync(path.join(dir, f), 'utf8').split('\n').filter((l) => l.trim()).map((l, i) => {
      try {
        return lineSchema.parse(JSON.parse(l));
      } catch (err) {
        throw new Error(`${f}:${i + 1}: ${(err as Error).message}`);
      }
    }));
}

export interface Report {
  lines: number;
  intentAccuracy: number;
  intentAccuracyNoDiacritics: number;
  intentAccuracyTypos: number;
  procedureTop1: number;
  aspectAccuracy: number;
  modelTop1: number;
  oosPrecision: number;
  oosRecall: number;
  oosF1: number;
  dossierCodeExact: number;
  errors: Array<{ text: string; expected: string; got: string }>;
}

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);

export function evaluate(nlu: Nlu, lines: DevLine[]): Report {
  let intentOk = 0, noDia = 0, noDiaOk = 0, typo = 0, typoOk = 0;
  let procN = 0, procOk = 0, aspN = 0, aspOk = 0, modelN = 0, modelOk = 0, codeN = 0, codeOk = 0;
  let tp = 0, fp = 0, fn = 0;
  const errors: Report['errors'] = [];
  for (const line of lines) {
    const u = nlu.understand(line.text);
    const ok = u.intent === line.intent;
    if (ok) intentOk++;
    else errors.push({ text: line.text, expected: line.intent, got: `${u.intent} ${u.confidence.toFixed(2)}` });
    if (!hasDiacritics(line.text)) { noDia++; if (ok) noDiaOk++; }
    if (line.tags.includes('typo')) { typo++; if (ok) typoOk++; }
    if (line.intent === 'out_of_scope' && u.intent === 'out_of_scope') tp++;
    else if (line.intent === 'out_of_scope') fn++;
    else if (u.intent === 'out_of_scope') fp++;
    if (line.intent === 'procedure_lookup' && line.procedure) {
      procN++;
      if (u.procedure?.name === line.procedure) procOk++;
      else errors.push({ text: line.text, expected: line.procedure, got: u.procedure?.name ?? 'null' });
    }
    if (line.intent === 'procedure_lookup' && line.aspect) {
      aspN++;
      if (u.entities.aspect === line.aspect) aspOk++;
      else errors.push({ text: line.text, expected: `aspect ${line.aspect}`, got: `aspect ${u.entities.aspect}` });
    }
    if (line.intent === 'model_info' && line.model) {
      modelN++;
      if (u.model?.name === line.model) modelOk++;
      else errors.push({ text: line.text, expected: line.model, got: u.model?.name ?? 'null' });
    }
    if (line.dossier_code) {
      // Labels give the code as typed ("000 00 12 H56 250614 0023"); the bot reads it in its printed form.
      codeN++;
      if (u.entities.dossier_code === canonicalDossierCode(line.dossier_code)) codeOk++;
      else errors.push({ text: line.text, expected: line.dossier_code, got: u.entities.dossier_code ?? 'none' });
    }
  }
  const p = ratio(tp, tp + fp), r = ratio(tp, tp + fn);
  return {
    lines: lines.length,
    intentAccuracy: ratio(intentOk, lines.length),
    intentAccuracyNoDiacritics: ratio(noDiaOk, noDia),
    intentAccuracyTypos: ratio(typoOk, typo),
    procedureTop1: ratio(procOk, procN),
    aspectAccuracy: ratio(aspOk, aspN),
    modelTop1: ratio(modelOk, modelN),
    oosPrecision: p,
    oosRecall: r,
    oosF1: p + r === 0 ? 0 : (2 * p * r) / (p + r),
    dossierCodeExact: ratio(codeOk, codeN),
    errors,
  };
}
