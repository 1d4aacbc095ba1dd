import { FAQ_INTENTS } from '../nlu/decide.js';
import { z } from 'zod';
import type { Message, Prisma, PrismaClient } from '../generated/prisma/client.js';
import { faqSchema } from '../kb/schemas.js';
import { bumpKbVersion } from '../kb/snapshot.js';
import { INTENTS } from '../nlu/data-files.js';
import { clean, fold } from '../nlu/text.js';
import { consoleErrorMap } from './zod-vi.js';
import { LOW_RATING, REJECT_MINUTES, REJECTION_START, lowMarginSql, notUnderstoodSql, realQuestionSql } from './not-understood.js';

// "What the bot did not understand": citizens' questions it did not understand (out of scope, below the confidence
// threshold, a procedure the knowledge base lacks), answers citizens rejected and close calls, grouped by wording,
// so officials can teach the bot a phrasing once for every citizen who wrote it.

const MAX_MESSAGES = 5000;
/** How far back the review list reads, in steps, until it has MAX_MESSAGES (then the whole period asked). */
const RECENT_WINDOWS_DAYS = [7, 30, 90];
const MERGE_JACCARD = 0.8;
const MAX_FAQ_QUESTIONS = 30;
/** Intents whose answer an FAQ overrides when it matches (the NLU's decide stage). */
const FAQ_OVERRIDABLE: ReadonlySet<string> = FAQ_INTENTS;
/** TrainingPhrase.intent for a phrasing taught to an FAQ only: outside INTENTS, so the classifier ignores it. */
export const FAQ_PHRASE_INTENT = 'faq';

// Words that carry politeness or grammar, not the question: "cho em hỏi ... ạ" groups with "... ?".
const STOP_WORDS = new Set(('a ah ak ad admin oi nhe nha nhi vay the ha ho giup dum xin hoi cho toi minh em anh chi ban bot '
  + 'la thi ma va voi cua duoc co khong ko k j gi nao sao roi di luon can muon').split(' '));

export interface ReviewGroup {
  key: string;
  /** The most frequent wording (the latest among equals). */
  sample: string;
  count: number;
  messageIds: number[];
  lastAt: Date;
  /** Distinct wordings, most frequent first (at most 20). */
  texts: string[];
  /** What the bot thought most of these meant. */
  intent: string | null;
  /** How many of its messages were not understood, rejected by the citizen, answered on a close call. */
  reasons: Record<ReviewReason, number>;
  /** The latest messages, to open with their surrounding turns. */
  examples: Array<{ id: number; text: string; reasons: ReviewReason[]; createdAt: Date }>;
}

export class ReviewError extends Error {
  constructor(readonly status: 400 | 404, readonly field: string, message: string) {
    super(message);
  }
}

/** Folded, punctuation-free content words, sorted and unique: the wording's identity for grouping. */
export function wordingTokens(text: string): string[] {
  const words = fold(clean(text)).replace(/[^\p{L}\p{N}]+/gu, ' ').trim().split(' ').filter(Boolean);
  // Numbers (codes, phones, amounts) do not make a wording: "hồ sơ 123 tới đâu" groups with "hồ sơ 456 tới đâu".
  const content = words.filter((w) => !STOP_WORDS.has(w) && !/^\d+$/.test(w));
  return [...new Set(content.length ? content : words)].sort();
}

function jaccard(set: Set<string>, b: string[]): number {
  const shared = b.filter((t) => set.has(t)).length;
  return shared / (set.size + b.length - shared || 1);
}

export const REVIEW_REASONS = ['not_understood', 'rejected', 'low_margin'] as const;
export type ReviewReason = (typeof REVIEW_REASONS)[number];

/**
 * Citizens' questions worth a look, newest first (at most 5,000): not understood (the shared rule), answered but
 * rejected by the citizen's next message ("sai rồi", "không phải") or by a low rating within minutes and before
 * their next question (asking to rate does not count), or answered on a close call. Form answers and bare rejections are not questions (see not-understood.ts).
 */
export async function reviewMessages(prisma: PrismaClient, opts: { threshold: number; since?: Date; now?: Date; max?: number }) {
  const since = opts.since ?? new Date(0);
  const now = (opts.now ?? new Date()).getTime();
  const max = opts.max ?? MAX_MESSAGES;
  // The newest `max` are all a year of history could give: read the last week first, and further back only while
  // fewer were found (each message's flags read only the messages after it, all inside the window).
  for (const days of RECENT_WINDOWS_DAYS) {
    const from = new Date(now - days * 86_400_000);
    if (from <= since) break;
    const flagged = await flaggedSince(prisma, opts.threshold, from, max);
    if (flagged.length >= max) return flagged;
  }
  return flaggedSince(prisma, opts.threshold, since, max);
}

async function flaggedSince(prisma: PrismaClient, threshold: number, from: Date, max: number) {
  const since = from.toISOString();
  const flagged = await prisma.$queryRawUnsafe<Array<{ id: number; text: string; intent: string | null; confidence: number | null; at: number; missed: boolean; close: boolean; rejected: boolean }>>(
    `WITH b AS (
       SELECT m.id, m."conversationId", m."createdAt", m.text, m.intent, m.confidence, m."reviewStatus",
         ${realQuestionSql('m.')} AS real, ${notUnderstoodSql('m.', '$1')} AS missed, ${lowMarginSql('m.')} AS close,
         c.channel AS conv_channel, c."userId" AS conv_user
       FROM "Message" m JOIN "Conversation" c ON c.id = m."conversationId"
       WHERE m.direction = 'in' AND m."createdAt" >= $2::timestamp(3)
     ), q AS (
       SELECT b.*, lead(b.text) OVER w AS next_text, lead(b."createdAt") OVER w AS next_at
       FROM b WINDOW w AS (PARTITION BY b."conversationId" ORDER BY b.id)
     ), nq AS (
       SELECT b.id, lead(b."createdAt") OVER (PARTITION BY b."conversationId" ORDER BY b.id) AS next_question_at
       FROM b WHERE b.real AND b.intent <> 'rating'
     ), f AS (
       SELECT q.id, q.text, q.intent, q.confidence, q."createdAt", q.missed, q.close,
         ((q.next_at <= q."createdAt" + interval '${REJECT_MINUTES} minutes' AND q.next_text ~* $3)
          OR EXISTS (SELECT 1 FROM "Rating" r WHERE r.channel = q.conv_channel AND r."userId" = q.conv_user AND r.score <= ${LOW_RATING}
            AND r."createdAt" >= q."createdAt" AND r."createdAt" <= q."createdAt" + interval '${REJECT_MINUTES} minutes'
            AND (nq.next_question_at IS NULL OR r."createdAt" < nq.next_question_at))) AS rejected
       FROM q LEFT JOIN nq ON nq.id = q.id WHERE q.real AND q."reviewStatus" IS NULL
     )
     SELECT id, text, intent, confidence, (extract(epoch FROM "createdAt") * 1000)::float8 AS at, missed, close, rejected FROM f WHERE missed OR close OR rejected ORDER BY "createdAt" DESC, id DESC LIMIT ${Math.trunc(max)}`,
    threshold, since, REJECTION_START);
  return flagged.map((f) => ({ id: f.id, text: f.text, intent: f.intent, confidence: f.confidence === null ? null : Number(f.confidence),
    createdAt: new Date(Number(f.at)), // epoch ms from SQL: no driver reads the zone-less timestamp in local time
    reasons: REVIEW_REASONS.filter((r) => (r === 'not_understood' ? f.missed : r === 'rejected' ? f.rejected : f.close)) }));
}

export async function reviewGroups(prisma: PrismaClient, opts: { threshold: number; since?: Date; limit?: number; q?: string; reason?: ReviewReason }): Promise<ReviewGroup[]> {
  const messages = (await reviewMessages(prisma, opts))
    .filter((m) => m.text.trim() && (!opts.reason || m.reasons.includes(opts.reason)));
  const byKey = new Map<string, { tokens: string[]; items: typeof messages }>();
  for (const m of messages) {
    const tokens = wordingTokens(m.text);
    const key = tokens.join(' ');
    const g = byKey.get(key) ?? { tokens, items: [] };
    g.items.push(m);
    byKey.set(key, g);
  }
  // Every word of the search, without diacritics, in one of the group's wordings.
  const needles = opts.q ? fold(clean(opts.q)).split(/\s+/).filter(Boolean) : [];
  const found = (t: string) => { const text = fold(clean(t)); return needles.every((w) => text.includes(w)); };
  const merged = mergeSimilar([...byKey.values()]);
  return merged.map(summarize)
    .filter((g) => !needles.length || g.texts.some(found))
    .sort((a, b) => b.count - a.count || b.lastAt.getTime() - a.lastAt.getTime())
    .slice(0, opts.limit ?? 200);
}

/** Joins groups whose words overlap by Jaccard >= 0.8 (union-find; sizes too far apart cannot reach it). */
function mergeSimilar<T extends { tokens: string[]; items: unknown[] }>(groups: T[]): T[][] {
  const parent = groups.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const order = groups.map((_, i) => i).sort((a, b) => groups[a].tokens.length - groups[b].tokens.length);
  const sets = groups.map((g) => new Set(g.tokens));
  for (let x = 0; x < order.length; x++) {
    const a = groups[order[x]];
    for (let y = x + 1; y < order.length; y++) {
      const b = groups[order[y]];
      if (a.tokens.length < MERGE_JACCARD * b.tokens.length) break;
      if (jaccard(sets[order[x]], b.tokens) >= MERGE_JACCARD) parent[find(order[y])] = find(order[x]);
    }
  }
  const out = new Map<number, T[]>();
  groups.forEach((g, i) => out.set(find(i), [...(out.get(find(i)) ?? []), g]));
  return [...out.values()];
}

type Flagged = { id: number; text: string; intent: string | null; createdAt: Date; reasons: ReviewReason[] };
function summarize(parts: Array<{ tokens: string[]; items: Flagged[] }>): ReviewGroup {
  const items = parts.flatMap((p) => p.items);
  const biggest = parts.reduce((a, b) => (b.items.length > a.items.length ? b : a));
  const texts = rank(items.map((m) => m.text.trim()));
  return {
    key: biggest.tokens.join(' '),
    sample: texts[0],
    count: items.length,
    messageIds: items.map((m) => m.id).sort((a, b) => a - b),
    lastAt: new Date(Math.max(...items.map((m) => m.createdAt.getTime()))),
    texts: texts.slice(0, 20),
    intent: rank(items.map((m) => m.intent ?? ''))[0] || null,
    reasons: Object.fromEntries(REVIEW_REASONS.map((r) => [r, items.filter((m) => m.reasons.includes(r)).length])) as Record<ReviewReason, number>,
    examples: items.slice(0, 3).map((m) => ({ id: m.id, text: m.text, reasons: m.reasons, createdAt: m.createdAt })),
  };
}

/** Distinct values, most frequent first; ties keep first-seen order (messages come newest first). */
function rank(values: string[]): string[] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([v]) => v);
}

export const messageIdsSchema = z.array(z.number().int().positive()).min(1).max(1000);
export const attachTargetSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('intent'), intent: z.enum(INTENTS) }),
  z.object({ type: z.enum(['faq', 'procedure', 'model']), id: z.number().int().positive() }),
]);
export type AttachTarget = z.infer<typeof attachTargetSchema>;

async function groupMessages(db: Prisma.TransactionClient, messageIds: number[]) {
  const ids = [...new Set(messageIds)];
  const found = await db.message.findMany({ where: { id: { in: ids }, direction: 'in' }, select: { id: true, text: true, intent: true } });
  const missing = ids.filter((id) => !found.some((m) => m.id === id));
  if (missing.length) throw new ReviewError(404, 'messageIds', `Không tìm thấy tin nhắn của người dân: ${missing.slice(0, 20).join(', ')}`);
  return { ids, texts: rank(found.map((m) => m.text.trim().slice(0, 300)).filter(Boolean)), intents: rank(found.map((m) => m.intent ?? '')) };
}

/**
 * The intent a phrasing is taught as. Procedures and models: their lookup intents, so the classifier and
 * the entry's own index both learn it. FAQs: an FAQ that matches overrides the answer intents (see
 * FAQ_OVERRIDABLE), so when the bot already read these as one of those the classifier is left alone and only
 * the FAQ's index learns the phrasing; when it read them as an action (feedback, hand-off...) the phrasing
 * is taught as 'help' to pull it away from that action, and the FAQ then answers it.
 */
export function phraseIntent(target: AttachTarget, botIntents: string[]): string {
  if (target.type === 'intent') return target.intent;
  if (target.type === 'procedure') return 'procedure_lookup';
  if (target.type === 'model') return 'model_info';
  const usual = botIntents.find(Boolean);
  return !usual || FAQ_OVERRIDABLE.has(usual) ? FAQ_PHRASE_INTENT : 'help';
}

async function ensureTarget(db: Prisma.TransactionClient, target: AttachTarget): Promise<string> {
  if (target.type === 'intent') return target.intent;
  const row = target.type === 'faq' ? await db.faq.findUnique({ where: { id: target.id }, select: { questions: true } })
    : target.type === 'procedure' ? await db.procedure.findUnique({ where: { id: target.id }, select: { name: true } })
      : await db.reformModel.findUnique({ where: { id: target.id }, select: { name: true } });
  if (!row) throw new ReviewError(404, 'target.id', 'Không tìm thấy mục cần gắn (có thể đã bị xóa).');
  return 'name' in row ? row.name : row.questions[0] ?? '';
}

/** Teaches the bot a group's wordings as phrasings of an intent or an entry; the bot retrains on the KB bump. */
export async function attachGroup(prisma: PrismaClient, messageIds: number[], target: AttachTarget, actor: string | null) {
  return prisma.$transaction(async (tx) => {
    const group = await groupMessages(tx, messageIds);
    const label = await ensureTarget(tx, target);
    const intent = phraseIntent(target, group.intents);
    const targetType = target.type === 'intent' ? null : target.type;
    const targetId = target.type === 'intent' ? null : target.id;
    await tx.trainingPhrase.createMany({
      data: group.texts.map((text) => ({ text, intent, targetType, targetId, createdBy: actor })),
      skipDuplicates: true,
    });
    await tx.trainingPhrase.updateMany({ where: { intent, text: { in: group.texts } }, data: { targetType, targetId } });
    await tx.message.updateMany({ where: { id: { in: group.ids } }, data: { reviewStatus: 'attached' } });
    await tx.auditLog.create({
      data: { actor, action: 'review.attach', entityType: targetType ?? 'intent', entityId: String(targetId ?? intent),
        detail: { intent, target: label, messages: group.ids.length, phrases: group.texts } },
    });
    await bumpKbVersion(tx);
    return { intent, phrases: group.texts.length, messages: group.ids.length };
  });
}

/** A new FAQ whose questions are the group's wordings. */
export async function createFaqFromGroup(prisma: PrismaClient, messageIds: number[], answer: string, actor: string | null) {
  return prisma.$transaction(async (tx) => {
    const group = await groupMessages(tx, messageIds);
    const seen = new Set<string>();
    const questions = group.texts.filter((t) => {
      const k = wordingTokens(t).join(' ');
      return seen.has(k) ? false : (seen.add(k), true);
    }).slice(0, MAX_FAQ_QUESTIONS);
    const parsed = faqSchema.safeParse({ questions, answer }, { error: consoleErrorMap });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ReviewError(400, issue.path.map(String).join('.') || 'answer', issue.message);
    }
    const faq = await tx.faq.create({ data: { ...parsed.data, buttons: parsed.data.buttons as Prisma.InputJsonValue,
      verifiedBy: actor, verifiedAt: new Date() } });
    await tx.revision.create({
      data: { entityType: 'faq', entityId: faq.id, version: faq.version, action: 'create',
        data: JSON.parse(JSON.stringify(faq)) as Prisma.InputJsonValue, changedBy: actor },
    });
    await tx.message.updateMany({ where: { id: { in: group.ids } }, data: { reviewStatus: 'attached' } });
    await tx.auditLog.create({
      data: { actor, action: 'review.faq', entityType: 'faq', entityId: String(faq.id), detail: { messages: group.ids.length, questions } },
    });
    await bumpKbVersion(tx);
    return faq;
  });
}

/** Marks a group as seen and not worth teaching (greetings in other languages, spam...). */
export async function dismissGroup(prisma: PrismaClient, messageIds: number[], actor: string | null) {
  return prisma.$transaction(async (tx) => {
    const group = await groupMessages(tx, messageIds);
    await tx.message.updateMany({ where: { id: { in: group.ids } }, data: { reviewStatus: 'dismissed' } });
    await tx.auditLog.create({
      data: { actor, action: 'review.dismiss', entityType: 'message', entityId: null, detail: { messages: group.ids.length, sample: group.texts.slice(0, 5) } },
    });
    return { messages: group.ids.length };
  });
}
