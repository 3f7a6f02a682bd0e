import { useRef, useState } from 'react';
import { View, Text, Picker } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import type { AlarmMessageItem } from '@wattdesk/shared';
import { Button, Segmented } from '../../ui/nutui';
import { fetchAlarms, fetchMachines } from '../../api/alarms';
import { fetchPersonalise } from '../../api/energy';
import { readSession } from '../../api/session';
import { useRemote } from '../../hooks/useRemote';
import { refreshAlarmBadge } from '../../hooks/alarmBadge';
import { askForPushes, loadPushQuota } from '../../hooks/pushQuota';
import { StateView } from '../../components/StateView';
import { alarmLevels, alarmTypes } from '../../domain/alarms';
import { formatWall, ruleOf, wallClock } from '../../domain/periods';
import { go } from '../../routes';
import { AlarmItem } from './AlarmItem';
import { rangePeriod, timeRanges, withAll, type TimeRange } from './filters';
import './alarms.css';

const PAGE = 20;

/** The alarm centre: active alarms first, coloured by level, with filters and pull to refresh. */
export default function AlarmsPage() {
  const [level, setLevel] = useState(0);
  const [type, setType] = useState(0);
  const [range, setRange] = useState<TimeRange>('week');
  const [machine, setMachine] = useState(0);
  const [shown, setShown] = useState(PAGE);
  const settings = useRemote(fetchPersonalise, 'personalise', { pullToRefresh: false });
  const machines = useRemote(fetchMachines, 'machines', { pullToRefresh: false });
  const wall = wallClock(new Date(), settings.data?.Time_Zone || undefined);
  const period = rangePeriod(range, ruleOf(settings.data), wall);
  const machineList = machines.data ?? [];
  const machineId = machine > 0 ? machineList[machine - 1]?.id : undefined;
  const list = useRemote(
    async () =>
      settings.data || settings.error
        ? fetchAlarms({
            start: period.start,
            end: period.end,
            level: level || undefined,
            type: type || undefined,
            machineId,
            pageSize: shown,
          })
        : undefined,
    `${level}:${type}:${period.start}:${machineId ?? 0}:${shown}:${settings.data || settings.error ? 1 : 0}`,
  );
  const seen = useRef(false);
  useDidShow(() => {
    // The first show is the mount, which loads already; later shows (back from a detail) reload.
    if (seen.current) void list.reload();
    seen.current = true;
    void refreshAlarmBadge();
    void loadPushQuota();
  });

  const items = list.data?.items ?? [];
  const now = formatWall(wall);
  const open = (a: AlarmMessageItem) => {
    void askForPushes().finally(() => go('alarmDetail', { id: String(a.id) }));
  };
  const changeFilter = (apply: () => void) => {
    apply();
    setShown(PAGE);
  };

  return (
    <View className="page">
      <View className="card filter-bar" data-testid="alarm-filters">
        <Segmented
          value={level}
          options={withAll(alarmLevels)}
          onChange={(v) => changeFilter(() => setLevel(Number(v)))}
        />
        <View className="actions">
          <Segmented
            value={type}
            options={withAll(alarmTypes)}
            onChange={(v) => changeFilter(() => setType(Number(v)))}
          />
        </View>
        <View className="actions">
          <Segmented
            value={range}
            options={timeRanges.map((r) => ({ label: r.label, value: r.key }))}
            onChange={(v) => changeFilter(() => setRange(v as TimeRange))}
          />
        </View>
        <Picker
          mode="selector"
          range={['全部机器', ...machineList.map((m) => m.Meter_Superior)]}
          value={machine}
          onChange={(e) => changeFilter(() => setMachine(Number(e.detail.value)))}
          data-testid="machine-filter"
        >
          <View className="filter-picker">{`机器：${machine > 0 ? (machineList[machine - 1]?.Meter_Superior ?? '全部机器') : '全部机器'} ›`}</View>
        </Picker>
        <View className="actions">
          <Button size="small" onClick={() => go('alarmStats')}>
            告警统计
          </Button>
          {readSession()?.role === 'admin' && (
            <Button size="small" onClick={() => go('alarmDefinitions')}>
              告警设置
            </Button>
          )}
        </View>
      </View>

      <StateView
        loading={list.loading || list.data === undefined}
        error={list.error}
        empty={list.data !== undefined && items.length === 0}
        emptyText="所选范围内没有告警"
        onRetry={() => void list.reload()}
      >
        {list.data && (
          <View data-testid="alarm-list">
            {items.map((a) => (
              <AlarmItem key={a.id} alarm={a} now={now} onOpen={open} />
            ))}
            {items.length < list.data.total ? (
              <View className="actions">
                <Button block loading={list.loading} onClick={() => setShown(shown + PAGE)}>
                  {`加载更多（已显示 ${items.length} / ${list.data.total} 条）`}
                </Button>
              </View>
            ) : (
              <Text className="muted">{`共 ${list.data.total} 条`}</Text>
            )}
          </View>
        )}
      </StateView>
    </View>
  );
}
