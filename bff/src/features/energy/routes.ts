import {
  allEnergyQuery,
  allEnergyRow,
  detailEnergyQuery,
  detailEnergyRow,
  formDetailRow,
  measureQuery,
  measureRow,
} from '@wattdesk/shared';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Actor } from '../../core/auth/actor';
import { definePermission } from '../../core/auth/permissions';
import { AppError } from '../../core/errors';
import { rateLimit, type RateLimitRule } from '../../core/http/rate-limit';
import { route } from '../../core/http/route';
import type { AppDeps } from '../../container';

const TAG = '3 能耗查询';
/** Extension: `Data_Source=raw` recomputes from the raw readings (slow; for verification). */
const source = {
  Data_Source: z.enum(['rollup', 'raw'], { message: 'Data_Source 只能是 rollup 或 raw' }).optional(),
};

/** The raw path reads every reading of the range (seconds per query): admins only, and rate-limited per user. */
export const RAW_ENERGY_PERMISSION = definePermission(
  'energy.raw',
  '从原始读数重新计算能耗（Data_Source=raw，较慢，用于核对）',
  ['admin'],
);
const RAW_LIMIT: RateLimitRule = { bucket: 'energy-raw', points: 6, windowSec: 60, by: 'user' };
const rawLimiter = new WeakMap<AppDeps, ReturnType<typeof rateLimit>>();

async function guardSource(deps: AppDeps, ctx: Context, actor: Actor, source: string | undefined) {
  if (source !== 'raw') return;
  if (!actor.permissions.has(RAW_ENERGY_PERMISSION))
    throw new AppError('forbidden', `Data_Source=raw 需要 ${RAW_ENERGY_PERMISSION} 权限（管理员）`, {
      permission: RAW_ENERGY_PERMISSION,
      field: 'Data_Source',
    });
  let limiter = rawLimiter.get(deps);
  if (!limiter) rawLimiter.set(deps, (limiter = rateLimit(deps.redis, RAW_LIMIT)));
  await limiter(ctx, async () => {});
}

const common =
  'Time_Type 1 年（按 Time_Interval 个月分段，默认 1）、2 月（按天，默认 1）、3 天（按分钟，默认 60）。时间段在（自定义的）年、月、天起点对齐' +
  '（4.4 个性化设置），从包含 Time_Start 的时间段开始，直到覆盖 Time_End；Time 为时间段的起点。Amount_Type 1 按能源类型、2 按仪表、' +
  '3 按机器、4 按部门；按能源类型汇总的行只统计 Meter_IsCount 为 1 的仪表。有费率的能源类型另给 Total_Cost（扩展）';

/** Seed 002 §3.1, 3.2, 3.3 and 3.5. */
export const energyRoutes = [
  route({
    method: 'get',
    path: '/api_3/allenergy',
    envelope: '002',
    tag: TAG,
    summary: '3.1 查询能源总耗能',
    description: common,
    access: 'session',
    query: allEnergyQuery.extend(source),
    response: allEnergyRow,
    handler: async ({ deps, actor, query, ctx }) => {
      await guardSource(deps, ctx, actor, query.Data_Source);
      return deps.energy.allEnergy(actor.orgId, query, { source: query.Data_Source });
    },
  }),
  route({
    method: 'get',
    path: '/api_3/detailenergy',
    envelope: '002',
    tag: TAG,
    summary: '3.2 查询详细能源耗能',
    description: `${common} 每个时间段一行，Time 为该时间段的起点。`,
    access: 'session',
    query: detailEnergyQuery.extend(source),
    response: detailEnergyRow,
    handler: async ({ deps, actor, query, ctx }) => {
      await guardSource(deps, ctx, actor, query.Data_Source);
      return deps.energy.detailEnergy(actor.orgId, query, { source: query.Data_Source });
    },
  }),
  route({
    method: 'get',
    path: '/api_3/measure',
    envelope: '002',
    tag: TAG,
    summary: '3.3 测点数据查询',
    description: '按年或月查询时为每个时间段的平均值；按天查询时为时间段内最后一个读数的值。',
    access: 'session',
    query: measureQuery,
    response: measureRow,
    handler: async ({ deps, actor, query }) => deps.energy.measure(actor.orgId, query),
  }),
  route({
    method: 'post',
    path: '/api_3/form_detailenergy',
    envelope: '002',
    tag: TAG,
    summary: '3.5 查询详细能源耗能--报表',
    description: `${common} Shift_Amounts 为整个查询范围内各班次（PUT /api_3/shifts 设置）的用量。`,
    access: 'session',
    query: detailEnergyQuery.extend(source),
    response: formDetailRow,
    handler: async ({ deps, actor, query, ctx }) => {
      await guardSource(deps, ctx, actor, query.Data_Source);
      return deps.energy.formDetailEnergy(actor.orgId, query, { source: query.Data_Source });
    },
  }),
];
