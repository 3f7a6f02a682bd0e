import type { ReactNode } from 'react';
import { View, Text } from '@tarojs/components';
import { Button } from '../ui/nutui';

export interface StateViewProps {
  loading: boolean;
  error?: string;
  /** True when the data arrived and there is nothing to show. */
  empty?: boolean;
  emptyText?: string;
  onRetry?: () => void;
  /** Rows of the skeleton drawn while loading (the shape of what is coming). */
  skeletonRows?: number;
  children?: ReactNode;
}

/** Grey placeholder rows shown while a page's data loads, instead of a blank page. */
export function Skeleton({ rows = 3 }: { rows?: number }) {
  return (
    <View className="card" data-testid="state-loading" aria-busy="true">
      {Array.from({ length: rows }, (_, i) => (
        <View key={i} className={`skeleton-line${i % 3 === 0 ? ' skeleton-short' : ''}`} />
      ))}
      <Text className="muted">加载中…</Text>
    </View>
  );
}

/** Loading, error (with retry) and empty states in one place, so every page shows them the same way. */
export function StateView({
  loading,
  error,
  empty = false,
  emptyText = '暂无数据',
  onRetry,
  skeletonRows,
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
    return <Skeleton rows={skeletonRows} />;
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
