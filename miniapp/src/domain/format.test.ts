import {
  MISSING,
  energyName,
  energyUnit,
  formatChange,
  formatEnergy,
  formatMoney,
  formatNumber,
  formatPercent,
  formatPower,
  formatRate,
  formatWithUnit,
  toNumber,
} from './format';

// Reference for grouping: Node's ICU (the product does not use Intl, some WeChat clients lack it).
const icu = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

describe('formatNumber', () => {
  test('thousands separators and two decimals, agreeing with ICU over many magnitudes and signs', () => {
    const samples: number[] = [
      0, 0.004, 0.005, 1, 9.999, 12.3, 999.994, 999.995, 1000, 12345.678, 1234567.891,
    ];
    for (let e = 0; e < 12; e++) samples.push(7.123456 * 10 ** e, 1.005 * 10 ** e, 10 ** e - 0.001);
    for (const n of samples) {
      for (const v of [n, -n]) {
        const want = icu.format(v).replace(/^-0\.00$/, '0.00');
        expect(formatNumber(v)).toBe(want);
      }
    }
  });

  test('API strings are read as numbers', () => {
    expect(formatNumber('19316.46')).toBe('19,316.46');
    expect(formatNumber('0')).toBe('0.00');
    expect(formatNumber('1,234.5')).toBe('1,234.50');
  });

  test('missing or malformed values are a dash, never "NaN" or 0', () => {
    for (const v of [null, undefined, '', '  ', 'abc', Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(formatNumber(v)).toBe(MISSING);
      expect(formatEnergy(v, 0)).toBe(MISSING);
      expect(formatMoney(v)).toBe(MISSING);
    }
    expect(toNumber('')).toBeNull();
  });

  test('no negative zero', () => {
    expect(formatNumber(-0.001)).toBe('0.00');
    expect(formatNumber(-0)).toBe('0.00');
  });

  test('decimals can be chosen', () => {
    expect(formatNumber(1234.5678, { decimals: 0 })).toBe('1,235');
    expect(formatNumber(0.85, { decimals: 4 })).toBe('0.8500');
  });
});

describe('compact (万 / 亿)', () => {
  test('below 10,000 stays exact', () => {
    expect(formatNumber(9999.99, { compact: true })).toBe('9,999.99');
    expect(formatEnergy(9876.5, 0, { compact: true })).toBe('9,876.50 kWh');
  });
  test('10,000 and more as 万, the unit after it', () => {
    expect(formatNumber(10000, { compact: true })).toBe('1.00 万');
    expect(formatNumber(9999.999, { compact: true })).toBe('1.00 万');
    expect(formatEnergy(123456.78, 0, { compact: true })).toBe('12.35 万 kWh');
    expect(formatEnergy(-123456.78, 8, { compact: true })).toBe('-12.35 万 m³');
    expect(formatMoney(32000, { compact: true })).toBe('3.20 万元');
    expect(formatNumber(12345678, { compact: true })).toBe('1,234.57 万');
  });
  test('100,000,000 and more as 亿', () => {
    expect(formatNumber(1e8, { compact: true })).toBe('1.00 亿');
    expect(formatNumber(99_999_999.9, { compact: true })).toBe('1.00 亿');
    expect(formatMoney(2.5e9, { compact: true })).toBe('25.00 亿元');
  });
  test('off by default', () => {
    expect(formatEnergy(123456.78, 0)).toBe('123,456.78 kWh');
  });
});

describe('units', () => {
  test('every energy type of seed 002 has its unit beside the number', () => {
    const want: Record<number, string> = {
      0: 'kWh',
      1: 't',
      2: 't',
      3: 't',
      4: 't',
      5: 't',
      6: 't',
      7: 'm³',
      8: 'm³',
    };
    for (const [code, unit] of Object.entries(want)) {
      expect(energyUnit(code)).toBe(unit);
      expect(formatEnergy('1', code)).toBe(`1.00 ${unit}`);
    }
    expect(energyName('0')).toBe('电');
    expect(energyName(8)).toBe('天然气');
    expect(energyName(42)).toBe('42');
  });
  test('money, power, rates, percent', () => {
    expect(formatMoney('1234.5')).toBe('1,234.50 元');
    expect(formatPower(1234.5)).toBe('1,234.50 kW');
    expect(formatRate('0.85', 0)).toBe('0.8500 元/kWh');
    expect(formatRate('3.2', 8)).toBe('3.2000 元/m³');
    expect(formatPercent(85.2)).toBe('85.20%');
    expect(formatWithUnit(3, '')).toBe('3.00');
  });
});

describe('formatChange', () => {
  test('sign and one decimal', () => {
    expect(formatChange(112.5, 100)).toBe('+12.5%');
    expect(formatChange('97', '100')).toBe('-3.0%');
    expect(formatChange(100, 100)).toBe('0.0%');
    expect(formatChange(1000000.01, 1000000)).toBe('0.0%');
    expect(formatChange(3000, 1000)).toBe('+200.0%');
    expect(formatChange(25000, 1)).toBe('+2,499,900.0%');
  });
  test('not comparable against zero or missing', () => {
    expect(formatChange(5, 0)).toBeNull();
    expect(formatChange(5, undefined)).toBeNull();
    expect(formatChange(undefined, 5)).toBeNull();
  });
});
