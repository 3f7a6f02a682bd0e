import { useRef } from 'react';
import { View, Text } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { Button } from '../../ui/nutui';
import { fetchConnection } from '../../api/plants';
import { useRemote } from '../../hooks/useRemote';
import { Card } from '../../components/Card';
import { go } from '../../routes';
import { connectionLines } from '../connection';

/** Admins: the organization's iSolarCloud connection, with the way to connect or manage it. */
export function ConnectionCard() {
  const connection = useRemote(fetchConnection, 'pv-connection', { pullToRefresh: false });
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) void connection.reload();
    shown.current = true;
  });
  return (
    <Card title="iSolarCloud 连接" testId="pv-connection" remote={connection}>
      {(c) => (
        <View>
          <Text className={c.Connected ? 'ok-text' : 'warn-text'} data-testid="pv-connection-status">
            {c.Status_Text}
          </Text>
          {connectionLines(c).map(([label, value]) => (
            <View className="row" key={label}>
              <Text className="muted">{label}</Text>
              <Text>{value}</Text>
            </View>
          ))}
          {c.Last_Error && (
            <View className="warn-text" data-testid="pv-connection-error">
              {`上次同步失败：${c.Last_Error}`}
            </View>
          )}
          <View className="actions">
            <Button
              size="small"
              type={c.Connected ? 'default' : 'primary'}
              onClick={() => go('plantConnect')}
            >
              {c.Connected ? '管理连接' : '连接 iSolarCloud'}
            </Button>
          </View>
        </View>
      )}
    </Card>
  );
}
