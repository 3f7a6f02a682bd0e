import { View, Text } from '@tarojs/components';
import type { ChargingTotals } from '../api/charging';
import { formatMoney, formatNumber, formatWithUnit } from '../domain/format';

/** Energy, sessions and revenue of a period, each with its unit. */
export function Totals({ title, totals, testId }: { title: string; totals: ChargingTotals; testId: string }) {
  return (
    <View data-testid={testId}>
      <Text className="muted">{title}</Text>
      <View className="charging-totals">
        <View>
          <Text className="muted">充电量</Text>
          <View className="charging-total-value" data-testid={`${testId}-kwh`}>
            {formatWithUnit(totals.kwh, 'kWh', { compact: true })}
          </View>
        </View>
        <View>
          <Text className="muted">订单</Text>
          <View className="charging-total-value" data-testid={`${testId}-sessions`}>
            {formatNumber(totals.sessions, { decimals: 0 })} 单
          </View>
        </View>
        <View>
          <Text className="muted">收入</Text>
          <View className="charging-total-value" data-testid={`${testId}-revenue`}>
            {formatMoney(totals.revenue, { compact: true })}
          </View>
        </View>
      </View>
    </View>
  );
}
