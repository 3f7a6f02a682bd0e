import { formatNumber, formatWithUnit } from '../domain/format';

/** One series: a name and one value per label; `null` where there is no value yet (never drawn as 0). */
export interface TrendSeries {
  name: string;
  values: (number | null)[];
  /** A comparison (previous period): drawn quieter, dashed and grey. */
  compare?: boolean;
}

/** The chart's colours: the period in the app's blue, the comparison in a quiet grey. */
export const TREND_COLORS = { main: '#1f6feb', compare: '#b8bec8' } as const;

/**
 * The chart options shared by the mini-program and H5 charts: one unit per chart (on the axis and in
 * the tooltip), the legend below the axis labels, comparison series quieter than the period itself.
 */
export function trendOption(
  labels: string[],
  series: TrendSeries[],
  unit: string,
  kind: 'line' | 'bar' = 'line',
) {
  return {
    animation: false,
    color: series.map((s) => (s.compare ? TREND_COLORS.compare : TREND_COLORS.main)),
    grid: { left: 8, right: 16, top: 28, bottom: 40, containLabel: true },
    tooltip: {
      trigger: 'axis' as const,
      valueFormatter: (v: unknown) => formatWithUnit(v as number | null, unit),
    },
    legend: { bottom: 0, itemHeight: 8, textStyle: { fontSize: 11 } },
    xAxis: { type: 'category' as const, data: labels, axisLabel: { fontSize: 10 } },
    yAxis: {
      type: 'value' as const,
      name: unit,
      nameTextStyle: { fontSize: 10, align: 'left' as const },
      axisLabel: { fontSize: 10, formatter: (v: number) => formatNumber(v, { decimals: 0, compact: true }) },
    },
    series: series.map((s) => ({
      name: s.name,
      type: kind,
      smooth: kind === 'line',
      showSymbol: false,
      connectNulls: false,
      data: s.values,
      ...(s.compare
        ? {
            lineStyle: { type: 'dashed' as const, width: 1 },
            itemStyle: { color: TREND_COLORS.compare },
            z: 1,
          }
        : { lineStyle: { width: 2 }, itemStyle: { color: TREND_COLORS.main }, z: 2 }),
    })),
  };
}
