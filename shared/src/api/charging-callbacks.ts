import { z } from 'zod';
import { paging } from '../wire';

/**
 * Seed 004 上报回调地址管理 / 安全预警管理: the operator's callback addresses (charging envelope, camelCase)
 * and the extensions listing the platform's calls with every attempt.
 */
const operatorId = z
  .string({ error: 'operatorId 必须是字符串' })
  .trim()
  .min(1, 'operatorId 不能为空')
  .max(64, 'operatorId 最多 64 个字符');
const url = z
  .string({ error: 'url 必须是字符串' })
  .trim()
  .min(1, 'url 不能为空')
  .max(1000, 'url 最多 1000 个字符');

/** PUT 修改…回调地址: `{ operatorId, url }`. */
export const chargingCallbackUrlBody = z.strictObject({ operatorId, url });
export type ChargingCallbackUrlBody = z.infer<typeof chargingCallbackUrlBody>;
/** DELETE 删除上报失败回调地址: `{ operatorId }`. */
export const chargingCallbackDeleteBody = z.strictObject({ operatorId });

/** The callback kinds, as the attempts list names them. */
export const chargingCallbackKinds = [
  'reportFailure',
  'realtimeQuery',
  'processData',
  'safetyWarning',
] as const;
export type ChargingCallbackKind = (typeof chargingCallbackKinds)[number];
export const chargingCallbackKind = z.enum(chargingCallbackKinds, {
  error: `kind 必须是 ${chargingCallbackKinds.join('、')} 之一`,
});

const pageNum = z.coerce
  .number({ error: 'pageNum 必须是整数' })
  .int('pageNum 必须是整数')
  .min(1, 'pageNum 最小为 1')
  .max(1_000_000, 'pageNum 过大');
const pageSize = z.coerce
  .number({ error: 'pageSize 必须是整数' })
  .int('pageSize 必须是整数')
  .min(1, 'pageSize 最小为 1')
  .max(200, 'pageSize 最大为 200');

/** GET /platform/management/callbackAttempts (extension): the operator's own calls' attempts. */
export const chargingCallbackAttemptsQuery = z.strictObject({
  pageNum: pageNum.default(1),
  pageSize: pageSize.default(20),
  kind: chargingCallbackKind.optional(),
});

/** One attempt of a platform → operator call. */
export const chargingCallbackAttemptItem = z.object({
  callId: z.number().int(),
  kind: chargingCallbackKind,
  attemptNo: z.number().int(),
  at: z.string().describe('yyyy-MM-dd HH:mm:ss（北京时间）'),
  url: z.string(),
  httpStatus: z.number().int().nullable(),
  result: z
    .string()
    .describe(
      'ok 成功；http_error / refused / network / timeout 失败后重试；url_refused 地址不允许；no_address 未设置地址',
    ),
  answer: z.string().describe('对方应答（前 500 个字符）'),
  callStatus: z.string().describe('pending 重试中；delivered 已送达；failed 已放弃；no_address 未设置地址'),
});
export type ChargingCallbackAttemptItem = z.infer<typeof chargingCallbackAttemptItem>;

/** GET /platform/management/callbackUrls (extension): the addresses set, by kind. */
export const chargingCallbackUrlItem = z.object({
  kind: chargingCallbackKind,
  url: z.string(),
  updatedAt: z.string(),
});

/** GET /api_3/charging_callback_attempts (extension, 002 style, admins). */
export const chargingCallbackAttemptsAdminQuery = z.strictObject({
  ...paging,
  Operator_Id: z.string().trim().min(1, 'Operator_Id 不能为空').max(64).optional(),
  Kind: chargingCallbackKind.optional(),
});

/** POST /api_3/charging_cell_realtime_query and /api_3/charging_process_data_request (extensions). */
export const chargingCellRequestBody = z.strictObject({
  Operator_Id: z.string({ error: 'Operator_Id 必须是字符串' }).trim().min(1, 'Operator_Id 不能为空').max(64),
  Cell_Id: z.string({ error: 'Cell_Id 必须是字符串' }).trim().min(1, 'Cell_Id 不能为空').max(64),
});
export type ChargingCellRequestBody = z.infer<typeof chargingCellRequestBody>;
