import fs from 'node:fs';
import type { Config } from '@wattdesk/config';
import { AppError } from '../../core/errors';
import type { Clock } from '../../infra/clock';
import type { Logger } from '../../infra/logger';
import { WeChatPayClient, type WeChatPayConfig } from '../../adapters/wechatpay/client';

/** Our notification endpoints (WeChat Pay posts here). */
export const NOTIFY_PATHS = {
  pay: '/api_3/wechatpay_notify',
  refund: '/api_3/wechatpay_refund_notify',
} as const;

/** Where the H5 build's simulated payment sheet posts (same origin as the page, so the CSP allows it). */
export const DEMO_PAY_PATH = '/h5_demo/wxpay_pay';

/**
 * Where the payments feature reaches WeChat Pay: the configured merchant (WECHATPAY_*), or demo
 * mode's fake once its demo hook started it; without either, paying answers 502 "not configured".
 */
export class PayGateway {
  private current: WeChatPayClient | null = null;
  /** Demo mode only: the fake's "the payer paid" URL for the H5 build. */
  demoPayUrl: string | undefined;
  readonly orderTtlSeconds: number;

  constructor(
    private readonly config: Config,
    private readonly deps: { clock: Clock; log: Logger },
  ) {
    this.orderTtlSeconds = config.WECHATPAY_ORDER_TTL_SECONDS;
    if (config.WECHATPAY_MCHID) this.current = new WeChatPayClient(this.fromConfig(), this.clientDeps());
  }

  private clientDeps() {
    return { clock: this.deps.clock, log: this.deps.log, timeoutMs: this.config.WECHATPAY_TIMEOUT_MS };
  }

  private fromConfig(): WeChatPayConfig {
    const c = this.config;
    return {
      baseUrl: c.WECHATPAY_API_BASE.replace(/\/+$/, ''),
      appid: c.WECHATPAY_APPID ?? c.WECHAT_APPID ?? '',
      mchid: c.WECHATPAY_MCHID!,
      merchantSerial: c.WECHATPAY_MCH_SERIAL!.toUpperCase(),
      privateKeyPem: fs.readFileSync(c.WECHATPAY_PRIVATE_KEY_FILE!, 'utf8'),
      apiV3Key: c.WECHATPAY_API_V3_KEY!,
      publicKey:
        c.WECHATPAY_PUBLIC_KEY_ID && c.WECHATPAY_PUBLIC_KEY_FILE
          ? { id: c.WECHATPAY_PUBLIC_KEY_ID, pem: fs.readFileSync(c.WECHATPAY_PUBLIC_KEY_FILE, 'utf8') }
          : undefined,
    };
  }

  get configured(): boolean {
    return this.current !== null;
  }

  /** The client; 502 when no merchant is configured. */
  client(): WeChatPayClient {
    if (!this.current) throw new AppError('upstream_failed', '微信支付未配置（WECHATPAY_MCHID）');
    return this.current;
  }

  /** Demo mode: use the in-process fake. */
  useFake(cfg: WeChatPayConfig, demoPayUrl: string): void {
    this.current = new WeChatPayClient(cfg, this.clientDeps());
    this.demoPayUrl = demoPayUrl;
  }

  notifyUrl(kind: keyof typeof NOTIFY_PATHS): string {
    return `${(this.config.WECHATPAY_NOTIFY_BASE ?? this.config.publicUrl).replace(/\/+$/, '')}${NOTIFY_PATHS[kind]}`;
  }
}
