import { useCallback, useEffect, useRef, useState } from 'react';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { userMessage } from '../api/errors';

/** Loading, error and data of one remote read, with a reload that pull-to-refresh also triggers. */
export interface Remote<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload: () => Promise<void>;
}

/** Loads `load()` on mount and whenever `key` changes; the latest call wins. */
export function useRemote<T>(
  load: () => Promise<T>,
  key: string,
  options: { pullToRefresh?: boolean } = {},
): Remote<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);
  const seq = useRef(0);
  const loader = useRef(load);
  loader.current = load;

  const reload = useCallback(async () => {
    const mine = ++seq.current;
    setLoading(true);
    setError(undefined);
    try {
      const value = await loader.current();
      if (mine === seq.current) setData(value);
    } catch (err) {
      if (mine === seq.current) setError(userMessage(err));
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    void reload();
  }, [key, reload]);

  usePullDownRefresh(() => {
    if (options.pullToRefresh === false) return;
    void reload().finally(() => Taro.stopPullDownRefresh());
  });

  return { data, error, loading, reload };
}
