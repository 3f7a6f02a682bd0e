import { z } from 'zod';
import { intLike, localDateTime } from '../wire';

/** A comma list ("0,1" or "0，1"); empty means "all". */
const commaList = (max: number) =>
  z
    .string()
    .max(max)
    .transform((v) =>
      v
        .split(/[,，]/)
        .map((s) => s.trim())
        .filter(Boolean),
    );

const oneOf = (name: string, values: number[]) =>
  intLike(name).refine((n) => values.includes(n), `${name} 只能是 ${values.join('/')}`);

/** Energy type codes in `Amount_Value` ("0,8"); each must be 0–8. */
const energyTypeList = commaList(64).pipe(
  z
    .array(z.string().regex(/^[0-8]$/, 'Amount_Value 的每一项必须是 0–8 的能源类型'))
    .transform((a) => a.map(Number)),
);

/** Fields shared by 3.1, 3.2, 3.4 and 3.5. */
const periodFields = {
  Time_Type: oneOf('Time_Type', [1, 2, 3]),
  Time_Start: localDateTime(),
  Time_End: localDateTime(),
};
const amountFields = {
  Amount_Type: oneOf('Amount_Type', [1, 2, 3, 4]),
  Amount_Combination: oneOf('Amount_Combination', [1, 2]).optional(),
  Amount_SortName: commaList(4000).optional(),
  Amount_Value: energyTypeList.optional(),
};
const intervalField = {
  Time_Interval: intLike('Time_Interval')
    .pipe(z.number().int().min(1, 'Time_Interval 必须大于 0').max(1440))
    .optional(),
};

/** 3.1 GET /api_3/allenergy */
export const allEnergyQuery = z.strictObject({ ...periodFields, ...amountFields });
/** 3.2 GET /api_3/detailenergy, 3.5 POST /api_3/form_detailenergy, 3.4 POST /api_3/report. */
export const detailEnergyQuery = z.strictObject({ ...periodFields, ...intervalField, ...amountFields });
/** 3.3 GET /api_3/measure */
export const measureQuery = z.strictObject({
  ...periodFields,
  ...intervalField,
  Meter_Name: z.string().trim().min(1, 'Meter_Name 不能为空').max(64),
  Measure_Name: commaList(1000).optional(),
});

export type AllEnergyQuery = z.output<typeof allEnergyQuery>;
export type DetailEnergyQuery = z.output<typeof detailEnergyQuery>;
export type MeasureQuery = z.output<typeof measureQuery>;

/** 3.1 answer row. `Meter_Department` and `Total_Cost` (present when a rate applies) are extensions. */
export const allEnergyRow = z.object({
  Meter_Department: z.string(),
  Meter_Superior: z.string(),
  Meter_Name: z.string(),
  Ene_Type: z.string(),
  Ene_Name: z.string(),
  Total_Amount: z.string(),
  Total_Cost: z.string().optional(),
});
/** 3.2 answer row: one per group and time bucket (`Time` = the bucket's local start). */
export const detailEnergyRow = allEnergyRow.extend({ Time: z.string() });
/** One bucket of 3.5 `Detail_Amounts`. */
export const detailAmount = z.object({
  Time: z.string(),
  Total_Amount: z.string(),
  Total_Cost: z.string().optional(),
});
/** One shift's amount in 3.5 `Shift_Amounts` (over the whole queried range). */
export const shiftAmount = z.object({
  Shift_Name: z.string(),
  Shift_Amount: z.string(),
  Shift_Cost: z.string().optional(),
});
/** 3.5 answer row; `Total_Amount`/`Total_Cost` over the whole range are extensions. */
export const formDetailRow = allEnergyRow.extend({
  Shift_Amounts: z.array(shiftAmount),
  Detail_Amounts: z.array(detailAmount),
});
/** 3.3 answer row. */
export const measureRow = z.object({ Time: z.string(), Measure_Name: z.string(), Measure_Value: z.string() });

export type AllEnergyRow = z.infer<typeof allEnergyRow>;
export type DetailEnergyRow = z.infer<typeof detailEnergyRow>;
export type FormDetailRow = z.infer<typeof formDetailRow>;
export type MeasureRow = z.infer<typeof measureRow>;
