import { dayPeriod, monthPeriod, ruleOf, wallClock, yearPeriod, type Rule, type Wall } from './periods';

const w = (s: string): Wall => {
  const [d, t] = s.split(' ') as [string, string];
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  const [hh, mm] = t.split(':').map(Number) as [number, number];
  return { y, m, d: day, min: hh * 60 + mm };
};

// Slow, obvious reference: walk back minute by minute (as UTC instants standing for wall-clock minutes)
// until a minute is a day boundary, then forward to the next one.
const asMs = (x: Wall) => Date.UTC(x.y, x.m - 1, x.d, 0, x.min);
const fmt = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
function referenceDay(rule: Rule, x: Wall): { start: string; end: string } {
  const isBoundary = (ms: number) => {
    const d = new Date(ms);
    return d.getUTCHours() * 60 + d.getUTCMinutes() === rule.dayMinute;
  };
  let s = asMs(x);
  while (!isBoundary(s)) s -= 60_000;
  let e = s + 60_000;
  while (!isBoundary(e)) e += 60_000;
  return { start: fmt(s), end: fmt(e - 1000) };
}

test('day periods agree with a minute-by-minute reference for every half hour of two days and several day starts', () => {
  for (const dayMinute of [0, 30, 450, 1380]) {
    const rule = { dayMinute, monthDay: 1, yearMonth: 1 };
    for (let min = 0; min < 48 * 60; min += 30) {
      const x = { y: 2024, m: 2, d: 28 + Math.floor(min / 1440), min: min % 1440 };
      expect(dayPeriod(rule, x)).toEqual(referenceDay(rule, x));
    }
  }
});

test('a 07:30 day: 06:59 still belongs to yesterday, 07:30 opens today', () => {
  const rule = ruleOf({ Year_Start: '1', Month_Start: '1', Day_Start: '07:30:00' });
  expect(dayPeriod(rule, w('2026-11-21 06:59'))).toEqual({
    start: '2026-11-20 07:30:00',
    end: '2026-11-21 07:29:59',
  });
  expect(dayPeriod(rule, w('2026-11-21 07:30'))).toEqual({
    start: '2026-11-21 07:30:00',
    end: '2026-11-22 07:29:59',
  });
  expect(dayPeriod(rule, w('2026-11-21 07:30'), -1).start).toBe('2026-11-20 07:30:00');
});

test('a month starting on the 26th (Month_Start -26) runs from the 26th of the previous month', () => {
  const rule = ruleOf({ Year_Start: '1', Month_Start: '-26', Day_Start: '00:00:00' });
  expect(monthPeriod(rule, w('2026-11-21 12:00'))).toEqual({
    start: '2026-10-26 00:00:00',
    end: '2026-11-25 23:59:59',
  });
  expect(monthPeriod(rule, w('2026-11-26 00:00'))).toEqual({
    start: '2026-11-26 00:00:00',
    end: '2026-12-25 23:59:59',
  });
  expect(monthPeriod(rule, w('2026-01-10 00:00'), -1)).toEqual({
    start: '2025-11-26 00:00:00',
    end: '2025-12-25 23:59:59',
  });
});

test('a month starting on the 31st is clamped to the last day of short months', () => {
  const rule = ruleOf({ Year_Start: '1', Month_Start: '31', Day_Start: '00:00:00' });
  expect(monthPeriod(rule, w('2026-03-01 08:00'))).toEqual({
    start: '2026-02-28 00:00:00',
    end: '2026-03-30 23:59:59',
  });
});

test('a fiscal year starting in April, with a 07:30 day, holds 1 April 07:00 in the previous year', () => {
  const rule = ruleOf({ Year_Start: '4', Month_Start: '1', Day_Start: '07:30:00' });
  expect(yearPeriod(rule, w('2026-04-01 07:00'))).toEqual({
    start: '2025-04-01 07:30:00',
    end: '2026-04-01 07:29:59',
  });
  expect(yearPeriod(rule, w('2026-04-01 07:30'))).toEqual({
    start: '2026-04-01 07:30:00',
    end: '2027-04-01 07:29:59',
  });
});

test('the wall clock is read in the site time zone, not the phone zone', () => {
  expect(wallClock(new Date('2026-11-20T23:30:00Z'), 'Asia/Shanghai')).toEqual({
    y: 2026,
    m: 11,
    d: 21,
    min: 7 * 60 + 30,
  });
  expect(wallClock(new Date('2026-11-20T23:30:00Z'), 'Europe/Berlin')).toEqual({
    y: 2026,
    m: 11,
    d: 21,
    min: 30,
  });
});

test('unusable settings fall back to midnight, the 1st and January', () => {
  expect(ruleOf(undefined)).toEqual({ dayMinute: 0, monthDay: 1, yearMonth: 1 });
  expect(ruleOf({ Year_Start: 'x', Month_Start: '', Day_Start: 'soon' })).toEqual({
    dayMinute: 0,
    monthDay: 1,
    yearMonth: 1,
  });
});
