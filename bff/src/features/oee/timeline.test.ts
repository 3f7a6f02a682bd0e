import { coverage, merge, stateAt, timeline, type Rule } from './timeline';

const rules: Rule[] = [
  { id: 1, meterId: 7, param: 'P', lower: 0, upper: 9.99, status: '停机' },
  { id: 2, meterId: 7, param: 'P', lower: 10, upper: 100, status: '运行' },
  { id: 3, meterId: 8, param: 'F', lower: 1, upper: 5, status: '检修' },
];

describe('OEE timeline (pure)', () => {
  it('takes the first matching rule by id, both limits included; no match is 未定义', () => {
    expect(stateAt(rules, new Map([[7, { P: 10 }]]))).toBe('运行');
    expect(stateAt(rules, new Map([[7, { P: 9.99 }]]))).toBe('停机');
    expect(
      stateAt(
        rules,
        new Map<number, Record<string, number> | null>([
          [7, { P: 200 }],
          [8, { F: 5 }],
        ]),
      ),
    ).toBe('检修');
    expect(stateAt(rules, new Map([[7, { UA: 1 }]]))).toBe('未定义');
    expect(stateAt(rules, new Map([[7, null]]))).toBe('未定义');
  });

  it('holds a state until the next point or for one gap, then 离线 until the next point', () => {
    const runs = coverage(
      [
        { ts: 0, status: 'a' },
        { ts: 10, status: 'a' },
        { ts: 20, status: 'b' },
        { ts: 100, status: 'b' },
      ],
      30,
    );
    expect(runs).toEqual([
      { start: 0, end: 20, status: 'a' },
      { start: 20, end: 50, status: 'b' },
      { start: 100, end: 130, status: 'b' },
    ]);
    expect(timeline(runs, 0, 120, -50, 200)).toEqual([
      { start: 0, end: 20, status: 'a' },
      { start: 20, end: 50, status: 'b' },
      { start: 50, end: 100, status: '离线' },
      { start: 100, end: 120, status: 'b' },
    ]);
    expect(timeline(runs, null, 120, 0, 200)).toEqual([]);
  });

  it('merges touching segments of one state only', () => {
    expect(
      merge([
        { start: 0, end: 5, status: 'a' },
        { start: 5, end: 9, status: 'a' },
        { start: 10, end: 12, status: 'a' },
        { start: 12, end: 12, status: 'b' },
      ]),
    ).toEqual([
      { start: 0, end: 9, status: 'a' },
      { start: 10, end: 12, status: 'a' },
    ]);
  });
});
