import { AppError } from '../../core/errors';
import { DecryptError } from '../../adapters/wechat/crypto';
import { WeChatApiError, WeChatTransportError } from '../../adapters/wechat/errors';

/** Maps a WeChat adapter failure to the error the caller sees: their mistake (4xx) or WeChat's (502). */
export function fromWeChat(err: unknown): unknown {
  if (err instanceof DecryptError) {
    const field = err.reason === 'illegal_iv' ? 'iv' : 'encryptedData';
    const rule =
      err.reason === 'watermark_mismatch'
        ? '数据不属于本小程序（watermark.appid 不符）'
        : err.reason === 'illegal_iv'
          ? 'iv 必须是 16 字节的 base64'
          : '无法用本次登录的 session_key 解密（请在获取数据前后不要再次调用 wx.login）';
    return new AppError('validation', `${field}: ${rule}`, { field, rule });
  }
  if (err instanceof WeChatApiError) {
    switch (err.reason) {
      case 'invalid_code':
        return new AppError('validation', 'code: 微信登录凭证无效或已过期，请重新调用 wx.login', {
          field: 'code',
          rule: '有效且未使用的 wx.login code',
        });
      case 'code_used':
        return new AppError('validation', 'code: 微信登录凭证已被使用，请重新调用 wx.login', {
          field: 'code',
          rule: '每个 code 只能使用一次',
        });
      case 'rate_limited':
        return new AppError('rate_limited', '微信登录过于频繁，请一分钟后再试');
      case 'blocked':
        return new AppError('forbidden', '微信判定该用户存在风险，已拦截登录', { rule: 'WeChat 40226' });
      default:
        return new AppError('upstream_failed', `微信接口调用失败（errcode ${err.errcode}）`, {
          errcode: err.errcode,
        });
    }
  }
  if (err instanceof WeChatTransportError) return new AppError('upstream_failed', err.message);
  return err;
}
