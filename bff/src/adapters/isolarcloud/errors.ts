/** Why an iSolarCloud call failed, as a type callers switch on (never the message text). */
export type IsolarFailure =
  | 'token_invalid' // E00003 / E900 / 002 / OAuth invalid_token: refresh or log in again, retry once
  | 'quota' // E998 / E999 / E901, or our own hourly count: back off ("调用次数已达上限")
  | 'credentials' // the application's appkey / x-access-key is refused (E00000, E911, E912, E914, 001, 003)
  | 'not_allowed' // E918 / E919 / E00001: IP or user not whitelisted, service expired
  | 'login_failed' // /openapi/login: login_state ≠ 1 (wrong account or password, locked)
  | 'invalid_code' // token endpoint: invalid code / redirect mismatch (result_code 2–6)
  | 'reauthorize' // refresh refused (expired or invalid refresh token): the owner must authorise again
  | 'not_connected' // the organization has no credentials
  | 'bad_request' // 009 / 010 and other parameter errors
  | 'unknown';

/** Codes after which the client refreshes the token (or logs in again) and retries once. */
export const RELOGIN_CODES: readonly string[] = ['E00003', 'E900', '002', 'invalid_token'];
/** Codes meaning the call quota is used up. */
export const QUOTA_CODES: readonly string[] = ['E998', 'E999', 'E901'];

const byCode: Record<string, IsolarFailure> = {
  E998: 'quota',
  E999: 'quota',
  E901: 'quota',
  E00000: 'credentials',
  E911: 'credentials',
  E912: 'credentials',
  E914: 'credentials',
  '001': 'credentials',
  '003': 'credentials',
  E918: 'not_allowed',
  E919: 'not_allowed',
  E00001: 'not_allowed',
  '009': 'bad_request',
  '010': 'bad_request',
};

/** iSolarCloud answered with an error code (or our own quota refused the call before it was made). */
export class IsolarCloudError extends Error {
  readonly reason: IsolarFailure;
  constructor(
    readonly api: string,
    readonly code: string,
    readonly msg: string,
    reason?: IsolarFailure,
  ) {
    super(`iSolarCloud ${api} ${code}: ${msg}`);
    this.name = 'IsolarCloudError';
    this.reason = reason ?? (RELOGIN_CODES.includes(code) ? 'token_invalid' : (byCode[code] ?? 'unknown'));
  }
}

/** iSolarCloud could not be reached, timed out, or answered something that is not its documented shape. */
export class IsolarCloudTransportError extends Error {
  constructor(
    readonly api: string,
    message: string,
    readonly timedOut = false,
  ) {
    super(`iSolarCloud ${api}: ${message}`);
    this.name = 'IsolarCloudTransportError';
  }
}
