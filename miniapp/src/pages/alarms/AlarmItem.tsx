import { View, Text } from '@tarojs/components';
import type { AlarmMessageItem } from '@wattdesk/shared';
import { Tag } from '../../ui/nutui';
import {
  alarmLevels,
  formatDuration,
  isActive,
  levelName,
  levelTag,
  localDiffMs,
  shortTime,
  stateLabel,
  typeName,
  type AlarmLevel,
} from '../../domain/alarms';
import './alarms.css';

export interface AlarmItemProps {
  alarm: AlarmMessageItem;
  /** The site's local time now, to say how long an active alarm has lasted. */
  now: string;
  onOpen: (alarm: AlarmMessageItem) => void;
}

type TagType = 'default' | 'primary' | 'warning' | 'danger';

/** One alarm in the list: level colour on the left, what and where, state and how long. */
export function AlarmItem({ alarm: a, now, onOpen }: AlarmItemProps) {
  const state = stateLabel(a);
  const active = isActive(a.Alarm_State);
  const where = [a.Meter_Superior, a.Meter_Name].filter(Boolean).join(' · ') || a.Device_Uid;
  const since = active
    ? `已持续 ${formatDuration(localDiffMs(a.Alarm_Time, now))}`
    : a.Clear_Time
      ? `${shortTime(a.Clear_Time, now.slice(0, 4))} 恢复`
      : '';
  return (
    <View
      className={`card alarm-item${active ? '' : ' alarm-item-cleared'}`}
      style={{ borderLeftColor: alarmLevels[a.Alarm_Level as AlarmLevel]?.color ?? '#86909c' }}
      data-testid={`alarm-${a.id}`}
      onClick={() => onOpen(a)}
    >
      <View className="row">
        <View className="alarm-title">
          <Tag type={levelTag(a.Alarm_Level) as TagType}>{levelName(a.Alarm_Level)}</Tag>
          <Text className="alarm-name">{` ${a.Alarm_Name}`}</Text>
        </View>
        <Tag type={state.tag as TagType} plain>
          {state.name}
        </Tag>
      </View>
      <View className="alarm-content">{a.Alarm_Content}</View>
      <View className="row muted">
        <Text>{`${typeName(a.Alarm_Type)}${where ? ` · ${where}` : ''}`}</Text>
        <Text>{a.Alarm_Count > 1 ? `共 ${a.Alarm_Count} 次` : ''}</Text>
      </View>
      <View className="row muted">
        <Text>{`${shortTime(a.Alarm_Time, now.slice(0, 4))} 触发`}</Text>
        <Text>{since}</Text>
      </View>
      {a.Unread === 1 && <View className="alarm-unread" data-testid="alarm-unread" />}
    </View>
  );
}
