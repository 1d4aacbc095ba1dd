import type { Outcome } from './context.js';
import type { TurnContext } from './turn.js';

// Button payloads ("#head:arg") through one registry: each head has one handler; a handler may decline (null).

export type PayloadHandler = (t: TurnContext, arg: string) => Promise<Outcome | null> | Outcome | null;

export class PayloadRegistry {
  private readonly handlers = new Map<string, PayloadHandler>();

  on(head: `#${string}`, handler: PayloadHandler): this {
    if (this.handlers.has(head)) throw new Error(`payload ${head} registered twice`);
    this.handlers.set(head, handler);
    return this;
  }

  /** Runs the handler of the message's payload; null when it is not a known payload or the handler declined. */
  async run(t: TurnContext): Promise<Outcome | null> {
    const text = t.text;
    if (!text.startsWith('#')) return null;
    const i = text.indexOf(':');
    const head = i < 0 ? text : text.slice(0, i);
    const handler = this.handlers.get(head);
    return handler ? handler(t, i < 0 ? '' : text.slice(i + 1)) : null;
  }
}
