import * as echarts from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export { echarts };

/** One line: a name and one value per label. */
export interface TrendSeries {
  name: string;
  values: number[];
}

/** The chart options shared by the mini-program and H5 charts. */
export function trendOption(labels: string[], series: TrendSeries[]) {
  return {
    animation: false,
    grid: { left: 48, right: 16, top: 32, bottom: 28 },
    tooltip: { trigger: 'axis' as const },
    legend: { top: 0, textStyle: { fontSize: 11 } },
    xAxis: { type: 'category' as const, data: labels, axisLabel: { fontSize: 10 } },
    yAxis: { type: 'value' as const, axisLabel: { fontSize: 10 } },
    series: series.map((s) => ({
      name: s.name,
      type: 'line' as const,
      smooth: true,
      showSymbol: false,
      data: s.values,
    })),
  };
}
