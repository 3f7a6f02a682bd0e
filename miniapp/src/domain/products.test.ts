import { changePercent, currentShift, rankBatches, tceOf } from './products';

const factor = (t: number, f: number) => ({
  Energy_Type: t,
  Ene_Name: '',
  Factor: f,
  Factor_Unit: '',
  Energy_Unit: '',
  Source: '',
  Is_Default: 1,
});

test('tce is the sum of amount × kgce factor ÷ 1000, naming types without a factor', () => {
  const r = tceOf(
    [
      { type: '0', amount: 10_000 },
      { type: '8', amount: 100 },
      { type: '9', amount: 5 },
    ],
    [factor(0, 0.1229), factor(8, 1.2143)],
  );
  expect(r.tce).toBeCloseTo(1.229 + 0.12143, 9);
  expect(r.missing).toEqual(['9']);
});

const shifts = [
  { Shift_Name: '白班', Shift_Start: '08:00:00', Shift_End: '20:00:00' },
  { Shift_Name: '夜班', Shift_Start: '20:00:00', Shift_End: '08:00:00' },
];

test('the current shift gives the period, across midnight too', () => {
  expect(currentShift(shifts, { y: 2026, m: 12, d: 1, min: 9 * 60 })).toEqual({
    name: '白班',
    start: '2026-12-01 08:00:00',
    end: '2026-12-01 20:00:00',
  });
  expect(currentShift(shifts, { y: 2026, m: 12, d: 31, min: 22 * 60 })).toEqual({
    name: '夜班',
    start: '2026-12-31 20:00:00',
    end: '2027-01-01 08:00:00',
  });
  expect(currentShift(shifts, { y: 2027, m: 1, d: 1, min: 2 * 60 })).toEqual({
    name: '夜班',
    start: '2026-12-31 20:00:00',
    end: '2027-01-01 08:00:00',
  });
  expect(currentShift([shifts[0]!], { y: 2026, m: 12, d: 1, min: 21 * 60 })).toBeNull();
});

test('ranking takes the lowest as best and the highest as worst, leaving out batches without a figure', () => {
  const row = (b: string, v: number | null) => ({
    Production_Batch: b,
    Product_Name: '',
    Meter_Superior: '',
    Total_Amount: v,
    Unit: 'kgce/t',
  });
  const r = rankBatches([row('A', 1), row('B', 2), row('C', 3), row('D', 4), row('E', null)], 2);
  expect(r.best.map((x) => x.Production_Batch)).toEqual(['A', 'B']);
  expect(r.worst.map((x) => x.Production_Batch)).toEqual(['D', 'C']);
  // few batches: no batch is both best and worst
  const few = rankBatches([row('A', 1), row('B', 2)], 3);
  expect(few.best).toHaveLength(2);
  expect(few.worst).toHaveLength(0);
  expect(changePercent(110, 100)).toBeCloseTo(10);
  expect(changePercent(1, 0)).toBeNull();
  expect(changePercent(null, 3)).toBeNull();
});
