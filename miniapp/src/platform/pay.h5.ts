import Taro from '@tarojs/taro';
import type { PayOrderResult } from '@wattdesk/shared';
import { apiBase } from '../api/config';
import type { PaymentOutcome } from './pay';

// The browser build has no WeChat Pay sheet. In demo mode the order carries the fake WeChat Pay's
// control URL (`Demo_Pay_Url`, payments.ts), which plays the payer: this asks the sheet's question in a
// dialog and, on 确认支付, POSTs `{"prepay_id"}` there; the fake then notifies the BFF as WeChat Pay
// would. Whether the bill is paid is still the backend's to say: the page asks it afterwards.

/** The H5 demo's WeChat Pay sheet. */
export async function requestPayment(order: PayOrderResult): Promise<PaymentOutcome> {
  if (!order.Demo_Pay_Url) return { kind: 'fail', detail: 'no WeChat Pay in this browser build' };
  const answer = await Taro.showModal({
    title: '微信支付（演示模拟）',
    content: `确认支付 ${(order.Amount_Fen / 100).toFixed(2)} 元？`,
    confirmText: '确认支付',
    cancelText: '取消',
  });
  if (!answer.confirm) return { kind: 'cancel' };
  const url = order.Demo_Pay_Url.startsWith('/') ? `${apiBase}${order.Demo_Pay_Url}` : order.Demo_Pay_Url;
  try {
    const res = await Taro.request({
      url,
      method: 'POST',
      data: { prepay_id: order.Pay_Params.package.replace(/^prepay_id=/, '') },
      header: { 'Content-Type': 'application/json' },
    });
    if (res.statusCode >= 300)
      return { kind: 'fail', detail: `simulated WeChat Pay answered ${res.statusCode}` };
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
