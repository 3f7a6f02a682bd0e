import { useEffect, useRef } from 'react';
import { transport } from '../src/api/transport';
/**
 * The parts of Taro the app uses, for jsdom: storage in memory, navigation recorded, wx.login scripted.
 * (Component tests check our pages' behaviour; Taro itself is exercised by the H5 e2e suite.)
 */
const storage = new Map<string, unknown>();
export const navigations: { kind: string; url: string }[] = [];
export const router = { params: {} as Record<string, string> };
export const wx = { codes: 0 };
/** Tab badges as set by the app (index → text), and what the subscribe popup and dialogs answer. */
export const tabBadges = new Map<number, string>();
export const subscribe = { answer: 'accept' as 'accept' | 'reject', asked: [] as string[][] };
export const modal = { confirm: true, shown: [] as string[] };
/** What wx.requestPayment and wx.scanCode answer (tests set them), and the payments asked for. */
export const payment = {
  answer: 'ok' as 'ok' | 'cancel' | 'fail',
  asked: [] as Record<string, unknown>[],
};
export const scanner = { result: 'CONNECTOR-1' as string | null };
/** The page's show/hide handlers (useDidShow/useDidHide of mounted components); tests call them. */
export const lifecycle = { show: new Set<() => void>(), hide: new Set<() => void>() };

/** What Taro.getCurrentPages answers (tests set the page the user is on). */
export const pageStack: { route: string; options: Record<string, string> }[] = [];

/**
 * wx.uploadFile goes through the swapped transport as a POST whose body names the file by field, so a
 * test's fake BFF sees it; wx.downloadFile answers a temp path naming the URL.
 */
async function uploadFile(o: {
  url: string;
  filePath: string;
  name: string;
  header: Record<string, string>;
}) {
  const res = await transport()({
    method: 'POST',
    url: o.url,
    headers: o.header,
    body: { [o.name]: o.filePath },
    timeoutMs: 60_000,
  });
  return { statusCode: res.status, data: JSON.stringify(res.body), errMsg: 'uploadFile:ok' };
}

const Taro = {
  uploadFile,
  downloadFile: async ({ url }: { url: string }) => ({
    statusCode: 200,
    tempFilePath: `wxfile://download${new URL(url).pathname}${new URL(url).search}`,
    errMsg: 'downloadFile:ok',
  }),
  getStorageSync: (k: string) => storage.get(k) ?? '',
  setStorageSync: (k: string, v: unknown) => void storage.set(k, v),
  removeStorageSync: (k: string) => void storage.delete(k),
  clearStorageSync: () => storage.clear(),
  login: async () => ({ code: `code-${++wx.codes}`, errMsg: 'login:ok' }),
  getUserProfile: async () => ({ encryptedData: 'ZW5j', iv: 'aXY=' }),
  request: async () => {
    throw new Error('tests swap the transport (api/transport.setTransport)');
  },
  switchTab: async ({ url }: { url: string }) => void navigations.push({ kind: 'switchTab', url }),
  navigateTo: async ({ url }: { url: string }) => void navigations.push({ kind: 'navigateTo', url }),
  redirectTo: async ({ url }: { url: string }) => void navigations.push({ kind: 'redirectTo', url }),
  reLaunch: async ({ url }: { url: string }) => void navigations.push({ kind: 'reLaunch', url }),
  stopPullDownRefresh: () => undefined,
  showToast: async () => undefined,
  nextTick: (fn: () => void) => setTimeout(fn, 0),
  navigateBack: async () => void navigations.push({ kind: 'navigateBack', url: '' }),
  setTabBarBadge: async ({ index, text }: { index: number; text: string }) => void tabBadges.set(index, text),
  removeTabBarBadge: async ({ index }: { index: number }) => void tabBadges.delete(index),
  requestSubscribeMessage: async ({ tmplIds }: { tmplIds: string[] }) => {
    subscribe.asked.push(tmplIds);
    return Object.fromEntries([...tmplIds.map((t) => [t, subscribe.answer]), ['errMsg', 'ok']]);
  },
  showModal: async ({ title }: { title: string }) => {
    modal.shown.push(title);
    return { confirm: modal.confirm, cancel: !modal.confirm };
  },
  getCurrentPages: () => pageStack,
  requestPayment: async (params: Record<string, unknown>) => {
    payment.asked.push(params);
    if (payment.answer === 'ok') return { errMsg: 'requestPayment:ok' };
    throw {
      errMsg: payment.answer === 'cancel' ? 'requestPayment:fail cancel' : 'requestPayment:fail 系统错误',
    };
  },
  scanCode: async () => {
    if (scanner.result === null) throw { errMsg: 'scanCode:fail cancel' };
    return { result: scanner.result, scanType: 'QR_CODE', errMsg: 'scanCode:ok' };
  },
  setClipboardData: async () => undefined,
};

export default Taro;
export const useRouter = () => router;
export const usePullDownRefresh = (_fn: () => void) => undefined;
function useLifecycle(set: Set<() => void>, fn: () => void) {
  const latest = useRef(fn);
  latest.current = fn;
  useEffect(() => {
    const call = () => latest.current();
    set.add(call);
    return () => void set.delete(call);
  }, [set]);
}
export const useDidShow = (fn: () => void) => useLifecycle(lifecycle.show, fn);
export const useDidHide = (fn: () => void) => useLifecycle(lifecycle.hide, fn);
export const useLaunch = (fn: () => void) => fn();
