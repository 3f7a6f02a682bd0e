import { TREND_COLORS, trendOption, type TrendSeries } from '../src/components/chart-option';

/** Stand-in for the chart: renders what the chart would draw (series, units, tooltip) as text. */
export function TrendChart({
  labels,
  series,
  unit,
  kind = 'line',
}: {
  labels: string[];
  series: TrendSeries[];
  unit: string;
  kind?: 'line' | 'bar';
}) {
  const option = trendOption(labels, series, unit, kind);
  return (
    <div data-testid="trend-chart" data-unit={option.yAxis.name} data-labels={labels.length}>
      {option.series.map((s) => (
        <div
          key={s.name}
          data-testid="trend-series"
          data-compare={s.itemStyle.color === TREND_COLORS.compare ? '1' : '0'}
          data-limit={'endLabel' in s ? s.endLabel?.formatter : undefined}
        >
          {`${s.name}: ${s.data
            .map((v) =>
              v === null ? '∅' : option.tooltip.valueFormatter(typeof v === 'object' ? v.value : v),
            )
            .join(' | ')}`}
        </div>
      ))}
    </div>
  );
}
