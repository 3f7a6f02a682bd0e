/** Why a WeChat call failed, as a type the service can switch on (never the errmsg text). */
export type WeChatFailure =
  | 'busy' // -1: retry later
  | 'invalid_code' // 40029: bad or expired js_code / phone code
  | 'code_used' // 40163: the code was exchanged already
  | 'rate_limited' // 45011 / 45009: minute or daily quota
  | 'blocked' // 40226: high-risk user, login blocked
  | 'bad_credentials' // 40013 / 40125 / 40001 on token fetch / 41002 / 41004 / 40243
  | 'ip_not_allowed' // 40164 / 61004
  | 'token_invalid' // 40001 / 42001 on an API call with an access_token
  | 'invalid_openid' // 40003
  | 'invalid_template' // 40037
  | 'user_refused' // 43101: not subscribed / refused
  | 'bad_argument' // 47003 / 47001 / 41030 / 40002
  | 'unknown';

const byCode: Record<number, WeChatFailure> = {
  [-1]: 'busy',
  40029: 'invalid_code',
  40163: 'code_used',
  45011: 'rate_limited',
  45009: 'rate_limited',
  40226: 'blocked',
  40013: 'bad_credentials',
  40125: 'bad_credentials',
  40243: 'bad_credentials',
  41002: 'bad_credentials',
  41004: 'bad_credentials',
  40164: 'ip_not_allowed',
  61004: 'ip_not_allowed',
  40001: 'token_invalid',
  42001: 'token_invalid',
  41001: 'token_invalid',
  40003: 'invalid_openid',
  40037: 'invalid_template',
  43101: 'user_refused',
  47003: 'bad_argument',
  47001: 'bad_argument',
  41030: 'bad_argument',
  40002: 'bad_argument',
  41008: 'invalid_code',
};

/** WeChat answered with a non-zero errcode. */
export class WeChatApiError extends Error {
  readonly reason: WeChatFailure;
  constructor(
    readonly api: string,
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`WeChat ${api} errcode ${errcode}: ${errmsg}`);
    this.name = 'WeChatApiError';
    this.reason = byCode[errcode] ?? 'unknown';
  }
}

/** WeChat could not be reached, timed out, or answered something that is not its documented shape. */
export class WeChatTransportError extends Error {
  constructor(
    readonly api: string,
    message: string,
    readonly timedOut = false,
  ) {
    super(`WeChat ${api}: ${message}`);
    this.name = 'WeChatTransportError';
  }
}
