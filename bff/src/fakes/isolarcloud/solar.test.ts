import { fakePlant } from './state';
import { isCloudy, localDayStart, pvPowerW, socPercent, sunSine, totalWh, yieldWh } from './solar';

const hefei = fakePlant({
  ps_id: 1,
  latitude: 31.82,
  longitude: 117.23,
  install_date: '2026-05-01 00:00:00',
});
const at = (iso: string) => Date.parse(iso);

describe('fake iSolarCloud sun model', () => {
  it('is dark at night, highest near solar noon, and higher in June than in December', () => {
    expect(pvPowerW(hefei, at('2026-06-21T16:00:00Z'))).toBe(0); // 00:00 local
    const noonJune = sunSine(31.82, 117.23, at('2026-06-21T04:11:00Z'));
    expect(noonJune).toBeGreaterThan(sunSine(31.82, 117.23, at('2026-06-21T01:00:00Z')));
    expect(noonJune).toBeGreaterThan(sunSine(31.82, 117.23, at('2026-12-21T04:11:00Z')));
    // Noon elevation ≈ 90° − latitude + declination (81.6° in June, 34.7° in December).
    expect(Math.asin(noonJune) * (180 / Math.PI)).toBeCloseTo(81.6, 0);
  });

  it('gives cloudy days about a quarter of the time, with far less energy than clear ones', () => {
    const days = Array.from(
      { length: 200 },
      (_, i) => localDayStart(hefei, at('2026-05-01T00:00:00Z')) + i * 86_400_000,
    );
    const cloudy = days.filter((d) => isCloudy(hefei, d));
    expect(cloudy.length / days.length).toBeGreaterThan(0.15);
    expect(cloudy.length / days.length).toBeLessThan(0.35);
    const clear = days.find((d) => !isCloudy(hefei, d) && !isCloudy(hefei, d + 86_400_000))!;
    const dull = cloudy.find((d) => Math.abs(d - clear) < 20 * 86_400_000) ?? cloudy[0]!;
    expect(yieldWh(hefei, dull)).toBeLessThan(yieldWh(hefei, clear) * 0.6);
  });

  it('never lets the total go down, across midnight too', () => {
    let last = 0;
    for (let t = at('2026-06-20T12:00:00Z'); t < at('2026-06-22T12:00:00Z'); t += 300_000) {
      const now = totalWh(hefei, t);
      expect(now).toBeGreaterThanOrEqual(last);
      last = now;
    }
  });

  it('halves a faulty plant’s power and charges a battery by day', () => {
    const faulty = { ...hefei, ps_id: 1, ps_fault_status: 1 };
    const t = at('2026-06-21T04:00:00Z');
    expect(pvPowerW(faulty, t)).toBe(Math.round(pvPowerW(hefei, t) * 0.5));
    const storage = fakePlant({ ps_id: 2, ps_type: 12 });
    expect(socPercent(storage, at('2026-06-21T00:00:00Z'))).toBe(20); // 08:00 local
    expect(socPercent(storage, at('2026-06-21T08:00:00Z'))).toBe(90); // 16:00 local
    expect(socPercent(hefei, t)).toBeNull();
  });
});
