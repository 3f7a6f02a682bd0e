import Taro from '@tarojs/taro';
import type { PayOrderResult } from '@wattdesk/shared';

/** How the payer left WeChat Pay's sheet: paid (as the client says: never trusted), cancelled, or failed. */
export type PaymentOutcome = { kind: 'ok' } | { kind: 'cancel' } | { kind: 'fail'; detail: string };

/**
 * Opens WeChat Pay's sheet for a prepared order. The answer only says how the sheet closed: whether the
 * bill is paid is the backend's to say (notification or query), so callers ask it afterwards.
 */
export async function requestPayment(order: PayOrderResult): Promise<PaymentOutcome> {
  // appId is WeChat's to check against the mini-program; wx.requestPayment takes the other five (§2.5).
  const { timeStamp, nonceStr, package: pkg, signType, paySign } = order.Pay_Params;
  try {
    await Taro.requestPayment({ timeStamp, nonceStr, package: pkg, signType, paySign });
    return { kind: 'ok' };
  } catch (err) {
    const msg = String((err as { errMsg?: string })?.errMsg ?? '');
    if (/cancel/i.test(msg)) return { kind: 'cancel' };
    return { kind: 'fail', detail: msg };
  }
}

/** Reads a connector's code with the camera (weapp); null when the user closed the scanner. */
export async function scanConnectorCode(): Promise<string | null> {
  try {
    const res = await Taro.scanCode({ onlyFromCamera: false, scanType: ['qrCode', 'barCode'] });
    return res.result || null;
  } catch {
    return null;
  }
}

/** The mini-program can scan; the browser build asks for the code printed under it instead. */
export const canScan = true;
