import { vietnamHolidays } from './holidays.js';

// When officials answer: weekly hours ("T2-T6 07:30-11:30, 13:30-17:00; T7 07:30-11:30"), closed on public holidays,
// in Vietnam's time (UTC+7, no daylight saving).

const VN_OFFSET_MS = 7 * 3600_000;
const DAY_NAMES: Record<string, number> = { CN: 0, T2: 1, T3: 2, T4: 3, T5: 4, T6: 5, T7: 6 };
const WEEKDAY_LABELS = ['Chủ nhật', 'thứ Hai', 'thứ Ba', 'thứ Tư', 'thứ Năm', 'thứ Sáu', 'thứ Bảy'];

/** Opening periods per weekday (0 = Sunday), in minutes after local midnight. */
export type Week = Array<Array<[number, number]>>;

const minutes = (hhmm: string) => {
  const m = /^(\d{1,2})[:hH](\d{2})$/.exec(hhmm.trim());
  if (!m || Number(m[1]) > 24 || Number(m[2]) > 59) return null;
  return Number(m[1]) * 60 + Number(m[2]);
};

/** Reads the weekly hours; null when the text does not follow the format. */
export function parseWorkingHours(text: string): Week | null {
  const week: Week = [[], [], [], [], [], [], []];
  for (const part of text.split(';').map((p) => p.trim()).filter(Boolean)) {
    const m = /^((?:CN|T[2-7])(?:\s*[-,]\s*(?:CN|T[2-7]))*)\s+(.+)$/i.exec(part);
    if (!m) return null;
    const days = new Set<number>();
    for (const d of m[1].toUpperCase().split(',').map((x) => x.trim())) {
      const [a, b] = d.split('-').map((x) => DAY_NAMES[x.trim()]);
      if (a === undefined) return null;
      if (b === undefined) days.add(a);
      else for (let i = a; ; i = (i + 1) % 7) { days.add(i); if (i === b) break; }
    }
    const periods: Array<[number, number]> = [];
    for (const range of m[2].split(',').map((r) => r.trim()).filter(Boolean)) {
      const [s, e] = range.split('-').map(minutes);
      if (s === null || e === null || s === undefined || e === undefined || e <= s) return null;
      periods.push([s, e]);
    }
    if (!periods.length) return null;
    for (const d of days) week[d].push(...periods);
  }
  return week.some((p) => p.length) ? week.map((p) => p.sort((x, y) => x[0] - y[0])) : null;
}

export interface CalendarOptions { extraHolidays?: string[]; extraWorkdays?: string[] }

/** Working hours of one office with the holidays applied. */
export class WorkingCalendar {
  private readonly extraHolidays: Set<string>;
  private readonly extraWorkdays: Set<string>;
  private readonly holidayYears = new Map<number, Set<string>>();

  constructor(private readonly week: Week, opts: CalendarOptions = {}) {
    this.extraHolidays = new Set(opts.extraHolidays ?? []);
    this.extraWorkdays = new Set(opts.extraWorkdays ?? []);
  }

  /** Is `day` (YYYY-MM-DD, local) a public holiday or an announced day off? */
  isHoliday(day: string): boolean {
    if (this.extraHolidays.has(day)) return true;
    const year = Number(day.slice(0, 4));
    let set = this.holidayYears.get(year);
    if (!set) this.holidayYears.set(year, (set = new Set(vietnamHolidays(year))));
    return set.has(day);
  }

  private periodsOn(localMidnight: number): Array<[number, number]> {
    const day = new Date(localMidnight).toISOString().slice(0, 10);
    if (this.isHoliday(day)) return [];
    const wd = new Date(localMidnight).getUTCDay();
    // A swapped working Saturday keeps the hours of a Friday (the last weekday).
    if (this.extraWorkdays.has(day) && this.week[wd].length === 0) return this.week[5];
    return this.week[wd];
  }

  /** The period `now` falls in (its end), or null when the office is closed. */
  openUntil(now: Date): Date | null {
    const local = now.getTime() + VN_OFFSET_MS;
    const midnight = local - (local % 86_400_000);
    const minute = (local - midnight) / 60_000;
    const p = this.periodsOn(midnight).find(([s, e]) => minute >= s && minute < e);
    return p ? new Date(midnight + p[1] * 60_000 - VN_OFFSET_MS) : null;
  }

  isOpen(now: Date): boolean {
    return this.openUntil(now) !== null;
  }

  /** The next moment the office opens (now, if open); searches 60 days ahead (Tết included). */
  nextOpen(now: Date): Date | null {
    const local = now.getTime() + VN_OFFSET_MS;
    let midnight = local - (local % 86_400_000);
    const minute = (local - midnight) / 60_000;
    for (let i = 0; i < 60; i++, midnight += 86_400_000) {
      const p = this.periodsOn(midnight).find(([s, e]) => (i === 0 ? e > minute : true) && e > s);
      if (p) return new Date(midnight + Math.max(p[0], i === 0 ? minute : 0) * 60_000 - VN_OFFSET_MS);
    }
    return null;
  }
}

/** "07:30 thứ Hai, ngày 02/02/2026" (Vietnam time). */
export function formatOpening(d: Date): string {
  const local = new Date(d.getTime() + VN_OFFSET_MS);
  const hh = String(local.getUTCHours()).padStart(2, '0');
  const mm = String(local.getUTCMinutes()).padStart(2, '0');
  const dd = String(local.getUTCDate()).padStart(2, '0');
  const mo = String(local.getUTCMonth() + 1).padStart(2, '0');
  return `${hh}:${mm} ${WEEKDAY_LABELS[local.getUTCDay()]}, ngày ${dd}/${mo}/${local.getUTCFullYear()}`;
}
