import Taro from '@tarojs/taro';

/** Every page of the app; subpackages are grouped by domain (account, energy, device). */
export const pages = {
  home: 'pages/home/index',
  devices: 'pages/devices/index',
  mine: 'pages/mine/index',
  login: 'pages/login/index',
  bind: 'pkg-account/bind/index',
  profile: 'pkg-account/profile/index',
  energyDetail: 'pkg-energy/detail/index',
  rates: 'pkg-energy/rates/index',
  device: 'pkg-device/detail/index',
  reactive: 'pkg-device/reactive/index',
  history: 'pkg-device/history/index',
  alarms: 'pages/alarms/index',
  alarmDetail: 'pkg-alarms/detail/index',
  alarmStats: 'pkg-alarms/stats/index',
  alarmDefinitions: 'pkg-alarms/definitions/index',
  alarmDefinition: 'pkg-alarms/definition/index',
  alarmRules: 'pkg-alarms/rules/index',
  alarmRule: 'pkg-alarms/rule/index',
  register: 'pkg-account/register/index',
  gateway: 'pkg-device/gateway/index',
  setup: 'pkg-setup/index/index',
  setupMachine: 'pkg-setup/machine/index',
  setupMeter: 'pkg-setup/meter/index',
  setupDevice: 'pkg-setup/device/index',
  products: 'pkg-products/index/index',
  outputEntry: 'pkg-products/output/index',
  coalFactors: 'pkg-products/factors/index',
  oeeMachine: 'pkg-oee/machine/index',
  charging: 'pkg-charging/index/index',
  chargingRecords: 'pkg-charging/records/index',
  driverPay: 'pkg-charging/driver/index',
  plants: 'pkg-plants/index/index',
  plant: 'pkg-plants/plant/index',
  plantConnect: 'pkg-plants/connect/index',
  plantAuthorize: 'pkg-plants/authorize/index',
} as const;

/** Query parameters each page reads. */
export interface PageParams {
  home: undefined;
  devices: undefined;
  mine: undefined;
  /** Why the user lands here, and the page to return to after signing in. */
  login: { reason?: 'expired' | 'signed-out'; back?: string } | undefined;
  bind: undefined;
  profile: undefined;
  energyDetail: { by?: 'department' | 'machine' | 'meter' };
  rates: undefined;
  /** `action=reset` opens the fault-reset confirmation at once (an alarm's 去复位). */
  device: { uid: string; action?: 'reset' };
  reactive: { uid: string };
  history: { uid: string };
  alarms: undefined;
  alarmDetail: { id: string };
  alarmStats: undefined;
  alarmDefinitions: undefined;
  alarmDefinition: { id?: string };
  alarmRules: { alarmId?: string; meterId?: string };
  alarmRule: { id?: string; alarmId?: string; meterId?: string };
  register: undefined;
  gateway: { uid: string };
  setup: undefined;
  setupMachine: undefined;
  setupMeter: undefined;
  setupDevice: undefined;
  products: undefined;
  outputEntry: undefined;
  coalFactors: undefined;
  /** The machine to show first (the first machine when absent). */
  oeeMachine: { id?: string } | undefined;
  charging: undefined;
  chargingRecords: undefined;
  /** A connector's code to look its bill up with at once (a scanned QR code opening the page). */
  driverPay: { code?: string } | undefined;
  plants: undefined;
  /** The plant's `Ps_Id`. */
  plant: { id: string };
  /** Back from iSolarCloud's authorization (H5): the ticket and iSolarCloud's code. */
  plantConnect: { Ticket?: string; code?: string } | undefined;
  /** iSolarCloud's authorization page, opened in a web view (weapp). */
  plantAuthorize: { url: string };
}

export type PageName = keyof typeof pages;

const tabs: PageName[] = ['home', 'devices', 'mine', 'alarms'];

/** The URL of a page with its parameters. */
export function urlOf<P extends PageName>(page: P, params?: PageParams[P]): string {
  const qs = Object.entries((params ?? {}) as Record<string, string | undefined>)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');
  return `/${pages[page]}${qs ? `?${qs}` : ''}`;
}

/** Opens a page: tab pages are switched to, the sign-in page replaces the whole stack. */
export function go<P extends PageName>(page: P, params?: PageParams[P]): void {
  if (tabs.includes(page)) void Taro.switchTab({ url: urlOf(page) });
  else if (page === 'login') void Taro.reLaunch({ url: urlOf(page, params) });
  else void Taro.navigateTo({ url: urlOf(page, params) });
}

/** The URL of the page on top of the stack (with its query), or undefined when there is none. */
export function currentUrl(): string | undefined {
  const stack = Taro.getCurrentPages();
  const top = stack[stack.length - 1] as { route?: string; options?: Record<string, unknown> } | undefined;
  if (!top?.route) return undefined;
  const route = top.route.replace(/^\//, '').split('?')[0]!;
  const qs = Object.entries(top.options ?? {})
    .filter(([k, v]) => !k.startsWith('$') && k !== 'stamp' && v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');
  return `/${route}${qs ? `?${qs}` : ''}`;
}

/** The page a URL opens, when it is one of ours (anything else is never navigated to). */
export function pageOfUrl(url: string | undefined): PageName | undefined {
  if (!url) return undefined;
  const path = url.split('?')[0]!.replace(/^\//, '');
  return (Object.keys(pages) as PageName[]).find((k) => pages[k] === path);
}

/** Returns to a page the user was on before signing in (home when it is unknown or the sign-in page). */
export function returnTo(url: string | undefined): void {
  const page = pageOfUrl(url);
  if (!page || page === 'login') go('home');
  else if (tabs.includes(page)) void Taro.switchTab({ url: urlOf(page) });
  else void Taro.reLaunch({ url: url! });
}
