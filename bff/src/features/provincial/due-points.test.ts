import { BusinessCalendar } from '../calendar/calendar';
import { duePoints } from './uploads';

// A business day from 07:30 to 07:30 and months from the 26th, in Shanghai (seed 002 §4.4).
const cal = new BusinessCalendar({ tz: 'Asia/Shanghai', dayMinute: 450, monthDay: 26, yearMonth: 1 });
const iso = (points: number[]) => points.map((t) => new Date(t).toISOString());
const now = Date.parse('2026-03-10T04:00:00Z'); // 12:00 local

describe('duePoints', () => {
  it('gives a new daily item yesterday’s business day only', () => {
    expect(iso(duePoints('1', cal, now, now))).toEqual([
      '2026-03-08T23:30:00.000Z',
      '2026-03-09T23:30:00.000Z',
    ]);
  });

  it('catches up at most three days for an older item', () => {
    const old = Date.parse('2026-01-01T00:00:00Z');
    expect(duePoints('1', cal, now, old)).toHaveLength(4);
  });

  it('uses the business month (from the 26th) and 15-minute slots, from the slot before the item’s', () => {
    expect(iso(duePoints('2', cal, now, now))).toEqual([
      '2026-01-25T23:30:00.000Z',
      '2026-02-25T23:30:00.000Z',
    ]);
    expect(duePoints('0', cal, now, now)).toEqual([]);
    const slots = duePoints('0', cal, now + 15 * 60_000, now);
    expect(iso(slots)).toEqual(['2026-03-10T03:45:00.000Z', '2026-03-10T04:00:00.000Z']);
  });

  it('has nothing due before a period completed', () => {
    expect(duePoints('3', cal, now, now)).toHaveLength(2);
    expect(
      duePoints('1', cal, Date.parse('2026-03-09T23:40:00Z'), Date.parse('2026-03-09T23:35:00Z')),
    ).toHaveLength(2);
  });
});
