import { View, Text } from '@tarojs/components';
import type { AllEnergyRow } from '@wattdesk/shared';
import { changeText, energyTypes, totalsByType } from '../domain/energy';

export interface EnergySummaryProps {
  title: string;
  /** Name of the previous period ("昨日", "上月"). */
  previousName: string;
  rows: AllEnergyRow[];
  previousRows: AllEnergyRow[];
  testId: string;
}

/** One period's energy by type with cost, each against the previous period. */
export function EnergySummary({ title, previousName, rows, previousRows, testId }: EnergySummaryProps) {
  const totals = totalsByType(rows);
  const before = new Map(totalsByType(previousRows).map((t) => [t.type, t]));
  return (
    <View className="card" data-testid={testId}>
      <View className="card-title">{title}</View>
      {totals.length === 0 && <Text className="muted">本期暂无能耗数据</Text>}
      {totals.map((t) => {
        const prev = before.get(t.type);
        const change = changeText(t.amount, prev?.amount);
        return (
          <View className="row" key={t.type} data-testid={`${testId}-type-${t.type}`}>
            <View>
              <Text>{t.name}</Text>
              <View className="muted">{`${previousName} ${prev?.amount ?? '—'}${change ? ` · ${change}` : ''}`}</View>
            </View>
            <View style={{ textAlign: 'right' }}>
              <Text className="big-number" data-testid="amount">
                {t.amount}
              </Text>
              <Text className="muted">{` ${energyTypes[t.type]?.unit ?? ''}`}</Text>
              <View className="muted" data-testid="cost">
                {t.cost !== undefined ? `¥${t.cost}（${previousName} ¥${prev?.cost ?? '—'}）` : '未配置费率'}
              </View>
            </View>
          </View>
        );
      })}
    </View>
  );
}
