import { useRef } from 'react';
import { View, Text, Picker } from '@tarojs/components';
import { useDidShow, useRouter } from '@tarojs/taro';
import { Button } from '../../ui/nutui';
import { fetchDefinitions, fetchMeters, fetchRules } from '../../api/alarms';
import { useRemote } from '../../hooks/useRemote';
import { StateView } from '../../components/StateView';
import { formatDuration, limitsText, paramLabel, typeName, unitOf } from '../../domain/alarms';
import { go } from '../../routes';

/** What the list is about: one definition's rules, one meter's, or all of them. */
async function loadContext(alarmId?: number, meterId?: number): Promise<string> {
  if (meterId) {
    const meter = (await fetchMeters(meterId))[0];
    return meter ? `仪表：${meter.Meter_Name}` : '仪表不存在或已被删除';
  }
  if (alarmId) {
    const d = (await fetchDefinitions()).find((x) => x.id === alarmId);
    return d ? `告警定义：${d.Alarm_Name}` : '告警定义不存在或已被删除';
  }
  return '全部规则';
}

/** Admins: alarm rules (6.5) of a definition or a meter; create one from here (preset to it). */
export default function AlarmRulesPage() {
  const params = useRouter().params;
  const alarmId = Number(params.alarmId ?? 0) || undefined;
  const meterId = Number(params.meterId ?? 0) || undefined;
  const key = `${alarmId ?? 0}:${meterId ?? 0}`;
  const context = useRemote(() => loadContext(alarmId, meterId), `ctx:${key}`, { pullToRefresh: false });
  // Unfiltered, the page offers every meter's own rule page (where a rule starts from that meter).
  const meters = useRemote(async () => (alarmId || meterId ? [] : fetchMeters()), `meters:${key}`, {
    pullToRefresh: false,
  });
  const rules = useRemote(() => fetchRules({ alarmId, meterId }), `rules:${key}`);
  const seen = useRef(false);
  useDidShow(() => {
    if (seen.current) void rules.reload();
    seen.current = true;
  });
  const items = rules.data ?? [];
  return (
    <View className="page">
      <View className="card">
        <Text className="card-title" data-testid="rules-context">
          {context.data ?? '告警规则'}
        </Text>
        <View className="actions">
          <Button
            type="primary"
            onClick={() =>
              go('alarmRule', {
                alarmId: alarmId ? String(alarmId) : undefined,
                meterId: meterId ? String(meterId) : undefined,
              })
            }
          >
            {meterId ? '为该仪表新建规则' : '新建规则'}
          </Button>
        </View>
        {!!meters.data?.length && (
          <Picker
            mode="selector"
            range={meters.data.map(
              (m) => `${m.Meter_Superior ? `${m.Meter_Superior} · ` : ''}${m.Meter_Name}`,
            )}
            value={0}
            onChange={(e) => {
              const m = meters.data?.[Number(e.detail.value)];
              if (m) go('alarmRules', { meterId: String(m.id) });
            }}
            data-testid="pick-meter"
          >
            <View style={{ color: '#1f6feb', padding: '6px 0' }}>按仪表查看和新建规则 ›</View>
          </Picker>
        )}
      </View>
      <StateView
        loading={rules.loading}
        error={rules.error}
        empty={rules.data !== undefined && items.length === 0}
        emptyText="还没有规则"
        onRetry={() => void rules.reload()}
      >
        {rules.data && (
          <View data-testid="rule-list">
            {items.map((r) => {
              const unit = unitOf(r.Alarm_Type, r.Meter_Parameter);
              const target =
                r.Alarm_Type === 3
                  ? `设备 ${r.Device_Uid || '全部储能设备'}`
                  : `${r.Meter_Name}${r.Alarm_Type === 2 && r.Meter_Parameter ? ` · ${paramLabel(r.Meter_Parameter)}` : ''}`;
              return (
                <View
                  className="card"
                  key={r.id}
                  data-testid={`rule-${r.id}`}
                  onClick={() => go('alarmRule', { id: String(r.id) })}
                >
                  <View className="card-title">{r.Rule_Name}</View>
                  <View>{`${r.Alarm_Name}（${typeName(r.Alarm_Type)}）`}</View>
                  <View className="muted">{target}</View>
                  <View className="muted">{`正常范围 ${limitsText(r.LowerLimit, r.UpperLimit, unit)}`}</View>
                  {(r.Delay_Seconds > 0 || r.Realarm_Minutes > 0) && (
                    <View className="muted">
                      {[
                        r.Delay_Seconds > 0 ? `持续 ${r.Delay_Seconds} 秒才告警` : '',
                        r.Realarm_Minutes > 0
                          ? `未恢复每 ${formatDuration(r.Realarm_Minutes * 60_000)}提醒`
                          : '',
                      ]
                        .filter(Boolean)
                        .join(' · ')}
                    </View>
                  )}
                  {r.Rule_Chattering === 1 && (
                    <View className="error-text">频繁跳变（1 分钟内 3 次以上），通知已暂缓</View>
                  )}
                </View>
              );
            })}
          </View>
        )}
      </StateView>
    </View>
  );
}
