import {
  prpBaseInfos,
  prpConnection,
  prpConnectionBody,
  prpOperationQuery,
  prpOperationResult,
  prpOrganizationInfos,
  prpUploadRecord,
  prpUploadsQuery,
  prpVersion,
  prpVersionUpdate,
  type PrpOperationType,
} from '@wattdesk/shared';
import { definePermission } from '../../core/auth/permissions';
import { paged } from '../../core/http/envelope';
import { pageOf } from '../../core/http/origin';
import { route } from '../../core/http/route';
import type { ProvincialService } from './service';

const TAG = '5 省平台';

export const ProvincialPermissions = {
  manage: definePermission('provincial.manage', '设置省平台连接、上传用能单位基础信息、更新版本数据', [
    'admin',
  ]),
  view: definePermission('provincial.view', '查看省平台配置、上传记录与操作结果', ['admin']),
} as const;

const notConnected = '尚未设置省平台连接（4004）';

/** Seed 002 §5.1–5.5, 5.7, 5.8 and the connection extension. */
export function provincialRoutes(s: ProvincialService) {
  return [
    route({
      method: 'get',
      path: '/api_3/PRP_connection',
      envelope: '002',
      tag: TAG,
      summary: '省平台连接（扩展）：平台地址与接入密钥（不返回密钥本身）',
      access: { permission: ProvincialPermissions.view },
      response: prpConnection,
      handler: async ({ actor }) => s.connection(actor.orgId),
    }),
    route({
      method: 'put',
      path: '/api_3/PRP_connection',
      envelope: '002',
      tag: TAG,
      summary: '设置省平台连接（扩展）',
      description:
        'Platform_Url 为省平台接入地址，Access_Key / Secret 为省平台发给本单位的接入密钥（加密保存，请求按 docs/provincial-adapter.md 签名）。',
      access: { permission: ProvincialPermissions.manage },
      body: prpConnectionBody,
      handler: async ({ actor, body }) => {
        await s.saveConnection(actor.orgId, {
          baseUrl: body.Platform_Url,
          accessKey: body.Access_Key,
          secret: body.Secret,
        });
        return undefined;
      },
    }),
    route({
      method: 'get',
      path: '/api_3/PRP_base_infos',
      envelope: '002',
      tag: TAG,
      summary: '5.1 获取省平台基础数据（数据采集来源、用途、采集数据项）',
      description:
        '缓存在服务端；5.4 报告基础数据版本（dicVersion）变化后下次查询重新获取。dicVersion 为扩展字段。',
      access: 'session',
      response: prpBaseInfos,
      errors: { 409: notConnected, 502: '省平台不可用' },
      handler: async ({ actor }) => s.baseInfos(actor.orgId),
    }),
    route({
      method: 'put',
      path: '/api_3/PRP_organization_infos',
      envelope: '002',
      tag: TAG,
      summary: '5.2 上传用能单位基础信息',
      description:
        '整体校验：必填字段、编码取自 5.1 基础数据、Meter_id 为本组织仪表、regionCode 6 位、经纬度在中国境内、工序/工序单元引用存在、' +
        '同一仪表同一编码同一采集频率不能重复。保存后立即上传省平台（失败自动重试），结果见 5.8（Operation_Type=1）；' +
        '之后按各项 statType 定时上传采集数据。',
      access: { permission: ProvincialPermissions.manage },
      body: prpOrganizationInfos,
      errors: { 409: notConnected, 502: '省平台不可用' },
      handler: async ({ actor, body }) => {
        await s.saveOrganization(actor.orgId, body);
        return undefined;
      },
    }),
    route({
      method: 'get',
      path: '/api_3/PRP_organization_infos',
      envelope: '002',
      tag: TAG,
      summary: '5.3 获取用能单位基础信息',
      access: { permission: ProvincialPermissions.view },
      response: prpOrganizationInfos,
      errors: { 404: '尚未保存用能单位基础信息（4002）' },
      handler: async ({ actor }) => s.organization(actor.orgId),
    }),
    route({
      method: 'get',
      path: '/api_3/PRP_version',
      envelope: '002',
      tag: TAG,
      summary: '5.4 获取版本信息（向省平台查询）',
      access: { permission: ProvincialPermissions.view },
      response: prpVersion,
      errors: { 409: notConnected, 502: '省平台不可用' },
      handler: async ({ actor }) => s.version(actor.orgId),
    }),
    route({
      method: 'post',
      path: '/api_3/PRP_version',
      envelope: '002',
      tag: TAG,
      summary: '5.5 更新版本数据（更新后平台基础数据会变化）',
      description: '请求保存后立即发送（失败自动重试）；应答为此时的操作结果（同 5.8 Operation_Type=2）。',
      access: { permission: ProvincialPermissions.manage },
      body: prpVersionUpdate,
      response: prpOperationResult,
      errors: { 409: notConnected },
      handler: async ({ actor, body }) => s.updateVersion(actor.orgId, body),
    }),
    route({
      method: 'get',
      path: '/api_3/PRP_uploaded_energy_measure_datas',
      envelope: '002',
      tag: TAG,
      summary: '5.7 获取采集数据上传记录（与省平台的每一次交互）',
      description:
        'Time_Start/Time_End 为本组织时区的本地时间；按上传时间升序。每次尝试（含失败与重试）一行：Original_Data 为发送的原始数据，' +
        'Response_Data 为省平台的原始应答。Result、Operation_Type、Item_Name、Period、Attempt 为扩展字段。',
      access: { permission: ProvincialPermissions.view },
      query: prpUploadsQuery,
      response: prpUploadRecord,
      handler: async ({ actor, query }) => {
        const { limit, offset } = pageOf(query);
        const { items, total } = await s.uploads(actor.orgId, {
          start: query.Time_Start,
          end: query.Time_End,
          limit,
          offset,
        });
        return paged(items, total);
      },
    }),
    route({
      method: 'get',
      path: '/api_3/PRP_operation_result',
      envelope: '002',
      tag: TAG,
      summary: '5.8 获取省平台操作结果（该类操作最近一次）',
      description:
        'Operation_Type 1 上传用能单位基础信息、2 更新版本数据、3 采集数据上传（扩展）。从未操作时 Data 为空。' +
        'Operation_Time、Failures（上次成功后的失败次数）、Pending（等待或重试中的数量）为扩展字段。',
      access: { permission: ProvincialPermissions.view },
      query: prpOperationQuery,
      response: prpOperationResult,
      handler: async ({ actor, query }) =>
        s.operationResult(actor.orgId, query.Operation_Type as PrpOperationType),
    }),
  ];
}
