import { createHash } from 'node:crypto';
import type { KbSnapshot } from '../kb/snapshot.js';
import type { NluData } from './data-files.js';
import { Nlu, type KbProcedure, type PlaceResolver } from './nlu.js';
import { DEFAULT_NLU_OPTIONS, type NluOptions } from './options.js';
import { mapOf, runNow, type Work } from './work.js';

export { DEFAULT_NLU_OPTIONS };

/** The fields of a stored procedure the NLU reads. */
export interface ProcedureFields {
  id: number;
  code: string | null;
  name: string;
  field: string;
  level: string;
  aliases: string[];
  result?: string;
  eligibility?: string;
  competentBody?: string;
  office?: string;
  isSample?: boolean;
  documents?: string[];
  documentsToShow?: string[];
  conditions?: string;
  steps?: string;
}

/** A procedure as the NLU sees it: its texts besides the name joined into one body. */
export function procedureForNlu(p: ProcedureFields): KbProcedure {
  return {
    id: p.id, code: p.code, name: p.name, field: p.field, level: p.level, aliases: p.aliases,
    result: p.result, eligibility: p.eligibility, competentBody: p.competentBody, office: p.office, isSample: p.isSample,
    body: [...(p.documents ?? []), ...(p.documentsToShow ?? []), p.conditions ?? '', p.steps ?? ''].filter(Boolean).join('\n'),
  };
}

export function buildNlu(data: NluData, kb: KbSnapshot, options: NluOptions = DEFAULT_NLU_OPTIONS, places?: PlaceResolver): Nlu {
  return runNow(buildingNlu(data, kb, options, places));
}

/** buildNlu with pause points (see work.ts): a rebuild that does not stop the bot. */
export function* buildingNlu(data: NluData, kb: KbSnapshot, options: NluOptions = DEFAULT_NLU_OPTIONS, places?: PlaceResolver): Work<Nlu> {
  return yield* Nlu.build(data, {
    procedures: yield* mapOf(kb.procedures, procedureForNlu, 8),
    models: kb.models,
    faqs: kb.faqs,
    phrases: kb.phrases,
    lexicon: Object.fromEntries(kb.lexicon.map((t) => [t.term, t.means])),
  }, options, places);
}

const withoutTimestamps = <T extends object>(r: T) => ({ ...r, createdAt: undefined, updatedAt: undefined });
const sha256 = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');
/** Each procedure row's digest: a reload keeps the unchanged rows' objects, so their digests are not computed again. */
const procedureDigests = new WeakMap<object, string>();

/**
 * A digest of everything buildNlu reads from the knowledge base: equal digests build the same NLU, so an edit
 * the NLU does not see (an FAQ's answer, a procedure's fee or office hours) needs no rebuild. The bot reads
 * answers from the snapshot by id, never from the NLU. With pause points (see work.ts).
 */
export function* nluFingerprint(kb: KbSnapshot): Work<string> {
  const procedures = yield* mapOf(kb.procedures, (p) => {
    let digest = procedureDigests.get(p);
    if (digest === undefined) procedureDigests.set(p, (digest = sha256(procedureForNlu(p))));
    return digest;
  }, 32);
  return sha256({
    procedures,
    models: kb.models.map(withoutTimestamps),
    faqs: kb.faqs.map((f) => ({ id: f.id, questions: f.questions, enabled: f.enabled })),
    phrases: kb.phrases.map(withoutTimestamps),
    lexicon: kb.lexicon.map((t) => [t.term, t.means]),
  });
}
