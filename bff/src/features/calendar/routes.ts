import {
  contractDemandBody,
  contractDemandItem,
  personaliseBody,
  personaliseItem,
  shiftItem,
  shiftsBody,
} from '@wattdesk/shared';
import { route } from '../../core/http/route';
import { MeteringPermissions } from '../meters/permissions';
import { formatHalfHour } from './clock-time';
import type { Shift } from './service';
import { ContractDemandRepository, presentDemand } from './demand';

const TAG = '4 费率与个性化设置';
const presentShift = (s: Shift) => ({
  Shift_Name: s.name,
  Shift_Start: formatHalfHour(s.startMin),
  Shift_End: formatHalfHour(s.endMin),
});

/** Seed 002 §4.3/4.4 personalise (with the organization's time zone), plus work shifts. */
export const calendarRoutes = [
  route({
    method: 'get',
    path: '/api_3/personalise',
    envelope: '002',
    tag: TAG,
    summary: '4.3 查询个性化设置（Time_Zone 为扩展）',
    access: 'session',
    response: personaliseItem,
    handler: async ({ deps, actor }) => {
      const s = await deps.calendar.settings(actor.orgId);
      return {
        Year_Start: String(s.yearStart),
        Year_End: String(s.yearEnd),
        Month_Start: String(s.monthStart),
        Month_End: String(s.monthEnd),
        Day_Start: s.dayStart,
        Day_End: s.dayEnd,
        Time_Zone: s.tz,
      };
    },
  }),
  route({
    method: 'put',
    path: '/api_3/personalise',
    envelope: '002',
    tag: TAG,
    summary: '4.4 修改个性化设置',
    description:
      '一个周期的结束必须是它开始的下一个周期：Year_End 与 Year_Start 相同、Month_End 与 Month_Start 相同、Day_End 与 Day_Start 相同' +
      '（如 Month_Start = Month_End = -26：每月从上月 26 日开始）。天的起点须为整点或半点。可选 Time_Zone（IANA 时区，扩展）。' +
      '修改后下一次查询即按新的周期计算。',
    access: { permission: MeteringPermissions.settings },
    body: personaliseBody,
    handler: async ({ deps, actor, body }) => {
      await deps.calendar.update(actor.orgId, body);
      return undefined;
    },
  }),
  route({
    method: 'get',
    path: '/api_3/shifts',
    envelope: '002',
    tag: TAG,
    summary: '查询班次（扩展；未设置时为 白班 08:00–20:00、夜班 20:00–08:00）',
    access: 'session',
    response: shiftItem,
    handler: async ({ deps, actor }) => (await deps.calendar.shifts(actor.orgId)).map(presentShift),
  }),
  route({
    method: 'put',
    path: '/api_3/shifts',
    envelope: '002',
    tag: TAG,
    summary: '设置班次（扩展；整点或半点，可跨午夜，不得重叠）',
    access: { permission: MeteringPermissions.settings },
    body: shiftsBody,
    response: shiftItem,
    handler: async ({ deps, actor, body }) =>
      (await deps.calendar.setShifts(actor.orgId, body.Shifts)).map(presentShift),
  }),
  route({
    method: 'get',
    path: '/api_3/contract_demand',
    envelope: '002',
    tag: TAG,
    summary: '查询合同需量（扩展，kW）',
    description: '首页用今日最大需量对比合同需量。未设置时 Contract_Demand 为空字符串。',
    access: 'session',
    response: contractDemandItem,
    handler: async ({ deps, actor }) =>
      presentDemand(await new ContractDemandRepository(deps.db).find(actor.orgId)),
  }),
  route({
    method: 'put',
    path: '/api_3/contract_demand',
    envelope: '002',
    tag: TAG,
    summary: '设置合同需量（扩展，kW；空字符串表示清除）',
    access: { permission: MeteringPermissions.settings },
    body: contractDemandBody,
    response: contractDemandItem,
    handler: async ({ deps, actor, body }) => {
      const repo = new ContractDemandRepository(deps.db);
      await repo.save(actor.orgId, body.Contract_Demand === '' ? null : body.Contract_Demand);
      return presentDemand(await repo.find(actor.orgId));
    },
  }),
];
