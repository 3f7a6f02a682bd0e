import Taro from '@tarojs/taro';

/** A `wx.login` code for the BFF to exchange at WeChat (valid for one use, five minutes). */
export async function wechatCode(): Promise<string> {
  const res = await Taro.login();
  if (!res.code) throw new Error('wx.login returned no code');
  return res.code;
}

/** What the sign-in page calls WeChat here. */
export const wechatLabel = '微信';
