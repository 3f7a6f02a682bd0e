import Taro from '@tarojs/taro';
import { apiBase } from '../api/config';
import type { PaymentOutcome, PaymentParams } from './pay';

export type { PaymentOutcome, PaymentParams } from './pay';

// The browser build has no WeChat Pay sheet. In demo mode the BFF runs a fake WeChat Pay whose control
// endpoint plays the payer: this asks the user the sheet's question in a dialog and, on 确认支付, has
// the fake pay the prepared order (it then notifies the BFF as WeChat Pay would). Whether the bill is
// paid is still the backend's to say; the page asks it afterwards.

/** The H5 demo's WeChat Pay sheet. */
export async function requestPayment(params: PaymentParams, bill: { id: string }): Promise<PaymentOutcome> {
  const answer = await Taro.showModal({
    title: '微信支付（演示模拟）',
    content: '确认支付这张充电账单？',
    confirmText: '确认支付',
    cancelText: '取消',
  });
  if (!answer.confirm) return { kind: 'cancel' };
  try {
    const res = await Taro.request({
      url: `${apiBase}/h5_demo/wxpay_pay`,
      method: 'POST',
      data: { prepay_id: params.package.replace(/^prepay_id=/, ''), bill_id: bill.id },
      header: { 'Content-Type': 'application/json' },
    });
    if (res.statusCode >= 300) return { kind: 'fail', detail: `simulated WeChat Pay answered ${res.statusCode}` };
    return { kind: 'ok' };
  } catch (err) {
    return { kind: 'fail', detail: String((err as Error)?.message ?? err) };
  }
}

/** No camera scanner in the browser: the page asks for the code printed under the QR code. */
export async function scanConnectorCode(): Promise<string | null> {
  return null;
}

export const canScan = false;
