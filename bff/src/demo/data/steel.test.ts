import { loadSteelIntervals, parseSteelCsv, steelReadings } from './steel';

const TZ = 'Asia/Shanghai';
const at = (local: string) => new Date(`${local.replace(' ', 'T')}+08:00`).getTime();

describe('steel plant CSV mapping', () => {
  const intervals = loadSteelIntervals();
  const readings = steelReadings(intervals, { meter: 'eaf', tz: TZ, base: 120_000 });

  it('keeps every one of the 35,040 rows, each 15 minutes after the one before', () => {
    expect(intervals).toHaveLength(35_040);
    for (let i = 1; i < readings.length; i++) expect(readings[i]!.ts - readings[i - 1]!.ts).toBe(15 * 60_000);
  });

  it('opens the register at base at 2018-01-01 00:00 and adds the first row at 00:15', () => {
    expect(readings[0]).toEqual({ meter: 'eaf', ts: at('2018-01-01 00:00:00'), total: 120_000 });
    expect(readings[1]).toEqual({
      meter: 'eaf',
      ts: at('2018-01-01 00:15:00'),
      total: 120_003.17,
      params: { Lag_kVarh: 2.95, Lead_kVarh: 0, Lag_PF: 73.21, Lead_PF: 100 },
    });
  });

  it('moves a row stamped 00:00 to the next day, so the first day closes at 2018-01-02 00:00', () => {
    expect(intervals[95]!.end).toBe('2018-01-02 00:00:00');
    expect(intervals[96]!.end).toBe('2018-01-02 00:15:00');
  });

  it('ends with the last row (printed 31/12/2018 00:00) at 2019-01-01 00:00 holding the sum of every row', () => {
    const last = readings[readings.length - 1]!;
    expect(last.ts).toBe(at('2019-01-01 00:00:00'));
    expect(last.params).toEqual({ Lag_kVarh: 3.02, Lead_kVarh: 0.07, Lag_PF: 77.22, Lead_PF: 99.98 });
    // Slow, obvious reference: add every Usage_kWh of the CSV as decimals.
    const sum = intervals.reduce((s, r) => s + r.kwhCents, 0);
    expect(last.total).toBeCloseTo(120_000 + sum / 100, 6);
  });

  it('reads a row whose date is the last of a month at 00:00 as the first of the next month', () => {
    const csv =
      'date,Usage_kWh,Lagging_Current_Reactive_Power_kVarh,Leading_Current_Reactive_Power_kVarh,CO2(tCO2),Lagging_Current_Power_Factor,Leading_Current_Power_Factor,NSM\n28/02/2018 00:00,1.5,0,0,0,90,100,0\n28/02/2018 00:15,2,0,0,0,90,100,900\n';
    expect(parseSteelCsv(csv).map((r) => r.end)).toEqual(['2018-03-01 00:00:00', '2018-02-28 00:15:00']);
  });

  it('refuses a row with a non-numeric value, naming the line', () => {
    const csv =
      'date,Usage_kWh,Lagging_Current_Reactive_Power_kVarh,Leading_Current_Reactive_Power_kVarh,CO2(tCO2),Lagging_Current_Power_Factor,Leading_Current_Power_Factor\n01/01/2018 00:15,abc,0,0,0,90,100\n';
    expect(() => parseSteelCsv(csv)).toThrow(/line 2: Usage_kWh/);
  });
});
