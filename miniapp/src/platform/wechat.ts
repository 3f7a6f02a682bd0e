import Taro from '@tarojs/taro';

/** A `wx.login` code for the BFF to exchange at WeChat (valid for one use, five minutes). */
export async function wechatCode(): Promise<string> {
  const res = await Taro.login();
  if (!res.code) throw new Error('wx.login returned no code');
  return res.code;
}

/**
 * Encrypted user info for 9.1 binding, from the user's tap (must run inside the tap handler).
 * `code` is the login code fetched before the tap: WeChat encrypts with that login's session_key.
 */
export async function wechatUserInfo(_code: string): Promise<{ encryptedData: string; iv: string }> {
  const res = await Taro.getUserProfile({ desc: '用于绑定能管通账号' });
  return { encryptedData: res.encryptedData, iv: res.iv };
}

/** What the sign-in page calls WeChat here. */
export const wechatLabel = '微信';
