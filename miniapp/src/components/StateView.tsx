import type { ReactNode } from 'react';
import { View, Text } from '@tarojs/components';
import { Button, Loading } from '../ui/nutui';

export interface StateViewProps {
  loading: boolean;
  error?: string;
  /** True when the data arrived and there is nothing to show. */
  empty?: boolean;
  emptyText?: string;
  onRetry?: () => void;
  children?: ReactNode;
}

/** Loading, error (with retry) and empty states in one place, so every page shows them the same way. */
export function StateView({
  loading,
  error,
  empty = false,
  emptyText = '暂无数据',
  onRetry,
  children,
}: StateViewProps) {
  if (error) {
    return (
      <View className="card" data-testid="state-error">
        <Text className="error-text">{error}</Text>
        {onRetry && (
          <View className="actions">
            <Button size="small" onClick={onRetry}>
              重试
            </Button>
          </View>
        )}
      </View>
    );
  }
  if (loading && (empty || children === undefined)) {
    return (
      <View className="card" data-testid="state-loading">
        <Loading>加载中…</Loading>
      </View>
    );
  }
  if (empty) {
    return (
      <View className="card empty" data-testid="state-empty">
        <Text className="muted">{emptyText}</Text>
      </View>
    );
  }
  return <>{children}</>;
}
