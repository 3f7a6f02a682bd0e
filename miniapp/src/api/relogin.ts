import type { LoginResult } from '@wattdesk/shared';
import { apiBase, DEFAULT_TIMEOUT_MS } from './config';
import { endpoints } from './endpoints';
import { ApiError } from './errors';
import { clearSession, readSession, saveSession } from './session';
import { transport } from './transport';
import { wechatCode } from '../platform/wechat';

let pending: Promise<void> | null = null;
let onSignedOut: () => void = () => undefined;

/** Registers what to do when a session cannot be renewed (the app opens the sign-in page). */
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

/** Signs in with a fresh `wx.login` code alone (POST /api_3/xcx_login); the user must have bound WeChat. */
export async function loginWithWeChat(): Promise<LoginResult> {
  const code = await wechatCode();
  const res = await transport()({
    method: endpoints.wechatLogin.method,
    url: `${apiBase}${endpoints.wechatLogin.path}`,
    headers: { 'Content-Type': 'application/json' },
    body: { code },
    timeoutMs: DEFAULT_TIMEOUT_MS,
  });
  const body = res.body as { Err_No?: string; Data?: LoginResult[] } | undefined;
  const item = body?.Data?.[0];
  if (body?.Err_No !== '0' || !item) throw new ApiError('session', '微信登录失败，请用账号密码登录');
  saveSession(item);
  return item;
}

async function renew(): Promise<void> {
  try {
    await loginWithWeChat();
  } catch {
    clearSession();
    onSignedOut();
    throw new ApiError('session', '登录已过期，请重新登录');
  }
}

/**
 * Renews an expired session once: every request that finds its token rejected waits for the same
 * renewal. `staleToken` is the token that was rejected; if another request already replaced it,
 * nothing is done.
 */
export function reloginOnce(staleToken?: string): Promise<void> {
  if (pending) return pending;
  const now = readSession()?.token;
  if (now && now !== staleToken) return Promise.resolve();
  pending = renew().finally(() => {
    pending = null;
  });
  return pending;
}
