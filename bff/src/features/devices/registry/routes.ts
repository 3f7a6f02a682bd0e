import {
  deviceCreateBody,
  deviceCreated,
  deviceItem,
  deviceListQuery,
  deviceSecret,
  deviceUidQuery,
  deviceUpdateBody,
} from '@wattdesk/shared';
import { z } from 'zod';
import { route } from '../../../core/http/route';
import { originOf } from '../../../core/http/origin';
import { DevicePermissions } from '../permissions';
import { presentDevice } from './service';
import { deviceBrokerUrl } from './broker-address';

const BASE = '/wad/ems/v1/api';
const TAG = 'EMS 设备登记（扩展）';

/** Extension endpoints of the device registry, in seeds 000/001's style (snake_case, `{code,message,data}`). */
export const deviceRoutes = [
  route({
    method: 'get',
    path: `${BASE}/devices`,
    envelope: 'ems',
    tag: TAG,
    summary: '本组织的设备列表（在线状态、最后通信时间、最新遥测值）',
    description:
      'online 来自设备保留的 `wd/{device_uid}/status` 主题；时间为 ISO 8601 (UTC)。可按 kind、site 过滤。',
    access: 'session',
    query: deviceListQuery,
    response: z.array(deviceItem),
    successMessage: '获取设备列表成功',
    handler: async ({ deps, actor, query }) => deps.devices.registry.list(actor, query),
  }),
  route({
    method: 'get',
    path: `${BASE}/devices/detail`,
    envelope: 'ems',
    tag: TAG,
    summary: '单个设备',
    access: 'session',
    query: deviceUidQuery,
    response: deviceItem,
    successMessage: '获取设备成功',
    errors: { 404: '设备不存在或不属于本组织（100004）' },
    handler: async ({ deps, actor, query }) =>
      presentDevice(await deps.devices.registry.get(actor, query.device_uid)),
  }),
  route({
    method: 'post',
    path: `${BASE}/devices`,
    envelope: 'ems',
    tag: TAG,
    summary: '登记设备（返回的 secret 只显示这一次，平台只保存其哈希）',
    description:
      '设备以 client id = username = device_uid、password = secret 连接 MQTT（地址见 broker_url），只能使用 `wd/{device_uid}/...` 主题。',
    access: { permission: DevicePermissions.manage },
    body: deviceCreateBody,
    response: deviceCreated,
    successMessage: '设备登记成功',
    errors: { 409: 'device_uid 已被登记（100009）' },
    handler: async ({ deps, actor, body, ctx }) => ({
      ...(await deps.devices.registry.register(actor, body, originOf(ctx))),
      broker_url: deviceBrokerUrl(deps.config, deps.devices.mode, deps.devices.brokerUrl),
    }),
  }),
  route({
    method: 'put',
    path: `${BASE}/devices`,
    envelope: 'ems',
    tag: TAG,
    summary: '修改设备名称或站点',
    access: { permission: DevicePermissions.manage },
    body: deviceUpdateBody,
    response: deviceItem,
    successMessage: '设备修改成功',
    errors: { 404: '设备不存在或不属于本组织（100004）' },
    handler: async ({ deps, actor, body, ctx }) => deps.devices.registry.update(actor, body, originOf(ctx)),
  }),
  route({
    method: 'delete',
    path: `${BASE}/devices`,
    envelope: 'ems',
    tag: TAG,
    summary: '删除没有命令记录的设备',
    access: { permission: DevicePermissions.manage },
    query: deviceUidQuery,
    successMessage: '设备删除成功',
    errors: { 404: '设备不存在或不属于本组织（100004）', 409: '设备已有命令记录，不能删除（100009）' },
    handler: async ({ deps, actor, query, ctx }) => {
      await deps.devices.registry.remove(actor, query.device_uid, originOf(ctx));
      return '';
    },
  }),
  route({
    method: 'post',
    path: `${BASE}/devices/secret`,
    envelope: 'ems',
    tag: TAG,
    summary: '重置设备密钥（新 secret 只显示这一次；旧密钥在设备下次连接时失效）',
    access: { permission: DevicePermissions.manage },
    body: deviceUidQuery,
    response: deviceSecret,
    successMessage: '设备密钥已重置',
    errors: { 404: '设备不存在或不属于本组织（100004）' },
    handler: async ({ deps, actor, body, ctx }) =>
      deps.devices.registry.rotateSecret(actor, body.device_uid, originOf(ctx)),
  }),
];
