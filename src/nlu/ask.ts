import type { KbProcedure, Nlu, Understanding } from './nlu.js';

// One question to the NLU as a value: what the bot's thread asks itself, and what it asks the NLU thread
// (thread-client.ts) ahead of the turn.

/** A message to understand: its text and the conversation's context, as the bot would pass them. */
export interface Ask { text: string; procedureId?: number; expectPlace: boolean }

/** Whether two asks are the same question in the same context (the answer to one answers the other). */
export const sameAsk = (a: Ask, b: Ask) => a.text === b.text && a.procedureId === b.procedureId && a.expectPlace === b.expectPlace;

/** What `nlu` understands of `ask`, its context procedure read from `procedures` (the snapshot's). */
export function understandAsk(nlu: Nlu, procedures: ReadonlyMap<number, KbProcedure>, ask: Ask): Understanding {
  const procedure = ask.procedureId === undefined ? undefined : procedures.get(ask.procedureId);
  return nlu.understand(ask.text, { procedure, expectPlace: ask.expectPlace });
}
