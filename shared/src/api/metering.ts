import { z } from 'zod';
import { flag01, idLike, intLike, numberLike, paging, localDateTime } from '../wire';

/** Energy types of seed 002 (`Meter_Type`, `Ene_Type`, `Amount_Value`, `Rate_Type`): code → name. */
export const ENERGY_NAMES: Readonly<Record<number, string>> = {
  0: '电',
  1: '自来水',
  2: '中水',
  3: '热水',
  4: '软水',
  5: '中压蒸汽',
  6: '低压蒸汽',
  7: '空气',
  8: '天然气',
};

/** The unit each energy type is metered in (register values, 3.x amounts): code → unit. */
export const ENERGY_UNITS: Readonly<Record<number, string>> = {
  0: 'kWh',
  1: 't',
  2: 't',
  3: 't',
  4: 't',
  5: 't',
  6: 't',
  7: 'm³',
  8: 'm³',
};

/** An energy type code "0".."8" (number or numeric string). */
export const energyType = (name = 'Meter_Type') =>
  intLike(name).pipe(
    z.number().int().min(0, `${name} 必须是 0–8 的能源类型`).max(8, `${name} 必须是 0–8 的能源类型`),
  );

const text = (max: number, what: string) =>
  z.string().trim().min(1, `${what}不能为空`).max(max, `${what}最多 ${max} 个字符`);
const optionalText = (max: number) => z.string().trim().max(max, `最多 ${max} 个字符`).optional();

/** A measure-point name such as `UA`, `IA`, `P`, `PF` (002 `Meter_Parameter`). */
export const paramName = z
  .string()
  .trim()
  .regex(/^[A-Za-z][A-Za-z0-9_.]{0,31}$/, '测点名只能是字母开头的字母、数字、_ 或 .，最多 32 个字符');

/** `Meter_Parameter` as the seed writes it ("UA,UB,UC") or as a list; extension on 2.1/2.2. */
const paramList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(/[,，]/)).map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(paramName).max(32, '最多 32 个测点'));

const meterFields = {
  Meter_Name: text(64, '仪表名'),
  Meter_Type: energyType('Meter_Type'),
  Meter_Superior_id: idLike(),
  Meter_Remarks: optionalText(256),
  /** Total counted before a swap; changing it records a meter replacement. */
  Meter_TotalAmount: numberLike().pipe(z.number().min(0, 'Meter_TotalAmount 不能为负')).optional(),
  Meter_IsVirtual: flag01().optional(),
  Meter_Formula: z.string().max(1000, 'Meter_Formula 最多 1000 个字符').optional(),
  Meter_IsTotal: flag01().optional(),
  Meter_IsCount: flag01().optional(),
  Is_HandWork: flag01().optional(),
  /** Extension: the measure points this meter reports (ingest adds unseen ones). */
  Meter_Parameter: paramList.optional(),
  /** Extension: the register's roll-over value (e.g. 99999.9 → 0); unset = counts on from zero. */
  Meter_Register_Max: numberLike().pipe(z.number().positive('Meter_Register_Max 必须大于 0')).optional(),
  /**
   * Extension: plausibility, the most this meter can register per hour in its unit (kWh/h, m³/h, t/h);
   * unset = the energy type's default (electricity 1,000,000; water 100,000; steam 10,000; air and gas
   * 1,000,000). A reading needing a faster rate since the one before it is refused, named by index.
   */
  Meter_Max_Rate: numberLike()
    .pipe(z.number().positive('Meter_Max_Rate 必须大于 0').max(1e12, 'Meter_Max_Rate 不能超过 1e12'))
    .optional(),
  /** Extension: when the swap recorded by a changed Meter_TotalAmount happened (default now). */
  Meter_Replace_Time: localDateTime().optional(),
  /** Extension: the new register's value when it was installed (default 0). */
  Meter_StartAmount: numberLike().pipe(z.number().min(0, 'Meter_StartAmount 不能为负')).optional(),
};

/** 2.1 POST /api_3/meters */
export const meterCreateBody = z.strictObject(meterFields);
/** 2.2 PUT /api_3/meters */
export const meterUpdateBody = z.strictObject({ id: idLike(), ...meterFields });
/** 2.3 GET /api_3/meters */
export const meterListQuery = z.strictObject({
  id: idLike().optional(),
  Meter_Type: energyType('Meter_Type').optional(),
  Meter_Superior: z.string().trim().max(64).optional(),
  Is_HandWork: intLike('Is_HandWork').pipe(z.number().int().min(0).max(1)).optional(),
  Meter_IsCount: intLike('Meter_IsCount').pipe(z.number().int().min(0).max(1)).optional(),
  ...paging,
});
/** 2.4 DELETE /api_3/meters and 2.8 DELETE /api_3/metersuperiors */
export const idBody = z.strictObject({ id: idLike() });

/** 2.3 response item. */
export const meterItem = z.object({
  id: z.number().int(),
  Meter_Name: z.string(),
  Meter_Type: z.string(),
  Meter_Superior: z.string(),
  Meter_Department: z.string(),
  Meter_Remarks: z.string(),
  Meter_TotalAmount: z.string(),
  Meter_IsVirtual: z.string(),
  Meter_Formula: z.string(),
  Meter_IsTotal: z.string(),
  Meter_IsCount: z.string(),
  Is_HandWork: z.number().int(),
  Meter_Superior_id: z.number().int(),
  Meter_Parameter: z.string(),
  Meter_Register_Max: z.string(),
  /** Extension: the plausibility ceiling per hour in force (the meter's own, or its type's default). */
  Meter_Max_Rate: z.string(),
  /** Extension: "1" when Meter_Max_Rate is the meter's own setting, "0" when it is the type's default. */
  Meter_Max_Rate_Set: z.string(),
  Ene_Name: z.string(),
});

/** 2.6 POST /api_3/metersuperiors */
export const machineCreateBody = z.strictObject({
  Meter_Superior: text(64, '机器名'),
  Meter_Department: text(64, '部门'),
  equipmentCode: z.string().trim().max(32, '最多 32 个字符'),
  equipmentUnitCode: z.string().trim().max(32, '最多 32 个字符'),
});
/** 2.7 PUT /api_3/metersuperiors */
export const machineUpdateBody = machineCreateBody.extend({ id: idLike() });
/** 2.5 GET /api_3/metersuperiors */
export const machineListQuery = z.strictObject({
  id: idLike().optional(),
  Meter_Department: z.string().trim().max(64).optional(),
  ...paging,
});
/** 2.5 response item. */
export const machineItem = z.object({
  id: z.number().int(),
  Meter_Superior: z.string(),
  Meter_Department: z.string(),
  Machine_Image_Url: z.string(),
  equipmentCode: z.string(),
  equipmentUnitCode: z.string(),
});
/** 2.9 GET /api_3/metersuperior_image (extension: reads the image back, owner only). */
export const machineImageQuery = z.strictObject({ id: idLike(), v: z.string().max(64).optional() });

export type MeterItem = z.infer<typeof meterItem>;
export type MachineItem = z.infer<typeof machineItem>;
