import { useEffect, useRef } from 'react';
import { Text } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { Cell } from '../ui/nutui';
import { askForPushes, loadPushQuota, usePushQuota } from '../hooks/pushQuota';
import { formatWithUnit } from '../domain/format';

/** 我的: how many WeChat alarm pushes are left; a tap asks WeChat for one more. */
export function PushQuotaCell() {
  const quota = usePushQuota();
  const seen = useRef(false);
  useEffect(() => void loadPushQuota(), []);
  useDidShow(() => {
    if (seen.current) void loadPushQuota(); // back on 我的: pushes may have been used or added
    seen.current = true;
  });
  const bound = quota?.WeChat_Bound === 1;
  const text = !quota
    ? '—'
    : !bound
      ? '绑定微信后可接收'
      : `剩余 ${formatWithUnit(quota.Remaining_Times, '条', { decimals: 0 })}${quota.Remaining_Times < 10 ? ' · 点此增加' : ''}`;
  return (
    <Cell
      title="微信告警推送"
      description={bound ? '每次“允许”可推送 1 条告警，打开或确认告警时也会询问' : undefined}
      extra={<Text data-testid="push-quota">{text}</Text>}
      onClick={() => bound && void askForPushes(true)}
    />
  );
}
