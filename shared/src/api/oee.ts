import { z } from 'zod';
import { idLike, intLike, localDateTime, numberLike, paging } from '../wire';

/**
 * Seed 002 §7 machine states (OEE) and the OEE extensions. Field names follow 002 (`Xxx_Yyy`); times are
 * `"YYYY-MM-DD HH:mm:ss"` in the organization's time zone. All answers use the 002 envelope.
 *
 *   7.1–7.4  GET/POST/PUT/DELETE /api_3/OEE_status_rules   status rules of a machine (admin writes)
 *   7.5      GET /api_3/OEE_statistic_records              initial state + every change, window ≤ 24 h
 *   7.6      GET /api_3/OEE_statistic                      seconds per Status_Name (year/month/day)
 *   ext.     GET/PUT /api_3/OEE_settings                   reading interval and offline gap of a machine
 *            GET/POST/DELETE /api_3/OEE_ideal_rates        ideal output per hour, per machine and product
 *            GET /api_3/OEE_factors                        availability × performance × quality
 */

/** The state of a machine without a matching rule at a reading. */
export const OEE_UNDEFINED = '未定义';
/** The state of a machine whose last reading is older than its offline gap. */
export const OEE_OFFLINE = '离线';
/** What a factor shows when an input is missing (never 100 %). */
export const OEE_NO_DATA = '无数据';
/** Default `Status_Name`s that count as run / planned stop when `Is_Running` / `Is_Planned_Stop` are not given. */
export const OEE_RUN_NAME = '运行';
export const OEE_PLANNED_STOP_NAME = '计划停机';

const oneOf = <T extends number>(name: string, values: readonly T[], what: string) =>
  intLike(name)
    .refine((n) => (values as readonly number[]).includes(n), `${name} 只能是 ${what}`)
    .transform((n) => n as T);
const flag = (name: string) => oneOf<0 | 1>(name, [0, 1], '0 或 1');
const text = (name: string, max: number) =>
  z.string().trim().min(1, `${name} 不能为空`).max(max, `${name} 最多 ${max} 个字符`);

const ruleFields = {
  Rule_Name: text('Rule_Name', 64),
  Status_Name: text('Status_Name', 32).refine(
    (s) => s !== OEE_UNDEFINED && s !== OEE_OFFLINE,
    `Status_Name 不能是系统状态“${OEE_UNDEFINED}”或“${OEE_OFFLINE}”`,
  ),
  Meter_id: idLike('Meter_id'),
  Meter_Parameter: z
    .string()
    .trim()
    .regex(/^[A-Za-z][A-Za-z0-9_.]{0,31}$/, 'Meter_Parameter 必须是测点名（字母开头，最多 32 个字符）'),
  LowerLimit: numberLike(),
  UpperLimit: numberLike(),
  Meter_Superior_id: idLike('Meter_Superior_id'),
  /** Extension: 1 = time in this status is run time for OEE (default: 1 when Status_Name is “运行”). */
  Is_Running: flag('Is_Running').optional(),
  /** Extension: 1 = time in this status is a planned stop (default: 1 when Status_Name is “计划停机”). */
  Is_Planned_Stop: flag('Is_Planned_Stop').optional(),
};

/** 7.1 GET /api_3/OEE_status_rules (`id`, `Meter_Superior_id` are extension filters). */
export const oeeRuleListQuery = z.strictObject({
  ...paging,
  id: idLike().optional(),
  Meter_Superior_id: idLike('Meter_Superior_id').optional(),
});
/** 7.2 POST /api_3/OEE_status_rules */
export const oeeRuleCreateBody = z.strictObject(ruleFields);
/** 7.3 PUT /api_3/OEE_status_rules */
export const oeeRuleUpdateBody = z.strictObject({ id: idLike(), ...ruleFields });
/** 7.4 DELETE /api_3/OEE_status_rules */
export const oeeIdBody = z.strictObject({ id: idLike() });

/** 7.1 answer item: `Meter_Superior_id` is a `str` as 7.1 shows it; fields after it are extensions. */
export const oeeRuleItem = z.object({
  id: z.number().int(),
  Rule_Name: z.string(),
  Status_Name: z.string(),
  Meter_id: z.number().int(),
  Meter_Parameter: z.string(),
  LowerLimit: z.number(),
  UpperLimit: z.number(),
  Meter_Superior_id: z.string(),
  Meter_Name: z.string(),
  Meter_Superior: z.string(),
  Is_Running: z.number().int(),
  Is_Planned_Stop: z.number().int(),
});

/** 7.5 GET /api_3/OEE_statistic_records: Time_End − Time_Start ≤ 24 h. */
export const oeeRecordsQuery = z.strictObject({
  Time_Start: localDateTime(),
  Time_End: localDateTime(),
  Meter_Superior_id: idLike('Meter_Superior_id'),
});
export const oeeRecordItem = z.object({ Time: z.string(), Status_Name: z.string() });

/** 7.6 GET /api_3/OEE_statistic */
export const oeeStatisticQuery = z.strictObject({
  Time_Type: oneOf<1 | 2 | 3>('Time_Type', [1, 2, 3], '1（年）、2（月）或 3（天）'),
  Time_Start: localDateTime(),
  Time_End: localDateTime(),
  Return_Format: oneOf<1 | 2>('Return_Format', [1, 2], '1 或 2'),
  Meter_Superior_id: idLike('Meter_Superior_id'),
});
/** 7.6 answer row: seconds in `Status_Name` within the bucket starting at `Time`. */
export const oeeStatisticRow = z.object({
  Time: z.string(),
  Total_Amount: z.number().int(),
  Status_Name: z.string(),
});

/** Extension: GET /api_3/OEE_settings?Meter_Superior_id= */
export const oeeSettingsQuery = z.strictObject({ Meter_Superior_id: idLike('Meter_Superior_id') });
/** Extension: PUT /api_3/OEE_settings. The offline gap is Reading_Interval × Offline_Intervals seconds. */
export const oeeSettingsBody = z.strictObject({
  Meter_Superior_id: idLike('Meter_Superior_id'),
  Reading_Interval: intLike('Reading_Interval').pipe(
    z.number().int().min(1, 'Reading_Interval 至少 1 秒').max(86400, 'Reading_Interval 最多 86400 秒'),
  ),
  Offline_Intervals: intLike('Offline_Intervals').pipe(
    z.number().int().min(1, 'Offline_Intervals 至少 1').max(100, 'Offline_Intervals 最多 100'),
  ),
});
export const oeeSettingsItem = z.object({
  Meter_Superior_id: z.number().int(),
  Reading_Interval: z.number().int(),
  Offline_Intervals: z.number().int(),
  Offline_Seconds: z.number().int(),
});

/** Extension: GET /api_3/OEE_ideal_rates */
export const oeeIdealRateListQuery = z.strictObject({
  ...paging,
  Meter_Superior_id: idLike('Meter_Superior_id').optional(),
});
/** Extension: POST /api_3/OEE_ideal_rates sets (or replaces) the ideal rate of a product on a machine. */
export const oeeIdealRateBody = z.strictObject({
  Meter_Superior_id: idLike('Meter_Superior_id'),
  Product_id: idLike('Product_id'),
  Ideal_Rate: numberLike().pipe(z.number().positive('Ideal_Rate 必须大于 0')),
});
export const oeeIdealRateItem = z.object({
  id: z.number().int(),
  Meter_Superior_id: z.number().int(),
  Product_id: z.number().int(),
  /** Product units per hour of run time. */
  Ideal_Rate: z.number(),
  Unit: z.string(),
});

/** Extension: GET /api_3/OEE_factors: the OEE of a machine over the business year/month/day holding `Time`. */
export const oeeFactorsQuery = z.strictObject({
  Meter_Superior_id: idLike('Meter_Superior_id'),
  Time_Type: oneOf<1 | 2 | 3>('Time_Type', [1, 2, 3], '1（年）、2（月）或 3（天）'),
  Time: localDateTime(),
});
/** One factor: its value (0..1, `null` when an input is missing), a display text and how it was computed. */
export const oeeFactor = z.object({
  Value: z.number().nullable(),
  Text: z.string(),
  Basis: z.string(),
});
export const oeeFactorsItem = z.object({
  Meter_Superior_id: z.number().int(),
  Time_Start: z.string(),
  Time_End: z.string(),
  /** Seconds of shift time in the period (up to now), minus planned stops. */
  Planned_Seconds: z.number().int(),
  Planned_Stop_Seconds: z.number().int(),
  Run_Seconds: z.number().int(),
  Run_Status_Names: z.array(z.string()),
  Availability: oeeFactor,
  Performance: oeeFactor,
  Quality: oeeFactor,
  OEE: oeeFactor,
});

export type OeeRuleCreateBody = z.output<typeof oeeRuleCreateBody>;
export type OeeRuleItem = z.infer<typeof oeeRuleItem>;
export type OeeRecordsQuery = z.output<typeof oeeRecordsQuery>;
export type OeeRecordItem = z.infer<typeof oeeRecordItem>;
export type OeeStatisticQuery = z.output<typeof oeeStatisticQuery>;
export type OeeStatisticRow = z.infer<typeof oeeStatisticRow>;
export type OeeSettingsBody = z.output<typeof oeeSettingsBody>;
export type OeeSettingsItem = z.infer<typeof oeeSettingsItem>;
export type OeeIdealRateBody = z.output<typeof oeeIdealRateBody>;
export type OeeIdealRateItem = z.infer<typeof oeeIdealRateItem>;
export type OeeFactorsQuery = z.output<typeof oeeFactorsQuery>;
export type OeeFactor = z.infer<typeof oeeFactor>;
export type OeeFactorsItem = z.infer<typeof oeeFactorsItem>;
