import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DataFileError } from './data-files.js';
import type { Ranked } from './procedure-index.js';

// The last word on the order of candidates: a logistic model over what the index measured (coverage of the
// name and of the message, the rarest word explained, the words that tell near-identical records apart) and
// what the record is (who it is for, its level). Its weights are data (intents/ranker.json), trained by
// `npm run train:ranker` on the development set; its output is the probability that a candidate is the
// procedure the citizen means, which the decide stage thresholds.

export const RANKER_FEATURES = ['bias', 'score', 'cov', 'nameOnly', 'alias', 'queryCov', 'evidence', 'head', 'side', 'rare',
  'missing', 'gap', 'rank', 'citizen', 'org', 'levelXa', 'levelTinh', 'nameLength', 'body'] as const;

export interface RankedRecord {
  name: string;
  level: string;
  eligibility?: string;
  isSample?: boolean;
}

/**
 * "Is this message about a procedure at all?" when the intent classifier (which knows how people ask, not the
 * catalogue) and the catalogue's evidence disagree: a logistic model over both, trained with the ranker.
 */
export const GATE_FEATURES = ['bias', 'pProcedure', 'pOutOfScope', 'quality', 'evidence', 'cov', 'queryCov', 'pTop', 'aspect', 'known'] as const;

const linearSchema = z.object({
  features: z.array(z.string()),
  weights: z.array(z.number()),
}).strict().refine((m) => m.features.length === m.weights.length, 'features and weights differ in length');
const modelSchema = z.object({
  ranker: linearSchema,
  gate: linearSchema,
  trained: z.string(),
}).strict();
export type RankerModel = z.infer<typeof modelSchema>;
type Linear = z.infer<typeof linearSchema>;

/** A linear model's weights in the order of `names` (a feature the file lacks weighs 0). */
function weightsOf(model: Linear, names: readonly string[]): number[] {
  const byName = new Map(model.features.map((f, i) => [f, model.weights[i]]));
  return names.map((f) => byName.get(f) ?? 0);
}

export const RANKER_FILE = path.resolve(import.meta.dirname, '../../intents/ranker.json');

export function loadRanker(file = RANKER_FILE): RankerModel {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new DataFileError(`${file}:1: ${(err as Error).message}`);
  }
  const parsed = modelSchema.safeParse(raw);
  if (!parsed.success) throw new DataFileError(`${file}:1: ${parsed.error.issues[0].message}`);
  const unknown = [
    ...parsed.data.ranker.features.filter((f) => !(RANKER_FEATURES as readonly string[]).includes(f)),
    ...parsed.data.gate.features.filter((f) => !(GATE_FEATURES as readonly string[]).includes(f)),
  ];
  if (unknown.length) throw new DataFileError(`${file}:1: unknown feature(s) ${unknown.join(', ')}`);
  return parsed.data;
}

const ORG = /\b(tổ chức|doanh nghiệp|cơ quan|hợp tác xã|công ty|cơ sở|nhà đầu tư|ngân hàng|tổ hợp tác)\b/iu;
const PERSON = /(công dân|người|cá nhân|hộ gia đình)/iu;

/** What a record's own texts say, whatever the message (computed once per record of a knowledge base). */
interface RecordFacts { forPeople: boolean; org: boolean; levelXa: boolean; levelTinh: boolean; nameLength: number }
const factsOf = new WeakMap<RankedRecord, RecordFacts>();

function recordFacts(item: RankedRecord): RecordFacts {
  let facts = factsOf.get(item);
  if (!facts) {
    const level = item.level.toLowerCase();
    facts = {
      forPeople: item.eligibility === undefined || item.eligibility === '' || PERSON.test(item.eligibility),
      org: ORG.test(item.name),
      levelXa: level.includes('xã'),
      levelTinh: level.includes('tỉnh'),
      nameLength: Math.log1p(item.name.split(/\s+/).length) / 4,
    };
    factsOf.set(item, facts);
  }
  return facts;
}

/** The features of each candidate, best first by the index's score (the order `rank` and `gap` read). */
export function featuresOf<P extends RankedRecord>(ranked: Array<Ranked<P>>, messageMentionsOrg: boolean): number[][] {
  const top = ranked[0]?.score ?? 0;
  return ranked.map((r, i) => {
    const facts = recordFacts(r.item);
    const values: Record<(typeof RANKER_FEATURES)[number], number> = {
      bias: 1,
      score: r.score,
      cov: r.nameCov,
      nameOnly: r.signals.nameOnly,
      alias: r.signals.alias,
      queryCov: r.queryCov,
      evidence: Math.log1p(r.evidence) / 4,
      head: r.signals.head,
      side: r.signals.side,
      rare: r.signals.rare,
      missing: r.signals.missing,
      gap: r.score - top,
      rank: 1 / (1 + i),
      citizen: facts.forPeople ? 1 : 0,
      org: facts.org && !messageMentionsOrg ? 1 : 0,
      levelXa: facts.levelXa ? 1 : 0,
      levelTinh: facts.levelTinh ? 1 : 0,
      nameLength: facts.nameLength,
      body: r.signals.body,
    };
    return RANKER_FEATURES.map((f) => values[f]);
  });
}

export interface GateInput {
  pProcedure: number;
  pOutOfScope: number;
  best?: { indexScore?: number; score: number; evidence: number; nameCov: number; queryCov: number };
  aspect: boolean;
  known: number;
}

export function gateFeaturesOf(g: GateInput): number[] {
  const values: Record<(typeof GATE_FEATURES)[number], number> = {
    bias: 1,
    pProcedure: g.pProcedure,
    pOutOfScope: g.pOutOfScope,
    quality: g.best?.indexScore ?? g.best?.score ?? 0,
    evidence: Math.log1p(g.best?.evidence ?? 0) / 4,
    cov: g.best?.nameCov ?? 0,
    queryCov: g.best?.queryCov ?? 0,
    pTop: g.best?.score ?? 0,
    aspect: g.aspect ? 1 : 0,
    known: g.known,
  };
  return GATE_FEATURES.map((f) => values[f]);
}

export class Ranker {
  private readonly weights: number[];
  private readonly gateWeights: number[];

  constructor(model: RankerModel) {
    this.weights = weightsOf(model.ranker, RANKER_FEATURES);
    this.gateWeights = weightsOf(model.gate, GATE_FEATURES);
  }

  /** Probability that the message is about a procedure. */
  procedureProbability(input: GateInput): number {
    const z = gateFeaturesOf(input).reduce((s, v, i) => s + v * this.gateWeights[i], 0);
    return 1 / (1 + Math.exp(-z));
  }

  /** Probability that each candidate is the procedure meant, given that one of them is (a softmax). */
  probabilities(features: number[][]): number[] {
    const z = features.map((x) => x.reduce((s, v, i) => s + v * this.weights[i], 0));
    const max = Math.max(...z);
    const e = z.map((v) => Math.exp(v - max));
    const total = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / total);
  }
}

export function messageMentionsOrg(text: string): boolean {
  return ORG.test(text);
}
