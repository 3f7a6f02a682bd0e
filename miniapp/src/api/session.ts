import Taro from '@tarojs/taro';
import type { LoginResult } from '@wattdesk/shared';

/** What the app keeps about the signed-in user between launches. */
export interface Session {
  token: string;
  userId: string;
  userName: string;
  role: LoginResult['Usr_Role'];
  expiresAt: string;
}

const KEY = 'wd.session';

/** The stored session, or null when nobody is signed in. */
export function readSession(): Session | null {
  try {
    const raw: unknown = Taro.getStorageSync(KEY);
    if (raw && typeof raw === 'object' && typeof (raw as Session).token === 'string') return raw as Session;
  } catch {
    // storage unavailable (private mode): behave as signed out
  }
  return null;
}

/** Stores the session returned by a login. */
export function saveSession(login: LoginResult): Session {
  const session: Session = {
    token: login.Usr_Token,
    userId: login.Usr_ID,
    userName: login.Usr_Name,
    role: login.Usr_Role,
    expiresAt: login.Token_Expires,
  };
  Taro.setStorageSync(KEY, session);
  return session;
}

/** Forgets the session (logout, or a re-login that failed). */
export function clearSession(): void {
  Taro.removeStorageSync(KEY);
}

const AUTO_WECHAT_KEY = 'wd.wechat.auto';

/**
 * Whether an expired or missing session may be renewed silently through WeChat. Signing out turns it
 * off (so Back after 退出登录 does not sign the user in again); tapping 微信一键登录 turns it on.
 */
export function wechatAutoLogin(): boolean {
  try {
    return Taro.getStorageSync(AUTO_WECHAT_KEY) !== 'off';
  } catch {
    return true;
  }
}

export function setWechatAutoLogin(on: boolean): void {
  if (on) Taro.removeStorageSync(AUTO_WECHAT_KEY);
  else Taro.setStorageSync(AUTO_WECHAT_KEY, 'off');
}
