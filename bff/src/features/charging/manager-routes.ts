import {
  CHARGING_STATIONS_MAX_PAGE,
  CHARGING_STATIONS_PAGE_SIZE,
  chargingOperatorCreateBody,
  chargingOperatorIdBody,
  chargingOperatorItem,
  chargingOperatorListQuery,
  chargingOperatorSecretItem,
  chargingRecordItem,
  chargingRecordsQuery,
  chargingRecordTotals,
  chargingRecordTotalsQuery,
  chargingStationItem,
  chargingStationsQuery,
  chargingUtilisationItem,
  chargingUtilisationQuery,
} from '@wattdesk/shared';
import { definePermission } from '../../core/auth/permissions';
import { paged, presentPagedJson } from '../../core/http/envelope';
import { pageOf } from '../../core/http/origin';
import { RAW, route } from '../../core/http/route';
import type { ManagerService } from './manager-service';
import type { OperatorsService } from './operators-service';

const TAG = '充电桩（扩展）';

export const ChargingPermissions = {
  operators: definePermission('charging.operators', '管理充电运营商（桩企）接入与密钥', ['admin']),
} as const;

/** 002-style extension endpoints for the organization's users. */
export function managerRoutes(s: { manager: ManagerService; operators: OperatorsService }) {
  return [
    route({
      method: 'get',
      path: '/api_3/charging_stations',
      envelope: '002',
      tag: TAG,
      summary: '充电站 → 充电设施 → 充电口（实时状态、功率、今日电量），及各站今日/本月电量、次数、收入',
      description:
        '单位：功率 kW，电量 kWh，金额 元。Status 为 T/CEC 102 状态码（0 离网、1 空闲、2 占用未充电、3 充电中、4 预约锁定、255 故障）；' +
        '今日/本月按本组织的业务日历计，电量与收入取当期结束的充电记录。' +
        `分页：Page_Counts 从 1 开始，Per_Page_Counts 默认 ${CHARGING_STATIONS_PAGE_SIZE}、最大 ${CHARGING_STATIONS_MAX_PAGE}；Total_Numbers 为符合条件的充电站总数。`,
      access: 'session',
      query: chargingStationsQuery,
      response: chargingStationItem,
      handler: async ({ actor, query, ctx }) => {
        const { limit, offset } = pageOf({
          Page_Counts: query.Page_Counts,
          Per_Page_Counts: query.Per_Page_Counts ?? CHARGING_STATIONS_PAGE_SIZE,
        });
        const { json, total } = await s.manager.stationsJson(
          actor.orgId,
          { stationId: query.Station_Id, operatorId: query.Operator_Id },
          limit,
          offset,
        );
        ctx.type = 'json';
        ctx.body = presentPagedJson(json, total);
        return RAW;
      },
    }),
    route({
      method: 'get',
      path: '/api_3/charging_records',
      envelope: '002',
      tag: TAG,
      summary: '充电记录（筛选：站、充电口、运营商、结束时间段、车牌、支付状态；新到旧分页）',
      access: 'session',
      query: chargingRecordsQuery,
      response: chargingRecordItem,
      handler: async ({ actor, query }) => {
        const { limit, offset } = pageOf(query);
        const { items, total } = await s.manager.records(actor.orgId, query, limit, offset);
        return paged(items, total);
      },
    }),
    route({
      method: 'get',
      path: '/api_3/charging_record_totals',
      envelope: '002',
      tag: TAG,
      summary: '充电记录合计（与 charging_records 相同的筛选）',
      access: 'session',
      query: chargingRecordTotalsQuery,
      response: chargingRecordTotals,
      handler: async ({ actor, query }) => s.manager.recordTotals(actor.orgId, query),
    }),
    route({
      method: 'get',
      path: '/api_3/charging_utilisation',
      envelope: '002',
      tag: TAG,
      summary:
        '充电口利用率（每个业务日：充电时长 ÷ (充电口数 × 24 h)，及当日结束的次数、电量、收入；最多 92 天）',
      access: 'session',
      query: chargingUtilisationQuery,
      response: chargingUtilisationItem,
      handler: async ({ actor, query }) => {
        const items = await s.manager.utilisation(actor.orgId, query);
        return paged(items, items.length);
      },
    }),
    route({
      method: 'get',
      path: '/api_3/charging_operators',
      envelope: '002',
      tag: TAG,
      summary: '充电运营商列表（密钥不再显示）',
      access: { permission: ChargingPermissions.operators },
      query: chargingOperatorListQuery,
      response: chargingOperatorItem,
      handler: async ({ actor, query }) => {
        const { limit, offset } = pageOf(query);
        const { items, total } = await s.operators.list(actor.orgId, query.id, limit, offset);
        return paged(items, total);
      },
    }),
    route({
      method: 'post',
      path: '/api_3/charging_operators',
      envelope: '002',
      tag: TAG,
      summary: '新建充电运营商：答复 Operator_Secret（只显示这一次，请妥善保存）',
      access: { permission: ChargingPermissions.operators },
      body: chargingOperatorCreateBody,
      response: chargingOperatorSecretItem,
      errors: { 409: 'Operator_Id 已被使用（4003）' },
      handler: async ({ actor, body }) =>
        s.operators.create(actor.orgId, {
          operatorId: body.Operator_Id,
          name: body.Operator_Name,
          site: body.Site,
        }),
    }),
    route({
      method: 'post',
      path: '/api_3/charging_operators/secret',
      envelope: '002',
      tag: TAG,
      summary: '更换运营商密钥：答复新的 Operator_Secret（只显示这一次），旧密钥与其 token 立即失效',
      access: { permission: ChargingPermissions.operators },
      body: chargingOperatorIdBody,
      response: chargingOperatorSecretItem,
      errors: { 404: '运营商不存在（4002）' },
      handler: async ({ actor, body }) => s.operators.rotate(actor.orgId, body.id),
    }),
    route({
      method: 'delete',
      path: '/api_3/charging_operators',
      envelope: '002',
      tag: TAG,
      summary: '删除充电运营商（仍有充电站或充电记录时不能删除）',
      access: { permission: ChargingPermissions.operators },
      query: chargingOperatorIdBody,
      errors: { 404: '运营商不存在（4002）', 409: '仍有充电站或充电记录（4004）' },
      handler: async ({ actor, query }) => {
        await s.operators.remove(actor.orgId, query.id);
        return null;
      },
    }),
  ];
}
