import Taro from '@tarojs/taro';

/** A `wx.login` code for the BFF to exchange at WeChat (valid for one use, five minutes). */
export async function wechatCode(): Promise<string> {
  const res = await Taro.login();
  if (!res.code) throw new Error('wx.login returned no code');
  return res.code;
}

/** Whether this build runs inside WeChat (the H5 build simulates WeChat only in demo mode). */
export const runsInWeChat = true;
