import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { storable } from '../text.js';
import { ParseError, type Channel, type InboundMessage } from '../types.js';

// The local chat page (/chat): a third channel through the same pipeline, needing no platform credentials.
// Replies are the outbound Message rows themselves; the page polls for them.

export const webMessageSchema = z.object({
  sessionId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'sessionId: 8-64 letters, digits, - or _'),
  clientMessageId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
  text: z.string().max(2000).optional(),
  payload: z.string().max(1000).optional(),
}).refine((b) => (b.text ?? '').trim() || b.payload, 'text or payload is required');

export function createWebChannel(): Channel {
  return {
    name: 'web',
    verify: () => true,
    parse(body: unknown): InboundMessage[] {
      const r = webMessageSchema.safeParse(body);
      if (!r.success) throw new ParseError(r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
      const b = storable(r.data);
      return [{
        channel: 'web', eventId: `${b.sessionId}:${b.clientMessageId ?? randomUUID()}`, eventName: b.payload ? 'postback' : 'message',
        userId: b.sessionId, kind: b.payload ? 'postback' : 'text', text: b.text ?? b.payload, payload: b.payload, timestamp: Date.now(),
      }];
    },
    // The page reads the Message rows themselves: "sending" is recording that the one part is there.
    async send(_userId, _reply, opts = {}) {
      const id = randomUUID();
      if (!opts.fromPart) await opts.onPart?.(0, id, 1);
      return { messageIds: [id] };
    },
  };
}
