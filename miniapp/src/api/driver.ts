import Taro from '@tarojs/taro';
import type { Endpoint } from './endpoints';
import { ApiError } from './errors';
import { call002, callOne002, type CallInput } from './request';
import { wechatCode } from '../platform/wechat';
import type { PaymentParams } from '../platform/pay';

// The driver's side of charging bills (issue 11 item 5): a WeChat-only identity from wx.login that sees
// and pays only its own bills. Its token is kept apart from a manager's session (it reaches no manager
// data) and is sent by hand, so a manager's session is never renewed or cleared by these calls.

const e = (method: Endpoint['method'], path: string): Endpoint => ({
  method,
  path,
  envelope: '002',
  auth: false,
});
export const driverEndpoints = {
  login: e('POST', '/api_3/driver_login'),
  bills: e('GET', '/api_3/driver_bills'),
  bill: e('GET', '/api_3/driver_bill'),
  pay: e('POST', '/api_3/driver_bill_pay'),
};

/** A finished session's bill as the driver sees it. */
export interface Bill {
  id: string;
  stationName: string;
  connectorName: string;
  plate: string;
  start: string;
  end: string;
  kwh: number | null;
  /** Amount due in yuan. */
  money: number | null;
  /** 0 待支付, 1 支付中, 2 已支付, 3 已退款, 4 已关闭 (domain/charging PAY_STATES). */
  payState: number;
  paidAt: string;
}

/** How a driver looks a bill up: the connector's code (scanned or typed), or the car's plate or phone. */
export type BillQuery = { connector: string } | { plate: string } | { phone: string };

const KEY = 'wd.driver';

interface DriverSession {
  token: string;
}

function readDriver(): DriverSession | null {
  try {
    const raw: unknown = Taro.getStorageSync(KEY);
    if (raw && typeof raw === 'object' && typeof (raw as DriverSession).token === 'string')
      return raw as DriverSession;
  } catch {
    // storage unavailable: sign in again
  }
  return null;
}

/** Forgets the driver's sign-in. */
export function signOutDriver(): void {
  Taro.removeStorageSync(KEY);
}

export function isDriverSignedIn(): boolean {
  return readDriver() !== null;
}

/** Signs in as a driver with a fresh wx.login code (no organization account needed). */
export async function signInDriver(): Promise<void> {
  const code = await wechatCode().catch(() => {
    throw new ApiError('session', '无法获取微信登录凭证，请稍后重试');
  });
  const item = await callOne002<Record<string, unknown>>(driverEndpoints.login, { body: { code } });
  const token = item.Driver_Token ?? item.Usr_Token ?? item.token;
  if (typeof token !== 'string' || !token) throw new ApiError('format', '微信登录失败，请稍后重试');
  Taro.setStorageSync(KEY, { token });
}

/** One driver call with the driver's token; an expired token is renewed through wx.login once. */
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

type Raw = Record<string, unknown>;
const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));
const num = (v: unknown): number | null => {
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

export function fromBill(r: Raw): Bill {
  return {
    id: str(r.Bill_ID ?? r.billId ?? r.id),
    stationName: str(r.Station_Name ?? r.stationName),
    connectorName: str(r.Connector_Name ?? r.connectorName ?? r.Connector_ID),
    plate: str(r.Plate ?? r.plate),
    start: str(r.Start_Time ?? r.startTime),
    end: str(r.End_Time ?? r.endTime),
    kwh: num(r.Energy ?? r.energy),
    money: num(r.Money ?? r.amount ?? r.money),
    payState: num(r.Pay_State ?? r.payState) ?? 0,
    paidAt: str(r.Paid_Time ?? r.paidAt),
  };
}

/** The driver's bills matching a connector code, a plate or a phone (newest first). */
export async function findBills(q: BillQuery): Promise<Bill[]> {
  const query =
    'connector' in q
      ? { Connector_Code: q.connector.trim() }
      : 'plate' in q
        ? { Plate: q.plate.trim().toUpperCase() }
        : { Phone: q.phone.trim() };
  return (await driverCall<Raw>(driverEndpoints.bills, { query })).map(fromBill);
}

/** One bill, as the backend knows it now (the only word on whether it is paid). */
export async function fetchBill(id: string): Promise<Bill> {
  const [item] = await driverCall<Raw>(driverEndpoints.bill, { query: { Bill_ID: id } });
  if (!item) throw new ApiError('format', '没有找到这张账单');
  return fromBill(item);
}

/** Places the WeChat Pay order of a bill and answers what wx.requestPayment needs. */
export async function prepareBillPayment(id: string): Promise<PaymentParams> {
  const [item] = await driverCall<Raw>(driverEndpoints.pay, { body: { Bill_ID: id } });
  if (!item) throw new ApiError('format', '没有拿到支付参数，请稍后重试');
  return {
    timeStamp: str(item.timeStamp),
    nonceStr: str(item.nonceStr),
    package: str(item.package),
    signType: 'RSA',
    paySign: str(item.paySign),
  };
}
