import type { InboundMessage, Reply } from '../channels/types.js';
import type { Config } from '../config.js';
import type { Conversation, Prisma } from '../generated/prisma/client.js';
import type { KbSnapshot } from '../kb/snapshot.js';
import type { Aspect, Understanding } from '../nlu/nlu.js';

/** The bot asked for a dossier code (the next message is read as one). Forms keep their own state (`form`). */
export type Awaiting = 'dossier_code';

/** A form in progress: which flow, which step, what the citizen gave so far. */
export interface FormState {
  flow: string;
  step: string;
  draft: Record<string, unknown>;
  /** Answers that did not fit this step, in a row. */
  misses?: number;
  /** Correcting one field: the step (summary, confirmation) to go back to after it. */
  returnTo?: string;
}

/** Recorded in Message.entities.form for a message that answered a form's step (not a question to review). */
export interface FormRecord {
  flow: string;
  step: string;
  /** The answer holds personal data (name, phone, address, free text): hide it from roles that need not see it. */
  personal: boolean;
  /** 'answer' (fits), 'retry' (did not fit: asked again), 'exit' (left the form), 'confirm', 'edit'. */
  outcome: 'answer' | 'retry' | 'exit' | 'confirm' | 'edit';
}

/** What the bot remembers between two messages of one user (Conversation.state). */
export interface ConversationState {
  awaiting?: Awaiting;
  form?: FormState;
  lastDossierCode?: string;
  /** The citizen's text messages so far (the clock of the follow-up window). */
  turn?: number;
  /** The procedure last answered: follow-ups that name none refer to it for a few turns. */
  topic?: { procedureId: number; turn: number; at: number };
  /** The bot asked which procedure: the options offered and the aspect asked. */
  pending?: { options: number[]; aspect: Aspect; at: number };
  /** The bot asked for a procedure's name: the aspect the citizen had asked about. */
  askedAspect?: Aspect;
  /** When the bot asked the citizen to name a place (which new unit, which province): a bare name answers it. */
  expectPlace?: number;
  /** The place question that got "which province?": the answer ("Long An", a tapped option) narrows it. */
  placeQuestion?: string;
}

export interface Matched { type: 'faq' | 'procedure' | 'model' | 'office' | null; id: number | null; name: string | null }

/** One turn: the message, the user's state, the transaction everything is recorded in. */
export interface Turn {
  msg: InboundMessage;
  state: ConversationState;
  tx: Prisma.TransactionClient;
  kb: KbSnapshot;
  config: Config;
  now: Date;
  /** Whether officials have the conversation (hand-off, or a pause after an official answered). */
  conversation: Pick<Conversation, 'pausedUntil' | 'handoffStatus'>;
  understanding?: Understanding;
}

export interface Outcome {
  replies: Reply[];
  state: ConversationState;
  matched?: Matched;
  /** Hand the conversation to officials: the bot stays silent until it is handed back. */
  handoff?: boolean;
  /** Pause the bot for this user (an official answered from the platform's own inbox). */
  pauseMinutes?: number;
  /** The message answered a form's step (Message.entities.form). */
  form?: FormRecord;
  /** A "which procedure?" question asked, answered or left (recorded for the review list). */
  clarification?: ClarificationEvent;
}

export type ClarificationEvent =
  | { event: 'asked'; text: string; aspect: string; options: Array<{ id: number; code: string | null; name: string }> }
  | { event: 'picked'; procedureId: number; by: string }
  | { event: 'abandoned' };

export const reply = (text: string, buttons?: Reply['buttons']): Reply => (buttons?.length ? { text, buttons } : { text });
