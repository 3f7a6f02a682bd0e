import { View, Text } from '@tarojs/components';
import { Button, Popup } from '../ui/nutui';
import './ConfirmSheet.css';

export interface PlannedRequest {
  method: string;
  path: string;
  body: Record<string, unknown>;
}

export interface ConfirmSheetProps {
  visible: boolean;
  title: string;
  /** One sentence saying what the device will do. */
  summary: string;
  /** Exactly what will be sent. */
  request: PlannedRequest;
  sending: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/** A bottom sheet showing the exact request before a device command is sent. */
export function ConfirmSheet({
  visible,
  title,
  summary,
  request,
  sending,
  onConfirm,
  onCancel,
}: ConfirmSheetProps) {
  return (
    <Popup visible={visible} position="bottom" round title={title} onClose={() => !sending && onCancel()}>
      <View className="sheet" data-testid="confirm-sheet">
        <Text className="sheet-summary">{summary}</Text>
        <View className="sheet-label">将发送：</View>
        <View className="sheet-request" data-testid="confirm-request">
          <Text className="sheet-code">{`${request.method} ${request.path}\n${JSON.stringify(request.body, null, 2)}`}</Text>
        </View>
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
