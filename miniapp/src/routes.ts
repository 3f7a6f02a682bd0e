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
} as const;

/** Query parameters each page reads. */
export interface PageParams {
  home: undefined;
  devices: undefined;
  mine: undefined;
  login: undefined;
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
  else if (page === 'login') void Taro.reLaunch({ url: urlOf(page) });
  else void Taro.navigateTo({ url: urlOf(page, params) });
}
