import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { KbProcedure, Nlu, Understanding } from '../../src/nlu/nlu.js';

// Evaluation over the national catalogue: questions written as citizens type, each labelled with every
// acceptable procedure (national code, or the name of a sample procedure), clear or ambiguous.

const lineSchema = z.object({
  text: z.string(),
  intent: z.string(),
  procedures: z.array(z.string()),
  kind: z.enum(['clear', 'ambiguous', 'oos']),
  aspect: z.string().nullable(),
  register: z.enum(['diacritics', 'no_diacritics', 'noisy']),
}).passthrough();
export type NationalLine = z.infer<typeof lineSchema>;

export function loadNationalSet(file: string): NationalLine[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l, i) => {
    try {
      return lineSchema.parse(JSON.parse(l));
    } catch (err) {
      throw new Error(`${file}:${i + 1}: ${(err as Error).message}`);
    }
  });
}

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
const round = (x: number) => Math.round(x * 1000) / 1000;

export interface NationalReport {
  lines: number;
  clearTop1: number;
  clearResolved: number;
  ambiguousHandled: number;
  ambiguousAsked: number;
  confidentlyWrong: number;
  aspectAccuracy: number;
  oosPrecision: number;
  oosRecall: number;
  oosF1: number;
  byRegister: Record<string, { clearTop1: number; clearResolved: number; ambiguousHandled: number; confidentlyWrong: number; n: number }>;
  errors: Array<{ text: string; kind: string; expected: string; got: string }>;
}

export function labelMatches(p: Pick<KbProcedure, 'code' | 'name'> | null | undefined, labels: string[]): boolean {
  return p !== null && p !== undefined && labels.some((l) => l === p.code || l === p.name);
}

function answered(u: Understanding): KbProcedure | null {
  return u.decision.kind === 'procedure' ? u.decision.procedure : null;
}

export function evaluateNational(nlu: Nlu, lines: NationalLine[]): NationalReport {
  const reg = new Map<string, { clear: number; top1: number; resolved: number; amb: number; handled: number; proc: number; wrong: number }>();
  let clear = 0, top1 = 0, resolved = 0, amb = 0, handled = 0, asked = 0, proc = 0, wrong = 0, aspN = 0, aspOk = 0;
  let tp = 0, fp = 0, fn = 0;
  const errors: NationalReport['errors'] = [];
  for (const line of lines) {
    const u = nlu.understand(line.text);
    const r = reg.get(line.register) ?? { clear: 0, top1: 0, resolved: 0, amb: 0, handled: 0, proc: 0, wrong: 0 };
    reg.set(line.register, r);
    const isOos = line.kind === 'oos';
    const saidOos = u.intent === 'out_of_scope';
    if (isOos && saidOos) tp++;
    else if (isOos) fn++;
    else if (saidOos) fp++;
    const got = `${u.intent} ${u.decision.kind}${answered(u) ? ` ${answered(u)!.code ?? ''} ${answered(u)!.name.slice(0, 60)}` : ''}`
      + (u.clarify ? ` [${u.candidates.map((c) => c.item.code ?? c.item.name.slice(0, 20)).join(', ')}]` : '');
    if (isOos) {
      if (!saidOos) errors.push({ text: line.text, kind: 'oos', expected: 'out_of_scope', got });
      continue;
    }
    const a = answered(u);
    const offered = u.clarify && u.candidates.some((c) => labelMatches(c.item, line.procedures));
    const right = a !== null && labelMatches(a, line.procedures);
    proc++;
    r.proc++;
    if (a && !right) {
      wrong++;
      r.wrong++;
    }
    if (line.kind === 'clear') {
      clear++; r.clear++;
      if (right) { top1++; r.top1++; }
      if (right || offered) { resolved++; r.resolved++; }
    } else {
      amb++; r.amb++;
      if (u.clarify) asked++;
      if (right || offered) { handled++; r.handled++; }
    }
    if (!(right || offered)) errors.push({ text: line.text, kind: line.kind, expected: line.procedures.join('|'), got });
    if (line.aspect && (right || offered)) {
      aspN++;
      if (u.entities.aspect === line.aspect) aspOk++;
      else errors.push({ text: line.text, kind: 'aspect', expected: line.aspect, got: `aspect ${u.entities.aspect}` });
    }
  }
  const p = ratio(tp, tp + fp), rc = ratio(tp, tp + fn);
  return {
    lines: lines.length,
    clearTop1: round(ratio(top1, clear)),
    clearResolved: round(ratio(resolved, clear)),
    ambiguousHandled: round(ratio(handled, amb)),
    ambiguousAsked: round(ratio(asked, amb)),
    confidentlyWrong: round(ratio(wrong, proc)),
    aspectAccuracy: round(ratio(aspOk, aspN)),
    oosPrecision: round(p),
    oosRecall: round(rc),
    oosF1: round(p + rc === 0 ? 0 : (2 * p * rc) / (p + rc)),
    byRegister: Object.fromEntries([...reg.entries()].map(([k, v]) => [k, {
      n: v.clear + v.amb,
      clearTop1: round(ratio(v.top1, v.clear)), clearResolved: round(ratio(v.resolved, v.clear)),
      ambiguousHandled: round(ratio(v.handled, v.amb)), confidentlyWrong: round(ratio(v.wrong, v.proc)),
    }])),
    errors,
  };
}
