import { View, Text } from '@tarojs/components';
import type { AlarmHistoryItem } from '@wattdesk/shared';
import { valueText } from '../../domain/alarms';

/** Every state change of the alarm, oldest first: what happened, when, by whom, with the comment. */
export function AlarmHistory(props: { items: AlarmHistoryItem[]; type: number; param: string }) {
  const { items, type, param } = props;
  return (
    <View className="card" data-testid="alarm-history">
      <View className="card-title">处理记录</View>
      {items.length === 0 && <Text className="muted">暂无记录</Text>}
      {items.map((h, i) => (
        <View key={`${h.Time}-${i}`} className="history-item">
          <View className="row">
            <Text>{h.Action_Name}</Text>
            <Text className="muted">{h.Time}</Text>
          </View>
          <View className="muted">
            {`${h.Usr_Name || '系统'}${h.Value !== null ? ` · 当时值 ${valueText(h.Value, type, param)}` : ''}`}
          </View>
          {h.Comment && <View className="history-comment">{h.Comment}</View>}
        </View>
      ))}
    </View>
  );
}
