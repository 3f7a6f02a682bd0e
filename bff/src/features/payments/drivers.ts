import crypto from 'node:crypto';
import type { Context } from 'koa';
import type { DriverSession } from '@wattdesk/shared';
import { AppError } from '../../core/errors';
import { bearerToken } from '../../core/auth/actor';
import type { Clock } from '../../infra/clock';
import type { WeChatClient } from '../../adapters/wechat/client';
import { WeChatApiError } from '../../adapters/wechat/errors';
import type { PaymentsRepository } from './repository';

/** Driver tokens are their own kind: this prefix, never a manager session (and the reverse). */
export const DRIVER_TOKEN_PREFIX = 'drv_';
const TOKEN_TTL_MS = 7 * 24 * 3600_000;
const hash = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

/** The authenticated driver. */
export interface Driver {
  driverId: number;
  openid: string;
}

/** WeChat-only driver identities: `wx.login` code → openid (code2session) → a driver token. */
export class DriverAuth {
  constructor(
    private readonly repo: PaymentsRepository,
    private readonly wechat: WeChatClient,
    private readonly clock: Clock,
  ) {}

  async login(code: string): Promise<DriverSession> {
    let openid: string;
    try {
      openid = (await this.wechat.code2Session(code)).openid;
    } catch (err) {
      if (err instanceof WeChatApiError && (err.reason === 'invalid_code' || err.reason === 'code_used'))
        throw new AppError('validation', 'code: 微信登录凭证无效、已过期或已使用，请重新调用 wx.login', {
          field: 'code',
          rule: '有效且未使用的 wx.login code',
        });
      throw new AppError('upstream_failed', '微信登录失败，请稍后再试');
    }
    const now = this.clock.now();
    const token = `${DRIVER_TOKEN_PREFIX}${crypto.randomBytes(32).toString('base64url')}`;
    const expiresAt = new Date(now.getTime() + TOKEN_TTL_MS);
    const driverId = await this.repo.db.transaction(async (tx) => {
      const id = await this.repo.upsertDriver(tx, this.wechat.appid, openid, now);
      await this.repo.saveSession(tx, hash(token), id, expiresAt);
      return id;
    });
    return { Driver_ID: String(driverId), Driver_Token: token, Token_Expires: expiresAt.toISOString() };
  }

  /** The driver behind `Authorization: Bearer drv_…`; 401 for anything else (a manager token too). */
  async authenticate(ctx: Context): Promise<Driver> {
    const token = bearerToken(ctx.get('authorization'));
    if (!token) throw new AppError('unauthenticated', '司机未登录：缺少 Authorization: Bearer 司机令牌');
    if (!token.startsWith(DRIVER_TOKEN_PREFIX))
      throw new AppError('unauthenticated', '此接口只接受司机令牌（微信登录 /api_3/driver_login）');
    const s = await this.repo.findSession(hash(token), this.clock.now());
    if (!s) throw new AppError('unauthenticated', '司机登录已失效，请重新进入小程序');
    return s;
  }
}
