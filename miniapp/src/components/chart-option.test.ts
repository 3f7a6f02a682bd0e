// Drawn for real: ECharts' own server-side SVG renderer (the full build), so the tests see what a user sees.
import * as echarts from 'echarts';
import { axisDecimals, trendOption, TREND_COLORS, type TrendSeries } from './chart-option';

type Option = ReturnType<typeof trendOption>;

function draw(option: Option): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 375, height: 220 });
  chart.setOption(option as echarts.EChartsOption);
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}
/** The texts the SVG draws (axis labels, end labels, legend). */
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

const pf = (values: (number | null)[]): TrendSeries[] => [
  { name: '功率因数（PF）', values },
  { name: '下限', values: values.map(() => 0.9), limit: 'lower' },
  { name: '上限', values: values.map(() => 0.98), limit: 'upper' },
];

test('power-factor axis ticks keep the decimals the range needs (not 1, 1, 1)', () => {
  const series = pf([0.86, 0.88, 0.91, 0.93]);
  expect(axisDecimals(series)).toBe(2);
  const option = trendOption(['08:00', '08:05', '08:10', '08:15'], series, '');
  const labels = [0.85, 0.9, 0.95].map((v) => option.yAxis.axisLabel.formatter(v));
  expect(labels).toEqual(['0.85', '0.90', '0.95']);
  const drawn = texts(draw(option)).filter((t) => /^\d+(\.\d+)?$/.test(t));
  expect(drawn.length).toBeGreaterThanOrEqual(3);
  expect(new Set(drawn).size).toBe(drawn.length); // no two ticks print the same number
  expect(drawn.every((t) => t.includes('.'))).toBe(true);
});

test('decimals follow the range: thousands of kWh whole, a 0–1 range with 1 or 2, from zero when the axis starts at 0', () => {
  expect(axisDecimals([{ name: 'a', values: [1200, 5400, 9800] }], true)).toBe(0);
  expect(axisDecimals([{ name: 'a', values: [0.2, 0.9] }], true)).toBe(1);
  expect(axisDecimals([{ name: 'a', values: [998, 1000] }], true)).toBe(0);
  expect(axisDecimals([{ name: 'a', values: [998, 1000] }])).toBe(1);
  expect(axisDecimals([{ name: 'a', values: [0.95, 0.95] }])).toBe(1);
  expect(axisDecimals([{ name: 'a', values: [null] }])).toBe(0);
});

test('lower and upper limits are distinct lines (colour and dash) and each is labelled with its value', () => {
  const option = trendOption(['08:00', '08:05'], pf([0.86, 0.88]), '');
  const [, lower, upper] = option.series;
  expect(lower!.lineStyle).toMatchObject({ type: 'dashed', color: TREND_COLORS.lower });
  expect(upper!.lineStyle).toMatchObject({ type: 'dotted', color: TREND_COLORS.upper });
  expect(TREND_COLORS.lower).not.toBe(TREND_COLORS.upper);
  const svg = draw(option);
  expect(texts(svg)).toEqual(expect.arrayContaining(['下限 0.90', '上限 0.98']));
  expect(svg).toContain(`stroke="${TREND_COLORS.lower}"`);
  expect(svg).toContain(`stroke="${TREND_COLORS.upper}"`);
});

test('a single reading is drawn as a symbol (a line of one point would be invisible)', () => {
  const one = draw(trendOption(['08:00'], [{ name: '功率因数（PF）', values: [0.87] }], ''));
  // Filled shapes in the series colour: the legend icon, plus the point's symbol when drawn.
  const filled = (svg: string) => svg.split(`fill="${TREND_COLORS.main}"`).length - 1;
  const none = draw(trendOption(['08:00'], [{ name: 'P', values: [null] }], 'kW'));
  expect(filled(one)).toBe(filled(none) + 1);
  // A point between gaps gets one too; points with neighbours are a plain line.
  const option = trendOption(['a', 'b', 'c', 'd', 'e'], [{ name: 'P', values: [1, 2, null, 4, null] }], 'kW');
  expect(option.series[0]!.data).toEqual([1, 2, null, { value: 4, symbol: 'circle', symbolSize: 7 }, null]);
});

test('the unit is on the axis and in the tooltip, with the tooltip keeping the axis decimals', () => {
  const option = trendOption(['08:00', '09:00'], [{ name: '每小时用量', values: [12.5, 1030] }], 'kWh');
  expect(option.yAxis.name).toBe('kWh');
  expect(option.tooltip.valueFormatter(1030)).toBe('1,030.00 kWh');
  expect(texts(draw(option))).toContain('kWh');
  const pfOption = trendOption(
    ['08:00', '08:05'],
    [
      { name: 'PF', values: [0.8612, 0.8625] },
      { name: '下限', values: [0.861, 0.861], limit: 'lower' },
      { name: '上限', values: [0.863, 0.863], limit: 'upper' },
    ],
    '',
  );
  expect(pfOption.tooltip.valueFormatter(0.8625)).toBe('0.8625');
});
