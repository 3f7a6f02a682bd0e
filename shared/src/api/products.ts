import { z } from 'zod';
import { idLike, intLike, localDateTime, numberLike, paging } from '../wire';
import { energyType } from './metering';

/**
 * Seed 002 §8: products (8.1–8.4), outputs (8.5–8.8), batches (8.10–8.13), the output statistics
 * (8.9, 8.14) and the standard-coal factors (折标系数, extension). Request and response tables of
 * 8.2–8.4, 8.6–8.8 and 8.11–8.13 are swapped in the seed (api-map.md); read the obvious way round.
 */

const text = (max: number, what: string) =>
  z.string().trim().min(1, `${what}不能为空`).max(max, `${what}最多 ${max} 个字符`);
const optionalText = (max: number, what: string) =>
  z.string().trim().max(max, `${what}最多 ${max} 个字符`).optional();

/** An integer code (number or numeric string) limited to `values`; the message names the field. */
const oneOf = <T extends number>(name: string, values: readonly T[], what: string) =>
  intLike(name)
    .refine((n) => (values as readonly number[]).includes(n), `${name} 只能是 ${what}`)
    .transform((n) => n as T);

const amount = (name: string) =>
  numberLike().pipe(z.number().min(0, `${name} 不能为负`).max(1e12, `${name} 最多 1e12`));

// ---------------------------------------------------------------------------------------------------
// 8.1–8.4 products
// ---------------------------------------------------------------------------------------------------

const productFields = {
  Product_Name: text(64, '产品名称'),
  Product_Unit: optionalText(16, '计量单位'),
  Remarks: optionalText(256, '产品备注'),
};
/** 8.1 GET /api_3/products (`id` is an extension filter). */
export const productListQuery = z.strictObject({ ...paging, id: idLike().optional() });
/** 8.2 POST /api_3/products */
export const productCreateBody = z.strictObject(productFields);
/** 8.3 PUT /api_3/products */
export const productUpdateBody = z.strictObject({ id: idLike(), ...productFields });
/** 8.4 DELETE /api_3/products, 8.8 DELETE /api_3/product_output, 8.13 DELETE /api_3/productsBatch. */
export const productIdBody = z.strictObject({ id: idLike() });
/** 8.1 answer item. */
export const productItem = z.object({
  id: z.number().int(),
  Product_Name: z.string(),
  Product_Unit: z.string(),
  Remarks: z.string(),
});

// ---------------------------------------------------------------------------------------------------
// 8.5–8.8 outputs (产量)
// ---------------------------------------------------------------------------------------------------

const outputFields = {
  Product_id: idLike('Product_id'),
  Total_Amount: amount('Total_Amount'),
  Meter_Superior_id: idLike('Meter_Superior_id'),
  Time_Start: localDateTime(),
  Time_End: localDateTime(),
  ProductBatch_id: idLike('ProductBatch_id'),
  /** Extension: rejected (not good) part of Total_Amount, for OEE quality; at most Total_Amount. */
  Reject_Amount: amount('Reject_Amount').optional(),
};
/** 8.5 GET /api_3/product_output (`id`, `Meter_Superior_id` are extension filters). */
export const outputListQuery = z.strictObject({
  ...paging,
  Production_Batch: z.string().trim().max(64, 'Production_Batch 最多 64 个字符').optional(),
  Product_Name: z.string().trim().max(64, 'Product_Name 最多 64 个字符').optional(),
  id: idLike().optional(),
  Meter_Superior_id: idLike('Meter_Superior_id').optional(),
});
/** 8.6 POST /api_3/product_output */
export const outputCreateBody = z.strictObject(outputFields);
/** 8.7 PUT /api_3/product_output */
export const outputUpdateBody = z.strictObject({ id: idLike(), ...outputFields });
/** 8.5 answer item; the fields after `ProductBatch_id` are extensions (names for display). */
export const outputItem = z.object({
  id: z.number().int(),
  Product_id: z.number().int(),
  Total_Amount: z.number(),
  Meter_Superior_id: z.number().int(),
  Time_Start: z.string(),
  Time_End: z.string(),
  Create_Time: z.string(),
  ProductBatch_id: z.number().int(),
  Reject_Amount: z.number().nullable(),
  Product_Name: z.string(),
  Product_Unit: z.string(),
  Meter_Superior: z.string(),
  Production_Batch: z.string(),
});

// ---------------------------------------------------------------------------------------------------
// 8.10–8.13 batches (生产批次)
// ---------------------------------------------------------------------------------------------------

const batchFields = {
  Production_Batch: text(64, '生产批次'),
  Time_Start: localDateTime(),
  Time_End: localDateTime(),
};
/** 8.10 GET /api_3/productsBatch (`id` is an extension filter). */
export const batchListQuery = z.strictObject({ ...paging, id: idLike().optional() });
/** 8.11 POST /api_3/productsBatch */
export const batchCreateBody = z.strictObject(batchFields);
/** 8.12 PUT /api_3/productsBatch */
export const batchUpdateBody = z.strictObject({ id: idLike(), ...batchFields });
/** 8.10 answer item (`Output_Numbers` is an extension: how many outputs use the batch). */
export const batchItem = z.object({
  id: z.number().int(),
  Production_Batch: z.string(),
  Time_Start: z.string(),
  Time_End: z.string(),
  Output_Numbers: z.number().int(),
});

// ---------------------------------------------------------------------------------------------------
// 8.9 / 8.14 statistics
// ---------------------------------------------------------------------------------------------------

export type ProductAmountType = 1 | 2 | 3 | 4 | 5 | 6;
/** What each Amount_Type measures (for the UI and the API reference). */
export const PRODUCT_AMOUNT_NAMES: Readonly<Record<ProductAmountType, string>> = {
  1: '产量',
  2: '能耗',
  3: '综合能耗',
  4: '单位产品能耗',
  5: '单位产品综合能耗',
  6: '生产效率',
};

const orderFields = {
  Is_Order: oneOf<0 | 1>('Is_Order', [0, 1], '0（不排序）或 1（排序）').optional(),
  Order_Type: oneOf<1 | 2>('Order_Type', [1, 2], '1（升序）或 2（降序）').optional(),
  Limit: intLike('Limit')
    .pipe(z.number().int().min(1, 'Limit 至少 1').max(10000, 'Limit 最多 10000'))
    .optional(),
  Product_Name: z.string().trim().max(64, 'Product_Name 最多 64 个字符').optional(),
  Meter_Superior: z.string().trim().max(64, 'Meter_Superior 最多 64 个字符').optional(),
  /** Required when Amount_Type is 2 or 4. */
  Energy_Type: energyType('Energy_Type').optional(),
};

/** 8.9 GET /api_3/product_output_energy_statistic */
export const outputStatisticQuery = z.strictObject({
  Time_Type: oneOf<1 | 2 | 3>('Time_Type', [1, 2, 3], '1（年）、2（月）或 3（天）'),
  Time_Start: localDateTime(),
  Time_End: localDateTime(),
  Summary_Type: oneOf<0 | 1 | 2>('Summary_Type', [0, 1, 2], '0（不汇总）、1（按产品）或 2（按机器）'),
  Return_Format: oneOf<1 | 2>('Return_Format', [1, 2], '1（总量）或 2（详细）'),
  Amount_Type: oneOf<1 | 2 | 3 | 4 | 5>(
    'Amount_Type',
    [1, 2, 3, 4, 5],
    '1（产量）、2（能耗）、3（综合能耗）、4（单位产品能耗）或 5（单位产品综合能耗）',
  ),
  ...orderFields,
});
/** 8.9 answer row. `Unit` (extension) is the unit of `Total_Amount`; null = no output to divide by. */
export const outputStatisticRow = z.object({
  Product_Name: z.string(),
  Meter_Superior: z.string(),
  Time: z.string(),
  Total_Amount: z.number().nullable(),
  Unit: z.string(),
});

/** 8.14 GET /api_3/productsBatch_output_energy_statistic (`Production_Batch`: one name or several, comma-separated). */
export const batchStatisticQuery = z.strictObject({
  Production_Batch: z
    .string()
    .trim()
    .min(1, 'Production_Batch 不能为空')
    .max(4000, 'Production_Batch 最多 4000 个字符'),
  Summary_Type: oneOf<0 | 1 | 2 | 3>(
    'Summary_Type',
    [0, 1, 2, 3],
    '0（不汇总）、1（按产品）、2（按机器）或 3（按批次）',
  ),
  Amount_Type: oneOf<ProductAmountType>(
    'Amount_Type',
    [1, 2, 3, 4, 5, 6],
    '1（产量）、2（能耗）、3（综合能耗）、4（单位产品能耗）、5（单位产品综合能耗）或 6（生产效率）',
  ),
  ...orderFields,
});
/** 8.14 answer row (`Unit` is an extension). */
export const batchStatisticRow = z.object({
  Production_Batch: z.string(),
  Product_Name: z.string(),
  Meter_Superior: z.string(),
  Total_Amount: z.number().nullable(),
  Unit: z.string(),
});

// ---------------------------------------------------------------------------------------------------
// Standard-coal factors (折标系数, extension)
// ---------------------------------------------------------------------------------------------------

/** GET /api_3/standard_coal_factors answer item: one per energy type. */
export const coalFactorItem = z.object({
  Energy_Type: z.number().int(),
  Ene_Name: z.string(),
  /** kgce per `Energy_Unit`. */
  Factor: z.number(),
  Factor_Unit: z.string(),
  Energy_Unit: z.string(),
  Source: z.string(),
  /** 1 while the organization uses the standard's default. */
  Is_Default: z.number().int(),
});
/** PUT /api_3/standard_coal_factors: sets one energy type's factor (kgce per its unit). */
export const coalFactorBody = z.strictObject({
  Energy_Type: energyType('Energy_Type'),
  Factor: numberLike().pipe(z.number().positive('Factor 必须大于 0').max(100000, 'Factor 最多 100000')),
  Source: z.string().trim().max(200, 'Source 最多 200 个字符').optional(),
});
/** DELETE /api_3/standard_coal_factors: back to the standard's default for one energy type. */
export const coalFactorResetBody = z.strictObject({ Energy_Type: energyType('Energy_Type') });

export type ProductItem = z.infer<typeof productItem>;
export type OutputItem = z.infer<typeof outputItem>;
export type BatchItem = z.infer<typeof batchItem>;
export type OutputStatisticQuery = z.output<typeof outputStatisticQuery>;
export type OutputStatisticRow = z.infer<typeof outputStatisticRow>;
export type BatchStatisticQuery = z.output<typeof batchStatisticQuery>;
export type BatchStatisticRow = z.infer<typeof batchStatisticRow>;
export type CoalFactorItem = z.infer<typeof coalFactorItem>;
export type ProductCreateBody = z.output<typeof productCreateBody>;
export type OutputCreateBody = z.output<typeof outputCreateBody>;
export type BatchCreateBody = z.output<typeof batchCreateBody>;
export type OutputListQuery = z.output<typeof outputListQuery>;
