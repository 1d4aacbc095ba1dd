import { findDossier } from '../dossiers.js';
import { allowRecord } from '../limits.js';
import { BUTTONS, FORM_TEXTS } from '../texts.js';
import { CANCEL_BUTTON, registerFlow, summaryButtons, summaryText, type Draft } from './engine.js';
import { readScore, readText } from './fields.js';

// Ratings: a score 1-5, then a comment or "Gửi đánh giá" (the score was just shown), and a summary after a comment.

const R = FORM_TEXTS.rating;
const scoreButtons = () => [1, 2, 3, 4, 5].map((n) => ({ title: `${n} ⭐`, payload: `#score:${n}` }));
const lines = (d: Draft): Array<[string, string | null | undefined]> => [
  [R.labels.score, `${d.score} ⭐`], [R.labels.comment, d.comment as string | null], ...(d.code ? [[R.labels.code, d.code as string] as [string, string]] : []),
];

export const rating = registerFlow({
  name: 'rating',
  title: R.title,
  required: ['score'],
  first: 'score',
  steps: {
    score: {
      label: R.labels.score, strict: true,
      prompt: (_t, d) => ({ text: d.code ? R.askScoreFor(String(d.code)) : R.askScore, buttons: scoreButtons() }),
      parse: (t) => {
        const score = readScore(t.text);
        return score ? { ok: true, value: score } : { ok: false, retry: { text: R.retryScore, buttons: scoreButtons() } };
      },
      onValid: (_t, d, v) => { d.score = v; return 'comment'; },
    },
    comment: {
      label: R.labels.comment, personal: true,
      prompt: (_t, d) => ({ text: R.askComment(Number(d.score)), buttons: [{ title: R.sendNow, payload: '#skip' }, { title: R.editScore, payload: '#edit:score' }, CANCEL_BUTTON] }),
      parse: (t) => {
        if (t.text === '#skip') return { ok: true, value: null };
        const text = readText(t.msg.text ?? '', 2, 2000);
        return text && text !== 'long' ? { ok: true, value: text }
          : { ok: false, retry: { text: text === 'long' ? FORM_TEXTS.tooLong(2000) : R.retryComment, buttons: [{ title: R.sendNow, payload: '#skip' }, CANCEL_BUTTON] } };
      },
      // "Gửi đánh giá" under the score just shown sends it; a comment is shown back first.
      onValid: (_t, d, v) => { d.comment = v; return v === null ? 'save' : 'summary'; },
    },
  },
  summary: (_t, d) => ({ text: summaryText(lines(d)), buttons: summaryButtons() }),
  async save(t, d) {
    const allowed = await allowRecord(t, 'rating');
    if (allowed !== 'ok') {
      t.reply(allowed === 'address' ? FORM_TEXTS.limitAddress : R.perDay);
      return;
    }
    const dossier = d.code ? await findDossier(t.tx, String(d.code)) : null;
    await t.tx.rating.create({
      data: {
        dossierId: dossier?.id ?? null, procedureName: dossier?.procedureName ?? null, office: dossier?.office ?? null,
        channel: t.msg.channel, userId: t.msg.userId, score: Number(d.score), comment: (d.comment as string | null) ?? null,
      },
    });
    t.reply(R.saved, [{ title: BUTTONS.procedures, payload: '#menu:procedures' }, { title: BUTTONS.human, payload: '#menu:human' }]);
  },
});
