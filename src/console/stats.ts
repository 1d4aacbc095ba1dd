import type { PrismaClient } from '../generated/prisma/client.js';
import { notUnderstoodSql, realQuestionSql } from './not-understood.js';

// Dashboard numbers, all from the message log. Days are calendar days in Viet Nam (UTC+7), the days
// officials count in; timestamps are stored as UTC.

const DAY_MS = 86_400_000;
const VN_OFFSET_MS = 7 * 3600_000;
const TOP = 10;

export interface DashboardStats {
  /** The calendar days covered, oldest first (yyyy-mm-dd, Viet Nam time). */
  days: string[];
  since: Date;
  messagesPerDay: Array<{ day: string; channel: string; inbound: number; outbound: number }>;
  channels: string[];
  topIntents: Array<{ intent: string; count: number }>;
  topProcedures: Array<{ name: string; count: number }>;
  topModels: Array<{ name: string; count: number }>;
  /** Per day: citizens' questions (form answers excluded) and how many the bot did not understand (not-understood.ts). */
  notUnderstood: Array<{ day: string; inbound: number; notUnderstood: number; share: number }>;
  handoffs: { waiting: number; oldestWaitingSince: Date | null };
}

/** The first instant of the Viet Nam calendar day `days - 1` days before `now`'s, and the list of days. */
export function dayRange(now: Date, days: number): { since: Date; days: string[] } {
  const today = Math.floor((now.getTime() + VN_OFFSET_MS) / DAY_MS);
  const first = today - (days - 1);
  const list = Array.from({ length: days }, (_, i) => new Date((first + i) * DAY_MS).toISOString().slice(0, 10));
  return { since: new Date(first * DAY_MS - VN_OFFSET_MS), days: list };
}

const DAY_SQL = `to_char("createdAt" + interval '7 hours', 'YYYY-MM-DD')`;

export async function dashboardStats(prisma: PrismaClient, opts: { days: number; threshold: number; now: Date }): Promise<DashboardStats> {
  const { since, days } = dayRange(opts.now, opts.days);
  const sinceText = since.toISOString();
  const q = <T>(sql: string, ...params: unknown[]) => prisma.$queryRawUnsafe<T[]>(sql, sinceText, ...params);

  const [perDay, intents, procedures, models, understood, waiting] = await Promise.all([
    q<{ day: string; channel: string; inbound: number; outbound: number }>(
      `SELECT ${DAY_SQL} AS day, "channel",
         count(*) FILTER (WHERE "direction" = 'in')::int AS inbound,
         count(*) FILTER (WHERE "direction" = 'out')::int AS outbound
       FROM "Message" WHERE "createdAt" >= $1::timestamp(3) GROUP BY 1, 2 ORDER BY 1, 2`),
    q<{ intent: string; count: number }>(
      `SELECT "intent", count(*)::int AS count FROM "Message"
       WHERE "createdAt" >= $1::timestamp(3) AND "direction" = 'in' AND "intent" IS NOT NULL
       GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${TOP}`),
    topEntity(q, 'procedure'),
    topEntity(q, 'model'),
    q<{ day: string; inbound: number; not_understood: number }>(
      `SELECT ${DAY_SQL} AS day, count(*)::int AS inbound,
         count(*) FILTER (WHERE ${notUnderstoodSql('', '$2')})::int AS not_understood
       FROM "Message" WHERE "createdAt" >= $1::timestamp(3) AND ${realQuestionSql('')}
       GROUP BY 1 ORDER BY 1`, opts.threshold),
    prisma.conversation.aggregate({ where: { handoffStatus: 'waiting' }, _count: { _all: true }, _min: { handoffAt: true } }),
  ]);

  const byDay = new Map(understood.map((r) => [r.day, r]));
  return {
    days,
    since,
    messagesPerDay: perDay.map((r) => ({ day: r.day, channel: r.channel, inbound: Number(r.inbound), outbound: Number(r.outbound) })),
    channels: [...new Set(perDay.map((r) => r.channel))].sort(),
    topIntents: intents.map((r) => ({ intent: r.intent, count: Number(r.count) })),
    topProcedures: procedures,
    topModels: models,
    notUnderstood: days.map((day) => {
      const r = byDay.get(day);
      const inbound = Number(r?.inbound ?? 0);
      const missed = Number(r?.not_understood ?? 0);
      return { day, inbound, notUnderstood: missed, share: inbound ? Math.round((missed / inbound) * 1000) / 1000 : 0 };
    }),
    handoffs: { waiting: waiting._count._all, oldestWaitingSince: waiting._min.handoffAt },
  };
}

/** Most asked procedures/models: the name the NLU matched, stored in Message.entities. */
async function topEntity(q: <T>(sql: string, ...params: unknown[]) => Promise<T[]>, key: 'procedure' | 'model') {
  const rows = await q<{ name: string; count: number }>(
    `SELECT "entities"->>'${key}' AS name, count(*)::int AS count FROM "Message"
     WHERE "createdAt" >= $1::timestamp(3) AND "direction" = 'in' AND COALESCE("entities"->>'${key}', '') <> ''
     GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${TOP}`);
  return rows.map((r) => ({ name: r.name, count: Number(r.count) }));
}
