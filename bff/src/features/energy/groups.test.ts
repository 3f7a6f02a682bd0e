import { selectGroups, type QueryMeter } from './groups';

const meter = (id: number, over: Partial<QueryMeter> = {}): QueryMeter => ({
  id,
  name: `表${id}`,
  energyType: 0,
  machine: '机器A',
  department: '东车间',
  isCount: true,
  isVirtual: false,
  formula: '',
  ...over,
});

const meters = [
  meter(1),
  meter(2, { isCount: false }), // a sub-meter: listed by itself, not added into totals
  meter(3, { energyType: 1, machine: '机器B' }),
  meter(4, { energyType: 8, machine: '机器C', department: '西车间' }),
];
const machines = [
  { name: '机器A', department: '东车间' },
  { name: '机器B', department: '东车间' },
  { name: '机器C', department: '西车间' },
  { name: '空机器', department: '西车间' },
];

describe('answer rows of an energy query', () => {
  it('Amount_Type 1: one row per energy type, adding counted meters only', () => {
    expect(selectGroups(meters, { Amount_Type: 1 }, machines).map((g) => [g.energyType, g.members])).toEqual([
      [0, [1]],
      [1, [3]],
      [8, [4]],
    ]);
  });

  it('Amount_Type 2: one row per meter asked for, counted or not, filtered by energy type', () => {
    const rows = selectGroups(
      meters,
      { Amount_Type: 2, Amount_SortName: ['表2', '表3'], Amount_Value: [0] },
      machines,
    );
    expect(rows).toEqual([
      { department: '东车间', machine: '机器A', meter: '表2', energyType: 0, members: [2] },
    ]);
  });

  it('Amount_Type 3 and 4 with Combination 1 (by type) and 2 (by meter)', () => {
    expect(selectGroups(meters, { Amount_Type: 3, Amount_SortName: ['机器A'] }, machines)).toEqual([
      { department: '东车间', machine: '机器A', meter: '', energyType: 0, members: [1] },
    ]);
    expect(
      selectGroups(
        meters,
        { Amount_Type: 4, Amount_Combination: 2, Amount_SortName: ['东车间'] },
        machines,
      ).map((g) => g.meter),
    ).toEqual(['表1', '表2', '表3']);
    expect(
      selectGroups(meters, { Amount_Type: 4 }, machines).map((g) => [g.department, g.energyType]),
    ).toEqual([
      ['东车间', 0],
      ['东车间', 1],
      ['西车间', 8],
    ]);
  });

  it('accepts a machine without meters and refuses a name that does not exist, naming it', () => {
    expect(selectGroups(meters, { Amount_Type: 3, Amount_SortName: ['空机器'] }, machines)).toEqual([]);
    expect(() => selectGroups(meters, { Amount_Type: 3, Amount_SortName: ['机器Z'] }, machines)).toThrow(
      '机器不存在：机器Z',
    );
    expect(() => selectGroups(meters, { Amount_Type: 2, Amount_SortName: ['表9'] }, machines)).toThrow(
      '仪表不存在：表9',
    );
  });
});
