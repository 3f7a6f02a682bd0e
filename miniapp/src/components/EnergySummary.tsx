import { View, Text } from '@tarojs/components';
import { formatChange, formatEnergy, formatMoney, energyName } from '../domain/format';
import type { TypeFigure } from '../domain/same-period';

export interface EnergySummaryProps {
  /** What the previous stretch is called in each row ("昨日同期"). */
  previousName: string;
  figures: TypeFigure[];
  previous: TypeFigure[];
  testId: string;
}

/**
 * One period's energy by type with cost, each against the same stretch of the previous period. Types
 * with nothing in either stretch are left out; a type without a rate says so instead of a cost.
 */
export function EnergySummary({ previousName, figures, previous, testId }: EnergySummaryProps) {
  const before = new Map(previous.map((t) => [t.type, t]));
  const types = [...new Set([...figures, ...previous].filter((f) => f.amount > 0).map((f) => f.type))].sort(
    (a, b) => Number(a) - Number(b),
  );
  const now = new Map(figures.map((t) => [t.type, t]));
  return (
    <View data-testid={testId}>
      {types.map((type) => {
        const t = now.get(type);
        const prev = before.get(type);
        const change = formatChange(t?.amount ?? 0, prev?.amount);
        return (
          <View className="row" key={type} data-testid={`${testId}-type-${type}`}>
            <View>
              <Text>{t?.name || prev?.name || energyName(type)}</Text>
              <View className="muted" data-testid="previous">
                {`${previousName} ${formatEnergy(prev?.amount ?? 0, type, { compact: true })}`}
                {change ? ` · ${change}` : ''}
              </View>
            </View>
            <View style={{ textAlign: 'right' }}>
              <Text className="big-number" data-testid="amount">
                {formatEnergy(t?.amount ?? 0, type, { compact: true })}
              </Text>
              <View className="muted" data-testid="cost">
                {t && t.cost !== null
                  ? `${formatMoney(t.cost, { compact: true })}（${previousName} ${prev && prev.cost !== null ? formatMoney(prev.cost, { compact: true }) : '—'}）`
                  : '未配置费率'}
              </View>
            </View>
          </View>
        );
      })}
    </View>
  );
}
