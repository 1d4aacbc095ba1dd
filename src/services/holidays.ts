// Vietnamese public holidays, on which public offices are closed: Bộ luật Lao động 2019 (Luật số 45/2019/QH14),
// Điều 112. Solar-calendar days are fixed; Tết Nguyên đán and Giỗ Tổ Hùng Vương follow the lunar calendar, so their
// solar dates come from the table below (the Vietnamese lunar calendar, UTC+7). Each year the Prime Minister / Bộ Nội
// vụ announce the exact days off for civil servants (which 5 days of Tết, the day next to 2/9, swapped working
// Saturdays): add those with HOLIDAYS_EXTRA / WORKDAYS_EXTRA, and extend LUNAR before 2031.

/** Solar dates of mùng 1 Tết (lunar new year) and of 10/3 lunar (Giỗ Tổ Hùng Vương). */
export const LUNAR_DATES: Record<number, { tet: string; hungKings: string }> = {
  2025: { tet: '2025-01-29', hungKings: '2025-04-07' },
  2026: { tet: '2026-02-17', hungKings: '2026-04-26' },
  2027: { tet: '2027-02-06', hungKings: '2027-04-16' },
  2028: { tet: '2028-01-26', hungKings: '2028-04-04' },
  2029: { tet: '2029-02-13', hungKings: '2029-04-23' },
  2030: { tet: '2030-02-03', hungKings: '2030-04-12' },
};

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const at = (d: string) => Date.parse(`${d}T00:00:00Z`);
const weekday = (d: string) => new Date(at(d)).getUTCDay();
const isWeekend = (d: string) => weekday(d) === 0 || weekday(d) === 6;

/**
 * The days off of `year` as YYYY-MM-DD (local dates): 1/1; Tết, 5 days (the eve and mùng 1-4, the usual
 * arrangement); 10/3 lunar; 30/4; 1/5; 2/9 and the weekday next to it that joins a weekend (1/9 or 3/9). A holiday
 * on a Saturday or Sunday moves to the next working day (Điều 112, khoản 3). Years outside the table get the
 * solar days only.
 */
export function vietnamHolidays(year: number): string[] {
  const days = new Set<string>();
  const fixed = [`${year}-01-01`, `${year}-04-30`, `${year}-05-01`, `${year}-09-02`];
  const sep2 = weekday(`${year}-09-02`);
  fixed.push(sep2 === 1 || sep2 === 5 || sep2 === 6 ? `${year}-09-03` : `${year}-09-01`);
  const lunar = LUNAR_DATES[year];
  const tet = lunar ? [-1, 0, 1, 2, 3].map((k) => iso(at(lunar.tet) + k * DAY)) : [];
  const all = [...fixed, ...(lunar ? [lunar.hungKings] : [])];
  for (const d of [...all, ...tet]) days.add(d);
  // Compensation: each holiday on a weekend gives the next weekday that is not itself a holiday.
  for (const d of [...all, ...tet].sort()) {
    if (!isWeekend(d)) continue;
    let t = at(d) + DAY;
    while (isWeekend(iso(t)) || days.has(iso(t))) t += DAY;
    days.add(iso(t));
  }
  return [...days].sort();
}
