import { useState } from 'react';
import { View, Text, Input } from '@tarojs/components';
import { Cell, CellGroup, Tag } from '../../ui/nutui';
import { fetchDevices } from '../../api/devices';
import { useRemote } from '../../hooks/useRemote';
import { StateView } from '../../components/StateView';
import { activeAlarms, count, formatSeen, groupDevices } from '../../domain/devices';
import { go } from '../../routes';

/** From this many devices on, the list offers a search. */
export const SEARCH_FROM = 8;

/** Devices grouped by kind and site, with online state and active alarms; pull down to refresh. */
export default function DevicesPage() {
  const devices = useRemote(fetchDevices, 'devices');
  const [query, setQuery] = useState('');
  const list = devices.data ?? [];
  const groups = groupDevices(list, query);
  return (
    <View className="page">
      <StateView
        loading={devices.loading}
        error={devices.error}
        empty={devices.data !== undefined && list.length === 0}
        emptyText="还没有设备。管理员可在“我的 › 开始设置”中登记设备。"
        onRetry={() => void devices.reload()}
        skeletonRows={6}
      >
        {list.length >= SEARCH_FROM && (
          <Input
            className="field-input"
            data-testid="device-search"
            value={query}
            placeholder="搜索设备名称、编号或站点"
            onInput={(e) => setQuery(e.detail.value)}
          />
        )}
        {groups.length === 0 && list.length > 0 && (
          <View className="card empty" data-testid="device-search-empty">
            <Text className="muted">{`没有与“${query.trim()}”匹配的设备`}</Text>
          </View>
        )}
        {groups.map((g) => (
          <View key={g.title} data-testid="device-group">
            <View className="group-title">{`${g.title}（${count(g.items.length, '台')}）`}</View>
            <CellGroup>
              {g.items.map((d) => {
                const alarms = activeAlarms(d);
                return (
                  <Cell
                    key={d.device_uid}
                    data-testid={`device-${d.device_uid}`}
                    title={
                      <View>
                        <Text>{d.name}</Text>
                        <Text className="muted">{`  ${d.device_uid}`}</Text>
                      </View>
                    }
                    description={`最后通信：${formatSeen(d.last_seen_at)}`}
                    extra={
                      <View className="device-tags">
                        {alarms !== undefined && alarms > 0 && (
                          <Tag type="danger" data-testid={`alarms-${d.device_uid}`}>
                            {`${count(alarms)}报警`}
                          </Tag>
                        )}
                        <Tag type={d.online ? 'success' : 'default'}>{d.online ? '在线' : '离线'}</Tag>
                      </View>
                    }
                    onClick={() => go(d.kind === 'gateway' ? 'gateway' : 'device', { uid: d.device_uid })}
                  />
                );
              })}
            </CellGroup>
          </View>
        ))}
      </StateView>
    </View>
  );
}
