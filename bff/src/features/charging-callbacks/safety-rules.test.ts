import { excursions, warningText, type CellReading } from './safety-rules';

const base: CellReading = {
  status: 3,
  voltage: 230,
  current: 16,
  temperature: 40,
  ratedVoltageUpperLimit: 250,
  ratedVoltageLowerLimit: 200,
  ratedCurrent: 32,
};
const kinds = (r: Partial<CellReading>) => excursions({ ...base, ...r }, 80).map((x) => x.kind);

describe('safety limit conditions', () => {
  it.each([
    [{}, []],
    [{ voltage: 250 }, []],
    [{ voltage: 250.1 }, ['overVoltage']],
    [{ voltage: 190 }, ['underVoltage']],
    [{ voltage: 0, status: 1 }, []], // idle connectors read 0 V
    [{ current: 32.5 }, ['overCurrent']],
    [{ temperature: 80 }, []],
    [{ temperature: 81 }, ['overTemperature']],
    [{ voltage: null, current: null, temperature: null }, []],
    [{ voltage: 260, temperature: 90 }, ['overVoltage', 'overTemperature']],
  ] as [Partial<CellReading>, string[]][])('%j → %j', (r, want) => {
    expect(kinds(r)).toEqual(want);
  });

  it('words a warning with the place, the value and the limit in units', () => {
    const w = {
      stationId: 'S1',
      equipmentId: 'E1',
      cellId: 'C1',
      kind: 'overVoltage' as const,
      value: 262.54,
      limit: 250,
    };
    expect(warningText(w, 'raised')).toBe(
      '充电站 S1 充电桩 E1 充电口 C1 电压过高：262.5 V，高于额定值 250 V',
    );
    expect(warningText({ ...w, kind: 'fault', value: 6, limit: 5 }, 'raised')).toBe(
      '充电站 S1 充电桩 E1 充电口 C1 故障已持续 6 分钟（限值 5 分钟）',
    );
    expect(warningText(w, 'cleared')).toBe('充电站 S1 充电桩 E1 充电口 C1 电压过高已恢复');
  });
});
