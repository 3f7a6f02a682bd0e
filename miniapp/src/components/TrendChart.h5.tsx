import { useEffect, useRef } from 'react';
import { View } from '@tarojs/components';
import { echarts, trendOption, type TrendSeries } from './trend-option';

export interface TrendChartProps {
  labels: string[];
  series: TrendSeries[];
  /** The one unit of every series (axis name and tooltip). */
  unit: string;
  kind?: 'line' | 'bar';
  height?: number;
}

/** A line chart drawn by ECharts in the browser. */
export function TrendChart({ labels, series, unit, kind = 'line', height = 220 }: TrendChartProps) {
  const box = useRef<HTMLElement | null>(null);
  const chart = useRef<ReturnType<typeof echarts.init>>();

  useEffect(() => {
    if (!box.current) return;
    chart.current = echarts.init(box.current as HTMLDivElement);
    const resize = () => chart.current?.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.current?.dispose();
      chart.current = undefined;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(trendOption(labels, series, unit, kind), true);
  }, [labels, series, unit, kind]);

  return (
    <View
      ref={(el: unknown) => {
        box.current = el as HTMLElement | null;
      }}
      data-testid="trend-chart"
      style={{ width: '100%', height: `${height}px` }}
    />
  );
}
