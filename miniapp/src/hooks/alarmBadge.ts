import Taro, { useDidShow } from '@tarojs/taro';
import { fetchUnread } from '../api/alarms';
import { readSession } from '../api/session';

/** Index of the 告警 tab (首页 | 告警 | 设备 | 我的). */
export const ALARM_TAB = 1;

/** The badge text for a count of unacknowledged active alarms; '' hides it. */
export function badgeText(count: number): string {
  if (!Number.isFinite(count) || count <= 0) return '';
  return count > 99 ? '99+' : String(count);
}

/** Puts the caller's unacknowledged active alarms on the 告警 tab; answers the count (null if unknown). */
export async function refreshAlarmBadge(): Promise<number | null> {
  if (!readSession()) return null;
  try {
    const { Active_Unack_Numbers: n } = await fetchUnread();
    const text = badgeText(n);
    if (text) await Taro.setTabBarBadge({ index: ALARM_TAB, text });
    else await Taro.removeTabBarBadge({ index: ALARM_TAB });
    return n;
  } catch {
    return null; // off a tab page, or offline: the badge is refreshed on the next show
  }
}

/** The app shell's hook: the badge is brought up to date whenever the app comes to the foreground. */
export function useAlarmBadgeOnShow(): void {
  useDidShow(() => void refreshAlarmBadge());
}
