import { fold } from '../nlu/text.js';

// One rule for what the console counts as a citizen's question, and which of them the bot got wrong: the review
// list and the dashboard's "not understood" rate both use it, in SQL (over many rows) and in TypeScript (one row);
// test/console/not-understood.test.ts checks that the two agree row by row.

/** An answered procedure is a close call below this probability, or when the second was this close (ratio). */
export const LOW_MARGIN = { score: 0.9, ratio: 10 } as const;
/** A rejection or a low rating this soon after an answer says the answer was wrong. */
export const REJECT_MINUTES = 10;
/** Ratings up to this score right after an answer count as a rejection. */
export const LOW_RATING = 2;

/** How citizens say the answer was not what they asked (the start of their next message), with and without diacritics. */
const REJECTIONS = ['sai rồi', 'sai', 'không phải', 'ko phải', 'k phải', 'hông phải', 'không đúng', 'chưa đúng', 'ko đúng',
  'nhầm rồi', 'nhầm', 'không phải cái này', 'không phải ý tôi', 'ý tôi không phải'];
const words = [...new Set(REJECTIONS.flatMap((p) => [p, fold(p)]))].sort((a, b) => b.length - a.length);
const alternatives = words.map((w) => w.replace(/ /g, '\\s+')).join('|');
/** The next message starts with a rejection ("sai rồi", "không phải ...", "ko dung"). */
export const REJECTION_START = `^\\s*(${alternatives})([\\s.,!?…]|$)`;
/** The message is only a rejection: not a question in itself. */
export const REJECTION_ONLY = `^\\s*(${alternatives})(\\s+(ạ|a|nha|nhé|đâu|rồi|roi))?\\s*[.!?…]*\\s*$`;
const startRe = new RegExp(REJECTION_START, 'iu');
const onlyRe = new RegExp(REJECTION_ONLY, 'iu');
export const isRejection = (text: string) => startRe.test(text.normalize('NFC'));

/** The fields of a stored message the rule reads. */
export interface RuleRow {
  direction: string;
  kind: string;
  text: string;
  intent: string | null;
  confidence: number | null;
  entities: unknown;
}
type Entities = { form?: unknown; procedure?: string | null; matched?: { type?: string | null } | null; procedureScore?: number | null; margin?: number | null } | null;
const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Longer texts are never a bare rejection (and skip the pattern: it is the costly part over many rows). */
const BARE_MAX = 60;
/** A citizen's text the NLU read as a question: not a form step's answer, not a bare "sai rồi". */
export function isRealQuestion(m: RuleRow): boolean {
  return m.direction === 'in' && m.kind === 'text' && m.intent !== null && !(m.entities as Entities)?.form
    && !(m.text.length <= BARE_MAX && onlyRe.test(m.text.normalize('NFC')));
}
export const realQuestionSql = (a: string) =>
  `(${a}"direction" = 'in' AND ${a}"kind" = 'text' AND ${a}"intent" IS NOT NULL AND (${a}"entities"->'form') IS NULL
    AND NOT (length(${a}"text") <= ${BARE_MAX} AND ${a}"text" ~* ${sqlString(REJECTION_ONLY)}))`;

/** Out of scope, below the confidence threshold, or a procedure question no entry matched; an FAQ answer is understood. */
export function isNotUnderstood(m: RuleRow, threshold: number): boolean {
  const e = m.entities as Entities;
  const matched = e?.matched?.type ?? '';
  if (matched === 'faq') return false;
  if (m.confidence !== null && m.confidence < threshold) return true;
  return matched === '' && (m.intent === 'out_of_scope' || (m.intent === 'procedure_lookup' && !e?.procedure));
}
export const notUnderstoodSql = (a: string, threshold: string) =>
  `(COALESCE(${a}"entities"->'matched'->>'type', '') <> 'faq' AND (${a}"confidence" < ${threshold}
    OR (COALESCE(${a}"entities"->'matched'->>'type', '') = ''
      AND (${a}"intent" = 'out_of_scope' OR (${a}"intent" = 'procedure_lookup' AND COALESCE(${a}"entities"->>'procedure', '') = '')))))`;

/** A procedure answered although it was a close call (probability or its lead over the second). */
export function isLowMargin(m: RuleRow): boolean {
  const e = m.entities as Entities;
  if (!e?.procedure) return false;
  return (typeof e.procedureScore === 'number' && e.procedureScore < LOW_MARGIN.score) || (typeof e.margin === 'number' && e.margin < LOW_MARGIN.ratio);
}
export const lowMarginSql = (a: string) =>
  `(COALESCE(${a}"entities"->>'procedure', '') <> '' AND (COALESCE((${a}"entities"->>'procedureScore')::float, 1) < ${LOW_MARGIN.score}
    OR COALESCE((${a}"entities"->>'margin')::float, ${LOW_MARGIN.ratio}) < ${LOW_MARGIN.ratio}))`;
