/**
 * The trade bill file (GET /v3/bill/tradebill → download_url, bill_type=ALL): CSV, every value
 * prefixed with a back-tick, amounts in 元 with two decimals, one row per payment (交易状态 SUCCESS)
 * and per refund (REFUND), then a summary block starting with `总交易单数`.
 */

export const TRADE_BILL_HEADER = [
  '交易时间',
  '公众账号ID',
  '商户号',
  '特约商户号',
  '设备号',
  '微信订单号',
  '商户订单号',
  '用户标识',
  '交易类型',
  '交易状态',
  '付款银行',
  '货币种类',
  '应结订单金额',
  '代金券金额',
  '微信退款单号',
  '商户退款单号',
  '退款金额',
  '充值券退款金额',
  '退款类型',
  '退款状态',
  '商品名称',
  '商户数据包',
  '手续费',
  '费率',
  '订单金额',
  '申请退款金额',
  '费率备注',
] as const;

export interface TradeBillRow {
  tradeTime: string;
  transactionId: string;
  outTradeNo: string;
  /** SUCCESS (a payment) or REFUND (a refund row) or REVOKED. */
  state: string;
  /** 订单金额 in fen. */
  totalFen: number;
  outRefundNo: string;
  /** 申请退款金额 in fen (0 on payment rows). */
  refundFen: number;
  refundState: string;
}

/** 元 with up to two decimals → fen, without floating-point drift. */
export function yuanToFen(text: string): number {
  const m = /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) throw new Error(`not an amount: ${text}`);
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -fen : fen;
}

/** fen → 元 text with two decimals. */
export const fenToYuan = (fen: number): string =>
  `${fen < 0 ? '-' : ''}${Math.floor(Math.abs(fen) / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;

/** Parses the file; throws on a header that is not the documented one. */
export function parseTradeBill(text: string): TradeBillRow[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  const col = (name: (typeof TRADE_BILL_HEADER)[number]) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`trade bill without column ${name}`);
    return i;
  };
  const idx = {
    time: col('交易时间'),
    tx: col('微信订单号'),
    out: col('商户订单号'),
    state: col('交易状态'),
    total: col('订单金额'),
    outRefund: col('商户退款单号'),
    refund: col('申请退款金额'),
    refundState: col('退款状态'),
  };
  const rows: TradeBillRow[] = [];
  for (const line of lines.slice(1)) {
    if (!line.trim()) continue;
    if (line.startsWith('总交易单数')) break;
    const v = line.split(',').map((x) => x.replace(/^`/, '').trim());
    rows.push({
      tradeTime: v[idx.time] ?? '',
      transactionId: v[idx.tx] ?? '',
      outTradeNo: v[idx.out] ?? '',
      state: v[idx.state] ?? '',
      totalFen: yuanToFen(v[idx.total] || '0'),
      outRefundNo: v[idx.outRefund] ?? '',
      refundFen: yuanToFen(v[idx.refund] || '0'),
      refundState: v[idx.refundState] ?? '',
    });
  }
  return rows;
}
