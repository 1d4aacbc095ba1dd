import type { PrismaClient } from '../generated/prisma/client.js';

// Dashboard numbers, from the daily roll-up "MessageDaily" (kept up to date by a trigger on every message
// insert, so reading it costs the same with a year of history as with a day). Days are calendar days in
// Viet Nam (UTC+7), the days officials count in; timestamps are stored as UTC.

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

interface Row { day: string; metric: string; key: string; count: number }

export async function dashboardStats(prisma: PrismaClient, opts: { days: number; threshold: number; now: Date }): Promise<DashboardStats> {
  const { since, days } = dayRange(opts.now, opts.days);
  const [rows, waiting] = await Promise.all([
    prisma.$queryRawUnsafe<Row[]>(`SELECT to_char(day, 'YYYY-MM-DD') AS day, metric, key, count FROM "MessageDaily"
      WHERE day >= $1::date ORDER BY day, metric, key`, days[0]),
    prisma.conversation.aggregate({ where: { handoffStatus: 'waiting' }, _count: { _all: true }, _min: { handoffAt: true } }),
  ]);
  const of = (metric: string) => rows.filter((r) => r.metric === metric);
  const perDay = new Map<string, { day: string; channel: string; inbound: number; outbound: number }>();
  for (const r of of('messages')) {
    const [channel, direction] = r.key.split(':');
    const k = `${r.day}|${channel}`;
    const e = perDay.get(k) ?? { day: r.day, channel, inbound: 0, outbound: 0 };
    if (direction === 'in') e.inbound += r.count;
    else e.outbound += r.count;
    perDay.set(k, e);
  }
  // The "not understood" rule (see the roll-up's migration): confidences are kept in hundredths.
  const cents = Math.ceil(opts.threshold * 100 - 1e-9);
  const byDay = new Map<string, { inbound: number; not_understood: number }>();
  for (const r of of('understanding')) {
    const e = byDay.get(r.day) ?? { inbound: 0, not_understood: 0 };
    e.inbound += r.count;
    if (r.key === 'unmatched' || (r.key.startsWith('c:') && Number(r.key.slice(2)) < cents)) e.not_understood += r.count;
    byDay.set(r.day, e);
  }
  return {
    days,
    since,
    messagesPerDay: [...perDay.values()].sort((a, b) => a.day.localeCompare(b.day) || a.channel.localeCompare(b.channel)),
    channels: [...new Set([...perDay.values()].map((r) => r.channel))].sort(),
    topIntents: top(of('intent')).map(({ name, count }) => ({ intent: name, count })),
    topProcedures: top(of('procedure')),
    topModels: top(of('model')),
    notUnderstood: days.map((day) => {
      const r = byDay.get(day);
      const inbound = Number(r?.inbound ?? 0);
      const missed = Number(r?.not_understood ?? 0);
      return { day, inbound, notUnderstood: missed, share: inbound ? Math.round((missed / inbound) * 1000) / 1000 : 0 };
    }),
    handoffs: { waiting: waiting._count._all, oldestWaitingSince: waiting._min.handoffAt },
  };
}

/** The most counted keys over the days read, most first (ties by name). */
function top(rows: Row[]): Array<{ name: string; count: number }> {
  const sums = new Map<string, number>();
  for (const r of rows) sums.set(r.key, (sums.get(r.key) ?? 0) + r.count);
  return [...sums].map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).slice(0, TOP);
}
