import { z } from 'zod';
import { intLike } from '../wire';
import { deviceUid } from '../device/protocol';
import { readingError } from './readings';

/** Extension GET /gateways/detail query: one gateway, and how many presence changes to list (1–100, default 20). */
export const gatewayDetailQuery = z.strictObject({
  device_uid: deviceUid,
  history_limit: intLike('history_limit')
    .pipe(
      z
        .number()
        .min(1, 'history_limit 必须是 1 到 100 的整数')
        .max(100, 'history_limit 必须是 1 到 100 的整数'),
    )
    .optional(),
});

/** One meter a gateway reports, with the latest reading of it that ingest kept. Times ISO 8601 (UTC). */
export const gatewayMeter = z.object({
  meter_id: z.number().int(),
  /** The meter's name (002 §2); null when the meter was deleted since. */
  name: z.string().nullable(),
  /** 002 energy type (0 电, 1 水, …); null when the meter was deleted since. */
  energy_type: z.number().int().nullable(),
  /** Device time of the latest kept reading. */
  last_reading_at: z.string(),
  /** Its cumulative register in the meter's own unit; null when the reading carried parameters only. */
  last_total: z.number().nullable(),
  /** When the batch carrying it arrived. */
  reported_at: z.string(),
});

/** The last batch a gateway sent: when it arrived, how many readings, how many ingest kept and refused. */
export const gatewayBatch = z.object({
  received_at: z.string(),
  readings: z.number().int(),
  accepted: z.number().int(),
  refused: z.number().int(),
  /** The first refusals (at most 5), by position in the batch. */
  errors: z.array(readingError),
});

/** One presence change of the gateway. */
export const gatewayStatusChange = z.object({ online: z.boolean(), at: z.string() });

/** Extension GET /gateways/detail answer: what a meter gateway has. */
export const gatewayDetail = z.object({
  device_uid: z.string(),
  name: z.string(),
  site: z.string(),
  online: z.boolean(),
  status_changed_at: z.string().nullable(),
  last_seen_at: z.string().nullable(),
  meters: z.array(gatewayMeter),
  last_batch: gatewayBatch.nullable(),
  /** Newest first. */
  online_history: z.array(gatewayStatusChange),
});
export type GatewayDetail = z.infer<typeof gatewayDetail>;
export type GatewayMeter = z.infer<typeof gatewayMeter>;
