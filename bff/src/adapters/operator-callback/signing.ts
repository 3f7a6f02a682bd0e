import crypto from 'node:crypto';
import { DateTime } from 'luxon';

/** The seed's `Datetime` header: `yyyy-MM-dd HH:mm:ss`, China time (the seed's example is local time). */
export const seedDatetime = (at: Date): string =>
  DateTime.fromJSDate(at, { zone: 'Asia/Shanghai' }).toFormat('yyyy-MM-dd HH:mm:ss');

/** The seed 004 signing string: `datetime: <Datetime>\noperatorid: <OperatorId>\ntoken: <Token>`. */
export const signingString = (datetime: string, operatorId: string, token: string): string =>
  `datetime: ${datetime}\noperatorid: ${operatorId}\ntoken: ${token}`;

/** base64(HMAC-SHA256(secret, signing string)), the seed's `Signature`. */
export const seedSignature = (secret: string, datetime: string, operatorId: string, token: string): string =>
  crypto
    .createHmac('sha256', secret)
    .update(signingString(datetime, operatorId, token), 'utf8')
    .digest('base64');

/** Constant-time check of a received `Signature`. */
export function signatureMatches(
  secret: string,
  headers: { datetime: string; operatorId: string; token: string; signature: string },
): boolean {
  const want = Buffer.from(seedSignature(secret, headers.datetime, headers.operatorId, headers.token));
  const got = Buffer.from(headers.signature);
  return want.length === got.length && crypto.timingSafeEqual(want, got);
}
