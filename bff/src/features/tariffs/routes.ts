import { rateDeleteBody, rateItem, rateSetBody, rateUpdateBody } from '@wattdesk/shared';
import { route } from '../../core/http/route';
import { MeteringPermissions } from '../meters/permissions';

const TAG = '4 费率与个性化设置';
const help =
  'Rate_Type 为能源类型 0–8。isSegmentation "1" = 不分段（Rate_Value 为单价）；"0" = 分段（分时）：每一行是一个时段 ' +
  '[Seg_Begin, Seg_End)，单价为 Rate_Value，同一能源类型的时段必须恰好覆盖全天（整点或半点），重叠或空缺返回 4103。' +
  'Seg_Begin_Rate / Seg_End_Rate 原样保存与返回。';

/** Seed 002 §4.1/4.2 rates, plus setting or removing a whole rate at once. */
export const rateRoutes = [
  route({
    method: 'get',
    path: '/api_3/rate',
    envelope: '002',
    tag: TAG,
    summary: '4.2 费率查询',
    description: help,
    access: 'session',
    response: rateItem,
    handler: async ({ deps, actor }) => deps.rates.list(actor.orgId),
  }),
  route({
    method: 'put',
    path: '/api_3/rate',
    envelope: '002',
    tag: TAG,
    summary: '4.1 费率修改（一行）',
    description: help,
    access: { permission: MeteringPermissions.settings },
    body: rateUpdateBody,
    errors: { 404: '费率不存在（4002）' },
    handler: async ({ deps, actor, body }) => {
      await deps.rates.update(actor.orgId, body);
      return undefined;
    },
  }),
  route({
    method: 'post',
    path: '/api_3/rate',
    envelope: '002',
    tag: TAG,
    summary: '设置某能源类型的完整费率（扩展；替换原有各行）',
    description: `${help} 分段费率在 Segments 中一次给出所有时段。`,
    access: { permission: MeteringPermissions.settings },
    body: rateSetBody,
    response: rateItem,
    handler: async ({ deps, actor, body }) => deps.rates.set(actor.orgId, body),
  }),
  route({
    method: 'delete',
    path: '/api_3/rate',
    envelope: '002',
    tag: TAG,
    summary: '删除某能源类型的费率（扩展）',
    access: { permission: MeteringPermissions.settings },
    query: rateDeleteBody,
    handler: async ({ deps, actor, query }) => {
      await deps.rates.remove(actor.orgId, query.Rate_Type);
      return undefined;
    },
  }),
];
