import type { KbSnapshot } from '../kb/snapshot.js';
import type { NluData } from './data-files.js';
import { Nlu } from './nlu.js';
import { DEFAULT_NLU_OPTIONS, type NluOptions } from './options.js';

export { DEFAULT_NLU_OPTIONS };

export function buildNlu(data: NluData, kb: KbSnapshot, options: NluOptions = DEFAULT_NLU_OPTIONS): Nlu {
  return new Nlu(data, {
    procedures: kb.procedures,
    models: kb.models,
    faqs: kb.faqs,
    phrases: kb.phrases,
    lexicon: Object.fromEntries(kb.lexicon.map((t) => [t.term, t.means])),
  }, options);
}
