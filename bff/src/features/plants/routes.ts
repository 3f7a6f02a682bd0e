import {
  pvAuthorizeBody,
  pvAuthorizeItem,
  pvCallbackBody,
  pvCallbackQuery,
  pvConnectionItem,
  pvLoginBody,
  pvPlantDetailItem,
  pvPlantDetailQuery,
  pvPlantItem,
  pvPlantListQuery,
  pvPlantMeterBody,
} from '@wattdesk/shared';
import { definePermission } from '../../core/auth/permissions';
import { paged } from '../../core/http/envelope';
import { pageOf } from '../../core/http/origin';
import { RAW, route } from '../../core/http/route';
import type { PlantsService } from './service';

const TAG = '电站 (iSolarCloud, seed 003)';

export const PlantPermissions = {
  manage: definePermission('plants.manage', '连接 iSolarCloud 账号、关联电站与仪表', ['admin']),
} as const;

const listHelp =
  '本组织已授权的 iSolarCloud 电站（每 5 分钟刷新一次），故障优先，其次按名称。Power_kW 当前功率（kW），Today_kWh / Total_kWh 当日 / 累计发电量（kWh），' +
  'Soc 储能电站的电池 SOC（%，其他电站为 null），Fault_Status 1 故障 / 2 告警 / 3 正常，Updated_At 为最近一次从 iSolarCloud 取得数据的时间。';
const meterHelp =
  '把电站的累计发电量（Total_kWh）作为一块电表的读数写入（每次刷新一条，经计量功能的读数接口），使光伏发电量出现在能耗视图中。' +
  '该电表应是本组织的电表（能源类型 0）、不接采集设备、不是公式虚拟表。自发自用电量 = 发电量 − 上网电量：' +
  '另建一块公式虚拟表 [发电表id]-[上网电表id]（2.1/2.2 Meter_Formula）。Meter_id 为 null 解除关联。';
const connectHelp =
  '连接方式二选一：OAuth 授权（pv_connection_authorize → 在网页/web-view 中打开 Authorize_Url，用户同意后 iSolarCloud 带 code 跳回，' +
  'BFF 用 code 换取 access/refresh token），或账号密码登录（pv_connection_login）。令牌按组织加密保存，过期前自动刷新。';

const escapeHtml = (t: string) =>
  t.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** What the authorize web view shows after the exchange. */
function connectedPage(statusText: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>iSolarCloud 授权成功</title><style>body{font-family:sans-serif;text-align:center;padding:48px 16px;color:#222}</style></head>
<body><h2>iSolarCloud 授权成功</h2><p>${escapeHtml(statusText)}</p><p>请返回小程序查看电站。</p></body></html>`;
}

/** Seed 003 plants in the 002 style, and the connection extensions. */
export function plantRoutes(s: PlantsService) {
  return [
    route({
      method: 'get',
      path: '/api_3/pv_plants',
      envelope: '002',
      tag: TAG,
      summary: '电站列表（iSolarCloud）',
      description: listHelp,
      access: 'session',
      query: pvPlantListQuery,
      response: pvPlantItem,
      handler: async ({ actor, query }) => {
        const { limit, offset } = pageOf(query);
        const { items, total } = await s.list(actor.orgId, query.Ps_Name || undefined, limit, offset);
        return paged(items, total);
      },
    }),
    route({
      method: 'get',
      path: '/api_3/pv_plant_detail',
      envelope: '002',
      tag: TAG,
      summary: '电站详情：当日功率曲线、当月每日发电量、设备故障状态',
      description:
        'Power_Curve 为当日每 5 分钟一个点（kW），Daily_Yield 为当月每天的发电量（kWh），Devices 为电站设备及其故障状态（1 故障 / 2 告警 / 4 正常）。',
      access: 'session',
      query: pvPlantDetailQuery,
      response: pvPlantDetailItem,
      errors: { 404: '电站不存在（4002）' },
      handler: async ({ actor, query }) => [await s.detail(actor.orgId, query.Ps_Id)],
    }),
    route({
      method: 'put',
      path: '/api_3/pv_plant_meter',
      envelope: '002',
      tag: TAG,
      summary: '关联电站发电量与电表',
      description: meterHelp,
      access: { permission: PlantPermissions.manage },
      body: pvPlantMeterBody,
      response: pvPlantItem,
      errors: { 404: '电站或仪表不存在（4002）', 409: '该仪表已关联其他电站（4003）' },
      handler: async ({ actor, body }) => [await s.linkMeter(actor.orgId, body.Ps_Id, body.Meter_id ?? null)],
    }),
    route({
      method: 'get',
      path: '/api_3/pv_connection',
      envelope: '002',
      tag: TAG,
      summary: 'iSolarCloud 连接状态',
      description: connectHelp,
      access: 'session',
      response: pvConnectionItem,
      handler: async ({ actor }) => [await s.status(actor.orgId)],
    }),
    route({
      method: 'post',
      path: '/api_3/pv_connection_authorize',
      envelope: '002',
      tag: TAG,
      summary: '发起 iSolarCloud OAuth 授权',
      description: `${connectHelp} Region：1 中国、2 国际、3 欧洲、7 澳大利亚。Redirect_Url 不填时跳回 BFF 的 GET /api_3/pv_connection_callback；填写时跳回该地址并附带 Ticket 与 code 参数，由该页面调用 POST /api_3/pv_connection_callback。`,
      access: { permission: PlantPermissions.manage },
      body: pvAuthorizeBody,
      response: pvAuthorizeItem,
      handler: async ({ actor, body }) => [
        await s.startAuthorize(actor.orgId, body.Region, body.Redirect_Url),
      ],
    }),
    route({
      method: 'get',
      path: '/api_3/pv_connection_callback',
      envelope: '002',
      tag: TAG,
      summary: 'iSolarCloud 授权回调（用授权码换取令牌）',
      description: 'iSolarCloud 授权页跳回的地址（不需要登录：一次性 Ticket 即凭据，10 分钟内有效）。',
      access: 'public',
      query: pvCallbackQuery,
      response: pvConnectionItem,
      rateLimit: { bucket: 'pv-callback', points: 30, windowSec: 60 },
      handler: async ({ query, ctx }) => {
        const status = await s.completeAuthorize(query.Ticket, query.code);
        // A browser or web view landing here gets a page to read; API clients the 002 answer.
        if (ctx.accepts(['json', 'html']) !== 'html') return [status];
        ctx.type = 'html';
        ctx.body = connectedPage(status.Status_Text);
        return RAW;
      },
    }),
    route({
      method: 'post',
      path: '/api_3/pv_connection_callback',
      envelope: '002',
      tag: TAG,
      summary: '完成 iSolarCloud 授权（应用内提交授权码）',
      access: { permission: PlantPermissions.manage },
      body: pvCallbackBody,
      response: pvConnectionItem,
      handler: async ({ actor, body }) => [await s.completeAuthorize(body.Ticket, body.Code, actor.orgId)],
    }),
    route({
      method: 'post',
      path: '/api_3/pv_connection_login',
      envelope: '002',
      tag: TAG,
      summary: '用 iSolarCloud 账号密码连接（旧版登录）',
      description: `${connectHelp} 密码加密保存，仅用于令牌失效后自动重新登录。`,
      access: { permission: PlantPermissions.manage },
      body: pvLoginBody,
      response: pvConnectionItem,
      rateLimit: { bucket: 'pv-login', points: 10, windowSec: 60, by: 'user' },
      handler: async ({ actor, body }) => [
        await s.login(actor.orgId, body.Region, body.Account, body.Password),
      ],
    }),
    route({
      method: 'delete',
      path: '/api_3/pv_connection',
      envelope: '002',
      tag: TAG,
      summary: '断开 iSolarCloud 连接',
      description: '删除保存的令牌（电站最后一次的数据保留）。',
      access: { permission: PlantPermissions.manage },
      response: pvConnectionItem,
      errors: { 404: '未连接（4002）' },
      handler: async ({ actor }) => [await s.disconnect(actor.orgId)],
    }),
  ];
}
