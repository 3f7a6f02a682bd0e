import type { ReactNode } from 'react';
import { View, Text } from '@tarojs/components';
import { Button } from '../ui/nutui';
import type { Remote } from '../hooks/useRemote';

export interface CardProps<T> {
  title: string;
  remote: Remote<T>;
  testId: string;
  /** Shown instead of the body when the data arrived and there is nothing to show. */
  empty?: (data: T) => string | null;
  children: (data: T) => ReactNode;
  extra?: ReactNode;
}

/**
 * A card that loads, fails and retries on its own: a grey placeholder while loading, its error with a
 * retry button when its call failed (the other cards stay), an empty sentence, or its body.
 */
export function Card<T>({ title, remote, testId, empty, children, extra }: CardProps<T>) {
  const { data, error, loading } = remote;
  const emptyText = data !== undefined && empty ? empty(data) : null;
  return (
    <View className="card" data-testid={testId}>
      <View className="card-head">
        <Text className="card-title">{title}</Text>
        {extra}
      </View>
      {error ? (
        <View data-testid={`${testId}-error`}>
          <Text className="error-text">{error}</Text>
          <View className="actions">
            <Button size="small" onClick={() => void remote.reload()}>
              重试
            </Button>
          </View>
        </View>
      ) : data === undefined ? (
        <View data-testid={`${testId}-loading`} className="skeleton">
          <View className="skeleton-line" />
          <View className="skeleton-line short" />
        </View>
      ) : emptyText ? (
        <Text className="muted" data-testid={`${testId}-empty`}>
          {emptyText}
        </Text>
      ) : (
        <View style={{ opacity: loading ? 0.6 : 1 }}>{children(data)}</View>
      )}
    </View>
  );
}
