import crypto from 'node:crypto';
import { z } from 'zod';
import { route, type RouteDef } from '../../core/http/route';
import { AppError } from '../../core/errors';
import type { AppDeps } from '../../container';

/**
 * Demo mode only: what `wx.login()` and the user-info button do on a phone, for the H5 build in a
 * browser. Each call is passed to the in-process fake WeChat server's test-control API, so the BFF's
 * real WeChat client then exchanges the code exactly as it would with WeChat. Outside demo mode: 404.
 */
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
    handler: async ({ deps, body }) => {
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
    handler: async ({ deps, body }) => {
      const out = await control(deps, '/__fake/encrypt', {
        code: body.code,
        data: { nickName: body.nickName },
      });
      return { encryptedData: out.encryptedData, iv: out.iv };
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
    handler: async ({ deps, body }) => {
      const phone = simulatedPhone(body.openid);
      const out = await control(deps, '/__fake/encrypt', {
        code: body.code,
        data: { phoneNumber: `+86${phone}`, purePhoneNumber: phone, countryCode: '86' },
      });
      return { encryptedData: out.encryptedData, iv: out.iv };
    },
  }),
];
