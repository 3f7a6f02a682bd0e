import { evaluateFormula, findCycle, FormulaError, formulaRefs, parseFormula } from './formula';

const values: Record<number, number> = { 12: 10, 13: 4, 14: 3, 3: 8 };
const run = (text: string) => evaluateFormula(parseFormula(text), (id) => values[id] ?? 0);

describe('virtual-meter formulas', () => {
  it.each([
    ['[12]+[13]-[14]', 11],
    ['[12] - [13] - [14]', 3],
    ['[12]*2+[13]/4', 21],
    ['[12]×2÷4', 5],
    ['([12]+[13])*0.5', 7],
    ['-[14]+[12]', 7],
    ['[12]-(-[14])', 13],
    ['2*(3+[3])', 22],
    ['（[12]+[13]）−[14]', 11],
  ])('evaluates %s to %d with operator precedence and parentheses', (text, expected) => {
    expect(run(text)).toBeCloseTo(expected, 10);
  });

  it('lists each referenced meter once, in order', () => {
    expect(formulaRefs(parseFormula('[13]+[12]*[13]-[14]'))).toEqual([13, 12, 14]);
  });

  it('treats division by zero as 0 so an empty bucket does not poison a total', () => {
    expect(run('[12]/[99]')).toBe(0);
  });

  it.each([
    ['', '公式为空'],
    ['[12]+', '不完整'],
    ['[12]+*[13]', '不能识别 "*"'],
    ['([12]+[13]', '缺少右括号'],
    ['[12])', '多余的 ")"'],
    ['[abc]', '[仪表id]'],
    ['[12] [13]', '多余的 "["'],
    ['process.exit()', '不能识别 "p"'],
    ['[12]; drop table meters', '多余的 ";"'],
  ])('rejects %j with a reason (%s)', (text, reason) => {
    expect(() => parseFormula(text)).toThrow(FormulaError);
    expect(() => parseFormula(text)).toThrow(reason);
  });

  it('refuses absurd nesting instead of overflowing the stack', () => {
    expect(() => parseFormula('('.repeat(1000) + '1' + ')'.repeat(1000))).toThrow('嵌套过深');
  });

  it('finds a cycle through other virtual meters, and none when the graph is a tree', () => {
    const refs: Record<number, number[]> = { 2: [3], 3: [1], 4: [5] };
    expect(findCycle(1, [2], (id) => refs[id] ?? [])).toEqual([1, 2, 3, 1]);
    expect(findCycle(1, [4], (id) => refs[id] ?? [])).toBeNull();
  });
});
