import type { Context } from 'koa';
import {
  bmsControlBody,
  bmsControlData,
  commandHistory,
  commandHistoryQuery,
  deviceUidQuery,
  reactivePowerControlBody,
  reactivePowerControlData,
} from '@wattdesk/shared';
import { z } from 'zod';
import { route } from '../../../core/http/route';
import { originOf } from '../../../core/http/origin';
import { invalid } from '../../../core/errors';
import type { Actor } from '../../../core/auth/actor';
import { DevicePermissions } from '../permissions';
import type { CommandContext } from './service';
import { outcomeOf } from './present';
import type { CommandRow } from '../tables';

const BASE = '/wad/ems/v1/api';
const TAG = 'EMS 设备控制（seed 000/001）';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_\-:.]{1,128}$/;

/** Who, from where, and the optional `Idempotency-Key` header (checked, never trusted blindly). */
function commandContext(ctx: Context, actor: Actor): CommandContext {
  const key = ctx.get('idempotency-key');
  if (key && !IDEMPOTENCY_KEY.test(key))
    throw invalid('Idempotency-Key', '只能包含字母、数字和 _ - : .，最长 128 个字符');
  const from = ctx.get('x-command-origin');
  if (from && from !== 'user' && from !== 'auto')
    throw invalid('X-Command-Origin', '只能是 user（用户操作）或 auto（打开页面时自动读取）');
  return { actor, origin: originOf(ctx), idempotencyKey: key || undefined, automatic: from === 'auto' };
}

/** Answers from the record; the command id travels in `X-Command-Id` for every outcome. */
function answer(ctx: Context, row: CommandRow): string {
  ctx.set('X-Command-Id', row.id);
  return outcomeOf(row).detail;
}

const deviceErrors = {
  403: '没有该操作的权限（100003）',
  404: '设备不存在或不属于本组织（100004）',
  409: '设备离线（100005）/ 设备拒绝执行（100006，含原因）/ 设备忙（100008）/ Idempotency-Key 冲突（100009）',
  502: '设备执行失败（100012）',
  504: '设备未在期限内应答（100007），记录为“超时未应答”',
};
const commandNotes =
  '先校验参数（400/100001，不下发），再持久记录命令，经 MQTT `wd/{device_uid}/rpc/request` 下发并等待应答（期限 DEVICE_RPC_TIMEOUT_MS）。' +
  '可带 `Idempotency-Key` 请求头：同一用户重复提交同一个键只返回第一次的结果，绝不重复下发；同一个键用于不同请求体返回 409/100009。' +
  '同一设备同时只允许一条改变状态的命令在执行。应答头 `X-Command-Id` 为命令记录编号（见 GET /device-commands）。';

/** Seeds 000 and 001, exactly as documented, plus the command history extension. */
export const commandRoutes = [
  route({
    method: 'post',
    path: `${BASE}/reactive-power-control`,
    envelope: 'ems',
    tag: TAG,
    summary: '下发无功治理控制',
    description: `${commandNotes} 需要权限 ${DevicePermissions.reactive}。data 为设备已生效控制的说明。`,
    access: 'session',
    body: reactivePowerControlBody,
    response: z.string(),
    successMessage: '无功治理控制下发成功',
    errors: deviceErrors,
    handler: async ({ deps, actor, body, ctx }) =>
      answer(ctx, await deps.devices.commands.reactiveControl(commandContext(ctx, actor), body)),
  }),
  route({
    method: 'get',
    path: `${BASE}/reactive-power-control`,
    envelope: 'ems',
    tag: TAG,
    summary: '获取无功治理控制（最近一次同步/下发的结果，不访问设备）',
    access: 'session',
    query: deviceUidQuery,
    response: reactivePowerControlData,
    successMessage: '获取无功治理控制成功',
    errors: { 404: '设备不存在，或尚无已同步的控制（100004）' },
    handler: async ({ deps, actor, query }) => deps.devices.commands.storedReactive(actor, query.device_uid),
  }),
  route({
    method: 'put',
    path: `${BASE}/reactive-power-control/sync`,
    envelope: 'ems',
    tag: TAG,
    summary: '同步无功治理控制（向设备读取、保存并返回）',
    access: { permission: DevicePermissions.sync },
    query: deviceUidQuery,
    response: reactivePowerControlData,
    successMessage: '无功治理同步成功',
    errors: deviceErrors,
    handler: async ({ deps, actor, query, ctx }) =>
      deps.devices.commands.syncReactive(commandContext(ctx, actor), query.device_uid),
  }),
  route({
    method: 'post',
    path: `${BASE}/bms-control`,
    envelope: 'ems',
    tag: TAG,
    summary: '下发BMS控制（1 故障复位，2 接触器闭合，3 接触器断开）',
    description:
      `${commandNotes} 故障复位需要权限 ${DevicePermissions.faultReset}，接触器闭合/断开需要 ${DevicePermissions.contactor}。` +
      '设备执行后立即回读 BMS 状态（再一个期限），data 说明执行结果和回读状态。',
    access: 'session',
    body: bmsControlBody,
    response: z.string(),
    successMessage: 'BMS控制下发成功',
    errors: deviceErrors,
    handler: async ({ deps, actor, body, ctx }) =>
      answer(ctx, await deps.devices.commands.bmsControl(commandContext(ctx, actor), body)),
  }),
  route({
    method: 'get',
    path: `${BASE}/bms-control`,
    envelope: 'ems',
    tag: TAG,
    summary: '获取BMS状态（最近一次同步/回读的结果，不访问设备）',
    access: 'session',
    query: deviceUidQuery,
    response: bmsControlData,
    successMessage: '获取BMS状态成功',
    errors: { 404: '设备不存在，或尚无已同步的状态（100004）' },
    handler: async ({ deps, actor, query }) => deps.devices.commands.storedBms(actor, query.device_uid),
  }),
  route({
    method: 'put',
    path: `${BASE}/bms-control/sync`,
    envelope: 'ems',
    tag: TAG,
    summary: '同步BMS状态（向设备读取、保存并返回）',
    access: { permission: DevicePermissions.sync },
    query: deviceUidQuery,
    response: bmsControlData,
    successMessage: 'BMS状态同步成功',
    errors: deviceErrors,
    handler: async ({ deps, actor, query, ctx }) =>
      deps.devices.commands.syncBms(commandContext(ctx, actor), query.device_uid),
  }),
  route({
    method: 'get',
    path: `${BASE}/device-commands`,
    envelope: 'ems',
    tag: TAG,
    summary: '设备命令记录（扩展）：谁、何时、从哪里、下发了什么、设备应答或超时、回读状态',
    description:
      '按时间倒序分页：page 从 1 开始，page_size 默认 20、最大 100。' +
      '带 `X-Command-Origin: auto` 请求头的同步（小程序打开页面时自动读取）记为 origin=auto，默认不列出；include_auto=1 时一并列出。',
    access: 'session',
    query: commandHistoryQuery,
    response: commandHistory,
    successMessage: '获取命令记录成功',
    errors: { 404: '设备不存在或不属于本组织（100004）' },
    handler: async ({ deps, actor, query }) =>
      deps.devices.commands.history(
        actor,
        query.device_uid,
        query.page ?? 1,
        query.page_size ?? 20,
        query.include_auto === '1',
      ),
  }),
];
