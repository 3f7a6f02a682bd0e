import { z } from 'zod';
import { flag01, idLike, numberLike } from '../wire';
import { energyType } from './metering';

/** "HH:mm:ss" wall-clock time on the half-hour grid used by rates and shifts ("24:00:00" ends a day). */
export const halfHour = (name: string) =>
  z
    .string()
    .regex(
      /^(([01]\d|2[0-3]):(00|30)|24:00):00$/,
      `${name} 必须是整点或半点，格式 "HH:mm:ss"（如 "08:30:00"）`,
    );

const price = (name: string) => numberLike().pipe(z.number().min(0, `${name} 不能为负`).max(1e6));

/** 4.1 PUT /api_3/rate — changes one row (a flat rate, or one segment of a time-of-use rate). */
export const rateUpdateBody = z.strictObject({
  id: idLike(),
  Rate_Name: z.string().trim().min(1, 'Rate_Name 不能为空').max(64),
  Rate_Type: energyType('Rate_Type'),
  Rate_Value: price('Rate_Value').optional(),
  /** "0" = segmented (time-of-use), "1" = flat: the seed's own (counter-intuitive) coding. */
  isSegmentation: flag01(),
  Seg_Begin: halfHour('Seg_Begin').optional(),
  Seg_Begin_Rate: price('Seg_Begin_Rate').optional(),
  Seg_End: halfHour('Seg_End').optional(),
  Seg_End_Rate: price('Seg_End_Rate').optional(),
  Rate_Unit: z.string().trim().min(1, 'Rate_Unit 不能为空').max(32),
});

/** One segment of a time-of-use rate (extension body of POST /api_3/rate). */
export const rateSegment = z.strictObject({
  Seg_Begin: halfHour('Seg_Begin'),
  Seg_End: halfHour('Seg_End'),
  Rate_Value: price('Rate_Value'),
  Seg_Begin_Rate: price('Seg_Begin_Rate').optional(),
  Seg_End_Rate: price('Seg_End_Rate').optional(),
});
/** Extension: POST /api_3/rate — sets the whole rate of one energy type at once (replacing any before). */
export const rateSetBody = z.strictObject({
  Rate_Name: z.string().trim().min(1, 'Rate_Name 不能为空').max(64),
  Rate_Type: energyType('Rate_Type'),
  isSegmentation: flag01(),
  Rate_Value: price('Rate_Value').optional(),
  Segments: z.array(rateSegment).max(48).optional(),
  Rate_Unit: z.string().trim().min(1, 'Rate_Unit 不能为空').max(32),
});
/** Extension: DELETE /api_3/rate — removes the rate of one energy type. */
export const rateDeleteBody = z.strictObject({ Rate_Type: energyType('Rate_Type') });

/** 4.2 answer row. */
export const rateItem = z.object({
  id: z.number().int(),
  Rate_Name: z.string(),
  Rate_Type: z.string(),
  Rate_Value: z.string(),
  isSegmentation: z.string(),
  Seg_Begin: z.string(),
  Seg_Begin_Rate: z.string(),
  Seg_End: z.string(),
  Seg_End_Rate: z.string(),
  Rate_Unit: z.string(),
});

/** "07:30:00" or "-07:30:00": hours −23..23; minutes on the half hour. */
const dayBoundary = (name: string) =>
  z
    .string()
    .regex(
      /^-?([01]\d|2[0-3]):(00|30):00$/,
      `${name} 格式为 "07:30:00" 或 "-07:30:00"，小时 −23..23，分钟为 00 或 30`,
    );
const bounded = (name: string, max: number) =>
  z
    .union([
      z.number(),
      z
        .string()
        .trim()
        .regex(/^-?\d+$/, `${name} 必须是整数`),
    ])
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(-max, `${name} 必须在 −${max}..${max} 之间且不为 0`)
        .max(max, `${name} 必须在 −${max}..${max} 之间且不为 0`)
        .refine((n) => n !== 0, `${name} 必须在 −${max}..${max} 之间且不为 0`),
    );

/** 4.4 PUT /api_3/personalise; `Time_Zone` (IANA, e.g. "Asia/Shanghai") is an extension. */
export const personaliseBody = z.strictObject({
  Year_Start: bounded('Year_Start', 12),
  Year_End: bounded('Year_End', 12),
  Month_Start: bounded('Month_Start', 31),
  Month_End: bounded('Month_End', 31),
  Day_Start: dayBoundary('Day_Start'),
  Day_End: dayBoundary('Day_End'),
  Time_Zone: z.string().trim().min(1).max(64).optional(),
});
/** 4.3 answer. */
export const personaliseItem = z.object({
  Year_Start: z.string(),
  Year_End: z.string(),
  Month_Start: z.string(),
  Month_End: z.string(),
  Day_Start: z.string(),
  Day_End: z.string(),
  Time_Zone: z.string(),
});

/** One work shift (extension, for 3.5 `Shift_Amounts`): wall-clock start and end; may cross midnight. */
export const shiftItem = z.strictObject({
  Shift_Name: z.string().trim().min(1, 'Shift_Name 不能为空').max(32),
  Shift_Start: halfHour('Shift_Start'),
  Shift_End: halfHour('Shift_End'),
});
/** Extension: PUT /api_3/shifts replaces the organization's shifts. */
export const shiftsBody = z.strictObject({ Shifts: z.array(shiftItem).max(8, '最多 8 个班次') });

export type RateItem = z.infer<typeof rateItem>;
export type PersonaliseBody = z.output<typeof personaliseBody>;
export type ShiftItem = z.infer<typeof shiftItem>;
