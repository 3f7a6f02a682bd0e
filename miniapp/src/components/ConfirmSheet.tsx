import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import { Button, Popup } from '../ui/nutui';
import type { ChangeRow } from '../domain/reactive';
import './ConfirmSheet.css';

export interface PlannedRequest {
  method: string;
  path: string;
  body: Record<string, unknown>;
}

export interface ConfirmSheetProps {
  visible: boolean;
  title: string;
  /** The device, by name. */
  device: string;
  /** What the device will do, in words. */
  action: string;
  /** Settings being changed, old → new. */
  changes?: ChangeRow[];
  /** Exactly what will be sent, shown only when 详情 is opened. */
  request: PlannedRequest;
  sending: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/** A bottom sheet saying in words what a device command will do; the raw request is behind 详情. */
export function ConfirmSheet({
  visible,
  title,
  device,
  action,
  changes,
  request,
  sending,
  onConfirm,
  onCancel,
}: ConfirmSheetProps) {
  const [detail, setDetail] = useState(false);
  return (
    <Popup visible={visible} position="bottom" round title={title} onClose={() => !sending && onCancel()}>
      <View className="sheet" data-testid="confirm-sheet">
        <View className="sheet-row">
          <Text className="sheet-key">设备</Text>
          <Text className="sheet-value" data-testid="confirm-device">
            {device}
          </Text>
        </View>
        <View className="sheet-row">
          <Text className="sheet-key">操作</Text>
          <Text className="sheet-value" data-testid="confirm-action">
            {action}
          </Text>
        </View>
        {changes && changes.length > 0 && (
          <View className="sheet-changes" data-testid="confirm-changes">
            {changes.map((c) => (
              <View className="sheet-row" key={c.label}>
                <Text className="sheet-key">{c.label}</Text>
                <Text className="sheet-value">
                  {c.from === undefined ? c.to : c.from === c.to ? `${c.to}（不变）` : `${c.from} → ${c.to}`}
                </Text>
              </View>
            ))}
          </View>
        )}
        <View className="sheet-fold" data-testid="confirm-detail-toggle" onClick={() => setDetail(!detail)}>
          <Text className="link">{detail ? '收起详情 ▲' : '详情 ▼'}</Text>
        </View>
        {detail && (
          <View className="sheet-request" data-testid="confirm-request">
            <Text className="sheet-code">{`${request.method} ${request.path}\n${JSON.stringify(request.body, null, 2)}`}</Text>
          </View>
        )}
        <View className="actions">
          <Button disabled={sending} onClick={onCancel}>
            取消
          </Button>
          <Button type="primary" loading={sending} disabled={sending} onClick={onConfirm}>
            {sending ? '发送中…' : '确认发送'}
          </Button>
        </View>
      </View>
    </Popup>
  );
}
