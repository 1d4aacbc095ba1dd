import type { PrismaClient } from '../generated/prisma/client.js';
import { notUnderstoodSql, realQuestionSql } from './not-understood.js';

// Dashboard numbers. Days are calendar days in Viet Nam (UTC+7), the days officials count in; timestamps are
// stored as UTC. Counts come from the daily roll-up "MessageDaily" (kept by a trigger on every message insert, so
// reading it costs the same with a year of history as with a day); the "not understood" rate reads the messages
// of the days not counted yet (the rule's threshold is a query parameter), along the "createdAt" index.

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
  const known = understoodCache(prisma, opts.threshold);
  const today = days[days.length - 1];
  const firstUnknown = days.find((d) => d === today || !known.has(d))!;
  const sinceText = new Date(since.getTime() + days.indexOf(firstUnknown) * DAY_MS).toISOString();
  const q = <T>(sql: string, ...params: unknown[]) => prisma.$queryRawUnsafe<T[]>(sql, sinceText, ...params);

  const [rolled, understood, waiting] = await Promise.all([
    prisma.$queryRawUnsafe<RollupRow[]>(`SELECT to_char(day, 'YYYY-MM-DD') AS day, metric, key, count FROM "MessageDaily"
      WHERE day >= $1::date ORDER BY day, metric, key`, days[0]),
    q<{ day: string; inbound: number; not_understood: number }>(
      `SELECT ${DAY_SQL} AS day, count(*)::int AS inbound,
         count(*) FILTER (WHERE ${notUnderstoodSql('', '$2')})::int AS not_understood
       FROM "Message" WHERE "createdAt" >= $1::timestamp(3) AND ${realQuestionSql('')}
       GROUP BY 1 ORDER BY 1`, opts.threshold),
    prisma.conversation.aggregate({ where: { handoffStatus: 'waiting' }, _count: { _all: true }, _min: { handoffAt: true } }),
  ]);

  const read = new Map(understood.map((r) => [r.day, r]));
  for (const d of days) if (d >= firstUnknown && d < today) known.set(d, read.get(d) ?? { inbound: 0, not_understood: 0 });
  const byDay = new Map(days.map((d) => [d, (d < firstUnknown ? known.get(d) : read.get(d)) ?? { inbound: 0, not_understood: 0 }]));
  const perDay = messagesPerDay(rolled.filter((r) => r.metric === 'messages'));
  return {
    days,
    since,
    messagesPerDay: perDay,
    channels: [...new Set(perDay.map((r) => r.channel))].sort(),
    topIntents: top(rolled, 'intent').map(({ name, count }) => ({ intent: name, count })),
    topProcedures: top(rolled, 'procedure'),
    topModels: top(rolled, 'model'),
    notUnderstood: days.map((day) => {
      const r = byDay.get(day);
      const inbound = Number(r?.inbound ?? 0);
      const missed = Number(r?.not_understood ?? 0);
      return { day, inbound, notUnderstood: missed, share: inbound ? Math.round((missed / inbound) * 1000) / 1000 : 0 };
    }),
    handoffs: { waiting: waiting._count._all, oldestWaitingSince: waiting._min.handoffAt },
  };
}

type Understood = { inbound: number; not_understood: number };
const understoodCaches = new WeakMap<PrismaClient, Map<number, Map<string, Understood>>>();

/**
 * A past day's "not understood" count does not change (messages are stored as they come): kept per database and
 * threshold, so a year's dashboard reads the raw messages once, then only today's. A day with no row is kept too.
 */
function understoodCache(prisma: PrismaClient, threshold: number): Map<string, Understood> {
  const byThreshold = understoodCaches.get(prisma) ?? new Map<number, Map<string, Understood>>();
  understoodCaches.set(prisma, byThreshold);
  const days = byThreshold.get(threshold) ?? new Map<string, Understood>();
  byThreshold.set(threshold, days);
  return days;
}

interface RollupRow { day: string; metric: string; key: string; count: number }

/** Inbound and outbound per day and channel, from the roll-up's "channel:direction" keys. */
function messagesPerDay(rows: RollupRow[]) {
  const out = new Map<string, { day: string; channel: string; inbound: number; outbound: number }>();
  for (const r of rows) {
    const [channel, direction] = r.key.split(':');
    const e = out.get(`${r.day}|${channel}`) ?? { day: r.day, channel, inbound: 0, outbound: 0 };
    if (direction === 'in') e.inbound += r.count;
    else e.outbound += r.count;
    out.set(`${r.day}|${channel}`, e);
  }
  return [...out.values()].sort((a, b) => a.day.localeCompare(b.day) || a.channel.localeCompare(b.channel));
}

/** The most counted keys of a metric over the days read, most first (ties by name). */
function top(rows: RollupRow[], metric: string): Array<{ name: string; count: number }> {
  const sums = new Map<string, number>();
  for (const r of rows) if (r.metric === metric) sums.set(r.key, (sums.get(r.key) ?? 0) + r.count);
  return [...sums].map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).slice(0, TOP);
}
