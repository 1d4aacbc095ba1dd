import type { InboundMessage, Reply } from '../channels/types.js';
import type { Config } from '../config.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { KbSnapshot } from '../kb/snapshot.js';
import type { Understanding } from '../nlu/nlu.js';

export type Awaiting = 'dossier_code' | 'subscribe_code' | 'feedback_content' | 'feedback_code' | 'feedback_consent'
  | 'rating_score' | 'rating_comment' | 'home_name' | 'home_phone' | 'home_address' | 'home_procedure' | 'home_reason';

/** What the bot remembers between two messages of one user (Conversation.state). */
export interface ConversationState {
  awaiting?: Awaiting;
  draft?: Record<string, unknown>;
  lastProcedureId?: number;
  lastDossierCode?: string;
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
}

export const reply = (text: string, buttons?: Reply['buttons']): Reply => (buttons?.length ? { text, buttons } : { text });
