import { useCallback, useEffect, useRef, useState } from 'react';
import Taro, { useDidHide, useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { userMessage } from '../api/errors';

/** A remote read that refreshes itself while the page is shown. */
export interface LiveRemote<T> {
  data: T | undefined;
  /** The first load (or a retry) failed: the page shows the error state. */
  error: string | undefined;
  loading: boolean;
  /** A later refresh failed: the data shown is the last that arrived (the page says so). */
  staleError: string | undefined;
  /** When the data shown arrived (epoch ms). */
  receivedAt: number | undefined;
  reload: () => Promise<void>;
}

/**
 * Loads `load()` on mount and when `key` changes, then refreshes it quietly `intervalMs` after the
 * previous refresh finished (never two at once; twice as long after a failed one, up to 4 × the
 * interval), and not at all while the page is hidden (another page on top, the app in the background).
 * Showing the page again refreshes at once. A failed refresh keeps the data on screen and sets
 * `staleError`; pull to refresh and 重试 reload.
 */
export function useLiveRemote<T>(load: () => Promise<T>, key: string, intervalMs: number): LiveRemote<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [staleError, setStaleError] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [receivedAt, setReceivedAt] = useState<number>();
  const seq = useRef(0);
  const loader = useRef(load);
  loader.current = load;
  const hasData = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const shown = useRef(true);
  const mounted = useRef(true);
  const delay = useRef(intervalMs);

  const stop = useCallback(() => {
    if (timer.current !== undefined) clearTimeout(timer.current);
    timer.current = undefined;
  }, []);

  /** One read; `quiet` keeps what is on screen while it runs and when it fails. Resolves to success. */
  const read = useCallback(async (quiet: boolean): Promise<boolean> => {
    const mine = ++seq.current;
    if (!quiet) {
      setLoading(true);
      setError(undefined);
    }
    try {
      const value = await loader.current();
      if (mine !== seq.current) return true;
      hasData.current = true;
      setData(value);
      setReceivedAt(Date.now());
      setError(undefined);
      setStaleError(undefined);
      return true;
    } catch (err) {
      if (mine !== seq.current) return false;
      if (quiet && hasData.current) setStaleError(userMessage(err));
      else setError(userMessage(err));
      return false;
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, []);

  const schedule = useCallback(() => {
    stop();
    if (!shown.current || !mounted.current) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      void read(true).then((ok) => {
        delay.current = ok ? intervalMs : Math.min(delay.current * 2, intervalMs * 4);
        schedule();
      });
    }, delay.current);
  }, [intervalMs, read, stop]);

  const reload = useCallback(async () => {
    stop();
    delay.current = intervalMs;
    await read(false);
    schedule();
  }, [intervalMs, read, schedule, stop]);

  useEffect(() => {
    void reload();
    return stop;
  }, [key, reload, stop]);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      stop();
    };
  }, [stop]);

  useDidShow(() => {
    // Shown on mount too: only a page that was hidden refreshes (at once) and goes on polling.
    if (shown.current) return;
    shown.current = true;
    stop();
    delay.current = intervalMs;
    void read(true).then(() => schedule());
  });
  useDidHide(() => {
    shown.current = false;
    stop();
  });
  usePullDownRefresh(() => {
    void reload().finally(() => Taro.stopPullDownRefresh());
  });

  return { data, error, loading, staleError, receivedAt, reload };
}
