import { useEffect, useState } from 'react';
import type { WeChatSubscriptionItem } from '@wattdesk/shared';
import { fetchSubscription, reportSubscription } from '../api/alarms';
import { requestSubscribe } from '../platform/wechat';

/**
 * The user's banked WeChat alarm pushes. Each `wx.requestSubscribeMessage` acceptance allows exactly one
 * push, so the app asks on natural taps (opening or acknowledging an alarm) and reports every 允许 to the
 * BFF, which keeps the count. The template id must be known before the tap (the popup opens only from
 * the tap itself), so it is loaded when an alarm page shows.
 */
let current: WeChatSubscriptionItem | undefined;
const listeners = new Set<(q: WeChatSubscriptionItem | undefined) => void>();

/** Stop asking once this many pushes are banked: enough for a bad day, without a popup on every tap. */
export const ENOUGH_PUSHES = 10;

function publish(next: WeChatSubscriptionItem | undefined): void {
  current = next;
  for (const l of listeners) l(next);
}

/** Reads the template and the remaining count; undefined when it cannot be read (shown as unknown). */
export async function loadPushQuota(): Promise<WeChatSubscriptionItem | undefined> {
  try {
    publish(await fetchSubscription());
  } catch {
    // no quota shown is better than an error over an unrelated page
  }
  return current;
}

/** True when a tap now should show the subscribe popup. */
export function shouldAsk(q: WeChatSubscriptionItem | undefined = current): q is WeChatSubscriptionItem {
  return !!q && q.WeChat_Bound === 1 && !!q.Template_Id && q.Remaining_Times < ENOUGH_PUSHES;
}

/**
 * Call first thing in a tap handler. Shows the popup when more pushes are wanted and reports an
 * acceptance (once more if the first report fails, so an 允许 is not lost to one dropped request).
 */
export async function askForPushes(force = false): Promise<void> {
  const q = current;
  if (!q || !q.Template_Id || q.WeChat_Bound !== 1 || (!force && !shouldAsk(q))) return;
  const accepted = await requestSubscribe(q.Template_Id);
  if (!accepted) return;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      publish(await reportSubscription(q.Template_Id, true));
      return;
    } catch {
      // try once more below
    }
  }
}

/** The current quota, kept up to date by loads and reports anywhere in the app. */
export function usePushQuota(): WeChatSubscriptionItem | undefined {
  const [q, setQ] = useState(current);
  useEffect(() => {
    listeners.add(setQ);
    return () => void listeners.delete(setQ);
  }, []);
  return q;
}
