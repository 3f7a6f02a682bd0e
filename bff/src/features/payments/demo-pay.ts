import { z } from 'zod';
import { route, type RouteDef } from '../../core/http/route';
import { AppError } from '../../core/errors';
import { guardDemoCaller } from '../h5/wechat-sim';
import { DEMO_PAY_PATH, type PayGateway } from './gateway';

const body = z.strictObject({
  prepay_id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'prepay_id 只能包含字母、数字、_ 和 -，最多 64 位'),
});

/**
 * Demo mode only (mounted only then, answering only this machine or `X-Demo-Secret`): the payer of the
 * H5 build's simulated WeChat Pay sheet. Passes `{prepay_id}` to the in-process fake WeChat Pay's
 * `/__fake/pay`, which then notifies the BFF as WeChat Pay would; whether the bill is paid is still
 * decided by that verified notification.
 */
export function demoPayRoute(gateway: PayGateway): RouteDef<any, any, any> {
  return route({
    method: 'post',
    path: DEMO_PAY_PATH,
    envelope: 'plain',
    tag: '演示',
    summary: '演示模式：模拟付款人在微信支付收银台确认付款（H5 版用）',
    access: 'public',
    rateLimit: { bucket: 'h5_demo', points: 60, windowSec: 60 },
    body,
    handler: async ({ deps, body: b, ctx }) => {
      guardDemoCaller(deps.config, ctx);
      const url = gateway.demoPayUrl;
      if (!url) throw new AppError('not_found', '模拟微信支付未启动');
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ prepay_id: b.prepay_id }),
        signal: AbortSignal.timeout(5000),
      });
      if (!res.ok) throw new AppError('validation', '模拟微信支付：prepay_id 无效', { field: 'prepay_id' });
      return { paid: true };
    },
  });
}
