import {
  batchCreateBody,
  batchItem,
  batchListQuery,
  batchStatisticQuery,
  batchStatisticRow,
  batchUpdateBody,
  coalFactorBody,
  coalFactorItem,
  coalFactorResetBody,
  outputCreateBody,
  outputItem,
  outputListQuery,
  outputStatisticQuery,
  outputStatisticRow,
  outputUpdateBody,
  productCreateBody,
  productIdBody,
  productItem,
  productListQuery,
  productUpdateBody,
} from '@wattdesk/shared';
import { definePermission } from '../../core/auth/permissions';
import { paged } from '../../core/http/envelope';
import { pageOf } from '../../core/http/origin';
import { route } from '../../core/http/route';
import type { ProductsService } from './service';

const TAG = '8 产品与产量';

export const ProductPermissions = {
  manage: definePermission('products.manage', '管理产品、生产批次与折标系数', ['admin']),
  outputs: definePermission('products.outputs', '录入、修改、删除产品产量', ['admin', 'operator']),
} as const;

const statHelp =
  'Amount_Type 1 产量（产品单位）、2 Energy_Type 能源的能耗（该能源单位）、3 综合能耗（tce，按本组织折标系数）、' +
  '4 单位产品能耗（如 kWh/t）、5 单位产品综合能耗（kgce/产品单位）。每行 Unit（扩展）给出 Total_Amount 的单位；' +
  '无产量可除时 Total_Amount 为 null。产量记录的能耗 = 其机器计入总量（Meter_IsCount=1）的仪表（虚拟仪表按公式）' +
  '在该记录起止时间内的计量能耗；同一机器时间重叠的记录按产量速率（产量÷时长）分摊该时段能耗；无产量记录的时段能耗不计入任何产品。';

/** Seed 002 §8 and the standard-coal factors (extension). */
export function productRoutes(s: ProductsService) {
  return [
    route({
      method: 'get',
      path: '/api_3/products',
      envelope: '002',
      tag: TAG,
      summary: '8.1 获取产品信息',
      access: 'session',
      query: productListQuery,
      response: productItem,
      handler: async ({ actor, query }) => {
        const { limit, offset } = pageOf(query);
        const { items, total } = await s.listProducts(actor.orgId, query.id, limit, offset);
        return paged(items, total);
      },
    }),
    route({
      method: 'post',
      path: '/api_3/products',
      envelope: '002',
      tag: TAG,
      summary: '8.2 添加产品信息（产品名称在本组织内唯一）',
      access: { permission: ProductPermissions.manage },
      body: productCreateBody,
      errors: { 409: '产品名称已存在（4003）' },
      handler: async ({ actor, body }) => ({ id: (await s.createProduct(actor.orgId, body)).id }),
    }),
    route({
      method: 'put',
      path: '/api_3/products',
      envelope: '002',
      tag: TAG,
      summary: '8.3 修改产品信息',
      access: { permission: ProductPermissions.manage },
      body: productUpdateBody,
      errors: { 404: '产品不存在（4002）', 409: '产品名称已存在（4003）' },
      handler: async ({ actor, body }) => {
        await s.updateProduct(actor.orgId, body);
        return undefined;
      },
    }),
    route({
      method: 'delete',
      path: '/api_3/products',
      envelope: '002',
      tag: TAG,
      summary: '8.4 删除产品信息（有产量记录使用时拒绝，4004）',
      access: { permission: ProductPermissions.manage },
      query: productIdBody,
      errors: { 404: '产品不存在（4002）', 409: '产量记录使用中（4004）' },
      handler: async ({ actor, query }) => {
        await s.removeProduct(actor.orgId, query.id);
        return undefined;
      },
    }),
    route({
      method: 'get',
      path: '/api_3/product_output',
      envelope: '002',
      tag: TAG,
      summary: '8.5 获取产品产量信息',
      description:
        '按开始时间倒序。Production_Batch、Product_Name 按名称精确筛选；Meter_Superior_id、id 为扩展筛选。',
      access: 'session',
      query: outputListQuery,
      response: outputItem,
      handler: async ({ actor, query }) => {
        const { limit, offset } = pageOf(query);
        const { items, total } = await s.listOutputs(actor.orgId, query, limit, offset);
        return paged(items, total);
      },
    }),
    route({
      method: 'post',
      path: '/api_3/product_output',
      envelope: '002',
      tag: TAG,
      summary: '8.6 录入产品产量信息',
      description:
        'Time_Start < Time_End（本组织时区的本地时间）；产品、机器、生产批次须属于本组织（否则 4002）。' +
        'Reject_Amount（扩展，≤ Total_Amount）为不合格数量，用于 OEE 质量率。Create_Time 由服务端记录。',
      access: { permission: ProductPermissions.outputs },
      body: outputCreateBody,
      errors: { 404: '产品、机器或生产批次不存在（4002）' },
      handler: async ({ actor, body }) => ({ id: (await s.createOutput(actor.orgId, body)).id }),
    }),
    route({
      method: 'put',
      path: '/api_3/product_output',
      envelope: '002',
      tag: TAG,
      summary: '8.7 修改产品产量信息',
      access: { permission: ProductPermissions.outputs },
      body: outputUpdateBody,
      errors: { 404: '产量记录、产品、机器或生产批次不存在（4002）' },
      handler: async ({ actor, body }) => {
        await s.updateOutput(actor.orgId, body);
        return undefined;
      },
    }),
    route({
      method: 'delete',
      path: '/api_3/product_output',
      envelope: '002',
      tag: TAG,
      summary: '8.8 删除产品产量信息',
      access: { permission: ProductPermissions.outputs },
      query: productIdBody,
      errors: { 404: '产量记录不存在（4002）' },
      handler: async ({ actor, query }) => {
        await s.removeOutput(actor.orgId, query.id);
        return undefined;
      },
    }),
    route({
      method: 'get',
      path: '/api_3/product_output_energy_statistic',
      envelope: '002',
      tag: TAG,
      summary: '8.9 获取产品产量统计信息',
      description:
        statHelp +
        ' 按组织的年/月/日起始（4.4）分段：Return_Format 1 整段一行，2 按年查每月、按月查每天、按天查每小时；' +
        '跨越时间段（或 Time_Start/Time_End）的产量记录按时长比例计入各段。Summary_Type 0 每个产品×机器一组，1 按产品，2 按机器。' +
        'Is_Order=1 按 Total_Amount 排序（仅 Return_Format 1），Order_Type 1 升序 / 2 降序，Limit 限制行数。',
      access: 'session',
      query: outputStatisticQuery,
      response: outputStatisticRow,
      handler: async ({ actor, query }) => s.outputStatistic(actor.orgId, query),
    }),
    route({
      method: 'get',
      path: '/api_3/productsBatch',
      envelope: '002',
      tag: TAG,
      summary: '8.10 获取生产批次',
      description: '按开始时间倒序；Output_Numbers（扩展）为使用该批次的产量记录数。',
      access: 'session',
      query: batchListQuery,
      response: batchItem,
      handler: async ({ actor, query }) => {
        const { limit, offset } = pageOf(query);
        const { items, total } = await s.listBatches(actor.orgId, query.id, limit, offset);
        return paged(items, total);
      },
    }),
    route({
      method: 'post',
      path: '/api_3/productsBatch',
      envelope: '002',
      tag: TAG,
      summary: '8.11 添加生产批次（批次名称在本组织内唯一）',
      access: { permission: ProductPermissions.manage },
      body: batchCreateBody,
      errors: { 409: '生产批次已存在（4003）' },
      handler: async ({ actor, body }) => ({ id: (await s.createBatch(actor.orgId, body)).id }),
    }),
    route({
      method: 'put',
      path: '/api_3/productsBatch',
      envelope: '002',
      tag: TAG,
      summary: '8.12 修改生产批次',
      access: { permission: ProductPermissions.manage },
      body: batchUpdateBody,
      errors: { 404: '生产批次不存在（4002）', 409: '生产批次已存在（4003）' },
      handler: async ({ actor, body }) => {
        await s.updateBatch(actor.orgId, body);
        return undefined;
      },
    }),
    route({
      method: 'delete',
      path: '/api_3/productsBatch',
      envelope: '002',
      tag: TAG,
      summary: '8.13 删除生产批次（有产量记录使用时拒绝，4004）',
      access: { permission: ProductPermissions.manage },
      query: productIdBody,
      errors: { 404: '生产批次不存在（4002）', 409: '产量记录使用中（4004）' },
      handler: async ({ actor, query }) => {
        await s.removeBatch(actor.orgId, query.id);
        return undefined;
      },
    }),
    route({
      method: 'get',
      path: '/api_3/productsBatch_output_energy_statistic',
      envelope: '002',
      tag: TAG,
      summary: '8.14 获取批次产量统计信息',
      description:
        statHelp +
        ' 6 生产效率 = 产量 ÷ 运行小时（产品单位/h），运行时间取产量记录自身的起止时长（Time_End − Time_Start）之和。' +
        'Production_Batch 为批次名称，可用逗号分隔多个；统计这些批次的全部产量记录（不按时间截取）。' +
        'Summary_Type 0 每个批次×产品×机器一组，1 按产品，2 按机器，3 按批次。',
      access: 'session',
      query: batchStatisticQuery,
      response: batchStatisticRow,
      handler: async ({ actor, query }) => s.batchStatistic(actor.orgId, query),
    }),
    route({
      method: 'get',
      path: '/api_3/standard_coal_factors',
      envelope: '002',
      tag: TAG,
      summary: '折标系数（扩展）：每种能源的 kgce/单位 与来源',
      description:
        '默认值取自 GB/T 2589-2020（来源逐项写明），本组织可修改；综合能耗（8.9/8.14 类型 3、5）按此换算。',
      access: 'session',
      response: coalFactorItem,
      handler: async ({ actor }) => s.factorItems(actor.orgId),
    }),
    route({
      method: 'put',
      path: '/api_3/standard_coal_factors',
      envelope: '002',
      tag: TAG,
      summary: '修改折标系数（扩展，管理员）：Factor 为 kgce/该能源单位',
      access: { permission: ProductPermissions.manage },
      body: coalFactorBody,
      handler: async ({ actor, body }) => {
        await s.setFactor(actor.orgId, body);
        return undefined;
      },
    }),
    route({
      method: 'delete',
      path: '/api_3/standard_coal_factors',
      envelope: '002',
      tag: TAG,
      summary: '恢复默认折标系数（扩展，管理员）',
      access: { permission: ProductPermissions.manage },
      query: coalFactorResetBody,
      handler: async ({ actor, query }) => {
        await s.resetFactor(actor.orgId, query.Energy_Type);
        return undefined;
      },
    }),
  ];
}
