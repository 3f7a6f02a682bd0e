import { z } from 'zod';
import { route, RAW } from '../../../core/http/route';
import type { Context } from 'koa';
import { hookGate } from './hook-gate';

const BASE = '/wad/ems/v1/api/mqtt';
const TAG = 'MQTT 代理认证（供 EMQX / Mosquitto 调用）';
const limit = { bucket: 'mqtt-auth', points: 20_000, windowSec: 60 } as const;

const text = (max: number) => z.string().max(max).default('');
const authBody = z.object({ clientid: text(128), username: text(128), password: text(256) });
const aclBody = z.object({
  clientid: text(128),
  username: text(128),
  topic: z.string().min(1).max(512),
  /** EMQX: `publish` / `subscribe`. */
  action: z.enum(['publish', 'subscribe']).optional(),
  /** mosquitto-go-auth: 1 read, 2 write, 3 read+write, 4 subscribe. */
  acc: z.coerce.number().int().min(1).max(4).optional(),
});
const superuserBody = z.object({ username: text(128) });

/** 200 `{"result":"allow"}` or 403 `{"result":"deny"}`: EMQX reads the body, Mosquitto's plugin the status. */
function decide(ctx: Context, allow: boolean, superuser = false): typeof RAW {
  ctx.status = allow ? 200 : 403;
  ctx.body = allow ? { result: 'allow', is_superuser: superuser } : { result: 'deny' };
  return RAW;
}

/**
 * The broker's questions over HTTP, for an external broker: the same decisions the embedded broker
 * makes (devices log in with their secret and use only `wd/{own uid}/...`; the BFF's user may do all).
 * Only the broker may ask (`hookGate`: shared secret or a configured network); anyone else hears "deny",
 * the same answer for known and unknown names.
 */
export const brokerAuthRoutes = [
  route({
    method: 'post',
    path: `${BASE}/auth`,
    envelope: 'plain',
    tag: TAG,
    summary: '连接认证：clientid、username、password',
    description:
      'EMQX HTTP 认证或 mosquitto-go-auth 的 http 后端调用。允许 200 {"result":"allow"}，拒绝 403 {"result":"deny"}。',
    access: 'public',
    rateLimit: limit,
    body: authBody,
    handler: async ({ deps, body, ctx }) => {
      if (!hookGate(deps.config).allows(ctx)) return decide(ctx, false);
      const d = await deps.devices.registry.decideConnect({
        clientId: body.clientid,
        username: body.username,
        password: body.password,
      });
      return decide(ctx, d.allow, d.superuser);
    },
  }),
  route({
    method: 'post',
    path: `${BASE}/acl`,
    envelope: 'plain',
    tag: TAG,
    summary: '主题授权：设备只能发布/订阅 wd/{自己的 device_uid}/...',
    access: 'public',
    rateLimit: limit,
    body: aclBody,
    handler: async ({ deps, body, ctx }) =>
      decide(
        ctx,
        hookGate(deps.config).allows(ctx) &&
          (await deps.devices.registry.mayUseTopic(body.username, body.clientid, body.topic)),
      ),
  }),
  route({
    method: 'post',
    path: `${BASE}/superuser`,
    envelope: 'plain',
    tag: TAG,
    summary: '是否为平台自身（mosquitto-go-auth 的 superuser 检查）',
    access: 'public',
    rateLimit: limit,
    body: superuserBody,
    handler: async ({ deps, body, ctx }) =>
      decide(ctx, hookGate(deps.config).allows(ctx) && deps.devices.registry.isPlatformUser(body.username)),
  }),
];
