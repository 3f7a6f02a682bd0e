import { useRef } from 'react';
import { View, Text } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { Button, Tag } from '../../ui/nutui';
import { fetchDefinitions } from '../../api/alarms';
import { useRemote } from '../../hooks/useRemote';
import { StateView } from '../../components/StateView';
import { levelName, levelTag, notifyName, typeName } from '../../domain/alarms';
import { go } from '../../routes';

type TagType = 'default' | 'primary' | 'warning' | 'danger';

/** Admins: the alarm definitions (6.1) with their rule counts: edit one, or open its rules. */
export default function AlarmDefinitionsPage() {
  const list = useRemote(fetchDefinitions, 'alarm-definitions');
  const seen = useRef(false);
  useDidShow(() => {
    if (seen.current) void list.reload(); // back from the form: show what was saved
    seen.current = true;
  });
  const items = list.data ?? [];
  return (
    <View className="page">
      <View className="actions">
        <Button type="primary" onClick={() => go('alarmDefinition', {})}>
          新建告警定义
        </Button>
        <Button onClick={() => go('alarmRules', {})}>全部规则</Button>
      </View>
      <StateView
        loading={list.loading}
        error={list.error}
        empty={list.data !== undefined && items.length === 0}
        emptyText="还没有告警定义：先新建一个，再为它添加规则"
        onRetry={() => void list.reload()}
      >
        {list.data && (
          <View data-testid="definition-list">
            {items.map((d) => (
              <View className="card" key={d.id} data-testid={`definition-${d.id}`}>
                <View className="row">
                  <Text className="card-title">{d.Alarm_Name}</Text>
                  <Tag type={levelTag(d.Alarm_Level) as TagType}>{levelName(d.Alarm_Level)}</Tag>
                </View>
                <View className="muted">{`${typeName(d.Alarm_Type)} · ${notifyName(d.Alarm_Notify)}${d.Notify_Address ? `：${d.Notify_Address}` : ''}`}</View>
                {d.Escalate_Minutes > 0 && (
                  <View className="muted">{`${d.Escalate_Minutes} 分钟无人确认时通知 ${d.Escalate_To}`}</View>
                )}
                <View className="actions">
                  <Button size="small" onClick={() => go('alarmDefinition', { id: String(d.id) })}>
                    编辑
                  </Button>
                  <Button size="small" onClick={() => go('alarmRules', { alarmId: String(d.id) })}>
                    {`规则（${d.Rule_Numbers} 条）`}
                  </Button>
                </View>
              </View>
            ))}
          </View>
        )}
      </StateView>
    </View>
  );
}
