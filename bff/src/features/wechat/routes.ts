import {
  loginResult,
  xcxAvatarQuery,
  xcxBindBody,
  xcxBindResult,
  xcxLoginBody,
  xcxProfileBody,
  xcxProfileResult,
} from '@wattdesk/shared';
import { z } from 'zod';
import { RAW, route } from '../../core/http/route';
import { uploadedImage } from '../../core/images';
import { originOf } from '../../core/http/origin';

const avatarBody = z.strictObject({ WeChat_Avatar: uploadedImage('WeChat_Avatar') });

/** Seed 002 §9.1 WeChat binding, WeChat login and the WeChat nickname/avatar (extensions). */
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
  route({
    method: 'put',
    path: '/api_3/xcx_profile',
    envelope: '002',
    tag: '9 小程序',
    summary: '修改微信昵称（扩展）：小程序 <input type="nickname"> 填写的昵称',
    description: '只改当前登录用户已绑定微信的昵称（1–64 个字符，不含控制字符）；未绑定微信时 4104。',
    access: 'session',
    body: xcxProfileBody,
    response: xcxProfileResult,
    errors: { 404: '该账号没有绑定微信（4104）' },
    handler: async ({ deps, actor, body, ctx }) =>
      deps.wechatIdentity.setNickName(actor, body.Nick_Name, originOf(ctx)),
  }),
  route({
    method: 'post',
    path: '/api_3/xcx_avatar',
    envelope: '002',
    tag: '9 小程序',
    summary:
      '上传微信头像（扩展）：小程序 open-type="chooseAvatar" 选出的图片（PNG/JPEG/GIF/WebP，最大 2 MB）',
    description:
      '只改当前登录用户已绑定微信的头像；返回 WeChat_Avatar_Url，该地址只对本组织已登录用户可读（携带 Authorization）。',
    access: 'session',
    bodyType: 'multipart',
    body: avatarBody,
    response: xcxProfileResult,
    errors: { 404: '该账号没有绑定微信（4104）' },
    handler: async ({ deps, actor, body, ctx }) =>
      deps.wechatIdentity.setAvatar(actor, body.WeChat_Avatar, originOf(ctx)),
  }),
  route({
    method: 'get',
    path: '/api_3/xcx_avatar',
    envelope: '002',
    tag: '9 小程序',
    summary: '读取微信头像（扩展；仅本组织）',
    access: 'session',
    query: xcxAvatarQuery,
    errors: { 404: '用户或头像不存在（4002）' },
    handler: async ({ deps, actor, query, ctx }) => {
      const img = await deps.wechatIdentity.avatar(actor, query.id);
      ctx.set('Cache-Control', 'private, max-age=86400');
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.type = img.mime;
      ctx.body = img.body;
      return RAW;
    },
  }),
];
