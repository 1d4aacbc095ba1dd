import { describe, expect, it } from 'vitest';
import { vietnamHolidays } from '../src/services/holidays.js';
import { formatOpening, parseWorkingHours, WorkingCalendar } from '../src/services/working-hours.js';

// Working hours in Vietnam time with the public holidays of Bộ luật Lao động 2019, Điều 112.

const at = (local: string) => new Date(`${local}+07:00`);
const week = parseWorkingHours('T2-T6 07:30-11:30, 13:30-17:00; T7 07:30-11:30')!;

describe('working hours', () => {
  it('parses days, ranges and periods, and refuses anything else', () => {
    expect(week[1]).toEqual([[450, 690], [810, 1020]]);
    expect(week[6]).toEqual([[450, 690]]);
    expect(week[0]).toEqual([]);
    for (const bad of ['', 'T2-T6', 'T8 07:00-08:00', 'T2 08:00-07:00', 'mon 07:00-17:00']) expect(parseWorkingHours(bad)).toBeNull();
  });

  it('is open within a period and closed at lunch, at night, on Sunday', () => {
    const c = new WorkingCalendar(week);
    expect(c.isOpen(at('2026-06-03T09:00:00'))).toBe(true); // Wednesday
    expect(c.isOpen(at('2026-06-03T12:00:00'))).toBe(false);
    expect(c.isOpen(at('2026-06-03T20:00:00'))).toBe(false);
    expect(c.isOpen(at('2026-06-07T09:00:00'))).toBe(false); // Sunday
    expect(c.openUntil(at('2026-06-03T09:00:00'))).toEqual(at('2026-06-03T11:30:00'));
  });

  it('says when officials are back: after lunch, the next morning, Monday after a Sunday', () => {
    const c = new WorkingCalendar(week);
    expect(c.nextOpen(at('2026-06-03T12:00:00'))).toEqual(at('2026-06-03T13:30:00'));
    expect(c.nextOpen(at('2026-06-03T18:00:00'))).toEqual(at('2026-06-04T07:30:00'));
    expect(c.nextOpen(at('2026-06-06T12:00:00'))).toEqual(at('2026-06-08T07:30:00'));
    expect(formatOpening(at('2026-06-08T07:30:00'))).toBe('07:30 thứ Hai, ngày 08/06/2026');
  });

  it('is closed on public holidays, Tết included, and back after them', () => {
    const c = new WorkingCalendar(week);
    expect(c.isOpen(at('2026-09-02T09:00:00'))).toBe(false); // Quốc khánh
    expect(c.isOpen(at('2026-04-30T09:00:00'))).toBe(false);
    expect(c.isOpen(at('2026-02-18T09:00:00'))).toBe(false); // mùng 2 Tết Bính Ngọ
    expect(c.nextOpen(at('2026-02-16T09:00:00'))).toEqual(at('2026-02-21T07:30:00')); // Saturday after mùng 4
  });

  it('applies announced extra days off and swapped working Saturdays', () => {
    const c = new WorkingCalendar(week, { extraHolidays: ['2026-06-03'], extraWorkdays: ['2026-06-07'] });
    expect(c.isOpen(at('2026-06-03T09:00:00'))).toBe(false);
    expect(c.isOpen(at('2026-06-07T15:00:00'))).toBe(true); // a Sunday worked with a weekday's hours
  });
});

describe('Vietnamese public holidays', () => {
  it('lists the solar days, Tết (5 days) and Giỗ Tổ, with weekend days moved to the next working day', () => {
    const h = vietnamHolidays(2026);
    for (const d of ['2026-01-01', '2026-02-16', '2026-02-17', '2026-02-20', '2026-04-26', '2026-04-30', '2026-05-01', '2026-09-02']) expect(h).toContain(d);
    expect(h).toContain('2026-04-27'); // Giỗ Tổ on a Sunday: Monday off
    expect(h).toContain('2026-09-01'); // the day next to 2/9
    expect(vietnamHolidays(2027)).toContain('2027-02-06');
  });
  it('keeps the solar days for years beyond the lunar table', () => {
    expect(vietnamHolidays(2040)).toEqual(expect.arrayContaining(['2040-01-01', '2040-04-30', '2040-05-01', '2040-09-02']));
  });
});

describe('the hours a hand-off keeps', () => {
  it('takes the office\'s own hours when valid, else OFFICE_HOURS, with the announced extra days', async () => {
    const { calendarOf } = await import('../src/bot/handoff.js');
    const { loadConfig } = await import('../src/config.js');
    const config = loadConfig({ OFFICE_HOURS: 'T2-T6 07:30-17:00', HOLIDAYS_EXTRA: '2026-06-05' });
    expect(calendarOf({ workingHours: 'T7 08:00-10:00' }, config).hours).toBe('T7 08:00-10:00');
    expect(calendarOf({ workingHours: 'every day' }, config).hours).toBe('T2-T6 07:30-17:00');
    expect(calendarOf(undefined, config).calendar.isOpen(at('2026-06-05T09:00:00'))).toBe(false);
    expect(() => loadConfig({ OFFICE_HOURS: 'mon-fri 8-17' })).toThrow(/OFFICE_HOURS/);
  });
});
