import { useEffect, useRef, useState } from 'react';
import { useDidHide, useDidShow } from '@tarojs/taro';
import type { DemoImportStatus } from '@wattdesk/shared';
import { fetchDemoImportStatus } from '../../api/demo-import';

/** How often home asks again while the demo data is importing (tests shorten it). */
export const demoImportPoll = { ms: 10_000 };

/** The notice home shows for an import state, or null when there is nothing to say. */
export function demoImportNotice(s: DemoImportStatus | null): string | null {
  if (s?.State === 'importing') return `演示数据导入中 ${s.Progress}%，本月等数字尚不完整`;
  if (s?.State === 'failed') return '演示数据导入未完成，能耗数字不完整';
  return null;
}

/**
 * The demo data import as home needs it: asked on mount, asked again every `demoImportPoll.ms` while it
 * is importing and the page is shown, and `onDone` called when an import seen running has finished.
 * The call is optional: when it fails the last known state stays (null at first: home shows nothing).
 */
export function useDemoImport(onDone: () => void): DemoImportStatus | null {
  const [status, setStatus] = useState<DemoImportStatus | null>(null);
  const [shown, setShown] = useState(true);
  const [tick, setTick] = useState(0);
  const shownRef = useRef(true);
  const previous = useRef<DemoImportStatus['State']>();
  const done = useRef(onDone);
  done.current = onDone;

  useDidShow(() => {
    if (!shownRef.current) setTick((n) => n + 1); // back on home: ask at once
    shownRef.current = true;
    setShown(true);
  });
  useDidHide(() => {
    shownRef.current = false;
    setShown(false);
  });

  useEffect(() => {
    let current = true;
    fetchDemoImportStatus().then(
      (s) => current && setStatus(s),
      () => undefined, // optional: keep what is known
    );
    return () => {
      current = false;
    };
  }, [tick]);

  useEffect(() => {
    const state = status?.State;
    if (previous.current === 'importing' && state === 'done') done.current();
    previous.current = state;
  }, [status]);

  const importing = status?.State === 'importing';
  useEffect(() => {
    if (!shown || !importing) return;
    const timer = setTimeout(() => setTick((n) => n + 1), demoImportPoll.ms);
    return () => clearTimeout(timer);
  }, [shown, importing, tick]);

  return status;
}
