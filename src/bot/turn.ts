import type { InboundMessage, Reply, ReplyButton } from '../channels/types.js';
import type { Config } from '../config.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { KbSnapshot } from '../kb/snapshot.js';
import type { Understanding } from '../nlu/nlu.js';
import type { Foreseen } from '../nlu/thread-client.js';
import { clean, fold } from '../nlu/text.js';
import { reply, type ConversationState, type FormRecord, type Outcome, type Turn } from './context.js';

/** What a turn reads as the citizen's words: the tapped payload, else the typed text, trimmed. */
export function turnText(msg: InboundMessage): string {
  return (msg.payload ?? msg.text ?? '').trim();
}

/** What the citizen's channel can show beyond text and buttons (the channel says; the bot never names it). */
export interface Capabilities {
  /** A platform form that shares the account's name, phone and address (Zalo's request_user_info). */
  userInfoForm?: boolean;
}

/** One turn with a reply accumulator (as grammY's `ctx.reply`): handlers add replies, then return `turn.result()`. */
export class TurnContext implements Turn {
  readonly out: Reply[] = [];
  understanding?: Understanding;
  /** The message answered a form's step: recorded in Message.entities.form, not as a question. */
  form?: FormRecord;
  /** What the NLU thread understood of this message ahead of the turn (Bot.foresee), if it was asked. */
  foreseen?: Foreseen;
  /** The place question this message may answer (the bot asked which province or district), taken out of the state. */
  placeQuestion?: string;

  constructor(
    readonly msg: InboundMessage,
    public state: ConversationState,
    readonly tx: Prisma.TransactionClient,
    readonly kb: KbSnapshot,
    readonly config: Config,
    readonly now: Date,
    readonly conversation: Turn['conversation'] & { id?: number },
    readonly can: Capabilities,
    /** The NLU, with the conversation's context applied. */
    readonly understand: (text: string) => Understanding,
  ) {}

  /** The tapped payload, else the typed text, trimmed. */
  get text(): string {
    return turnText(this.msg);
  }

  /** Lower case, no diacritics, no control characters: for matching commands. */
  get folded(): string {
    return fold(clean(this.text)).replace(/[.!?…]+$/, '').trim();
  }

  reply(text: string | Reply, buttons?: ReplyButton[]): this {
    this.out.push(typeof text === 'string' ? reply(text, buttons) : text);
    return this;
  }

  /** Everything said this turn, then `extra`'s replies; the state as the handlers left it. */
  result(extra: Partial<Outcome> = {}): Outcome {
    return { ...extra, replies: [...this.out, ...(extra.replies ?? [])], state: extra.state ?? this.state, ...(this.form ? { form: this.form } : {}) };
  }

  /** Adopts an outcome built by a function that returns one (the procedure dialog): its state and replies. */
  adopt(o: Outcome): Outcome {
    this.state = o.state;
    return this.result(o);
  }
}
