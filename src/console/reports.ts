import { z } from 'zod';
import type { PrismaClient } from '../generated/prisma/client.js';
import { formatDate } from './imports/columns.js';
import { notUnderstoodSql, realQuestionSql } from './not-understood.js';
import { byVi, type Cell, type Table } from './table-file.js';

// The monthly report officials send up: one period (Viet Nam calendar days) and optionally one office; the
// figures first (summary, by channel, by procedure, by office, on time / late), then the lists behind them.

const DAY_MS = 86_400_000;
const VN_OFFSET_MS = 7 * 3600_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const RESOLVED = ['done', 'returned'];
const FINAL = [...RESOLVED, 'rejected', 'withdrawn'];
export const CHANNEL_NAMES: Record<string, string> = { zalo: 'Zalo', messenger: 'Messenger', web: 'Trang web' };
const TICKET_STATUS: Record<string, string> = { open: 'Chưa trả lời', answered: 'Đã trả lời' };
const HOME_STATUS: Record<string, string> = { new: 'Chờ hẹn lịch', scheduled: 'Đã hẹn lịch', done: 'Đã hoàn thành', cancelled: 'Đã hủy' };
const HANDOFF_STATUS: Record<string, string> = {
  waiting: 'Đang chờ', active: 'Cán bộ đang trả lời', cancelled: 'Người dân tự hủy', ticket: 'Để lại lời nhắn',
  returned: 'Trả lại bot (chưa ai trả lời)', closed: 'Đã xong',
};

export const reportQuery = z.object({
  from: z.string().regex(DAY, 'Ngày bắt đầu phải có dạng năm-tháng-ngày.').optional(),
  to: z.string().regex(DAY, 'Ngày kết thúc phải có dạng năm-tháng-ngày.').optional(),
  office: z.string().trim().max(300).optional(),
}).refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'Ngày kết thúc phải sau ngày bắt đầu.' });

export interface Period { from: string; to: string; office?: string; start: Date; end: Date }

/** The period asked for; by default the current month in Viet Nam up to today. */
export function period(q: z.infer<typeof reportQuery>, now: Date): Period {
  const today = new Date(now.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10);
  const from = q.from ?? `${(q.to ?? today).slice(0, 7)}-01`;
  const to = q.to ?? (from.slice(0, 7) === today.slice(0, 7) ? today : lastDayOfMonth(from));
  const start = new Date(Date.parse(`${from}T00:00:00Z`) - VN_OFFSET_MS);
  const end = new Date(Date.parse(`${to}T00:00:00Z`) + DAY_MS - VN_OFFSET_MS);
  return { from, to, office: q.office || undefined, start, end };
}

function lastDayOfMonth(day: string): string {
  const [y, m] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

const vnDay = (day: string) => day.split('-').reverse().join('/');
const at = (d: Date | null | undefined) => (d ? formatDate(d) : '');
const avg = (sum: number, n: number) => (n ? Math.round((sum / n) * 100) / 100 : null);
const pct = (part: number, whole: number) => (whole ? `${Math.round((part / whole) * 1000) / 10}%` : '');
const channel = (c: string) => CHANNEL_NAMES[c] ?? c;

interface Tally { received: number; resolved: number; onTime: number; late: number; overdueOpen: number; ratings: number; scoreSum: number }
const emptyTally = (): Tally => ({ received: 0, resolved: 0, onTime: 0, late: 0, overdueOpen: 0, ratings: 0, scoreSum: 0 });

function tallyTable(title: string, first: string, tallies: Map<string, Tally>): Table {
  const rows = [...tallies.entries()].sort(byVi(([k]) => k)).map(([key, t]): Cell[] =>
    [key, t.received, t.resolved, t.onTime, t.late, pct(t.onTime, t.resolved), t.overdueOpen, t.ratings, avg(t.scoreSum, t.ratings)]);
  return { title, headers: [first, 'Hồ sơ tiếp nhận', 'Đã giải quyết', 'Đúng hạn', 'Trễ hạn', 'Tỷ lệ đúng hạn',
    'Chưa giải quyết, đã quá hạn', 'Lượt đánh giá', 'Điểm trung bình'], rows };
}

/** Every table of the report, in order. */
export async function monthlyReport(prisma: PrismaClient, p: Period, opts: { threshold: number }): Promise<Table[]> {
  const inPeriod = { gte: p.start, lt: p.end };
  const office = p.office ? { office: p.office } : {};
  const [dossiers, ratings, tickets, homes, handoffs, messages, people] = await Promise.all([
    // A dossier resolved in the period changed status then, so its row was updated then: no EXISTS over events.
    prisma.dossier.findMany({
      where: { ...office, receivedAt: { lt: p.end }, OR: [{ receivedAt: { gte: p.start } }, { status: { notIn: FINAL } }, { updatedAt: { gte: p.start } }] },
      select: { procedureName: true, office: true, receivedAt: true, dueAt: true, status: true,
        events: { where: { status: { in: RESOLVED } }, select: { at: true } } },
    }),
    prisma.rating.findMany({ where: { ...office, createdAt: inPeriod }, orderBy: { createdAt: 'asc' } }),
    prisma.ticket.findMany({ where: { createdAt: inPeriod }, orderBy: { createdAt: 'asc' } }),
    prisma.homeServiceRequest.findMany({ where: { createdAt: inPeriod }, orderBy: { createdAt: 'asc' } }),
    prisma.handoff.findMany({ where: { requestedAt: inPeriod }, orderBy: { requestedAt: 'asc' } }),
    prisma.$queryRawUnsafe<Array<{ channel: string; inbound: number; outbound: number; missed: number }>>(
      `SELECT "channel", count(*) FILTER (WHERE "direction" = 'in')::int AS inbound,
         count(*) FILTER (WHERE "direction" = 'out')::int AS outbound,
         count(*) FILTER (WHERE ${realQuestionSql('')} AND ${notUnderstoodSql('', '$2')})::int AS missed
       FROM "Message" WHERE "createdAt" >= $1::timestamp(3) AND "createdAt" < $3::timestamp(3) GROUP BY 1`,
      p.start.toISOString(), opts.threshold, p.end.toISOString()),
    // DISTINCT in a subquery is hashed: count(DISTINCT ...) beside the other counts sorted and took 5 times longer.
    prisma.$queryRawUnsafe<Array<{ channel: string; people: number }>>(
      `SELECT "channel", count(*)::int AS people FROM (SELECT DISTINCT "channel", "conversationId" FROM "Message"
       WHERE "direction" = 'in' AND "createdAt" >= $1::timestamp(3) AND "createdAt" < $2::timestamp(3)) x GROUP BY 1`,
      p.start.toISOString(), p.end.toISOString()),
  ]);

  const byProcedure = new Map<string, Tally>();
  const byOffice = new Map<string, Tally>();
  const tally = (map: Map<string, Tally>, key: string) => map.get(key) ?? map.set(key, emptyTally()).get(key)!;
  const total = emptyTally();
  for (const d of dossiers) {
    const targets = [total, tally(byProcedure, d.procedureName), tally(byOffice, d.office)];
    const first = d.events.reduce<Date | undefined>((min, e) => (!min || e.at < min ? e.at : min), undefined);
    const resolvedAt = first ?? (RESOLVED.includes(d.status) ? d.dueAt : undefined);
    for (const t of targets) {
      if (d.receivedAt >= p.start) t.received++;
      if (resolvedAt && resolvedAt >= p.start && resolvedAt < p.end) {
        t.resolved++;
        if (resolvedAt <= d.dueAt) t.onTime++; else t.late++;
      } else if (!FINAL.includes(d.status) && d.dueAt < p.end) t.overdueOpen++;
    }
  }
  for (const r of ratings) {
    const targets = [total, r.procedureName ? tally(byProcedure, r.procedureName) : undefined, r.office ? tally(byOffice, r.office) : undefined];
    for (const t of targets) if (t) { t.ratings++; t.scoreSum += r.score; }
  }

  const channels = new Set([...messages.map((m) => m.channel), ...ratings.map((r) => r.channel), ...tickets.map((t) => t.channel),
    ...homes.map((h) => h.channel), ...handoffs.map((h) => h.channel)]);
  const count = <T extends { channel: string }>(rows: T[], c: string) => rows.filter((r) => r.channel === c).length;
  const byChannel: Cell[][] = [...channels].sort(byVi(channel)).map((c) => {
    const m = messages.find((r) => r.channel === c);
    const rs = ratings.filter((r) => r.channel === c);
    return [channel(c), Number(m?.inbound ?? 0), Number(people.find((r) => r.channel === c)?.people ?? 0), pct(Number(m?.missed ?? 0), Number(m?.inbound ?? 0)),
      count(tickets, c), count(homes, c), count(handoffs, c), rs.length, avg(rs.reduce((s, r) => s + r.score, 0), rs.length)];
  });

  const answered = tickets.filter((t) => t.answeredAt);
  const ticketsOnTime = answered.filter((t) => t.answeredAt! <= t.dueAt).length;
  const waits = handoffs.filter((h) => h.answeredAt).map((h) => (h.answeredAt!.getTime() - h.requestedAt.getTime()) / 60_000).sort((a, b) => a - b);
  const inbound = messages.reduce((s, m) => s + Number(m.inbound), 0);
  const missed = messages.reduce((s, m) => s + Number(m.missed), 0);
  const summary: Cell[][] = [
    ['Kỳ báo cáo', `${vnDay(p.from)} – ${vnDay(p.to)}`],
    ['Cơ quan', p.office ?? 'Tất cả (toàn đơn vị)'],
    ['Tin nhắn người dân gửi đến', inbound],
    ['Tin nhắn bot và cán bộ gửi đi', messages.reduce((s, m) => s + Number(m.outbound), 0)],
    ['Tỷ lệ câu hỏi bot chưa hiểu', pct(missed, inbound)],
    ['Hồ sơ tiếp nhận', total.received],
    ['Hồ sơ đã giải quyết', total.resolved],
    ['  trong đó đúng hạn', total.onTime],
    ['  trong đó trễ hạn', total.late],
    ['Tỷ lệ giải quyết đúng hạn', pct(total.onTime, total.resolved)],
    ['Hồ sơ chưa giải quyết, đã quá hạn (cuối kỳ)', total.overdueOpen],
    ['Phản ánh, kiến nghị nhận được', tickets.length],
    ['  đã trả lời đúng hạn', ticketsOnTime],
    ['  đã trả lời trễ hạn', answered.length - ticketsOnTime],
    ['  chưa trả lời', tickets.length - answered.length],
    ['Yêu cầu phục vụ tại nhà', homes.length],
    ['  đã hoàn thành', homes.filter((h) => h.status === 'done').length],
    ['  đã hủy', homes.filter((h) => h.status === 'cancelled').length],
    ['Yêu cầu gặp cán bộ', handoffs.length],
    ['  cán bộ đã trả lời', waits.length],
    ['  thời gian chờ trung vị (phút)', waits.length ? Math.round(waits[Math.floor(waits.length / 2)]) : null],
    ['  trả lại bot vì chưa ai trả lời', handoffs.filter((h) => h.status === 'returned').length],
    ['Lượt đánh giá hài lòng', ratings.length],
    ['  điểm trung bình (1–5)', avg(total.scoreSum, total.ratings)],
    ['  tỷ lệ hài lòng (4–5 điểm)', pct(ratings.filter((r) => r.score >= 4).length, ratings.length)],
  ];
  if (p.office) summary.push(['Ghi chú', 'Phản ánh, phục vụ tại nhà, gặp cán bộ và tin nhắn là số của toàn đơn vị (không ghi theo cơ quan).']);

  return [
    { title: 'Tổng hợp', headers: ['Chỉ tiêu', 'Số liệu'], rows: summary },
    { title: 'Theo kênh', headers: ['Kênh', 'Tin nhắn đến', 'Người dân nhắn tin', 'Tỷ lệ bot chưa hiểu', 'Phản ánh',
      'Phục vụ tại nhà', 'Gặp cán bộ', 'Lượt đánh giá', 'Điểm trung bình'], rows: byChannel },
    tallyTable('Theo thủ tục', 'Thủ tục', byProcedure),
    tallyTable('Theo cơ quan', 'Cơ quan', byOffice),
    { title: 'Đánh giá', headers: ['Thời gian', 'Kênh', 'Thủ tục', 'Cơ quan', 'Điểm', 'Góp ý'],
      rows: ratings.map((r) => [at(r.createdAt), channel(r.channel), r.procedureName, r.office, r.score, r.comment]) },
    { title: 'Phản ánh, kiến nghị', headers: ['Mã', 'Gửi lúc', 'Kênh', 'Nội dung', 'Mã hồ sơ', 'Hạn trả lời', 'Trạng thái',
      'Trả lời lúc', 'Người trả lời', 'Đúng hạn'],
    rows: tickets.map((t) => [t.code, at(t.createdAt), channel(t.channel), t.content, t.dossierCode, at(t.dueAt),
      TICKET_STATUS[t.status] ?? t.status, at(t.answeredAt), t.answeredBy, t.answeredAt ? (t.answeredAt <= t.dueAt ? 'có' : 'không') : '']) },
    { title: 'Phục vụ tại nhà', headers: ['Mã', 'Gửi lúc', 'Kênh', 'Thủ tục', 'Địa chỉ', 'Trạng thái', 'Lịch hẹn'],
      rows: homes.map((h) => [h.code, at(h.createdAt), channel(h.channel), h.procedureName, h.address, HOME_STATUS[h.status] ?? h.status, at(h.scheduledAt)]) },
    { title: 'Gặp cán bộ', headers: ['Yêu cầu lúc', 'Kênh', 'Trong giờ làm việc', 'Trạng thái', 'Cán bộ trả lời', 'Trả lời lúc', 'Chờ (phút)'],
      rows: handoffs.map((h) => [at(h.requestedAt), channel(h.channel), h.withinHours ? 'có' : 'không', HANDOFF_STATUS[h.status] ?? h.status,
        h.answeredBy, at(h.answeredAt), h.answeredAt ? Math.round((h.answeredAt.getTime() - h.requestedAt.getTime()) / 60_000) : null]) },
  ];
}
