import Taro from '@tarojs/taro';

/** A `wx.login` code for the BFF to exchange at WeChat (valid for one use, five minutes). */
export async function wechatCode(): Promise<string> {
  const res = await Taro.login();
  if (!res.code) throw new Error('wx.login returned no code');
  return res.code;
}

/** What the sign-in page calls WeChat here. */
export const wechatLabel = '微信';

/**
 * Asks the user to allow one alarm push (`wx.requestSubscribeMessage`); true when they tapped 允许.
 * Must be called directly from a tap handler (WeChat shows the popup only for a tap).
 */
export async function requestSubscribe(templateId: string): Promise<boolean> {
  try {
    const res = await Taro.requestSubscribeMessage({ tmplIds: [templateId], entityIds: [] });
    return (res as unknown as Record<string, unknown>)[templateId] === 'accept';
  } catch {
    return false; // the user closed it, or the switch in settings is off: nothing was granted
  }
}
