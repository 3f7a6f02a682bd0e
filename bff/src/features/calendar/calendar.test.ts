import { formatLocal } from '../../core/time';
import {
  BusinessCalendar,
  buckets,
  fineBucketOfReading,
  TooManyBuckets,
  zoneOnHalfHourGrid,
} from './calendar';
import { ruleFromSettings } from './rule';

const TZ = 'Asia/Shanghai';
const at = (s: string) => Date.parse(s.replace(' ', 'T') + '+08:00');
const show = (t: number) => formatLocal(new Date(t), TZ);
const cal = (dayMinute = 0, monthDay = 1, yearMonth = 1) =>
  new BusinessCalendar({ tz: TZ, dayMinute, monthDay, yearMonth });

describe('business calendar', () => {
  it('starts a 07:30 day at 07:30, and puts 07:29 in the day before', () => {
    const c = cal(450);
    expect(show(c.dayStart(at('2019-06-12 07:30:00')))).toBe('2019-06-12 07:30:00');
    expect(show(c.dayStart(at('2019-06-12 07:29:59')))).toBe('2019-06-11 07:30:00');
    expect(show(c.nextDay(at('2019-06-12 07:30:00')))).toBe('2019-06-13 07:30:00');
  });

  it('starts a month on the 26th of the previous month at the day boundary', () => {
    const c = cal(450, 26);
    expect(show(c.monthStart(at('2019-06-10 12:00:00')))).toBe('2019-05-26 07:30:00');
    expect(show(c.monthStart(at('2019-06-26 07:00:00')))).toBe('2019-05-26 07:30:00');
    expect(show(c.monthStart(at('2019-06-26 08:00:00')))).toBe('2019-06-26 07:30:00');
  });

  it('clamps a 31st month start to the last day of short months, including a leap February', () => {
    const c = cal(0, 31);
    expect(show(c.addMonths(at('2020-01-31 00:00:00'), 1))).toBe('2020-02-29 00:00:00');
    expect(show(c.addMonths(at('2020-01-31 00:00:00'), 2))).toBe('2020-03-31 00:00:00');
    expect(show(c.monthStart(at('2019-03-01 00:00:00')))).toBe('2019-02-28 00:00:00');
  });

  it('starts a fiscal year in its first month', () => {
    const c = cal(0, 1, 4);
    expect(show(c.yearStart(at('2019-03-31 23:00:00')))).toBe('2018-04-01 00:00:00');
    expect(show(c.yearStart(at('2019-04-01 00:00:00')))).toBe('2019-04-01 00:00:00');
  });

  it('lays out month buckets of a year query from the month holding Time_Start', () => {
    const list = buckets(cal(450, 26), 1, at('2019-01-01 00:00:00'), at('2019-12-31 23:59:59'), 1, 100);
    expect(list).toHaveLength(13); // Dec 26 2018 … Dec 26 2019: the last one holds Time_End
    expect(show(list[0]!.start)).toBe('2018-12-26 07:30:00');
    expect(show(list[12]!.end)).toBe('2020-01-26 07:30:00');
  });

  it('lays out a leap year February as 29 day buckets', () => {
    const list = buckets(cal(), 2, at('2020-02-01 00:00:00'), at('2020-02-29 23:00:00'), 1, 100);
    expect(list).toHaveLength(29);
    expect(show(list[28]!.start)).toBe('2020-02-29 00:00:00');
  });

  it('anchors day buckets at the business day start and refuses too many', () => {
    const list = buckets(cal(450), 3, at('2019-06-12 09:10:00'), at('2019-06-12 11:00:00'), 60, 100);
    expect(list.map((b) => show(b.start))).toEqual([
      '2019-06-12 08:30:00',
      '2019-06-12 09:30:00',
      '2019-06-12 10:30:00',
    ]);
    expect(() => buckets(cal(), 3, at('2019-01-01 00:00:00'), at('2019-12-31 00:00:00'), 60, 1000)).toThrow(
      TooManyBuckets,
    );
  });

  it('puts a reading stamped exactly on a boundary in the interval it closes', () => {
    expect(fineBucketOfReading(at('2019-06-12 08:00:00'))).toBe(at('2019-06-12 07:30:00'));
    expect(fineBucketOfReading(at('2019-06-12 08:00:00') + 1)).toBe(at('2019-06-12 08:00:00'));
  });

  it('accepts half-hour zones and refuses a 45-minute one', () => {
    expect(zoneOnHalfHourGrid('Asia/Shanghai', 2019)).toBe(true);
    expect(zoneOnHalfHourGrid('Asia/Kolkata', 2019)).toBe(true);
    expect(zoneOnHalfHourGrid('Asia/Kathmandu', 2019)).toBe(false);
  });
});

describe('personalise settings', () => {
  it('derives boundaries from the seed notation', () => {
    expect(
      ruleFromSettings({
        yearStart: -12,
        yearEnd: -12,
        monthStart: -26,
        monthEnd: -26,
        dayStart: '-07:30:00',
        dayEnd: '-07:30:00',
      }),
    ).toEqual({ dayMinute: 450, monthDay: 26, yearMonth: 12 });
  });

  it('refuses an end that is not one period after the start, naming the field', () => {
    expect(() =>
      ruleFromSettings({
        yearStart: 1,
        yearEnd: 1,
        monthStart: 26,
        monthEnd: 25,
        dayStart: '00:00:00',
        dayEnd: '00:00:00',
      }),
    ).toThrow(expect.objectContaining({ details: expect.objectContaining({ field: 'Month_End' }) }));
  });
});

describe('bucket grids follow the business calendar', () => {
  it('aligns 12-month and quarter buckets to a fiscal year starting in April', () => {
    const c = cal(0, 1, 4);
    const years = buckets(c, 1, at('2019-01-01 00:00:00'), at('2019-12-31 00:00:00'), 12, 10);
    expect(years.map((b) => [show(b.start), show(b.end)])).toEqual([
      ['2018-04-01 00:00:00', '2019-04-01 00:00:00'],
      ['2019-04-01 00:00:00', '2020-04-01 00:00:00'],
    ]);
    const quarters = buckets(c, 1, at('2019-01-15 00:00:00'), at('2019-05-01 00:00:00'), 3, 10);
    expect(quarters.map((b) => show(b.start))).toEqual(['2019-01-01 00:00:00', '2019-04-01 00:00:00']);
  });

  it('runs 7-day buckets from the start of the business month', () => {
    const weeks = buckets(cal(0, 26), 2, at('2020-02-18 00:00:00'), at('2020-02-27 00:00:00'), 7, 10);
    expect(weeks.map((b) => show(b.start))).toEqual(['2020-02-16 00:00:00', '2020-02-23 00:00:00']);
  });
});
