import crypto from 'node:crypto';
import { z } from 'zod';
import type { Context } from 'koa';
import type { Config } from '@wattdesk/config';
import { route, type RouteDef } from '../../core/http/route';
import { AppError } from '../../core/errors';
import { CallerGate, gateFor } from '../../core/http/caller-gate';
import type { AppDeps } from '../../container';
import { DEMO_USER } from '../../demo/demo-data';

/**
 * Demo mode only: what `wx.login()` and the user-info button do on a phone, for the H5 build in a
 * browser. Each call is passed to the in-process fake WeChat server's test-control API, so the BFF's
 * real WeChat client then exchanges the code exactly as it would with WeChat. The routes are mounted
 * only in demo mode (`isDemoOnlyRoute`); they answer only callers on this machine (loopback, not through
 * a proxy) or presenting `X-Demo-Secret: WD_DEMO_SECRET`, and never mint a code for an openid bound to a
 * user outside the demo organization (knowing a real user's openid must not sign anyone in as them).
 */
const demoGate = gateFor(
  (config: Config) =>
    new CallerGate({
      secret: config.WD_DEMO_SECRET,
      presented: (ctx) => ctx.get('x-demo-secret') || undefined,
      networks: '127.0.0.0/8,::1/128',
    }),
);

/**
 * Refuses a call to a demo simulation route outside demo mode, or from off this machine without
 * `X-Demo-Secret` (also used by other features' demo routes, e.g. the simulated WeChat Pay payer).
 */
export function guardDemoCaller(config: Config, ctx: Context): void {
  if (!config.WD_DEMO) throw new AppError('not_found', '仅演示模式可用');
  if (!demoGate(config).allows(ctx))
    throw new AppError('forbidden', '模拟微信仅供本机使用（或携带 X-Demo-Secret 请求头）');
}

const guard = (deps: AppDeps, ctx: Context): void => guardDemoCaller(deps.config, ctx);

/** Refuses an openid bound to a user of any organization but the demo one. */
async function refuseRealUser(deps: AppDeps, openid: string): Promise<void> {
  const boundOrg = await deps.accounts.orgOfWeChatIdentity(deps.wechat.appid, openid);
  if (boundOrg === undefined) return;
  const demoOrg = (await deps.accounts.userByName(DEMO_USER))?.orgId;
  if (boundOrg !== demoOrg)
    throw new AppError('forbidden', '该微信身份已绑定非演示账号，模拟登录只能用于演示组织的账号');
}
const loginBody = z.strictObject({
  openid: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/, 'openid 只能包含字母、数字、_ 和 -，8–64 位')
    .optional(),
});
const encryptBody = z.strictObject({
  code: z.string().min(1).max(128),
  nickName: z.string().trim().min(1).max(64).default('演示用户'),
});

const subscribeBody = z.strictObject({
  openid: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'openid 只能包含字母、数字、_ 和 -，8–64 位'),
  template_id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,128}$/, 'template_id 只能包含字母、数字、_ 和 -，最多 128 位'),
});

const phoneBody = z.strictObject({
  code: z.string().min(1).max(128),
  openid: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/)
    .optional(),
});

/** The simulated WeChat user's phone number: the same one for the same simulated user (138 + 8 digits). */
export function simulatedPhone(openid: string | undefined): string {
  const digest = crypto
    .createHash('sha256')
    .update(openid ?? 'demo')
    .digest();
  return `138${String(digest.readUInt32BE(0) % 100_000_000).padStart(8, '0')}`;
}

/** The fake WeChat server's base URL, which demo mode points the WeChat client at. */
function fakeBase(deps: AppDeps): string {
  if (!deps.config.WD_DEMO) throw new AppError('not_found', '仅演示模式可用');
  // Demo mode points the WeChat client at the in-process fake (fakes/wechat/demo.ts).
  const base = deps.wechat.baseUrl;
  if (!base) throw new AppError('upstream_failed', '模拟微信服务器未启动');
  return base;
}

async function control(deps: AppDeps, path: string, body: object): Promise<Record<string, unknown>> {
  const res = await fetch(`${fakeBase(deps)}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
  const out = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new AppError('validation', '模拟微信：code 无效或已过期', { field: 'code' });
  return out;
}

/** Routes of the in-browser WeChat simulation used by the H5 build in demo mode. */
export const wechatSimRoutes: RouteDef<any, any, any>[] = [
  route({
    method: 'post',
    path: '/h5_demo/wx_login',
    envelope: 'plain',
    tag: '演示',
    summary: '演示模式：模拟 wx.login()，返回一次性 code（H5 版用）',
    access: 'public',
    rateLimit: { bucket: 'h5_demo', points: 60, windowSec: 60 },
    body: loginBody,
    handler: async ({ deps, body, ctx }) => {
      guard(deps, ctx);
      if (body.openid) await refuseRealUser(deps, body.openid);
      const out = await control(deps, '/__fake/login', body.openid ? { openid: body.openid } : {});
      return { code: out.code, openid: out.openid };
    },
  }),
  route({
    method: 'post',
    path: '/h5_demo/wx_user_info',
    envelope: 'plain',
    tag: '演示',
    summary: '演示模式：模拟用户信息按钮，返回 encryptedData 与 iv（H5 版用）',
    access: 'public',
    rateLimit: { bucket: 'h5_demo', points: 60, windowSec: 60 },
    body: encryptBody,
    handler: async ({ deps, body, ctx }) => {
      guard(deps, ctx);
      const out = await control(deps, '/__fake/encrypt', {
        code: body.code,
        data: { nickName: body.nickName },
      });
      return { encryptedData: out.encryptedData, iv: out.iv };
    },
  }),
  route({
    method: 'post',
    path: '/h5_demo/wx_subscribe',
    envelope: 'plain',
    tag: '演示',
    summary: '演示模式：模拟 wx.requestSubscribeMessage 中点了“允许”，该模板可再推送 1 条（H5 版用）',
    access: 'public',
    rateLimit: { bucket: 'h5_demo', points: 60, windowSec: 60 },
    body: subscribeBody,
    handler: async ({ deps, body, ctx }) => {
      guard(deps, ctx);
      await control(deps, '/__fake/user', { openid: body.openid, subscribe: [body.template_id], times: 1 });
      return { template_id: body.template_id, accepted: true };
    },
  }),
  route({
    method: 'post',
    path: '/h5_demo/wx_phone',
    envelope: 'plain',
    tag: '演示',
    summary: '演示模式：模拟手机号按钮（open-type="getPhoneNumber"），返回 encryptedData 与 iv（H5 版用）',
    access: 'public',
    rateLimit: { bucket: 'h5_demo', points: 60, windowSec: 60 },
    body: phoneBody,
    handler: async ({ deps, body, ctx }) => {
      guard(deps, ctx);
      const phone = simulatedPhone(body.openid);
      const out = await control(deps, '/__fake/encrypt', {
        code: body.code,
        data: { phoneNumber: `+86${phone}`, purePhoneNumber: phone, countryCode: '86' },
      });
      return { encryptedData: out.encryptedData, iv: out.iv };
    },
  }),
];

/** Whether a route belongs to the demo simulation (mounted only when WD_DEMO is on). */
export const isDemoOnlyRoute = (def: RouteDef<any, any, any>): boolean => wechatSimRoutes.includes(def);
