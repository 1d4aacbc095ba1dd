import type { Reply } from '../../channels/types.js';
import { findDossier } from '../dossiers.js';
import { phoneMatches, recordOwner } from '../ownership.js';
import { FORM_TEXTS } from '../texts.js';
import { continueAfterProof } from '../dossier-actions.js';
import { CANCEL_BUTTON, registerFlow } from './engine.js';

// Proving a dossier is one's own: the platform's contact form shares the account's phone (Zalo), which must be the
// phone on the receipt. Then the action that needed the proof goes on (status, notices, rating).

const P = FORM_TEXTS.prove;

const askShare = (code: string): Reply => ({
  text: P.askShare(code), buttons: [CANCEL_BUTTON], requestUserInfo: { title: P.shareTitle, subtitle: P.shareSubtitle },
});

export const prove = registerFlow({
  name: 'prove',
  title: P.title,
  first: 'share',
  steps: {
    share: {
      personal: true,
      prompt: (_t, d) => askShare(String(d.code)),
      parse: (t) => (t.msg.userInfo?.phone ? { ok: true, value: t.msg.userInfo.phone } : { ok: false, retry: { ...askShare(''), text: P.retryShare } }),
      async onValid(t, d, v) {
        const dossier = await findDossier(t.tx, String(d.code));
        if (dossier && phoneMatches(dossier, String(v))) {
          await recordOwner(t.tx, dossier, t.msg.channel, t.msg.userId, 'zalo_user_info');
          d.proven = true;
        }
        return 'save';
      },
    },
  },
  summary: (_t, d) => askShare(String(d.code)),
  async save(t, d) {
    if (!d.proven) {
      t.reply(P.mismatch);
      return;
    }
    t.reply(P.proven(String(d.code)));
    await continueAfterProof(t, String(d.code), String(d.then ?? 'status'));
  },
});
