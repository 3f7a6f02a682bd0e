import { z } from 'zod';
import { idLike, intLike, localDateTime, numberLike, paging } from '../wire';

/**
 * Seed 002 §6 alarms (6.1–6.10) and the alarm extensions (acknowledge, shelve, detail with history,
 * deliveries, unread count, WeChat subscriptions, per-user notification settings, the real-time stream).
 * Field names follow 002 (`Xxx_Yyy`); times are `"YYYY-MM-DD HH:mm:ss"` in the organization's time zone,
 * `""` when not set. All answers use the 002 envelope (`Data` list, `Total_Numbers` on lists).
 *
 *   6.1–6.4  GET/POST/PUT/DELETE /api_3/alarm_status          definitions (admin writes)
 *   6.5–6.8  GET/POST/PUT/DELETE /api_3/alarm_status_rules    rules (admin writes)
 *   6.9      GET (and DELETE, same answer) /api_3/alarm_message
 *   6.10     GET /api_3/alarm_statistic_nums
 *   ext.     GET  /api_3/alarm_message_detail?id=             record + History + Reset_Path
 *            POST /api_3/alarm_acknowledge {id, Ack_Comment}
 *            POST /api_3/alarm_shelve {id, Shelve_Reason, Shelve_Minutes | Shelve_Until}; DELETE /api_3/alarm_shelve {id}
 *            GET  /api_3/alarm_deliveries?id=                  every delivery and attempt
 *            GET  /api_3/alarm_unread; POST /api_3/alarm_read {id | All: 1}
 *            GET/POST /api_3/wechat_subscriptions {Template_Id, Accepted: 1}
 *            GET/PUT  /api_3/alarm_notify_settings
 *            POST /api_3/alarm_stream_ticket → GET /api_3/alarm_stream?ticket=  (SSE, event `alarm`)
 */

/** `Alarm_Level`: 1 一般, 2 警告, 3 严重. */
export const ALARM_LEVEL_NAMES: Readonly<Record<number, string>> = { 1: '一般', 2: '警告', 3: '严重' };
/** `Alarm_Type`: 1 hourly accumulated energy of a machine's meter, 2 instantaneous parameter, 3 (extension) BMS device alarm. */
export const ALARM_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: '机器每小时累计能耗报警',
  2: '机器瞬时参数报警',
  3: '设备故障报警',
};
/** `Alarm_Notify`: 1 platform, 2 SMS, 3 email, 4 WeChat. */
export const ALARM_NOTIFY_NAMES: Readonly<Record<number, string>> = {
  1: '平台通知',
  2: '短信通知',
  3: '邮箱通知',
  4: '微信通知',
};
/** `Alarm_State` (extension, ISA-18.2 / ThingsBoard): 1..4. */
export const ALARM_STATE_NAMES: Readonly<Record<number, string>> = {
  1: '活动未确认',
  2: '活动已确认',
  3: '已恢复未确认',
  4: '已恢复已确认',
};
export type AlarmLevel = 1 | 2 | 3;
export type AlarmType = 1 | 2 | 3;
export type AlarmChannel = 1 | 2 | 3 | 4;
export type AlarmState = 1 | 2 | 3 | 4;

/** An integer code (number or numeric string) limited to `values`; the message names the field. */
const oneOf = <T extends number>(name: string, values: readonly T[], what: string) =>
  intLike(name)
    .refine((n) => (values as readonly number[]).includes(n), `${name} 只能是 ${what}`)
    .transform((n) => n as T);

export const alarmLevel = (name = 'Alarm_Level') =>
  oneOf<AlarmLevel>(name, [1, 2, 3], '1（一般）、2（警告）或 3（严重）');
export const alarmType = (name = 'Alarm_Type') =>
  oneOf<AlarmType>(name, [1, 2, 3], '1（每小时累计能耗）、2（瞬时参数）或 3（设备故障）');
export const alarmNotify = (name = 'Alarm_Notify') =>
  oneOf<AlarmChannel>(name, [1, 2, 3, 4], '1（平台）、2（短信）、3（邮箱）或 4（微信）');
const flag = (name: string) => oneOf<0 | 1>(name, [0, 1], '0 或 1');

const text = (max: number, what: string) =>
  z.string().trim().min(1, `${what}不能为空`).max(max, `${what}最多 ${max} 个字符`);
/** `HH:mm` local clock time (quiet hours, digest time); empty string = not set. */
const clockTime = (name: string) =>
  z
    .string()
    .trim()
    .regex(/^(|([01]\d|2[0-3]):[0-5]\d)$/, `${name} 必须是 HH:mm（如 22:00）或空`);

// ---------------------------------------------------------------------------------------------------
// 6.1–6.4 alarm definitions (报警状态)
// ---------------------------------------------------------------------------------------------------

/**
 * `Notify_Address`: comma-separated (`,` or `，`). Each entry is a user of the organization (user name
 * or `Usr_ID`) — required for platform and WeChat — or, for SMS, a mobile number, for email, an address.
 * Empty for platform = every member of the organization.
 */
export const notifyAddress = (name = 'Notify_Address') =>
  z.string().trim().max(1000, `${name} 最多 1000 个字符`);

const definitionFields = {
  Alarm_Name: text(64, 'Alarm_Name '),
  Alarm_Type: alarmType(),
  Alarm_Level: alarmLevel(),
  Alarm_Notify: alarmNotify(),
  Notify_Address: notifyAddress(),
  /** Extension: minutes without acknowledgement before escalating (0 or absent = never). Repeats every N minutes until acknowledged or cleared. */
  Escalate_Minutes: intLike('Escalate_Minutes')
    .pipe(
      z.number().int().min(0, 'Escalate_Minutes 不能为负').max(10080, 'Escalate_Minutes 最多 10080（7 天）'),
    )
    .optional(),
  /** Extension: who is notified on escalation (same form as `Notify_Address`, users only). */
  Escalate_To: notifyAddress('Escalate_To').optional(),
};

/** 6.1 GET /api_3/alarm_status */
export const alarmDefinitionListQuery = z.strictObject({
  ...paging,
  /** Extension filters. */
  id: idLike().optional(),
  Alarm_Type: alarmType().optional(),
});
/** 6.2 POST /api_3/alarm_status */
export const alarmDefinitionCreateBody = z.strictObject(definitionFields);
/** 6.3 PUT /api_3/alarm_status */
export const alarmDefinitionUpdateBody = z.strictObject({ id: idLike(), ...definitionFields });
/** 6.4 DELETE /api_3/alarm_status and 6.8 DELETE /api_3/alarm_status_rules (`id` in query or body). */
export const alarmIdBody = z.strictObject({ id: idLike() });

/** 6.1 answer item (`Escalate_*`, `Rule_Numbers` are extensions). */
export const alarmDefinitionItem = z.object({
  id: z.number().int(),
  Alarm_Name: z.string(),
  Alarm_Level: z.number().int(),
  Alarm_Type: z.number().int(),
  Alarm_Notify: z.number().int(),
  Notify_Address: z.string(),
  Escalate_Minutes: z.number().int(),
  Escalate_To: z.string(),
  Rule_Numbers: z.number().int(),
});

// ---------------------------------------------------------------------------------------------------
// 6.5–6.8 rules (报警状态规则)
// ---------------------------------------------------------------------------------------------------

const ruleFields = {
  Rule_Name: text(64, 'Rule_Name '),
  Alarm_id: idLike(),
  /** Required for types 1 and 2; not used by type 3 (device) rules. */
  Meter_id: idLike().optional(),
  /** Required for type 2 (a measure point such as `PF`, `UA`); not used by type 1. */
  Meter_Parameter: z
    .string()
    .trim()
    .regex(/^([A-Za-z][A-Za-z0-9_.]{0,31})?$/, 'Meter_Parameter 必须是测点名（字母开头，最多 32 个字符）')
    .optional(),
  LowerLimit: numberLike(),
  UpperLimit: numberLike(),
  /** Extension (on-delay): the value must stay outside the limits this long before the alarm is raised (default 0). */
  Delay_Seconds: intLike('Delay_Seconds')
    .pipe(z.number().int().min(0, 'Delay_Seconds 不能为负').max(86400, 'Delay_Seconds 最多 86400'))
    .optional(),
  /** Extension: the value must come back inside the limits by this much to clear (default 1 % of the band). */
  Deadband: numberLike().pipe(z.number().min(0, 'Deadband 不能为负')).optional(),
  /** Extension: while still active, notify again every N minutes (0 or absent = never). */
  Realarm_Minutes: intLike('Realarm_Minutes')
    .pipe(z.number().int().min(0, 'Realarm_Minutes 不能为负').max(10080, 'Realarm_Minutes 最多 10080'))
    .optional(),
  /** Extension, type 3 only: the device (`device_uid`); absent = every BMS device of the organization. */
  Device_Uid: z.string().trim().max(64, 'Device_Uid 最多 64 个字符').optional(),
};

/** 6.5 GET /api_3/alarm_status_rules */
export const alarmRuleListQuery = z.strictObject({
  ...paging,
  Alarm_id: idLike().optional(),
  /** Extension filters. */
  id: idLike().optional(),
  Meter_id: idLike().optional(),
});
/** 6.6 POST /api_3/alarm_status_rules */
export const alarmRuleCreateBody = z.strictObject(ruleFields);
/** 6.7 PUT /api_3/alarm_status_rules */
export const alarmRuleUpdateBody = z.strictObject({ id: idLike(), ...ruleFields });

/** 6.5 answer item. `Meter_id` is 0 for a device rule. Fields after `UpperLimit` are extensions. */
export const alarmRuleItem = z.object({
  id: z.number().int(),
  Rule_Name: z.string(),
  Alarm_id: z.number().int(),
  Meter_id: z.number().int(),
  Meter_Parameter: z.string(),
  LowerLimit: z.number(),
  UpperLimit: z.number(),
  Alarm_Name: z.string(),
  Alarm_Type: z.number().int(),
  Meter_Name: z.string(),
  Delay_Seconds: z.number().int(),
  /** The deadband in force (the default 1 % of the band when none was given). */
  Deadband: z.number(),
  Realarm_Minutes: z.number().int(),
  Device_Uid: z.string(),
  /** 1 while the rule is chattering (≥ 3 transitions within a minute): its notifications are held back. */
  Rule_Chattering: z.number().int(),
});

// ---------------------------------------------------------------------------------------------------
// 6.9 alarm records (报警记录): GET, and DELETE answering the same (it deletes nothing)
// ---------------------------------------------------------------------------------------------------

/** 6.9 GET (and DELETE) /api_3/alarm_message: alarms raised in [Time_Start, Time_End). */
export const alarmMessageQuery = z.strictObject({
  ...paging,
  Time_Start: localDateTime(),
  Time_End: localDateTime(),
  Meter_Name: z.string().trim().max(64).optional(),
  Meter_Superior: z.string().trim().max(64).optional(),
  Alarm_Type: alarmType().optional(),
  Alarm_Level: alarmLevel().optional(),
  Rule_Name: z.string().trim().max(64).optional(),
  /** Extension filters: state 1–4; `Active_Only` 1 = states 1 and 2; `Active_First` 1 = active alarms before cleared ones. */
  Alarm_State: oneOf<AlarmState>('Alarm_State', [1, 2, 3, 4], '1、2、3 或 4').optional(),
  Active_Only: flag('Active_Only').optional(),
  Active_First: flag('Active_First').optional(),
  Meter_Superior_id: idLike().optional(),
});

/** 6.9 answer item: the seed's fields, then extensions. One record per alarm (re-triggers count in `Alarm_Count`). */
export const alarmMessageItem = z.object({
  id: z.number().int(),
  Alarm_Name: z.string(),
  Rule_Name: z.string(),
  Meter_Name: z.string(),
  Meter_Superior: z.string(),
  Alarm_Type: z.number().int(),
  Alarm_Level: z.number().int(),
  Alarm_Content: z.string(),
  /** When the alarm was raised (first occurrence). */
  Alarm_Time: z.string(),
  Alarm_id: z.number().int(),
  Rule_id: z.number().int(),
  Meter_id: z.number().int(),
  Meter_Superior_id: z.number().int(),
  Meter_Parameter: z.string(),
  Alarm_Notify: z.number().int(),
  Alarm_State: z.number().int(),
  Alarm_State_Name: z.string(),
  /** The value that raised it (hourly consumption for type 1, the parameter for type 2, `alarm_status` for type 3). */
  Alarm_Value: z.number(),
  /** The latest value seen while active. */
  Last_Value: z.number(),
  LowerLimit: z.number(),
  UpperLimit: z.number(),
  /** The reading's time (type 1: the hour's start). */
  Reading_Time: z.string(),
  Alarm_Count: z.number().int(),
  Last_Time: z.string(),
  Clear_Time: z.string(),
  Ack_Time: z.string(),
  Ack_Usr_Name: z.string(),
  Ack_Comment: z.string(),
  Shelved: z.number().int(),
  Shelved_Until: z.string(),
  Chattering: z.number().int(),
  /** How many escalation steps have been sent. */
  Escalation_Level: z.number().int(),
  /** Type 3: the device to open for a fault reset (`/wad/ems/v1/api/bms-control`, command 1). */
  Device_Uid: z.string(),
  /** 1 when the caller has not opened it yet (platform channel). */
  Unread: z.number().int(),
});

// ---------------------------------------------------------------------------------------------------
// 6.10 counts over time
// ---------------------------------------------------------------------------------------------------

/**
 * 6.10 GET /api_3/alarm_statistic_nums. Buckets follow the organization's year/month/day boundaries (4.4):
 * `Return_Format` 2 gives a year by month, a month by day, a day by hour; 1 one total per group.
 */
export const alarmStatisticQuery = z.strictObject({
  Time_Type: oneOf<1 | 2 | 3>('Time_Type', [1, 2, 3], '1（年）、2（月）或 3（天）'),
  Time_Start: localDateTime(),
  Time_End: localDateTime(),
  Statistic_Method: oneOf<0 | 1 | 2 | 3>('Statistic_Method', [0, 1, 2, 3], '0、1、2 或 3'),
  Return_Format: oneOf<1 | 2>('Return_Format', [1, 2], '1 或 2'),
});
/** 6.10 answer row; the grouping field is present only for its `Statistic_Method`. */
export const alarmStatisticRow = z.object({
  Time: z.string(),
  Total_Amount: z.number().int(),
  Alarm_Level: z.number().int().optional(),
  Alarm_Type: z.number().int().optional(),
  Alarm_Notify: z.number().int().optional(),
});

// ---------------------------------------------------------------------------------------------------
// Extensions: acknowledge, shelve, detail, deliveries, unread
// ---------------------------------------------------------------------------------------------------

/** POST /api_3/alarm_acknowledge: acknowledges an alarm (active or cleared); stops its escalation. Idempotent. */
export const alarmAcknowledgeBody = z.strictObject({
  id: idLike(),
  Ack_Comment: z.string().trim().max(200, 'Ack_Comment 最多 200 个字符').optional(),
});

/** POST /api_3/alarm_shelve: silences the alarm's rule and meter until the expiry (at most 7 days). */
export const alarmShelveBody = z.strictObject({
  id: idLike(),
  Shelve_Reason: text(200, 'Shelve_Reason '),
  /** Either minutes from now … */
  Shelve_Minutes: intLike('Shelve_Minutes')
    .pipe(z.number().int().min(1, 'Shelve_Minutes 至少 1').max(10080, 'Shelve_Minutes 最多 10080（7 天）'))
    .optional(),
  /** … or a local time (must be in the future and within 7 days). */
  Shelve_Until: localDateTime().optional(),
});
/** DELETE /api_3/alarm_shelve: un-shelves at once. */
export const alarmUnshelveBody = alarmIdBody;

/** GET /api_3/alarm_message_detail?id= */
export const alarmDetailQuery = z.strictObject({ id: idLike() });

/** `Action` of a state-history entry. */
export const ALARM_ACTION_NAMES: Readonly<Record<string, string>> = {
  raise: '触发',
  retrigger: '再次触发',
  clear: '恢复',
  acknowledge: '确认',
  shelve: '搁置',
  unshelve: '取消搁置',
  shelve_expired: '搁置到期',
  escalate: '升级通知',
  realarm: '重复提醒',
  chattering: '频繁跳变',
  chattering_end: '跳变停止',
  rule_removed: '规则已删除',
  rule_changed: '规则已修改',
  reset: '设备已复位',
};
export const alarmHistoryItem = z.object({
  Action: z.string(),
  Action_Name: z.string(),
  /** The state after this entry (1–4). */
  Alarm_State: z.number().int(),
  Time: z.string(),
  /** Who did it; empty for the system. */
  Usr_ID: z.string(),
  Usr_Name: z.string(),
  Comment: z.string(),
  /** The value at that moment, when there is one. */
  Value: z.number().nullable(),
});
/** Detail answer: the record plus its state history (oldest first) and what to do next. */
export const alarmDetailItem = alarmMessageItem.extend({
  History: z.array(alarmHistoryItem),
  /** Type 3: the reset action the device page offers (seed 001 `command` 1 故障复位). */
  Reset_Path: z.string(),
});

/** Delivery `Event`. */
export const ALARM_EVENT_NAMES: Readonly<Record<string, string>> = {
  raised: '触发',
  escalated: '升级',
  realarm: '重复提醒',
  cleared: '恢复',
  digest: '每日汇总',
};
/** Delivery `Status`. */
export const DELIVERY_STATUS_NAMES: Readonly<Record<string, string>> = {
  pending: '待发送',
  sent: '已发送',
  retrying: '重试中',
  failed: '发送失败',
  held: '已暂缓（频繁跳变/搁置）',
  deferred: '免打扰时段后发送',
  digest: '并入每日汇总',
  fallback: '已改用平台通知',
  skipped: '无需发送',
};
/** GET /api_3/alarm_deliveries?id=<alarm id> (or all of the organization's recent ones). */
export const alarmDeliveriesQuery = z.strictObject({ ...paging, id: idLike().optional() });
export const deliveryAttemptItem = z.object({
  Attempt_No: z.number().int(),
  Time: z.string(),
  /** `ok` or `error`. */
  Result: z.string(),
  /** What the channel answered (e.g. `errcode 43101`, SMTP's reply); never a secret. */
  Answer: z.string(),
});
export const alarmDeliveryItem = z.object({
  id: z.number().int(),
  Alarm_Message_id: z.number().int(),
  Event: z.string(),
  Event_Name: z.string(),
  /** `Alarm_Notify` code of the channel. */
  Channel: z.number().int(),
  Channel_Name: z.string(),
  /** The user name, or the address for a raw email / phone entry. */
  Recipient: z.string(),
  Usr_ID: z.string(),
  Status: z.string(),
  Status_Name: z.string(),
  Created_Time: z.string(),
  Sent_Time: z.string(),
  Attempts: z.array(deliveryAttemptItem),
});

/** GET /api_3/alarm_unread: the caller's badge. */
export const alarmUnreadItem = z.object({
  Unread_Numbers: z.number().int(),
  Active_Numbers: z.number().int(),
  Active_Unack_Numbers: z.number().int(),
});
/** POST /api_3/alarm_read: marks one alarm (`id`) or every alarm (`All`: 1) read for the caller. */
export const alarmReadBody = z.strictObject({ id: idLike().optional(), All: flag('All').optional() });

// ---------------------------------------------------------------------------------------------------
// Extensions: WeChat subscriptions, per-user settings, the real-time stream
// ---------------------------------------------------------------------------------------------------

/** POST /api_3/wechat_subscriptions: the mini-program reports one `wx.requestSubscribeMessage` answer. */
export const wechatSubscriptionBody = z.strictObject({
  Template_Id: z.string().trim().min(1, 'Template_Id 不能为空').max(128, 'Template_Id 最多 128 个字符'),
  /** 1 = the user tapped 允许 (one more push), 0 = refused (count unchanged: earlier acceptances remain). */
  Accepted: flag('Accepted'),
});
/** GET (and POST answer) /api_3/wechat_subscriptions: the template to request and the caller's remaining pushes. */
export const wechatSubscriptionItem = z.object({
  Template_Id: z.string(),
  Remaining_Times: z.number().int(),
  WeChat_Bound: z.number().int(),
});

/** GET / PUT /api_3/alarm_notify_settings: the caller's own notification preferences. */
export const alarmNotifySettingsBody = z.strictObject({
  /** Channels the user accepts (1 platform is always on). */
  Notify_SMS: flag('Notify_SMS').optional(),
  Notify_Email: flag('Notify_Email').optional(),
  Notify_WeChat: flag('Notify_WeChat').optional(),
  /** Level-1 (一般) pushes inside [Quiet_Start, Quiet_End) wait until Quiet_End; both empty = no quiet hours. */
  Quiet_Start: clockTime('Quiet_Start').optional(),
  Quiet_End: clockTime('Quiet_End').optional(),
  /** 1 = level-1 alarms are not pushed one by one but summed up once a day at `Digest_Time`. */
  Digest_Level1: flag('Digest_Level1').optional(),
  Digest_Time: clockTime('Digest_Time').optional(),
});
export const alarmNotifySettingsItem = z.object({
  Notify_Platform: z.number().int(),
  Notify_SMS: z.number().int(),
  Notify_Email: z.number().int(),
  Notify_WeChat: z.number().int(),
  Quiet_Start: z.string(),
  Quiet_End: z.string(),
  Digest_Level1: z.number().int(),
  Digest_Time: z.string(),
});

/** POST /api_3/alarm_stream_ticket: a one-time ticket (60 s) to open the SSE stream without a token in the URL. */
export const alarmStreamTicketItem = z.object({
  /** Open with `new EventSource(Stream_Url)` (relative to the API base). */
  Stream_Url: z.string(),
  Expires_In: z.number().int(),
});
/** GET /api_3/alarm_stream?ticket=: Server-Sent Events. */
export const alarmStreamQuery = z.strictObject({
  ticket: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/, 'ticket 格式不正确'),
});
/** One SSE `data:` of event `alarm`: what changed, the record as 6.9 shows it, and the new badge. */
export const alarmStreamEvent = z.object({
  Event: z.string(),
  Alarm: alarmMessageItem,
  Unread_Numbers: z.number().int(),
});

export type AlarmDefinitionItem = z.infer<typeof alarmDefinitionItem>;
export type AlarmDefinitionCreateBody = z.output<typeof alarmDefinitionCreateBody>;
export type AlarmRuleItem = z.infer<typeof alarmRuleItem>;
export type AlarmRuleCreateBody = z.output<typeof alarmRuleCreateBody>;
export type AlarmMessageQuery = z.output<typeof alarmMessageQuery>;
export type AlarmMessageItem = z.infer<typeof alarmMessageItem>;
export type AlarmStatisticQuery = z.output<typeof alarmStatisticQuery>;
export type AlarmStatisticRow = z.infer<typeof alarmStatisticRow>;
export type AlarmHistoryItem = z.infer<typeof alarmHistoryItem>;
export type AlarmDetailItem = z.infer<typeof alarmDetailItem>;
export type AlarmDeliveryItem = z.infer<typeof alarmDeliveryItem>;
export type DeliveryAttemptItem = z.infer<typeof deliveryAttemptItem>;
export type AlarmUnreadItem = z.infer<typeof alarmUnreadItem>;
export type WeChatSubscriptionItem = z.infer<typeof wechatSubscriptionItem>;
export type AlarmNotifySettingsItem = z.infer<typeof alarmNotifySettingsItem>;
export type AlarmNotifySettingsBody = z.output<typeof alarmNotifySettingsBody>;
export type AlarmStreamEvent = z.infer<typeof alarmStreamEvent>;
