import { useState } from 'react';
import { View, Text, Input, Textarea } from '@tarojs/components';
import type { AlarmMessageItem } from '@wattdesk/shared';
import { Button, Segmented } from '../../ui/nutui';
import { acknowledgeAlarm, shelveAlarm, unshelveAlarm } from '../../api/alarms';
import { ApiError, userMessage } from '../../api/errors';
import { askForPushes } from '../../hooks/pushQuota';
import { isActive, needsAck } from '../../domain/alarms';

/** Shelving periods offered (the BFF allows up to 7 days). */
export const shelveChoices = [
  { label: '1 小时', value: 60 },
  { label: '4 小时', value: 240 },
  { label: '1 天', value: 1440 },
  { label: '3 天', value: 4320 },
  { label: '7 天', value: 10080 },
];

type Mode = 'ack' | 'shelve' | null;

/** Acknowledge with a comment, shelve with a reason and an expiry, or end a shelving. */
export function AlarmActions({
  alarm: a,
  onDone,
}: {
  alarm: AlarmMessageItem;
  onDone: (what: string) => void;
}) {
  const [mode, setMode] = useState<Mode>(null);
  const [comment, setComment] = useState('');
  const [reason, setReason] = useState('');
  const [minutes, setMinutes] = useState(240);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<{ comment?: string; reason?: string; general?: string }>({});

  const run = async (send: () => Promise<void>, done: string, field?: 'comment' | 'reason') => {
    if (busy) return;
    setBusy(true);
    setErrors({});
    try {
      await send();
      setMode(null);
      setComment('');
      setReason('');
      onDone(done);
    } catch (err) {
      const named = err instanceof ApiError && err.field && field ? field : 'general';
      setErrors({ [named]: userMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  const acknowledge = () => {
    // A natural tap: ask for one more push first (the popup must open from the tap itself).
    const asked = askForPushes();
    if (comment.length > 200) return setErrors({ comment: '备注最多 200 个字' });
    void run(
      async () => {
        await asked;
        await acknowledgeAlarm(a.id, comment);
      },
      '已确认',
      'comment',
    );
  };

  const shelve = () => {
    const r = reason.trim();
    if (!r) return setErrors({ reason: '请填写搁置原因' });
    if (r.length > 200) return setErrors({ reason: '搁置原因最多 200 个字' });
    void run(() => shelveAlarm({ id: a.id, Shelve_Reason: r, Shelve_Minutes: minutes }), '已搁置', 'reason');
  };

  return (
    <View className="card" data-testid="alarm-actions">
      {mode === 'ack' && (
        <View data-testid="ack-form">
          <View className="field-label">确认备注（选填）</View>
          <Textarea
            className="field-input field-textarea"
            value={comment}
            placeholder="例如：已通知电工检查电容柜"
            maxlength={200}
            onInput={(e) => setComment(e.detail.value)}
          />
          {errors.comment && <View className="field-error">{errors.comment}</View>}
        </View>
      )}
      {mode === 'shelve' && (
        <View data-testid="shelve-form">
          <View className="field-label">搁置原因</View>
          <Input
            className="field-input"
            value={reason}
            placeholder="例如：电容柜检修中"
            maxlength={200}
            onInput={(e) => setReason(e.detail.value)}
          />
          {errors.reason && <View className="field-error">{errors.reason}</View>}
          <View className="field-label">搁置时长（到期后恢复通知）</View>
          <Segmented value={minutes} options={shelveChoices} onChange={(v) => setMinutes(Number(v))} />
        </View>
      )}
      {errors.general && <View className="field-error">{errors.general}</View>}
      <View className="actions">
        {mode === null && needsAck(a.Alarm_State) && (
          <Button type="primary" onClick={() => setMode('ack')}>
            确认告警
          </Button>
        )}
        {mode === null && isActive(a.Alarm_State) && !a.Shelved && (
          <Button onClick={() => setMode('shelve')}>搁置</Button>
        )}
        {mode === null && a.Shelved === 1 && (
          <Button
            loading={busy}
            disabled={busy}
            onClick={() => void run(() => unshelveAlarm(a.id), '已取消搁置')}
          >
            取消搁置
          </Button>
        )}
        {mode === 'ack' && (
          <Button type="primary" loading={busy} disabled={busy} onClick={acknowledge}>
            提交确认
          </Button>
        )}
        {mode === 'shelve' && (
          <Button type="primary" loading={busy} disabled={busy} onClick={shelve}>
            确认搁置
          </Button>
        )}
        {mode !== null && (
          <Button disabled={busy} onClick={() => setMode(null)}>
            取消
          </Button>
        )}
      </View>
      {mode === null && !needsAck(a.Alarm_State) && !isActive(a.Alarm_State) && (
        <Text className="muted">告警已恢复并已确认，无需处理</Text>
      )}
    </View>
  );
}
