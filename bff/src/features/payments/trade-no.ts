import crypto from 'node:crypto';

/** `WD<bill id>T<12 hex>`: our out_trade_no names its bill (≤ 32 characters, as WeChat Pay allows). */
const FORMAT = /^WD(\d{1,9})T[0-9a-f]{12}$/;

/** A new out_trade_no for an order of the bill. */
export const newOutTradeNo = (billId: number): string =>
  `WD${billId}T${crypto.randomBytes(6).toString('hex')}`;

/** The bill id an out_trade_no of ours names, or null when it is not in our format. */
export function billIdOfOutTradeNo(outTradeNo: string): number | null {
  const m = FORMAT.exec(outTradeNo);
  return m ? Number(m[1]) : null;
}
