import { z } from 'zod';
import { idNumber } from '../wire';

/**
 * Device protocol v1 (../shared/spec/device-protocol.md): the MQTT messages EMS controllers, meter
 * gateways, the simulator and the BFF exchange. One schema per message; both sides parse with them.
 */

/** A device uid: also an MQTT topic level, so no `/`, `+`, `#` or spaces. */
export const deviceUid = z
  .string({ error: 'device_uid 必须是字符串' })
  .trim()
  .min(1, 'device_uid 不能为空')
  .max(64, 'device_uid 最多 64 个字符')
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'device_uid 只能包含字母、数字和 _ . : -（以字母或数字开头）');

/** Retained `wd/{uid}/status` payload (the device's last will is `offline`). */
export const deviceStatusMessage = z.enum(['online', 'offline']);

/**
 * `wd/{uid}/status` with the device's session timestamp (protocol extension, see the devices README):
 * `ts` is when this connection began (epoch ms; each new connection a larger one), carried by the
 * `online` message and by that connection's last will / goodbye `offline`. A status with a smaller `ts`
 * than the stored one is stale; at an equal `ts`, `offline` ends that session. The bare string
 * (`online` / `"online"`) is still accepted; it is ordered by the time the platform received it.
 */
export const deviceStatusObject = z.object({
  status: deviceStatusMessage,
  ts: z.number().int().positive(),
});
export type DeviceStatus = { status: z.infer<typeof deviceStatusMessage>; ts?: number };

/** Parses a status payload in either form; undefined when it is neither. */
export function parseDeviceStatus(payload: string): DeviceStatus | undefined {
  const text = payload.trim();
  const bare = deviceStatusMessage.safeParse(text.replace(/^"(.*)"$/, '$1'));
  if (bare.success) return { status: bare.data };
  try {
    const obj = deviceStatusObject.safeParse(JSON.parse(text));
    return obj.success ? obj.data : undefined;
  } catch {
    return undefined;
  }
}

/** `wd/{uid}/telemetry`: named values at one time. */
export const telemetryMessage = z.object({
  ts: z.number().int().positive(),
  values: z.record(z.string().max(64), z.union([z.number(), z.string().max(256), z.boolean()])),
});
export type TelemetryMessage = z.infer<typeof telemetryMessage>;

/** One meter reading in a gateway batch. */
export const meterReading = z.object({
  meter: idNumber('meter'),
  ts: z.number().int().positive(),
  total: z.number().finite(),
  params: z.record(z.string().max(32), z.number().finite()).default({}),
});
/** `wd/{uid}/readings`: a gateway's batch (many meters, many timestamps). */
export const readingsMessage = z.object({ readings: z.array(meterReading).max(10_000) });
export type ReadingsMessage = z.infer<typeof readingsMessage>;

/** Methods the platform may call on a device. */
export const rpcMethod = z.enum(['bms.command', 'bms.status', 'reactive.set', 'reactive.get']);
export type RpcMethod = z.infer<typeof rpcMethod>;

/** `wd/{uid}/rpc/request`. */
export const rpcRequest = z.object({
  id: z.string().min(1).max(64),
  method: z.string().min(1).max(64),
  params: z.record(z.string(), z.unknown()).default({}),
  deadline: z.number().int().positive(),
});
export type RpcRequest = z.infer<typeof rpcRequest>;

/** Device error codes: 1 unknown method, 2 bad params, 3 refused in the current state, 4 busy. */
export const DeviceErrorCode = { unknownMethod: 1, badParams: 2, refused: 3, busy: 4 } as const;

export const rpcError = z.object({ code: z.number().int(), message: z.string().max(500).default('') });
/** `wd/{uid}/rpc/response`: a result or an error, never both. */
export const rpcResponse = z.union([
  z.object({ id: z.string().min(1).max(64), result: z.unknown() }).refine((r) => r.result !== undefined),
  z.object({ id: z.string().min(1).max(64), error: rpcError }),
]);
export type RpcResponse = { id: string; result?: unknown; error?: z.infer<typeof rpcError> };

/** `bms.command` params (seed 001 `command`): 1 fault reset, 2 close contactor, 3 open contactor. */
export const bmsCommandParams = z.object({ command: z.union([z.literal(1), z.literal(2), z.literal(3)]) });
export const bmsCommandResult = z.object({ accepted: z.boolean() });

/** `bms.status` result (seed 001 data without device_uid). */
export const bmsStatusResult = z.object({
  alarm_status: z.number().int().min(0),
  operating_status: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
});
export type BmsStatus = z.infer<typeof bmsStatusResult>;

const fraction = (field: string) =>
  z
    .number({ error: `${field} 必须是数字` })
    .min(0, `${field} 必须在 [0,1] 范围内`)
    .max(1, `${field} 必须在 [0,1] 范围内`);

/** The reactive-power control a device runs (seed 000 body without device_uid). */
export const reactiveControlFields = {
  phase_min_power_factor_a: fraction('phase_min_power_factor_a'),
  phase_min_power_factor_b: fraction('phase_min_power_factor_b').optional(),
  phase_min_power_factor_c: fraction('phase_min_power_factor_c').optional(),
  phase_power_factor_hysteresis_a: fraction('phase_power_factor_hysteresis_a').optional(),
  phase_power_factor_hysteresis_b: fraction('phase_power_factor_hysteresis_b').optional(),
  phase_power_factor_hysteresis_c: fraction('phase_power_factor_hysteresis_c').optional(),
  period: z
    .number({ error: 'period 必须是数字' })
    .int('period 必须是整数（毫秒）')
    .min(1, 'period 必须大于 0 毫秒')
    .max(3_600_000, 'period 最大 3600000 毫秒')
    .optional(),
  step: z.number({ error: 'step 必须是数字' }).gt(0, 'step 必须大于 0').max(1, 'step 最大为 1').optional(),
  mode: z.union([z.literal(1), z.literal(2)], { error: 'mode 必须是 1（容性）或 2（感性）' }),
};
/** `reactive.set` params / `reactive.set` and `reactive.get` result. */
export const reactiveControl = z.object(reactiveControlFields);
export type ReactiveControl = z.infer<typeof reactiveControl>;
/** What a device answers for its control: as above, but `period` may be any number (seed 000 `float`). */
export const reactiveControlResult = reactiveControl.extend({
  period: z.number().positive().optional(),
});
