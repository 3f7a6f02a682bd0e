import { View, Text } from '@tarojs/components';
import { fetchCoalFactors } from '../api/products';
import { useRemote } from '../hooks/useRemote';
import { formatWithUnit } from '../domain/format';
import { tceOf } from '../domain/products';
import { go } from '../routes';

export interface MonthTceProps {
  /** This month's energy totals by type (home's 本月 card), undefined while they load. */
  figures: readonly { type: string; amount: number }[] | undefined;
}

/**
 * Home: this month's comprehensive energy consumption in tce (the month's totals × the organization's
 * standard-coal factors), beside the energy totals, with the way to unit consumption per product.
 */
export function MonthTce({ figures }: MonthTceProps) {
  const factors = useRemote(fetchCoalFactors, 'coal-factors');
  const result = figures && factors.data ? tceOf(figures, factors.data) : undefined;
  return (
    <View className="card" data-testid="month-tce">
      <View className="card-head">
        <Text className="card-title">本月综合能耗</Text>
        <Text className="link" data-testid="month-tce-products" onClick={() => go('products')}>
          产品单耗 ›
        </Text>
      </View>
      {factors.error ? (
        <View data-testid="month-tce-error">
          <Text className="error-text">{factors.error}</Text>
          <Text className="link" onClick={() => void factors.reload()}>
            {' 重试'}
          </Text>
        </View>
      ) : !result ? (
        <View className="skeleton" data-testid="month-tce-loading">
          <View className="skeleton-line short" />
        </View>
      ) : (
        <View className="row">
          <Text className="kpi-value" data-testid="month-tce-value">
            {formatWithUnit(result.tce, 'tce', { decimals: 3 })}
          </Text>
          <Text className="muted">按折标系数（GB/T 2589-2020，可由管理员修改）</Text>
        </View>
      )}
    </View>
  );
}
