import { z } from 'zod';
import { idLike, localDateTime, numberLike } from '../wire';

/**
 * Extension: POST /api_3/readings — a batch of readings, the MQTT `wd/{uid}/readings` payload shape:
 * `{ meter, ts, total, params? }` (meter id, epoch ms, cumulative register, instantaneous values).
 * Items are not checked here on purpose: the ingest service checks each one and reports a bad one by
 * its position, keeping the rest.
 */
export const readingsBody = z.strictObject({
  readings: z.array(z.unknown()).min(1, 'readings 不能为空').max(20000, '一批最多 20000 条读数'),
});
/** One rejected reading: its position in the batch, the field and the rule. */
export const readingError = z.object({ index: z.number().int(), field: z.string(), rule: z.string() });
/** Extension answer of POST /api_3/readings. */
export const readingsResult = z.object({
  Accepted: z.number().int(),
  Rejected: z.number().int(),
  Errors: z.array(readingError),
});

/** 5.6 POST /api_3/PRP_manual_energy_measure_datas */
export const manualDataBody = z.strictObject({
  Meter_id: idLike(),
  Date_Time: localDateTime(),
  Date_Type: z
    .union([z.literal('2'), z.literal('3'), z.literal(2), z.literal(3)], {
      message: 'Date_Type 只能是 2（月）或 3（天）',
    })
    .transform((v) => Number(v) as 2 | 3),
  Data_Amount: numberLike().pipe(z.number().min(0, 'Data_Amount 不能为负').max(1e12)),
});

export type ReadingError = z.infer<typeof readingError>;
export type ManualDataBody = z.output<typeof manualDataBody>;
