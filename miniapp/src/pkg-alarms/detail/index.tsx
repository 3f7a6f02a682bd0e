import { useEffect, useState } from 'react';
import { View, Text } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { Button, Tag } from '../../ui/nutui';
import { fetchAlarm, markRead } from '../../api/alarms';
import { fetchPersonalise } from '../../api/energy';
import { useRemote } from '../../hooks/useRemote';
import { refreshAlarmBadge } from '../../hooks/alarmBadge';
import { loadPushQuota } from '../../hooks/pushQuota';
import { StateView } from '../../components/StateView';
import { TrendChart } from '../../components/TrendChart';
import {
  excursion,
  formatDuration,
  isActive,
  levelName,
  levelTag,
  limitsText,
  localDiffMs,
  paramLabel,
  stateLabel,
  typeName,
  unitOf,
  valueText,
} from '../../domain/alarms';
import { formatWall, wallClock } from '../../domain/periods';
import { go } from '../../routes';
import { AlarmActions } from './AlarmActions';
import { AlarmHistory } from './AlarmHistory';
import { loadTrend } from './trend';
import './detail.css';

type TagType = 'default' | 'primary' | 'warning' | 'danger';

/** One alarm: value against its limits, a trend around it, its history, and what to do about it. */
export default function AlarmDetailPage() {
  const id = Number(useRouter().params.id);
  const settings = useRemote(fetchPersonalise, 'personalise', { pullToRefresh: false });
  const now = formatWall(wallClock(new Date(), settings.data?.Time_Zone || undefined));
  const alarm = useRemote(() => fetchAlarm(id), `alarm:${id}`);
  const a = alarm.data;
  const trend = useRemote(
    async () => (a ? loadTrend(a, now) : null),
    `trend:${a?.id ?? 0}:${a?.Reading_Time ?? ''}`,
    { pullToRefresh: false },
  );
  const [done, setDone] = useState<string>();

  useEffect(() => {
    void loadPushQuota();
    if (id > 0)
      void markRead(id)
        .catch(() => undefined)
        .then(() => refreshAlarmBadge());
  }, [id]);

  const unit = a ? unitOf(a.Alarm_Type, a.Meter_Parameter) : '';
  const state = a ? stateLabel(a) : undefined;
  const side = a ? excursion(a.Alarm_Value, a.LowerLimit, a.UpperLimit) : '';
  return (
    <View className="page">
      <StateView loading={alarm.loading} error={alarm.error} onRetry={() => void alarm.reload()}>
        {a && state && (
          <View>
            <View className="card" data-testid="alarm-summary">
              <View className="row">
                <Text className="card-title">{a.Alarm_Name}</Text>
                <View>
                  <Tag type={levelTag(a.Alarm_Level) as TagType}>{levelName(a.Alarm_Level)}</Tag>
                  <Text> </Text>
                  <Tag type={state.tag as TagType} plain>
                    {state.name}
                  </Tag>
                </View>
              </View>
              <View>{a.Alarm_Content}</View>
              <View className="row">
                <Text>{a.Alarm_Type === 3 ? '报警数' : '触发值'}</Text>
                <Text className="alarm-value" data-testid="alarm-value">
                  {valueText(a.Alarm_Value, a.Alarm_Type, a.Meter_Parameter)}
                </Text>
              </View>
              {side && <View className="error-text">{side}</View>}
              <View className="row">
                <Text>限值范围</Text>
                <Text data-testid="alarm-limits">{limitsText(a.LowerLimit, a.UpperLimit, unit)}</Text>
              </View>
              {a.Alarm_Type === 2 && a.Meter_Parameter && (
                <View className="row">
                  <Text>测点</Text>
                  <Text>{paramLabel(a.Meter_Parameter)}</Text>
                </View>
              )}
              <View className="row">
                <Text>最新值</Text>
                <Text>{valueText(a.Last_Value, a.Alarm_Type, a.Meter_Parameter)}</Text>
              </View>
              <View className="row">
                <Text>读数时间</Text>
                <Text data-testid="alarm-reading-time">{a.Reading_Time || '—'}</Text>
              </View>
              <View className="row">
                <Text>触发时间</Text>
                <Text>{a.Alarm_Time}</Text>
              </View>
              <View className="row">
                <Text>{isActive(a.Alarm_State) ? '已持续' : '恢复时间'}</Text>
                <Text>
                  {isActive(a.Alarm_State)
                    ? formatDuration(localDiffMs(a.Alarm_Time, now))
                    : `${a.Clear_Time || '—'}`}
                </Text>
              </View>
              {a.Alarm_Count > 1 && (
                <View className="row">
                  <Text>触发次数</Text>
                  <Text>{`${a.Alarm_Count} 次（最近 ${a.Last_Time}）`}</Text>
                </View>
              )}
              <View className="row muted">
                <Text>{typeName(a.Alarm_Type)}</Text>
                <Text>{[a.Meter_Superior, a.Meter_Name].filter(Boolean).join(' · ') || a.Device_Uid}</Text>
              </View>
              {a.Ack_Time && (
                <View className="muted" data-testid="alarm-acked">
                  {`${a.Ack_Usr_Name || '有人'} 于 ${a.Ack_Time} 确认${a.Ack_Comment ? `：${a.Ack_Comment}` : ''}`}
                </View>
              )}
              {a.Shelved === 1 && (
                <View className="notice">{`已搁置至 ${a.Shelved_Until}，期间不再通知`}</View>
              )}
              {a.Chattering === 1 && (
                <View className="notice">该规则频繁跳变（1 分钟内 3 次以上），通知已暂缓</View>
              )}
            </View>

            {done && (
              <View className="card ok-text" data-testid="action-done">
                {done}
              </View>
            )}
            <AlarmActions
              alarm={a}
              onDone={(what) => {
                setDone(what);
                void alarm.reload();
                void refreshAlarmBadge();
              }}
            />

            {a.Alarm_Type === 3 && a.Device_Uid && (
              <View className="card" data-testid="alarm-reset">
                <View className="card-title">设备故障</View>
                <Text className="muted">故障复位成功且回读报警数为 0 后，此告警自动恢复。</Text>
                <View className="actions">
                  <Button type="warning" onClick={() => go('device', { uid: a.Device_Uid, action: 'reset' })}>
                    去复位
                  </Button>
                </View>
              </View>
            )}

            {a.Alarm_Type !== 3 && (
              <View className="card" data-testid="alarm-trend">
                <View className="card-title">告警前后趋势</View>
                <StateView
                  loading={trend.loading}
                  error={trend.error}
                  empty={!!trend.data && trend.data.labels.length === 0}
                  emptyText="这段时间没有读数"
                  onRetry={() => void trend.reload()}
                >
                  {trend.data && (
                    <View>
                      <TrendChart
                        labels={trend.data.labels}
                        series={trend.data.series}
                        unit={trend.data.unit}
                      />
                      <Text className="muted">{trend.data.caption}</Text>
                    </View>
                  )}
                </StateView>
              </View>
            )}

            <AlarmHistory items={a.History} type={a.Alarm_Type} param={a.Meter_Parameter} />
          </View>
        )}
      </StateView>
    </View>
  );
}
