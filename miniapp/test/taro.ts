/**
 * The parts of Taro the app uses, for jsdom: storage in memory, navigation recorded, wx.login scripted.
 * (Component tests check our pages' behaviour; Taro itself is exercised by the H5 e2e suite.)
 */
const storage = new Map<string, unknown>();
export const navigations: { kind: string; url: string }[] = [];
export const router = { params: {} as Record<string, string> };
export const wx = { codes: 0 };
/** What Taro.getCurrentPages answers (tests set the page the user is on). */
export const pageStack: { route: string; options: Record<string, string> }[] = [];

const Taro = {
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
  getCurrentPages: () => pageStack,
  navigateBack: async () => void navigations.push({ kind: 'navigateBack', url: '' }),
  setClipboardData: async () => undefined,
};

export default Taro;
export const useRouter = () => router;
export const usePullDownRefresh = (_fn: () => void) => undefined;
export const useDidShow = (_fn: () => void) => undefined;
export const useLaunch = (fn: () => void) => fn();
