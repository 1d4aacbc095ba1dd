import type { KbSnapshot } from '../kb/snapshot.js';
import type { NluData } from './data-files.js';
import { Nlu, type NluOptions } from './nlu.js';

export const DEFAULT_NLU_OPTIONS: NluOptions = { confidenceThreshold: 0.45, faqThreshold: 0.62 };

export function buildNlu(data: NluData, kb: KbSnapshot, options: NluOptions = DEFAULT_NLU_OPTIONS): Nlu {
  return new Nlu(data, {
    procedures: kb.procedures,
    models: kb.models,
    faqs: kb.faqs,
    phrases: kb.phrases,
  }, options);
}
