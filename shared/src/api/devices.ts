import { z } from 'zod';
import { flag01, intLike } from '../wire';
import { bmsStatusResult, deviceUid, reactiveControlFields, reactiveControlResult } from '../device/protocol';

/** `?device_uid=` on GET and PUT /sync (seeds 000/001). */
export const deviceUidQuery = z.strictObject({ device_uid: deviceUid });

/** Seed 000 POST /reactive-power-control body. */
export const reactivePowerControlBody = z.strictObject({ device_uid: deviceUid, ...reactiveControlFields });
export type ReactivePowerControlBody = z.infer<typeof reactivePowerControlBody>;
/** Seed 000 GET and PUT /sync `data`. */
export const reactivePowerControlData = reactiveControlResult.extend({ device_uid: z.string() });
export type ReactivePowerControlData = z.infer<typeof reactivePowerControlData>;

/** Seed 001 `command`: 1 故障复位, 2 接触器闭合, 3 接触器断开. */
export const bmsCommand = z.union([z.literal(1), z.literal(2), z.literal(3)], {
  error: 'command 必须是 1（故障复位）、2（接触器闭合）或 3（接触器断开）',
});
/** Seed 001 POST /bms-control body. */
export const bmsControlBody = z.strictObject({ device_uid: deviceUid, command: bmsCommand });
export type BmsControlBody = z.infer<typeof bmsControlBody>;
/** Seed 001 GET and PUT /sync `data`. */
export const bmsControlData = bmsStatusResult.extend({ device_uid: z.string() });
export type BmsControlData = z.infer<typeof bmsControlData>;

/** Device kinds: an EMS controller (BMS + reactive power) or a meter gateway. */
export const deviceKind = z.enum(['ems', 'gateway'], { error: 'kind 必须是 ems 或 gateway' });
export type DeviceKind = z.infer<typeof deviceKind>;

const name = z.string().trim().min(1, 'name 不能为空').max(64, 'name 最多 64 个字符');
const site = z.string().trim().max(64, 'site 最多 64 个字符');

/** Extension GET /devices query. */
export const deviceListQuery = z.strictObject({ kind: deviceKind.optional(), site: site.optional() });
/** Extension POST /devices body: registers a device; the answer carries its secret once. */
export const deviceCreateBody = z.strictObject({
  device_uid: deviceUid,
  name,
  kind: deviceKind,
  site: site.default(''),
});
/** Extension PUT /devices body. */
export const deviceUpdateBody = z
  .strictObject({
    device_uid: deviceUid,
    name: name.optional(),
    site: site.optional(),
  })
  .refine((b) => b.name !== undefined || b.site !== undefined, {
    message: 'name 和 site 至少要给一个',
    path: ['name'],
  });

/** One device in the registry, as the list and detail answer it. Times are ISO 8601 (UTC). */
export const deviceItem = z.object({
  device_uid: z.string(),
  name: z.string(),
  kind: deviceKind,
  site: z.string(),
  /** From the retained `wd/{uid}/status` topic. */
  online: z.boolean(),
  /** When `online` last changed. */
  status_changed_at: z.string().nullable(),
  /** Last message of any kind from the device. */
  last_seen_at: z.string().nullable(),
  /** Last telemetry values and when they arrived. */
  telemetry: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  telemetry_at: z.string().nullable(),
  created_at: z.string(),
});
export type DeviceItem = z.infer<typeof deviceItem>;
/** Registration and secret rotation answer: the secret is shown this once and stored only hashed. */
export const deviceSecret = z.object({ device_uid: z.string(), secret: z.string() });
export const deviceCreated = deviceItem.extend({
  secret: z.string(),
  /** Extension: the broker address the device connects to (null when the BFF runs without a bus). */
  broker_url: z.string().nullable(),
});

/** Command record statuses. Only `succeeded` means the device confirmed it. */
export const commandStatus = z.enum([
  'pending',
  'sent',
  'succeeded',
  'refused',
  'device_busy',
  'failed',
  'timed_out',
  'not_sent_offline',
  'not_sent_busy',
]);
export type CommandStatus = z.infer<typeof commandStatus>;
export const commandStatusNames: Record<CommandStatus, string> = {
  pending: '已记录，正在下发并等待设备应答',
  sent: '已发送，等待设备应答',
  succeeded: '设备已执行',
  refused: '设备拒绝执行',
  device_busy: '设备忙，未执行',
  failed: '设备执行失败',
  timed_out: '超时未应答',
  not_sent_offline: '未发送：设备离线',
  not_sent_busy: '未发送：该设备有命令正在执行',
};

/** Who started a command: the user, or the app reading state by itself when a page opened. */
export const commandOrigin = z.enum(['user', 'auto'], { error: 'X-Command-Origin 必须是 user 或 auto' });
export type CommandOrigin = z.infer<typeof commandOrigin>;

/** Extension GET /device-commands query (newest first). */
export const commandHistoryQuery = z.strictObject({
  device_uid: deviceUid,
  /** "1": also list the automatic reads made when a page opened (default: the users' commands only). */
  include_auto: flag01().optional(),
  page: intLike('page').pipe(z.number().int().min(1, 'page 从 1 开始')).optional(),
  page_size: intLike('page_size').pipe(z.number().int().min(1).max(100, 'page_size 最大 100')).optional(),
});

/** One command as kept: who, when, from where, what, the device's answer or the timeout, the read-back. */
export const commandRecord = z.object({
  id: z.string(),
  device_uid: z.string(),
  method: z.string(),
  /** Chinese name of the operation, e.g. 故障复位. */
  operation: z.string(),
  params: z.record(z.string(), z.unknown()),
  status: commandStatus,
  status_name: z.string(),
  user_id: z.number().int().nullable(),
  user_name: z.string().nullable(),
  ip: z.string().nullable(),
  requested_at: z.string(),
  deadline: z.string(),
  /** When the broker acknowledged the request (null: it never reached the broker). */
  sent_at: z.string().nullable(),
  answered_at: z.string().nullable(),
  result: z.unknown().nullable(),
  error: z.object({ code: z.number(), message: z.string() }).nullable(),
  /** BMS state read back after a BMS command (null when not read back). */
  readback: bmsStatusResult.nullable(),
  readback_error: z.string().nullable(),
  /** A device answer that arrived after the deadline (the record stays `timed_out`). */
  late_response: z.unknown().nullable(),
  duplicate_responses: z.number().int(),
  idempotency_key: z.string().nullable(),
  /** 'auto': read by the app when a page opened, not a command the user gave. */
  origin: commandOrigin,
});
export type CommandRecord = z.infer<typeof commandRecord>;
/** History page. */
export const commandHistory = z.object({
  total: z.number().int(),
  page: z.number().int(),
  page_size: z.number().int(),
  items: z.array(commandRecord),
});
