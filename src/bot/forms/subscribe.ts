import { subscribeTo } from '../dossier-actions.js';
import { FORM_TEXTS } from '../texts.js';
import { CANCEL_BUTTON, registerFlow } from './engine.js';
import { readDossierCode } from './fields.js';

// Notices of a dossier's changes: asks the code when none was given; the proof and the subscription itself are in
// src/bot/dossier-actions.ts.

const S = FORM_TEXTS.subscribe;

export const subscribeFlow = registerFlow({
  name: 'subscribe',
  title: S.title,
  first: 'code',
  steps: {
    code: {
      strict: true,
      prompt: () => ({ text: S.askCode, buttons: [CANCEL_BUTTON] }),
      parse: (t) => {
        const code = readDossierCode(t.text);
        return code ? { ok: true, value: code } : { ok: false, retry: { text: S.retryCode, buttons: [CANCEL_BUTTON] } };
      },
      onValid: (_t, d, v) => { d.code = v; return 'save'; },
    },
  },
  summary: () => ({ text: S.askCode }),
  save: (t, d) => subscribeTo(t, String(d.code)),
});
