import Taro from '@tarojs/taro';
import type { BillItem, DriverClaimBody, DriverSession, PayOrderResult } from '@wattdesk/shared';
import type { Endpoint } from './endpoints';
import { ApiError } from './errors';
import { call002, callOne002, type CallInput } from './request';
import { wechatCode } from '../platform/wechat';

// The driver's side of charging bills (issue 11 item 5; contract shared/src/api/payments.ts): a
// WeChat-only identity from wx.login that sees and pays only its own bills. Its token is kept apart from
// a manager's session (it reaches no manager data) and is sent by hand, so a manager's session is never
// renewed or cleared by these calls.

const e = (method: Endpoint['method'], path: string): Endpoint => ({
  method,
  path,
  envelope: '002',
  auth: false,
});
export const driverEndpoints = {
  login: e('POST', '/api_3/driver_login'),
  claim: e('POST', '/api_3/driver_bill_claim'),
  bills: e('GET', '/api_3/driver_bills'),
  bill: e('GET', '/api_3/driver_bill'),
  pay: e('POST', '/api_3/driver_bill_pay'),
};

export type Bill = BillItem;
export type PayOrder = PayOrderResult;

/** How a driver finds a bill: the connector's QR code (scanned, or typed), or the plate AND the phone. */
export type BillQuery = DriverClaimBody;

const KEY = 'wd.driver';

function readDriver(): { token: string } | null {
  try {
    const raw: unknown = Taro.getStorageSync(KEY);
    if (raw && typeof raw === 'object' && typeof (raw as { token?: unknown }).token === 'string')
      return raw as { token: string };
  } catch {
    // storage unavailable: sign in again
  }
  return null;
}

/** Forgets the driver's sign-in. */
export function signOutDriver(): void {
  Taro.removeStorageSync(KEY);
}

/** Signs in as a driver with a fresh wx.login code (no organization account needed). */
export async function signInDriver(): Promise<void> {
  const code = await wechatCode().catch(() => {
    throw new ApiError('session', '无法获取微信登录凭证，请稍后重试');
  });
  const s = await callOne002<DriverSession>(driverEndpoints.login, { body: { code } });
  if (!s.Driver_Token) throw new ApiError('format', '微信登录失败，请稍后重试');
  Taro.setStorageSync(KEY, { token: s.Driver_Token });
}

/** One driver call with the driver's token; a rejected token is renewed through wx.login once. */
async function driverCall<T>(ep: Endpoint, input: CallInput = {}): Promise<T[]> {
  if (!readDriver()) await signInDriver();
  const send = () =>
    call002<T>(ep, {
      ...input,
      headers: { ...input.headers, Authorization: `Bearer ${readDriver()?.token ?? ''}` },
    });
  try {
    return (await send()).items;
  } catch (err) {
    if (!(err instanceof ApiError) || String(err.code) !== '4101') throw err;
    signOutDriver();
    await signInDriver();
    return (await send()).items;
  }
}

/** Finds and claims the bills of a connector code or of a plate + phone (they become the caller's). */
export function claimBills(q: BillQuery): Promise<Bill[]> {
  return driverCall<Bill>(driverEndpoints.claim, { body: q });
}

/** The caller's own bills, newest first. */
export function fetchMyBills(): Promise<Bill[]> {
  return driverCall<Bill>(driverEndpoints.bills, { query: { Per_Page_Counts: 20 } });
}

/** One bill, as the backend knows it now (the only word on whether it is paid). */
export async function fetchBill(id: number): Promise<Bill> {
  const [item] = await driverCall<Bill>(driverEndpoints.bill, { query: { Bill_ID: id } });
  if (!item) throw new ApiError('format', '没有找到这张账单');
  return item;
}

/** Places (or reuses) the WeChat Pay order of a bill: what wx.requestPayment needs. */
export async function prepareBillPayment(id: number): Promise<PayOrder> {
  const [item] = await driverCall<PayOrder>(driverEndpoints.pay, { body: { Bill_ID: id } });
  if (!item) throw new ApiError('format', '没有拿到支付参数，请稍后重试');
  return item;
}

/** Yuan from fen, for the formatter ("12.34 元"). */
export const yuan = (fen: number): number => fen / 100;
