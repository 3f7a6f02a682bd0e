import { View, Text } from '@tarojs/components';
import type { Connector } from '../api/charging';
import { connectorStatus, CONNECTOR_STATUSES, formatElapsed, secondsSince } from '../domain/charging';
import { formatPercent, formatPower, formatWithUnit } from '../domain/format';

/** A status as a coloured swatch, its mark and its name (never the colour alone). */
export function StatusBadge({ code, testId }: { code: number; testId?: string }) {
  const s = connectorStatus(code);
  return (
    <Text className="charging-status" data-testid={testId} data-status={String(code)}>
      <Text className="charging-swatch" style={{ background: s.colour }} />
      <Text style={{ color: s.colour }}>{s.mark}</Text>
      <Text>{s.name}</Text>
    </Text>
  );
}

/** The meaning of every colour. */
export function StatusLegend() {
  return (
    <View className="card" data-testid="charging-legend">
      <View className="card-title">状态图例</View>
      <View className="charging-legend">
        {CONNECTOR_STATUSES.map((s) => (
          <StatusBadge key={s.code} code={s.code} />
        ))}
      </View>
    </View>
  );
}

/** One connector's live state: status, power, SOC, time charging and today's energy. */
export function ConnectorCard({
  connector: c,
  now,
  timeZone,
}: {
  connector: Connector;
  now: Date;
  timeZone?: string;
}) {
  const s = connectorStatus(c.Status);
  const charging = c.Status === 3;
  return (
    <View
      className="charging-connector"
      data-testid="charging-connector"
      data-connector={c.Cell_Id}
      data-status={String(c.Status)}
      style={{ borderLeftColor: s.colour }}
    >
      <View className="charging-connector-head">
        <Text>{`充电枪 ${c.Cell_Id}`}</Text>
        <StatusBadge code={c.Status} testId="connector-status" />
      </View>
      <View className="charging-figures">
        <Text data-testid="connector-power">功率 {formatPower(c.Power)}</Text>
        <Text data-testid="connector-soc">SOC {formatPercent(c.Soc, 0)}</Text>
        {charging && (
          <Text data-testid="connector-elapsed">
            已充 {formatElapsed(secondsSince(c.Charging_Since, now, timeZone))}
          </Text>
        )}
        {charging && c.Session_Energy !== null && (
          <Text data-testid="connector-session">本次 {formatWithUnit(c.Session_Energy, 'kWh')}</Text>
        )}
        <Text data-testid="connector-today">今日 {formatWithUnit(c.Today_Energy, 'kWh')}</Text>
      </View>
      {c.Status_Time && <Text className="muted">{`状态上报于 ${c.Status_Time}`}</Text>}
    </View>
  );
}
