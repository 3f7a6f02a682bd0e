import {
  idBody,
  meterCreateBody,
  meterItem,
  meterListQuery,
  meterUpdateBody,
  ENERGY_NAMES,
} from '@wattdesk/shared';
import type { z } from 'zod';
import { route } from '../../core/http/route';
import { paged } from '../../core/http/envelope';
import { pageOf } from '../../core/http/origin';
import { defaultMaxRate } from '../readings/validate';
import { MeteringPermissions } from './permissions';
import type { MeterRow } from './repository';
import type { MeterCommand } from './service';

const TAG = '2 仪表与机器';

const command = (b: z.output<typeof meterCreateBody>): MeterCommand => ({
  name: b.Meter_Name,
  energyType: b.Meter_Type,
  machineId: b.Meter_Superior_id,
  remarks: b.Meter_Remarks,
  totalAmount: b.Meter_TotalAmount,
  isVirtual: b.Meter_IsVirtual === undefined ? undefined : b.Meter_IsVirtual === '1',
  formula: b.Meter_Formula,
  isTotal: b.Meter_IsTotal === undefined ? undefined : b.Meter_IsTotal === '1',
  isCount: b.Meter_IsCount === undefined ? undefined : b.Meter_IsCount === '1',
  isHandwork: b.Is_HandWork === undefined ? undefined : b.Is_HandWork === '1',
  params: b.Meter_Parameter,
  registerMax: b.Meter_Register_Max,
  maxRate: b.Meter_Max_Rate,
  replaceTime: b.Meter_Replace_Time,
  startAmount: b.Meter_StartAmount,
});

const flag = (v: boolean) => (v ? '1' : '0');
/** 2.3 item from a meter row and its machine. */
export const presentMeter = (
  m: MeterRow & { machineName: string; department: string },
): z.infer<typeof meterItem> => ({
  id: m.id,
  Meter_Name: m.name,
  Meter_Type: String(m.energyType),
  Meter_Superior: m.machineName,
  Meter_Department: m.department,
  Meter_Remarks: m.remarks,
  Meter_TotalAmount: String(m.totalAmount),
  Meter_IsVirtual: flag(m.isVirtual),
  Meter_Formula: m.formula,
  Meter_IsTotal: flag(m.isTotal),
  Meter_IsCount: flag(m.isCount),
  Is_HandWork: m.isHandwork ? 1 : 0,
  Meter_Superior_id: m.machineId,
  Meter_Parameter: m.params.join(','),
  Meter_Register_Max: m.registerMax === null ? '' : String(m.registerMax),
  Meter_Max_Rate: String(m.maxRate ?? defaultMaxRate(m.energyType)),
  Meter_Max_Rate_Set: flag(m.maxRate !== null),
  Ene_Name: ENERGY_NAMES[m.energyType] ?? '',
});

const formulaHelp =
  '虚拟表（Meter_IsVirtual 为 "1"）的 Meter_Formula 按仪表 id 书写，如 `[12]+[13]-[14]`，支持 + − × ÷（或 * /）、括号与常数；' +
  '引用不存在或其他组织的仪表、循环引用、语法错误均返回 4103 并说明原因。修改 Meter_TotalAmount 即记录一次换表' +
  '（扩展字段 Meter_Replace_Time 换表时间，默认当前；Meter_StartAmount 新表起始读数，默认 0），换表与寄存器回零都不会造成用量跳变。';

/** Seed 002 §2.1–2.4 meters. */
export const meterRoutes = [
  route({
    method: 'post',
    path: '/api_3/meters',
    envelope: '002',
    tag: TAG,
    summary: '2.1 新增仪表',
    description: formulaHelp,
    access: { permission: MeteringPermissions.manage },
    body: meterCreateBody,
    multiline: ['Meter_Remarks'],
    errors: { 409: '仪表名已存在（4003）' },
    handler: async ({ deps, actor, body }) => {
      const row = await deps.meters.create(actor.orgId, command(body));
      return { id: row.id };
    },
  }),
  route({
    method: 'put',
    path: '/api_3/meters',
    envelope: '002',
    tag: TAG,
    summary: '2.2 修改仪表',
    description: formulaHelp,
    access: { permission: MeteringPermissions.manage },
    body: meterUpdateBody,
    multiline: ['Meter_Remarks'],
    errors: { 404: '仪表不存在（4002）', 409: '仪表名已存在（4003）' },
    handler: async ({ deps, actor, body }) => {
      await deps.meters.update(actor.orgId, body.id, command(body));
      return undefined;
    },
  }),
  route({
    method: 'get',
    path: '/api_3/meters',
    envelope: '002',
    tag: TAG,
    summary: '2.3 获取仪表信息',
    access: 'session',
    query: meterListQuery,
    response: meterItem,
    handler: async ({ deps, actor, query }) => {
      const { limit, offset } = pageOf(query);
      const { rows, total } = await deps.meters.list(
        actor.orgId,
        {
          id: query.id,
          energyType: query.Meter_Type,
          machineName: query.Meter_Superior,
          isHandwork: query.Is_HandWork === undefined ? undefined : query.Is_HandWork === 1,
          isCount: query.Meter_IsCount === undefined ? undefined : query.Meter_IsCount === 1,
        },
        limit,
        offset,
      );
      return paged(rows.map(presentMeter), total);
    },
  }),
  route({
    method: 'delete',
    path: '/api_3/meters',
    envelope: '002',
    tag: TAG,
    summary: '2.4 删除仪表（被虚拟表或其他数据引用时拒绝，4004）',
    access: { permission: MeteringPermissions.manage },
    query: idBody,
    errors: { 404: '仪表不存在（4002）', 409: '仪表正在被引用（4004），Err_Detail.dependents 列出引用者' },
    handler: async ({ deps, actor, query }) => {
      await deps.meters.remove(actor.orgId, query.id);
      return undefined;
    },
  }),
];
