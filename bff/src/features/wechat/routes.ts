import { loginResult, xcxBindBody, xcxBindResult, xcxLoginBody } from '@wattdesk/shared';
import { route } from '../../core/http/route';
import { originOf } from '../../core/http/origin';

/** Seed 002 §9.1 WeChat binding, and WeChat login (extension). */
export const wechatRoutes = [
  route({
    method: 'post',
    path: '/api_3/xcx_info_bind',
    envelope: '002',
    tag: '9 小程序',
    summary: '9.1 小程序用户信息绑定',
    description:
      '`code` 来自 wx.login，`encryptedData`/`iv` 来自用户信息或手机号按钮。服务端用 code 向微信换取 session_key，解密并校验 watermark.appid，再把该微信身份绑定到当前登录用户。一个微信只能绑定一个账号（已绑定他人时 4003）。',
    access: 'session',
    rateLimit: { bucket: 'xcx_bind', points: 20, windowSec: 60, by: 'user' },
    body: xcxBindBody,
    response: xcxBindResult,
    errors: {
      409: '该微信已绑定其他账号（4003）',
      429: '请求过于频繁（4201）',
      502: '微信接口调用失败（4501）',
    },
    handler: async ({ deps, actor, body, ctx }) => deps.wechatIdentity.bind(actor, body, originOf(ctx)),
  }),
  route({
    method: 'delete',
    path: '/api_3/xcx_info_bind',
    envelope: '002',
    tag: '9 小程序',
    summary: '解除微信绑定（扩展）：该微信此后不能再登录本账号',
    access: 'session',
    errors: { 404: '该账号没有绑定微信（4104）' },
    handler: async ({ deps, actor, ctx }) => {
      await deps.wechatIdentity.unbind(actor, originOf(ctx));
      return undefined;
    },
  }),
  route({
    method: 'post',
    path: '/api_3/xcx_login',
    envelope: '002',
    tag: '9 小程序',
    summary: '微信登录（扩展）：已绑定微信的用户仅凭 wx.login 的 code 登录',
    description:
      '返回与 1.1 登录相同的 Data。未绑定的微信返回 4104（用户不存在），提示先用账号密码登录后绑定。',
    access: 'public',
    rateLimit: { bucket: 'login', points: 20, windowSec: 60 },
    body: xcxLoginBody,
    response: loginResult,
    errors: { 404: '该微信尚未绑定账号（4104）', 423: '账户已锁定（4102）', 502: '微信接口调用失败（4501）' },
    handler: async ({ deps, body, ctx }) => {
      const s = await deps.wechatIdentity.login(body.code, originOf(ctx));
      return {
        Usr_Name: s.user.name,
        Usr_ID: String(s.user.id),
        Usr_Token: s.token,
        Usr_Role: s.user.role,
        Token_Expires: s.expiresAt.toISOString(),
      };
    },
  }),
];
