import Taro from '@tarojs/taro';
import { apiBase } from '../api/config';

// The H5 build runs in a browser, which has no wx.login: in demo mode the BFF simulates the phone's
// WeChat (/h5_demo/*, backed by the fake WeChat server), keeping one simulated WeChat user per browser.
const OPENID_KEY = 'wd.demo.openid';

async function post<T>(path: string, body: object): Promise<T> {
  const res = await Taro.request({
    url: `${apiBase}${path}`,
    method: 'POST',
    data: body,
    header: { 'Content-Type': 'application/json' },
  });
  if (res.statusCode !== 200) throw new Error(`simulated WeChat answered ${res.statusCode}`);
  return res.data as T;
}

/** A login code from the simulated WeChat (same simulated user every time in this browser). */
export async function wechatCode(): Promise<string> {
  const stored = Taro.getStorageSync(OPENID_KEY) as string | undefined;
  const out = await post<{ code: string; openid: string }>(
    '/h5_demo/wx_login',
    stored ? { openid: stored } : {},
  );
  if (!stored) Taro.setStorageSync(OPENID_KEY, out.openid);
  return out.code;
}

/** What the phone-number button gives in the simulation: the simulated user's number, encrypted. */
export async function simulatedPhoneData(code: string): Promise<{ encryptedData: string; iv: string }> {
  const openid = Taro.getStorageSync(OPENID_KEY) as string | undefined;
  return post('/h5_demo/wx_phone', openid ? { code, openid } : { code });
}

/** What the sign-in page calls WeChat here. */
export const wechatLabel = '微信（演示模拟）';

/**
 * `wx.requestSubscribeMessage` for the browser: the same question in a dialog; 允许 is passed to the
 * simulated WeChat as one acceptance of the template for this browser's WeChat user.
 */
export async function requestSubscribe(templateId: string): Promise<boolean> {
  const answer = await Taro.showModal({
    title: '订阅告警通知',
    content: '“能管通”想向你发送 1 条告警通知（微信演示模拟）',
    confirmText: '允许',
    cancelText: '取消',
  });
  if (!answer.confirm) return false;
  if (!Taro.getStorageSync(OPENID_KEY)) await wechatCode();
  const openid = Taro.getStorageSync(OPENID_KEY) as string;
  try {
    await post('/h5_demo/wx_subscribe', { openid, template_id: templateId });
    return true;
  } catch {
    return false;
  }
}
