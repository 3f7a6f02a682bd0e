import { formatLocal, fromLocal, localParts, parseLocal, zoneOffsetMs } from './time';
import { refFormatLocal, refFromLocal, refParseLocal } from '../../../test/support/metering/zone';

const BERLIN = 'Europe/Berlin';
const iso = (d: Date) => d.toISOString();

describe('time zones (Luxon) across Europe/Berlin daylight saving', () => {
  it('gives the earlier instant of a wall time in the October fold, as documented', () => {
    // 2026-10-25: 03:00 CEST becomes 02:00 CET; 02:30 happens at 00:30Z and again at 01:30Z.
    expect(iso(fromLocal(2026, 10, 25, 2, 30, 0, BERLIN))).toBe('2026-10-25T00:30:00.000Z');
    expect(iso(parseLocal('2026-10-25 02:00:00', BERLIN)!)).toBe('2026-10-25T00:00:00.000Z');
    expect(iso(parseLocal('2026-10-25 02:59:59', BERLIN)!)).toBe('2026-10-25T00:59:59.000Z');
    expect(iso(parseLocal('2026-10-25 03:00:00', BERLIN)!)).toBe('2026-10-25T02:00:00.000Z');
    // Both instants of the fold render as the same wall time.
    expect(formatLocal(new Date('2026-10-25T00:30:00Z'), BERLIN)).toBe('2026-10-25 02:30:00');
    expect(formatLocal(new Date('2026-10-25T01:30:00Z'), BERLIN)).toBe('2026-10-25 02:30:00');
  });

  it('moves a wall time in the March gap forward by the gap', () => {
    // 2026-03-29: 02:00 CET becomes 03:00 CEST; 02:30 does not exist and is read as 03:30 CEST.
    expect(iso(parseLocal('2026-03-29 02:30:00', BERLIN)!)).toBe('2026-03-29T01:30:00.000Z');
    expect(formatLocal(parseLocal('2026-03-29 02:30:00', BERLIN)!, BERLIN)).toBe('2026-03-29 03:30:00');
    expect(iso(parseLocal('2026-03-29 01:59:59', BERLIN)!)).toBe('2026-03-29T00:59:59.000Z');
  });

  it('agrees with the independent offset-search reference every 5 minutes across both transition days', () => {
    for (const [y, mo, d] of [
      [2026, 3, 29],
      [2026, 10, 25],
      [2019, 10, 27],
    ] as const) {
      for (let m = -60; m < 26 * 60; m += 5) {
        const ours = fromLocal(y, mo, d, 0, m, 0, BERLIN).getTime();
        expect([m, ours]).toEqual([m, refFromLocal(y, mo, d, 0, m, 0, BERLIN)]);
        const at = Date.UTC(y, mo - 1, d) + m * 60_000;
        expect(formatLocal(new Date(at), BERLIN)).toBe(refFormatLocal(at, BERLIN));
      }
    }
  });

  it('parses every second of the transition days as the reference does, also when the minute was parsed before', () => {
    const pad = (n: number) => String(n).padStart(2, '0');
    for (const tz of [BERLIN, 'Australia/Lord_Howe', 'Asia/Shanghai']) {
      for (const [y, mo, d] of [
        [2026, 3, 29],
        [2026, 10, 25],
        [2026, 4, 5],
        [2026, 10, 4],
      ] as const) {
        for (let m = 0; m < 24 * 60; m += 7) {
          for (const se of [0, 31, 59, 17]) {
            const s = `${y}-${pad(mo)}-${pad(d)} ${pad(Math.floor(m / 60))}:${pad(m % 60)}:${pad(se)}`;
            expect([s, parseLocal(s, tz)?.getTime()]).toEqual([s, refParseLocal(s, tz)]);
          }
        }
      }
    }
    expect(parseLocal('2026-10-25 02:30:60', BERLIN)).toBeNull();
    expect(parseLocal('2026-10-25 02:30:5', BERLIN)).toBeNull();
  });

  it('answers a time or an instant asked again (remembered) as the reference does, whatever a caller did with the first answer', () => {
    for (const tz of [BERLIN, 'Australia/Lord_Howe', 'Asia/Shanghai']) {
      for (const round of [0, 1]) {
        for (let m = -60; m < 26 * 60; m += 15) {
          const ours = fromLocal(2026, 10, 25, 0, m, 0, tz).getTime();
          expect([tz, round, m, ours]).toEqual([tz, round, m, refFromLocal(2026, 10, 25, 0, m, 0, tz)]);
          const at = Date.UTC(2026, 3, 5) - 12 * 3_600_000 + m * 60_000;
          const parts = localParts(new Date(at), tz);
          expect([tz, round, formatLocal(new Date(at), tz)]).toEqual([tz, round, refFormatLocal(at, tz)]);
          parts.hour = 99; // a caller's change to its answer is its own
        }
      }
    }
    expect(() => fromLocal(2026, 1, 1, 0, 0, 0, 'Mars/Olympus')).toThrow(RangeError);
    expect(() => fromLocal(2026, 1, 1, 0, 0, 0, 'Mars/Olympus')).toThrow(RangeError);
  });

  it('carries overflowing fields and keeps years below 100', () => {
    expect(iso(fromLocal(2019, 13, 1, 0, 0, 0, 'Asia/Shanghai'))).toBe('2019-12-31T16:00:00.000Z');
    expect(iso(fromLocal(2019, 2, 29, 24, 0, 0, 'Asia/Shanghai'))).toBe('2019-03-01T16:00:00.000Z');
    expect(localParts(parseLocal('0001-01-01 00:00:00', 'UTC')!, 'UTC').year).toBe(1);
    expect(parseLocal('2019-02-29 00:00:00', BERLIN)).toBeNull();
    expect(parseLocal('2020-02-29 00:00:00', BERLIN)).not.toBeNull();
    expect(refParseLocal('2020-02-29 12:00:00', 'Asia/Shanghai')).toBe(
      parseLocal('2020-02-29 12:00:00', 'Asia/Shanghai')!.getTime(),
    );
    expect(zoneOffsetMs(new Date('2026-07-01T00:00:00Z'), BERLIN)).toBe(2 * 3_600_000);
    expect(zoneOffsetMs(new Date('2026-12-01T00:00:00Z'), BERLIN)).toBe(3_600_000);
  });
});
