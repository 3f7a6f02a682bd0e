import { useEffect, useRef } from 'react';
import { Canvas } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { echarts, trendOption, type TrendSeries } from './trend-option';

export interface TrendChartProps {
  labels: string[];
  series: TrendSeries[];
  /** The one unit of every series (axis name and tooltip). */
  unit: string;
  kind?: 'line' | 'bar';
  height?: number;
}

let nextId = 0;

/** A line chart drawn by ECharts on a mini-program 2d canvas. */
export function TrendChart({ labels, series, unit, kind = 'line', height = 220 }: TrendChartProps) {
  const id = useRef(`trend-${++nextId}`).current;
  const chart = useRef<ReturnType<typeof echarts.init>>();

  useEffect(() => {
    Taro.nextTick(() => {
      Taro.createSelectorQuery()
        .select(`#${id}`)
        .fields({ node: true, size: true })
        .exec((res: { node?: { getContext?: unknown }; width: number; height: number }[]) => {
          const hit = res[0];
          if (!hit?.node || chart.current) return;
          const dpr = Taro.getSystemInfoSync().pixelRatio;
          const canvas = hit.node as unknown as HTMLCanvasElement;
          canvas.width = hit.width * dpr;
          canvas.height = hit.height * dpr;
          echarts.setPlatformAPI({ createCanvas: () => canvas });
          chart.current = echarts.init(canvas, undefined, {
            width: hit.width,
            height: hit.height,
            devicePixelRatio: dpr,
          });
          chart.current.setOption(trendOption(labels, series, unit, kind));
        });
    });
    return () => chart.current?.dispose();
  }, []);

  useEffect(() => {
    chart.current?.setOption(trendOption(labels, series, unit, kind), true);
  }, [labels, series, unit, kind]);

  return <Canvas type="2d" id={id} style={{ width: '100%', height: `${height}px` }} />;
}
