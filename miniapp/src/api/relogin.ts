import type { LoginResult } from '@wattdesk/shared';
import { apiBase, DEFAULT_TIMEOUT_MS } from './config';
import { endpoints } from './endpoints';
import { ApiError } from './errors';
import { clearSession, readSession, saveSession, wechatAutoLogin } from './session';
import { transport } from './transport';
import { wechatCode } from '../platform/wechat';

/** Why the user has to sign in: the session expired (a token was rejected), or nobody is signed in. */
export type SignedOutReason = 'expired' | 'signed-out';

let pending: Promise<void> | null = null;
let onSignedOut: (reason: SignedOutReason) => void = () => undefined;

/** Registers what to do when a session cannot be renewed (the app opens the sign-in page). */
export function whenSignedOut(handler: (reason: SignedOutReason) => void): void {
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

async function renew(reason: SignedOutReason): Promise<void> {
  try {
    // After 退出登录 nobody is signed in again behind the user's back.
    if (!wechatAutoLogin()) throw new Error('WeChat auto sign-in is off');
    await loginWithWeChat();
  } catch {
    clearSession();
    onSignedOut(reason);
    throw new ApiError('session', reason === 'expired' ? '登录已过期，请重新登录' : '请先登录');
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
  pending = renew(staleToken ? 'expired' : 'signed-out').finally(() => {
    pending = null;
  });
  return pending;
}
