import { formatNumber, formatWithUnit } from '../domain/format';

/** One series: a name and one value per label; `null` where there is no value yet (never drawn as 0). */
export interface TrendSeries {
  name: string;
  values: (number | null)[];
  /** A comparison (previous period): drawn quieter, dashed and grey. */
  compare?: boolean;
  /** A limit drawn as a flat line, labelled at its end ("下限 0.90"): lower and upper look different. */
  limit?: 'lower' | 'upper';
}

/** The chart's colours: the period in the app's blue, the comparison in a quiet grey, the limits apart. */
export const TREND_COLORS = {
  main: '#1f6feb',
  compare: '#b8bec8',
  lower: '#e37400',
  upper: '#c5221f',
} as const;

const LIMIT_STYLE = {
  lower: { color: TREND_COLORS.lower, type: 'dashed' as const },
  upper: { color: TREND_COLORS.upper, type: 'dotted' as const },
};

/**
 * Decimals of the value axis' labels, fitted to the range drawn: ECharts puts about five ticks over the
 * range, so a power factor between 0.80 and 0.95 gets 2 decimals (0.84, 0.88 …) where whole numbers
 * would print 1, 1, 1; kWh in the thousands get none. Between 0 and 4. `fromZero`: the axis starts at 0.
 */
export function axisDecimals(series: TrendSeries[], fromZero = false): number {
  const values = series.flatMap((s) => s.values).filter((v): v is number => v !== null && Number.isFinite(v));
  if (!values.length) return 0;
  // An axis that starts at zero spans from zero.
  if (fromZero) values.push(0);
  const span = Math.max(...values) - Math.min(...values);
  // A flat series: ECharts draws a range around the value itself.
  const range = span > 0 ? span : Math.abs(values[0]!) || 1;
  const step = range / 5;
  return Math.min(4, Math.max(0, Math.ceil(-Math.log10(step))));
}

/** Points with no drawn neighbour (a single reading, or one between gaps) would be invisible without a symbol. */
function withLoneSymbols(values: (number | null)[]) {
  const has = (i: number) => i >= 0 && i < values.length && values[i] !== null;
  return values.map((v, i) =>
    v !== null && !has(i - 1) && !has(i + 1) ? { value: v, symbol: 'circle', symbolSize: 7 } : v,
  );
}

function seriesStyle(s: TrendSeries, unit: string, decimals: number) {
  if (s.limit) {
    const { color, type } = LIMIT_STYLE[s.limit];
    const value = s.values.find((v) => v !== null);
    return {
      lineStyle: { type, width: 1.5, color },
      itemStyle: { color },
      endLabel: {
        show: true,
        color,
        fontSize: 10,
        formatter: `${s.name} ${formatWithUnit(value ?? null, unit, { decimals })}`,
      },
      z: 3,
    };
  }
  if (s.compare)
    return {
      lineStyle: { type: 'dashed' as const, width: 1 },
      itemStyle: { color: TREND_COLORS.compare },
      z: 1,
    };
  return { lineStyle: { width: 2 }, itemStyle: { color: TREND_COLORS.main }, z: 2 };
}

const colorOf = (s: TrendSeries) =>
  s.limit ? LIMIT_STYLE[s.limit].color : s.compare ? TREND_COLORS.compare : TREND_COLORS.main;

/**
 * The chart options shared by the mini-program and H5 charts: one unit per chart (on the axis and in
 * the tooltip), axis labels with decimals fitted to the range, the legend below the axis labels,
 * comparison series quieter than the period itself, limits as labelled flat lines (lower dashed orange,
 * upper dotted red), and a symbol on every point that has no neighbour to draw a line to.
 */
export function trendOption(
  labels: string[],
  series: TrendSeries[],
  unit: string,
  kind: 'line' | 'bar' = 'line',
) {
  // Limits are compared with the value: that axis is fitted to the values (not from 0), others start at 0.
  const fitted = series.some((s) => s.limit);
  const decimals = axisDecimals(series, !fitted);
  // Tooltips keep 2 decimals at least (the app's number format), more when the axis needs them.
  const tipDecimals = Math.max(2, decimals);
  return {
    animation: false,
    color: series.map(colorOf),
    // Room on the right for the limits' end labels.
    grid: {
      left: 8,
      right: fitted ? 64 : 16,
      top: 28,
      bottom: 40,
      containLabel: true,
    },
    tooltip: {
      trigger: 'axis' as const,
      valueFormatter: (v: unknown) => formatWithUnit(v as number | null, unit, { decimals: tipDecimals }),
    },
    legend: { bottom: 0, itemHeight: 8, textStyle: { fontSize: 11 } },
    xAxis: { type: 'category' as const, data: labels, axisLabel: { fontSize: 10 } },
    yAxis: {
      type: 'value' as const,
      name: unit,
      scale: fitted,
      nameTextStyle: { fontSize: 10, align: 'left' as const },
      axisLabel: { fontSize: 10, formatter: (v: number) => formatNumber(v, { decimals, compact: true }) },
    },
    series: series.map((s) => {
      const line = kind === 'line' || s.limit !== undefined;
      return {
        name: s.name,
        type: line ? ('line' as const) : ('bar' as const),
        smooth: line && !s.limit,
        showSymbol: true,
        symbol: 'none',
        connectNulls: false,
        data: line && !s.limit ? withLoneSymbols(s.values) : s.values,
        ...seriesStyle(s, unit, decimals),
      };
    }),
  };
}
