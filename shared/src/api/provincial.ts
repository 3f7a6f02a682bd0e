import { z } from 'zod';
import { idLike, intLike, localDateTime, paging } from '../wire';

/**
 * Seed 002 §5 (provincial energy-monitoring platform, 省平台): the BFF side. The platform side is the
 * adapter's contract (docs/provincial-adapter.md). Field names and shapes exactly as the seed shows;
 * extensions are marked.
 */

const text = (name: string, max: number) =>
  z
    .string({ error: `${name} 必须是字符串` })
    .trim()
    .max(max, `${name} 最多 ${max} 个字符`);
const required = (name: string, max: number) => text(name, max).min(1, `${name} 不能为空`);
const code2 = (name: string) =>
  z.string({ error: `${name} 必须是字符串` }).regex(/^\d{2}$/, `${name} 必须是 2 位数字编码`);
const codeOf = (name: string, max = 16) =>
  z
    .union([z.string({ error: `${name} 必须是编码字符串` }), z.number({ error: `${name} 必须是编码字符串` })])
    .transform((v) => String(v).trim())
    .pipe(
      z.string().regex(new RegExp(`^[0-9A-Za-z]{1,${max}}$`), `${name} 必须是 1–${max} 位字母或数字的编码`),
    );
const bool = (name: string) => z.boolean({ error: `${name} 必须是 true 或 false` });
/** A decimal factor given as a string (the seed writes "0.7143") or a number; handed on as a string. */
const factor = (name: string) =>
  z
    .union([z.string({ error: `${name} 必须是数字` }), z.number({ error: `${name} 必须是数字` })])
    .transform((v) => String(v).trim())
    .pipe(
      z
        .string()
        .regex(/^\d{1,6}(\.\d{1,8})?$/, `${name} 必须是 0 到 999999 之间、最多 8 位小数的数字`)
        .refine((s) => Number(s) > 0, `${name} 必须大于 0`),
    );
const optionalDateTime = (name: string) =>
  z.union([z.literal(''), localDateTime()], { error: `${name} 时间格式必须为 "YYYY-MM-DD HH:mm:ss" 或空` });

/** 5.1 one code-list element (collectSystemType, collectItemUsage). */
export const prpCode = z.object({ code: z.string(), name: z.string() });
/** 5.1 one collectItem element: the energy code, its name, unit and standard-coal factor (折标系数). */
export const prpCollectItem = z.object({
  code: z.string(),
  name: z.string(),
  unit: z.string(),
  zbckz: z.string(),
});
/** 5.1 GET /api_3/PRP_base_infos answer (one Data element). `dicVersion` is an extension. */
export const prpBaseInfos = z.object({
  collectSystemType: z.array(prpCode),
  collectItemUsage: z.array(prpCode),
  collectItem: z.array(prpCollectItem),
  /** Extension: the platform's base-data version these lists are (5.4 dicVersion). */
  dicVersion: z.string(),
});
export type PrpBaseInfos = z.output<typeof prpBaseInfos>;

/** statType: 0 实时 (15 min), 1 日, 2 月, 3 年. */
export const PRP_STAT_TYPES = ['0', '1', '2', '3'] as const;
export type PrpStatType = (typeof PRP_STAT_TYPES)[number];

/** 5.2 one collectItemConfig element. */
export const prpCollectItemConfig = z.strictObject({
  name: required('name', 100),
  Meter_id: idLike('Meter_id'),
  processCode: code2('processCode').default('00'),
  processUnitCode: code2('processUnitCode').default('00'),
  equipmentCode: code2('equipmentCode').default('00'),
  equipmentUnitCode: code2('equipmentUnitCode').default('00'),
  Energy_Code: codeOf('Energy_Code', 6).pipe(
    z.string().regex(/^\d{6}$/, 'Energy_Code 必须是 6 位数字能源编码'),
  ),
  Real_zbckz: factor('Real_zbckz').optional(),
  dataUsageCode: codeOf('dataUsageCode'),
  inputType: codeOf('inputType'),
  statType: z
    .union([z.string(), z.number()], { error: 'statType 必须是 0、1、2 或 3' })
    .transform((v) => String(v).trim())
    .pipe(z.enum(PRP_STAT_TYPES, { error: 'statType 必须是 0（实时）、1（日）、2（月）或 3（年）' })),
  collectSystemName: text('collectSystemName', 100).default(''),
  remark: text('remark', 200).default(''),
  scope: intLike('scope').pipe(
    z
      .number()
      .int()
      .min(1, 'scope 必须是 1 到 4')
      .max(4, 'scope 必须是 1（全厂）、2（生产工序）、3（工序单元）或 4（重点耗能设备）'),
  ),
});

/** China's extent: a provincial platform's enterprise lies inside it. */
export const PRP_LATITUDE = { min: 3, max: 54 } as const;
export const PRP_LONGITUDE = { min: 73, max: 136 } as const;

/** 5.2 enterprise (用能单位信息). */
export const prpEnterprise = z.strictObject({
  name: required('name', 100),
  typeCode: codeOf('typeCode'),
  typeName: text('typeName', 100).default(''),
  industryCode: codeOf('industryCode').pipe(
    z.string().regex(/^[A-T]\d{2,4}$/, 'industryCode 必须是国民经济行业分类编码（如 C3120）'),
  ),
  regionCode: z
    .string({ error: 'regionCode 必须是字符串' })
    .regex(/^\d{6}$/, 'regionCode 必须是 6 位行政区划代码'),
  regionName: text('regionName', 100).default(''),
  center: bool('center'),
  jgzh: bool('jgzh'),
  energyConsumeLevel: intLike('energyConsumeLevel').pipe(
    z.number().int().min(1, 'energyConsumeLevel 必须是 1 到 6').max(6, 'energyConsumeLevel 必须是 1 到 6'),
  ),
  latitude: z
    .number({ error: 'latitude 必须是数字' })
    .min(PRP_LATITUDE.min, `latitude 必须在 ${PRP_LATITUDE.min} 到 ${PRP_LATITUDE.max} 之间（中国境内纬度）`)
    .max(PRP_LATITUDE.max, `latitude 必须在 ${PRP_LATITUDE.min} 到 ${PRP_LATITUDE.max} 之间（中国境内纬度）`),
  longitude: z
    .number({ error: 'longitude 必须是数字' })
    .min(
      PRP_LONGITUDE.min,
      `longitude 必须在 ${PRP_LONGITUDE.min} 到 ${PRP_LONGITUDE.max} 之间（中国境内经度）`,
    )
    .max(
      PRP_LONGITUDE.max,
      `longitude 必须在 ${PRP_LONGITUDE.min} 到 ${PRP_LONGITUDE.max} 之间（中国境内经度）`,
    ),
  phone: required('phone', 32).pipe(z.string().regex(/^[0-9+\-() ]{5,32}$/, 'phone 必须是电话号码')),
  fax: text('fax', 32).default(''),
  email: text('email', 100)
    .default('')
    .pipe(z.union([z.literal(''), z.email('email 不是有效的电子邮箱')])),
  address: text('address', 200).default(''),
  zipCode: text('zipCode', 6)
    .default('')
    .pipe(z.string().regex(/^(\d{6})?$/, 'zipCode 必须是 6 位邮编')),
  url: text('url', 200).default(''),
  fieldCode: z
    .union([z.string(), z.number()], { error: 'fieldCode 必须是 100、200、300、400、500 或 600' })
    .transform((v) => String(v).trim())
    .pipe(
      z.enum(['', '100', '200', '300', '400', '500', '600'], {
        error: 'fieldCode 必须是 100、200、300、400、500 或 600',
      }),
    )
    .default(''),
  fieldName: text('fieldName', 50).default(''),
  corporationName: text('corporationName', 50).default(''),
  registerDate: optionalDateTime('registerDate').default(''),
  registerPrincipal: z
    .number({ error: 'registerPrincipal 必须是数字（万元）' })
    .min(0, 'registerPrincipal 不能为负')
    .max(1e9, 'registerPrincipal 不能超过 1000000000 万元')
    .optional(),
  energyOffice: text('energyOffice', 100).default(''),
  energyOfficial: text('energyOfficial', 50).default(''),
  energyOfficialPosition: text('energyOfficialPosition', 50).default(''),
  energyOfficialPhone: text('energyOfficialPhone', 32).default(''),
  energyPass: bool('energyPass').default(false),
  energyRespName: text('energyRespName', 50).default(''),
  energyRespPhone: text('energyRespPhone', 32).default(''),
  passDate: optionalDateTime('passDate').default(''),
  passOrg: text('passOrg', 100).default(''),
  productionLine: text('productionLine', 200).default(''),
  leadingProduct: text('leadingProduct', 200).default(''),
  remark: text('remark', 500).default(''),
});

/** 5.2 group (集团, optional). */
export const prpGroup = z.strictObject({
  name: text('name', 100).default(''),
  address: text('address', 200).default(''),
  remark: text('remark', 500).default(''),
});
/** 5.2 process (生产工序). */
export const prpProcess = z.strictObject({
  processCode: code2('processCode'),
  processName: required('processName', 100),
  remark: text('remark', 500).default(''),
});
/** 5.2 processUnit (工序单元). */
export const prpProcessUnit = z.strictObject({
  code: code2('code'),
  name: required('name', 100),
  processCode: code2('processCode'),
  commDate: optionalDateTime('commDate').default(''),
  designedCapacity: text('designedCapacity', 200).default(''),
  remark: text('remark', 500).default(''),
});

/**
 * 5.2 PUT /api_3/PRP_organization_infos body. The code lists (Energy_Code, dataUsageCode, inputType),
 * `Meter_id` (a meter of the caller's organization), process references and duplicates are checked by
 * the service, each naming the field (`collectItemConfig.0.Energy_Code`).
 */
export const prpOrganizationInfos = z.strictObject({
  collectItemConfig: z
    .array(prpCollectItemConfig, { error: 'collectItemConfig 必须是数组' })
    .min(1, 'collectItemConfig 至少要有一个采集数据项')
    .max(500, 'collectItemConfig 最多 500 项'),
  enterprise: prpEnterprise,
  group: prpGroup.optional(),
  process: z.array(prpProcess).max(100, 'process 最多 100 项').default([]),
  processUnit: z.array(prpProcessUnit).max(500, 'processUnit 最多 500 项').default([]),
});
export type PrpOrganizationInfos = z.output<typeof prpOrganizationInfos>;
export type PrpOrganizationInput = z.input<typeof prpOrganizationInfos>;

/** 5.4 GET /api_3/PRP_version answer. */
export const prpVersion = z.object({
  regVersion: z.string(),
  dicVersion: z.string(),
  requireUpdate: z.number().int(),
  deviceID: z.string(),
  enterpriseCode: z.string(),
  region: z.string(),
});
export type PrpVersion = z.output<typeof prpVersion>;

/** The unified social credit code (统一社会信用代码, GB 32100): 18 characters. */
export const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** 5.5 POST /api_3/PRP_version body. */
export const prpVersionUpdate = z.strictObject({
  enterpriseCode: z
    .string({ error: 'enterpriseCode 必须是字符串' })
    .trim()
    .regex(CREDIT_CODE, 'enterpriseCode 必须是 18 位统一社会信用代码'),
  region: z
    .string({ error: 'region 必须是字符串' })
    .regex(/^\d{6}$/, 'region 必须是 6 位行政区划代码（具体到县级）'),
});

/** 5.7 GET /api_3/PRP_uploaded_energy_measure_datas query (paging is an extension). */
export const prpUploadsQuery = z.strictObject({
  Time_Start: localDateTime(),
  Time_End: localDateTime(),
  ...paging,
});

/** Operation_Type: 1 上传用能单位基础信息, 2 更新版本数据; 3 采集数据上传 (extension). */
export const PRP_OPERATION_NAMES = {
  1: '上传用能单位基础信息',
  2: '更新版本数据',
  3: '采集数据上传',
} as const;
export type PrpOperationType = 1 | 2 | 3;

/** 5.7 one exchange with the platform (every attempt is one row). Extensions after Upload_Time. */
export const prpUploadRecord = z.object({
  id: z.number().int(),
  Original_Data: z.unknown(),
  Target_Url: z.string(),
  Response_Data: z.unknown(),
  Upload_Time: z.string(),
  /** Extension: 1 success, 0 failure (the platform refused, or no answer: Response_Data says why). */
  Result: z.number().int(),
  /** Extension: what the exchange was (PRP_OPERATION_NAMES). */
  Operation_Type: z.number().int(),
  /** Extension: for data uploads, the collect item's name; otherwise ''. */
  Item_Name: z.string(),
  /** Extension: for data uploads, the period's local start ("YYYY-MM-DD HH:mm:ss"); otherwise ''. */
  Period: z.string(),
  /** Extension: attempt number of this upload (1 = first try, 2 = first retry, …). */
  Attempt: z.number().int(),
});
export type PrpUploadRecord = z.output<typeof prpUploadRecord>;

/** 5.8 GET /api_3/PRP_operation_result query. */
export const prpOperationQuery = z.strictObject({
  Operation_Type: intLike('Operation_Type').pipe(
    z
      .number()
      .int()
      .refine(
        (n) => n === 1 || n === 2 || n === 3,
        'Operation_Type 必须是 1（上传用能单位基础信息）、2（更新版本数据）或 3（采集数据上传，扩展）',
      ),
  ),
});

/** 5.8 answer: the last operation of that type (Data is empty when there was none). Extensions after Response_Data. */
export const prpOperationResult = z.object({
  Result: z.number().int(),
  Response_Data: z.string(),
  /** Extension: when it ran (local "YYYY-MM-DD HH:mm:ss"). */
  Operation_Time: z.string(),
  /** Extension: failed attempts since the last success of this type (0 after a success). */
  Failures: z.number().int(),
  /** Extension: uploads of this type still waiting or being retried. */
  Pending: z.number().int(),
});
export type PrpOperationResult = z.output<typeof prpOperationResult>;

/** Extension: PUT /api_3/PRP_connection — where and as whom this organization reaches its platform. */
export const prpConnectionBody = z.strictObject({
  Platform_Url: z
    .string({ error: 'Platform_Url 必须是字符串' })
    .trim()
    .max(300, 'Platform_Url 最多 300 个字符')
    .refine((v) => {
      try {
        return ['http:', 'https:'].includes(new URL(v).protocol);
      } catch {
        return false;
      }
    }, 'Platform_Url 必须是 http(s) 地址'),
  Access_Key: z
    .string({ error: 'Access_Key 必须是字符串' })
    .trim()
    .regex(/^[0-9A-Za-z_-]{4,64}$/, 'Access_Key 必须是 4–64 位字母、数字、_ 或 -'),
  Secret: z
    .string({ error: 'Secret 必须是字符串' })
    .min(16, 'Secret 至少 16 个字符')
    .max(256, 'Secret 最多 256 个字符'),
});
/** Extension: GET /api_3/PRP_connection (the secret is never answered). */
export const prpConnection = z.object({
  Platform_Url: z.string(),
  Access_Key: z.string(),
  Secret_Set: z.number().int(),
});
