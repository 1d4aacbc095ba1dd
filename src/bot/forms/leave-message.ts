import { closeHandoff } from '../handoff.js';
import { FORM_TEXTS, HANDOFF_TEXTS } from '../texts.js';
import { registerFlow, type Draft } from './engine.js';
import { consentStep, contentStep, createTicket } from './feedback.js';

// A message left for officials while none can answer (out of hours, or the hand-off went back to the bot): it
// becomes a feedback ticket with a code, and the hand-off ends.

const L = FORM_TEXTS.leaveMessage;
const lines = (d: Draft): Array<[string, string | null | undefined]> => [[FORM_TEXTS.feedback.labels.content, d.content as string]];

export const leaveMessage = registerFlow({
  name: 'leave_message',
  title: L.title,
  required: ['content'],
  first: 'content',
  steps: {
    content: {
      ...contentStep(L.askContent, L.retryContent),
      onValid: (t, d, v) => {
        if (typeof v !== 'string') {
          d.attachments = [...((d.attachments as unknown[]) ?? []), ...(t.msg.attachments ?? [])];
          return d.content ? 'consent' : 'content';
        }
        d.content = v;
        return 'consent';
      },
    },
    consent: consentStep(lines),
  },
  summary: (t, d) => consentStep(lines).prompt(t, d),
  async save(t, d) {
    const code = await createTicket(t, d);
    if (!code) return;
    await closeHandoff(t, 'ticket', 'citizen', code);
    t.reply(HANDOFF_TEXTS.ticketFromHandoff(code));
  },
});
