import {
  oeeFactorsItem,
  oeeFactorsQuery,
  oeeIdBody,
  oeeIdealRateBody,
  oeeIdealRateItem,
  oeeIdealRateListQuery,
  oeeRecordItem,
  oeeRecordsQuery,
  oeeRuleCreateBody,
  oeeRuleItem,
  oeeRuleListQuery,
  oeeRuleUpdateBody,
  oeeSettingsBody,
  oeeSettingsItem,
  oeeSettingsQuery,
  oeeStatisticQuery,
  oeeStatisticRow,
} from '@wattdesk/shared';
import { definePermission } from '../../core/auth/permissions';
import { paged } from '../../core/http/envelope';
import { pageOf } from '../../core/http/origin';
import { route } from '../../core/http/route';
import type { OeeFactors } from './factors';
import type { OeeService } from './service';

const TAG = '7 OEE';

export const OeePermissions = {
  manage: definePermission('oee.manage', '管理 OEE 状态规则、离线判定与理想产能', ['admin']),
} as const;

const ruleHelp =
  '机器在每个读数时刻的状态 = 第一条（按 id）其仪表在该时刻有读数、且测点值落在 [LowerLimit, UpperLimit]（含两端）内的规则的 Status_Name；' +
  '没有匹配的规则为“未定义”；距上一条读数超过离线间隔（默认 3 × 900 秒，见 OEE_settings）为“离线”。仪表必须属于 Meter_Superior_id 这台机器；' +
  '同一台机器同一仪表同一测点的范围不能重叠。扩展：Is_Running=1 的状态计为运行时间（不填时 Status_Name 为“运行”即为 1），' +
  'Is_Planned_Stop=1 的状态计为计划停机（不填时“计划停机”即为 1）。规则修改后该机器的状态按已存读数重新计算（后台任务）。';

/** Seed 002 §7 and the OEE extensions. */
export function oeeRoutes(
  s: OeeService,
  f: OeeFactors,
  productExists: (o: number, id: number) => Promise<boolean>,
) {
  return [
    route({
      method: 'get',
      path: '/api_3/OEE_status_rules',
      envelope: '002',
      tag: TAG,
      summary: '7.1 获取OEE规则',
      description: ruleHelp,
      access: 'session',
      query: oeeRuleListQuery,
      response: oeeRuleItem,
      handler: async ({ actor, query }) => {
        const { limit, offset } = pageOf(query);
        const { items, total } = await s.listRules(
          actor.orgId,
          { id: query.id, machineId: query.Meter_Superior_id },
          limit,
          offset,
        );
        return paged(items, total);
      },
    }),
    route({
      method: 'post',
      path: '/api_3/OEE_status_rules',
      envelope: '002',
      tag: TAG,
      summary: '7.2 添加OEE规则',
      description: ruleHelp,
      access: { permission: OeePermissions.manage },
      body: oeeRuleCreateBody,
      errors: { 404: '机器或仪表不存在（4002）' },
      handler: async ({ actor, body }) => ({ id: await s.createRule(actor.orgId, body) }),
    }),
    route({
      method: 'put',
      path: '/api_3/OEE_status_rules',
      envelope: '002',
      tag: TAG,
      summary: '7.3 修改OEE规则',
      description: ruleHelp,
      access: { permission: OeePermissions.manage },
      body: oeeRuleUpdateBody,
      errors: { 404: '规则、机器或仪表不存在（4002）' },
      handler: async ({ actor, body }) => {
        await s.updateRule(actor.orgId, body.id, body);
        return undefined;
      },
    }),
    route({
      method: 'delete',
      path: '/api_3/OEE_status_rules',
      envelope: '002',
      tag: TAG,
      summary: '7.4 删除OEE规则',
      access: { permission: OeePermissions.manage },
      query: oeeIdBody,
      errors: { 404: '规则不存在（4002）' },
      handler: async ({ actor, query }) => {
        await s.removeRule(actor.orgId, query.id);
        return undefined;
      },
    }),
    route({
      method: 'get',
      path: '/api_3/OEE_statistic_records',
      envelope: '002',
      tag: TAG,
      summary: '7.5 获取OEE时间段内的状态记录',
      description:
        '间隔最大 24 小时。第一条为开始时刻（或机器第一条读数时刻）的状态，其后每次状态切换一条；机器第一条读数之前和当前时刻之后不返回。',
      access: 'session',
      query: oeeRecordsQuery,
      response: oeeRecordItem,
      errors: { 404: '机器不存在（4002）' },
      handler: async ({ actor, query }) => s.records(actor.orgId, query),
    }),
    route({
      method: 'get',
      path: '/api_3/OEE_statistic',
      envelope: '002',
      tag: TAG,
      summary: '7.6 获取OEE状态时间的统计(年月日)',
      description:
        'Total_Amount 为秒。Return_Format 1 每个状态一条总量；2 按组织的年/月/日起点（4.4）分段：年按月、月按天、天按小时。' +
        '每段列出该机器全部规则状态以及“未定义”“离线”。机器第一条读数之前和当前时刻之后的时间不计。',
      access: 'session',
      query: oeeStatisticQuery,
      response: oeeStatisticRow,
      errors: { 404: '机器不存在（4002）' },
      handler: async ({ actor, query }) => s.statistic(actor.orgId, query),
    }),
    route({
      method: 'get',
      path: '/api_3/OEE_settings',
      envelope: '002',
      tag: TAG,
      summary: '扩展：机器的读数间隔与离线判定',
      description: '离线间隔 = Reading_Interval（秒，默认 900）× Offline_Intervals（默认 3）。',
      access: 'session',
      query: oeeSettingsQuery,
      response: oeeSettingsItem,
      errors: { 404: '机器不存在（4002）' },
      handler: async ({ actor, query }) => s.settings(actor.orgId, query.Meter_Superior_id),
    }),
    route({
      method: 'put',
      path: '/api_3/OEE_settings',
      envelope: '002',
      tag: TAG,
      summary: '扩展：修改机器的读数间隔与离线判定（状态随之重新计算）',
      access: { permission: OeePermissions.manage },
      body: oeeSettingsBody,
      response: oeeSettingsItem,
      errors: { 404: '机器不存在（4002）' },
      handler: async ({ actor, body }) => s.saveSettings(actor.orgId, body),
    }),
    route({
      method: 'get',
      path: '/api_3/OEE_ideal_rates',
      envelope: '002',
      tag: TAG,
      summary: '扩展：理想产能（每小时运行时间的产品产量）',
      access: 'session',
      query: oeeIdealRateListQuery,
      response: oeeIdealRateItem,
      handler: async ({ actor, query }) => {
        const { limit, offset } = pageOf(query);
        const { items, total } = await s.idealRates(actor.orgId, query.Meter_Superior_id, limit, offset);
        return paged(items, total);
      },
    }),
    route({
      method: 'post',
      path: '/api_3/OEE_ideal_rates',
      envelope: '002',
      tag: TAG,
      summary: '扩展：设置某产品在某机器上的理想产能（已有则替换）',
      access: { permission: OeePermissions.manage },
      body: oeeIdealRateBody,
      errors: { 404: '机器或产品不存在（4002）' },
      handler: async ({ actor, body }) => ({ id: await s.setIdealRate(actor.orgId, body, productExists) }),
    }),
    route({
      method: 'delete',
      path: '/api_3/OEE_ideal_rates',
      envelope: '002',
      tag: TAG,
      summary: '扩展：删除理想产能',
      access: { permission: OeePermissions.manage },
      query: oeeIdBody,
      errors: { 404: '理想产能不存在（4002）' },
      handler: async ({ actor, query }) => {
        await s.removeIdealRate(actor.orgId, query.id);
        return undefined;
      },
    }),
    route({
      method: 'get',
      path: '/api_3/OEE_factors',
      envelope: '002',
      tag: TAG,
      summary: '扩展：OEE = 可用率 × 性能 × 质量',
      description:
        'Time 所在的业务年/月/日（Time_Type 1/2/3，截至当前时刻）。可用率 = 班次内运行时间 ÷（班次时间 − 计划停机），' +
        '运行 = Is_Running=1 的状态；性能 = Σ(产出 ÷ 该产品在该机器的理想产能) ÷ 运行时间（跨时段的产出按时长比例计入）；' +
        '质量 = (产出 − Reject_Amount) ÷ 产出。缺少输入时该项 Value 为 null、Text 为“无数据”，Basis 说明原因或算法。',
      access: 'session',
      query: oeeFactorsQuery,
      response: oeeFactorsItem,
      errors: { 404: '机器不存在（4002）' },
      handler: async ({ actor, query }) => f.factors(actor.orgId, query),
    }),
  ];
}
