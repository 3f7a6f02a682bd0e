import {
  chargingCallbackAttemptItem,
  chargingCallbackAttemptsAdminQuery,
  chargingCallbackAttemptsQuery,
  chargingCallbackDeleteBody,
  chargingCallbackUrlBody,
  chargingCallbackUrlItem,
  chargingCellRequestBody,
  type ChargingCallbackKind,
} from '@wattdesk/shared';
import { z } from 'zod';
import type { Context } from 'koa';
import { definePermission } from '../../core/auth/permissions';
import { invalid } from '../../core/errors';
import { paged } from '../../core/http/envelope';
import { pageOf } from '../../core/http/origin';
import { route } from '../../core/http/route';
import type { CallbackService } from './callbacks';
import type { OperatorRequests } from './operator-requests';
import type { ChargingPorts, OperatorIdentity } from './ports';

const TAG = '004 上报回调地址与安全预警';

export const ChargingCallbackPermissions = {
  view: definePermission('charging.callbacks.view', '查看平台对充电运营商的回调记录', ['admin']),
  request: definePermission('charging.callbacks.request', '请运营商上报充电口实时数据或充电过程数据', [
    'admin',
    'operator',
  ]),
} as const;

const signed =
  '请求头与 /platform/management/cell 相同：Datetime、OperatorId、Token、Signature（HMAC-SHA256，见 /platform/management/operatorAPIToken）。' +
  'body 的 operatorId 必须与请求头 OperatorId 一致。';
const urlRule =
  '地址在保存前和每次调用前都会检查：必须是 https（演示模式或 CHARGING_CALLBACK_ALLOW_HTTP=true 时可用 http），不能含用户名密码；' +
  '域名解析出的每个地址都必须是公网地址（本机、链路本地、内网、保留地址一律拒绝，CHARGING_CALLBACK_ALLOWED_NETWORKS 列出的网段除外）。';
const howCalled =
  '平台调用运营商时：POST JSON，请求头 Datetime（yyyy-MM-dd HH:mm:ss 北京时间）、OperatorId（该运营商）、Token（每次调用新的随机值）、' +
  'Signature = base64(HMAC-SHA256(运营商密钥, "datetime: <Datetime>\\noperatorid: <OperatorId>\\ntoken: <Token>"))。' +
  '应答 HTTP 2xx 且（若为 {status,message,data}）status=200 视为成功；否则按指数退避重试（首次 10 秒后，默认最多 8 次），每次尝试都记录（/platform/management/callbackAttempts）。投递至少一次：同一 warningId/requestId 可能重复送达，请按它去重。';

const ok = z.string();

/** Seed 004 上报回调地址管理 and 安全预警管理, and their extensions. */
export function chargingCallbackRoutes(s: CallbackService, requests: OperatorRequests, ports: ChargingPorts) {
  /** The signed operator, which must be the one the body names. */
  const operator = async (ctx: Context, body?: { operatorId: string }): Promise<OperatorIdentity> => {
    const op = await ports.authenticate(ctx);
    if (body && body.operatorId !== op.operatorId)
      throw invalid('operatorId', 'operatorId 必须是请求头 OperatorId 所示的本运营商');
    return op;
  };
  const setter = (kind: ChargingCallbackKind, path: string, summary: string, what: string) =>
    route({
      method: 'put',
      path,
      envelope: 'charging',
      tag: TAG,
      summary,
      description: `${what} ${signed} ${urlRule} ${howCalled}`,
      access: 'public',
      body: chargingCallbackUrlBody,
      response: ok,
      successMessage: '请求成功!',
      handler: async ({ ctx, body }) => {
        await s.setUrl(await operator(ctx, body), kind, body.url);
        return '修改成功!';
      },
    });
  const ask = (kind: 'realtimeQuery' | 'processData', path: string, summary: string, description: string) =>
    route({
      method: 'post',
      path,
      envelope: '002',
      tag: TAG,
      summary,
      description,
      access: { permission: ChargingCallbackPermissions.request },
      body: chargingCellRequestBody,
      response: z.object({ Request_Id: z.string() }),
      errors: { 404: '充电口不存在（4002）' },
      handler: async ({ actor, body }) => {
        const r = await requests.ask(actor.orgId, kind, {
          operatorId: body.Operator_Id,
          cellId: body.Cell_Id,
        });
        return { Request_Id: r.requestId };
      },
    });
  return [
    setter(
      'reportFailure',
      '/platform/management/reportFailureCallback',
      '修改上报失败回调地址',
      '运营商的“处理上报失败”接口：上报充电口实时信息列表（report=cellStatus）或提交充电记录信息列表（report=chargeRecord）中有条目被拒绝时，每个请求调用一次，' +
        'body {operatorId, report, requestId, ids（被拒绝条目的 cellId/recordId，无 id 时为 #序号）, items [{index, id, field, message}], reason, reportTime（平台收到请求的时间）}。' +
        '单条上报被拒绝时不回调（其 HTTP 应答即为结果）。修正后重新上报即可。',
    ),
    route({
      method: 'delete',
      path: '/platform/management/reportFailureCallback',
      envelope: 'charging',
      tag: TAG,
      summary: '删除上报失败回调地址',
      description: `删除后上报失败不再回调（仍记录为 no_address）。${signed}`,
      access: 'public',
      body: chargingCallbackDeleteBody,
      response: ok,
      successMessage: '请求成功!',
      errors: { 404: '未设置该回调地址' },
      handler: async ({ ctx, body }) => {
        await s.removeUrl(await operator(ctx, body), 'reportFailure');
        return '删除成功!';
      },
    }),
    setter(
      'realtimeQuery',
      '/platform/management/realtimeQueryCallback',
      '修改查询充电口实时数据回调地址',
      '管理人员查看某充电口实时数据时平台调用，body {operatorId, stationId, equipmentId, cellId, requestId, requestTime}；运营商应答 200 后通过“重新上报充电口实时信息”上报。',
    ),
    setter(
      'processData',
      '/platform/management/processDataCallback',
      '修改请求上报充电过程数据地址',
      '运营商的“处理请求上报充电过程数据”接口：平台需要某充电口当前充电过程数据时调用，body {operatorId, stationId, equipmentId, cellId, requestId, requestTime}。',
    ),
    setter(
      'safetyWarning',
      '/platform/management/safetyWarningCallback',
      '修改安全预警回调地址',
      '运营商的“安全预警接口”：充电口故障（255）持续超过 CHARGING_FAULT_WARNING_MINUTES 分钟，或电压/电流超出额定值、温度超过 CHARGING_MAX_TEMPERATURE_C 时调用；恢复时再调用一次。' +
        'body {operatorId, stationId, equipmentId, cellId, warningId, warningType (fault/overVoltage/underVoltage/overCurrent/overTemperature), warningName, warningStatus (1 预警, 0 恢复), warningTime, reportTime, value, limit, warningDesc}。',
    ),
    route({
      method: 'get',
      path: '/platform/management/callbackUrls',
      envelope: 'charging',
      tag: TAG,
      summary: '（扩展）查询本运营商的回调地址',
      description: signed.split('body')[0],
      access: 'public',
      response: z.array(chargingCallbackUrlItem),
      handler: async ({ ctx }) => s.urls(await operator(ctx)),
    }),
    route({
      method: 'get',
      path: '/platform/management/callbackAttempts',
      envelope: 'charging',
      tag: TAG,
      summary: '（扩展）分页查询平台对本运营商的回调尝试',
      description: `每次调用尝试一条，最新在前；data: {total, list}。${signed.split('body')[0]}`,
      access: 'public',
      query: chargingCallbackAttemptsQuery,
      response: z.object({ total: z.number().int(), list: z.array(chargingCallbackAttemptItem) }),
      handler: async ({ ctx, query }) => {
        const op = await operator(ctx);
        const { total, list } = await s.attempts(
          { orgId: op.orgId, operatorPk: op.operatorPk },
          query.kind,
          query.pageSize,
          (query.pageNum - 1) * query.pageSize,
        );
        return { total, list: list.map(({ operatorId: _, ...rest }) => rest) };
      },
    }),
    route({
      method: 'get',
      path: '/api_3/charging_callback_attempts',
      envelope: '002',
      tag: TAG,
      summary: '（扩展）平台对充电运营商的回调尝试',
      description: '本组织各运营商的回调尝试，最新在前；Operator_Id、Kind 可筛选。',
      access: { permission: ChargingCallbackPermissions.view },
      query: chargingCallbackAttemptsAdminQuery,
      response: chargingCallbackAttemptItem.extend({ operatorId: z.string() }),
      handler: async ({ actor, query }) => {
        const { limit, offset } = pageOf(query);
        let operatorPk: number | undefined;
        if (query.Operator_Id) {
          const op = await ports.operatorOf(actor.orgId, query.Operator_Id);
          if (!op) return paged([], 0);
          operatorPk = op.operatorPk;
        }
        const { total, list } = await s.attempts(
          { orgId: actor.orgId, operatorPk },
          query.Kind,
          limit,
          offset,
        );
        return paged(list, total);
      },
    }),
    ask(
      'realtimeQuery',
      '/api_3/charging_cell_realtime_query',
      '（扩展）请运营商上报充电口实时数据',
      '平台调用该运营商的“查询充电口实时数据回调地址”（后台发送，失败重试）；运营商随后重新上报该充电口实时信息。',
    ),
    ask(
      'processData',
      '/api_3/charging_process_data_request',
      '（扩展）请运营商上报充电过程数据',
      '平台调用该运营商的“请求上报充电过程数据地址”（后台发送，失败重试）。',
    ),
  ];
}
