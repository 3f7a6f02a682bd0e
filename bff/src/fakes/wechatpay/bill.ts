import { fenToYuan, TRADE_BILL_HEADER } from '../../adapters/wechatpay/tradebill';
import type { FakeWeChatPayState } from './state';

/** `YYYY-MM-DD` of an RFC3339 +08:00 time (bill days are Beijing days). */
const day = (rfc: string) => new Date(Date.parse(rfc) + 8 * 3600_000).toISOString().slice(0, 10);
const local = (rfc: string) =>
  new Date(Date.parse(rfc) + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');

/**
 * The ALL trade bill of one Beijing day as WeChat Pay writes it: a header, one back-ticked row per
 * payment that succeeded that day and per refund that succeeded that day, then the summary block.
 * `billOverrides` plant differences (another amount, or a trade only the bill has) for tests.
 */
export function tradeBillFile(state: FakeWeChatPayState, mchid: string, date: string): string {
  const rows: string[][] = [];
  const blank = () => TRADE_BILL_HEADER.map(() => '');
  const set = (r: string[], k: (typeof TRADE_BILL_HEADER)[number], v: string) =>
    (r[TRADE_BILL_HEADER.indexOf(k)] = v);
  for (const o of state.orders.values()) {
    if (o.mchid !== mchid || !o.successTime || day(o.successTime) !== date) continue;
    const total = state.billOverrides.get(o.outTradeNo)?.totalFen ?? o.amountFen;
    const r = blank();
    set(r, '交易时间', local(o.successTime));
    set(r, '公众账号ID', o.appid);
    set(r, '商户号', o.mchid);
    set(r, '微信订单号', o.transactionId!);
    set(r, '商户订单号', o.outTradeNo);
    set(r, '用户标识', o.openid);
    set(r, '交易类型', 'JSAPI');
    set(r, '交易状态', 'SUCCESS');
    set(r, '货币种类', 'CNY');
    set(r, '应结订单金额', fenToYuan(total));
    set(r, '订单金额', fenToYuan(total));
    set(r, '退款金额', '0.00');
    set(r, '申请退款金额', '0.00');
    set(r, '商品名称', o.description);
    rows.push(r);
  }
  for (const [no, plant] of state.billOverrides) {
    if (!plant.extra || day(plant.extra.successTime) !== date || state.orders.has(no)) continue;
    const r = blank();
    set(r, '交易时间', local(plant.extra.successTime));
    set(r, '商户号', mchid);
    set(r, '微信订单号', `4200PLANTED${no}`.slice(0, 32));
    set(r, '商户订单号', no);
    set(r, '交易类型', 'JSAPI');
    set(r, '交易状态', 'SUCCESS');
    set(r, '应结订单金额', fenToYuan(plant.totalFen ?? 1));
    set(r, '订单金额', fenToYuan(plant.totalFen ?? 1));
    set(r, '申请退款金额', '0.00');
    rows.push(r);
  }
  for (const f of state.refunds.values()) {
    if (f.mchid !== mchid || f.status !== 'SUCCESS' || !f.successTime || day(f.successTime) !== date)
      continue;
    const r = blank();
    set(r, '交易时间', local(f.successTime));
    set(r, '商户号', mchid);
    set(r, '微信订单号', f.transactionId);
    set(r, '商户订单号', f.outTradeNo);
    set(r, '交易类型', 'JSAPI');
    set(r, '交易状态', 'REFUND');
    set(r, '微信退款单号', f.refundId);
    set(r, '商户退款单号', f.outRefundNo);
    set(r, '退款金额', fenToYuan(f.refundFen));
    set(r, '退款状态', 'SUCCESS');
    set(r, '订单金额', fenToYuan(f.totalFen));
    set(r, '申请退款金额', fenToYuan(f.refundFen));
    rows.push(r);
  }
  const paid = rows.filter((r) => r[TRADE_BILL_HEADER.indexOf('交易状态')] === 'SUCCESS');
  const sum = (rs: string[][], k: (typeof TRADE_BILL_HEADER)[number]) =>
    rs.reduce((s, r) => s + Math.round(Number(r[TRADE_BILL_HEADER.indexOf(k)] || 0) * 100), 0);
  const lines = [
    TRADE_BILL_HEADER.join(','),
    ...rows.map((r) => r.map((v) => `\`${v}`).join(',')),
    '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额',
    [
      rows.length,
      fenToYuan(sum(paid, '应结订单金额')),
      fenToYuan(sum(rows, '退款金额')),
      '0.00',
      '0.00',
      fenToYuan(sum(paid, '订单金额')),
      fenToYuan(sum(rows, '申请退款金额')),
    ]
      .map((v) => `\`${v}`)
      .join(','),
  ];
  return `${lines.join('\r\n')}\r\n`;
}
