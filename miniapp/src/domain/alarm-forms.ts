/**
 * Checks of the admin forms before anything is sent (6.2/6.3 definitions, 6.6/6.7 rules): each message
 * is keyed by the seed field it belongs under, so the page shows it below that input.
 */

/** What the definition form holds (inputs are strings until sent). */
export interface DefinitionDraft {
  Alarm_Name: string;
  Alarm_Type: number;
  Alarm_Level: number;
  Alarm_Notify: number;
  Notify_Address: string;
  /** Extension: minutes without acknowledgement before escalating ('' = never). */
  Escalate_Minutes: string;
  Escalate_To: string;
}

/** What the rule form holds. */
export interface RuleDraft {
  Rule_Name: string;
  Alarm_id: number | undefined;
  Meter_id: number | undefined;
  Meter_Parameter: string;
  LowerLimit: string;
  UpperLimit: string;
  /** Extensions: on-delay, deadband, re-alarm ('' = the server's default). */
  Delay_Seconds: string;
  Deadband: string;
  Realarm_Minutes: string;
}

export type FieldErrors<T> = Partial<Record<keyof T, string>>;

const PHONE = /^1\d{10}$/;
const EMAIL = /^[^\s@,，]+@[^\s@,，]+\.[^\s@,，]+$/;
const NUMBER = /^-?\d+(\.\d+)?$/;
const WHOLE = /^\d+$/;

/** '' (not set) or a whole number within [0, max]; the message otherwise. */
function wholeError(value: string, what: string, max: number): string | undefined {
  const v = value.trim();
  if (!v) return undefined;
  if (!WHOLE.test(v)) return `${what}必须是不小于 0 的整数`;
  if (Number(v) > max) return `${what}最多 ${max}`;
  return undefined;
}

const items = (s: string) =>
  s
    .split(/[,，]/)
    .map((x) => x.trim())
    .filter(Boolean);

/** Field errors of a definition; empty when it may be sent. */
export function checkDefinition(d: DefinitionDraft): FieldErrors<DefinitionDraft> {
  const e: FieldErrors<DefinitionDraft> = {};
  const name = d.Alarm_Name.trim();
  if (!name) e.Alarm_Name = '请填写告警名称';
  else if (name.length > 64) e.Alarm_Name = '告警名称最多 64 个字';
  if (![1, 2].includes(d.Alarm_Type)) e.Alarm_Type = '请选择告警类型';
  if (![1, 2, 3].includes(d.Alarm_Level)) e.Alarm_Level = '请选择告警级别';
  if (![1, 2, 3, 4].includes(d.Alarm_Notify)) e.Alarm_Notify = '请选择通知方式';
  const list = items(d.Notify_Address);
  if (!list.length && d.Alarm_Notify !== 1) e.Notify_Address = '请填写通知地址';
  else if (d.Notify_Address.length > 500) e.Notify_Address = '通知地址最多 500 个字符';
  else if (d.Alarm_Notify === 2 && list.some((x) => !PHONE.test(x)))
    e.Notify_Address = '手机号应为 11 位数字，多个用逗号分隔';
  else if (d.Alarm_Notify === 3 && list.some((x) => !EMAIL.test(x)))
    e.Notify_Address = '邮箱格式不正确，多个用逗号分隔';
  const escalate = wholeError(d.Escalate_Minutes, '升级等待分钟数', 10080);
  if (escalate) e.Escalate_Minutes = escalate;
  else if (Number(d.Escalate_Minutes) > 0 && !items(d.Escalate_To).length)
    e.Escalate_To = '设置了升级时间，请填写升级通知的用户';
  return e;
}

/**
 * Field errors of a rule for a definition of `alarmType` (undefined until one is chosen); `params` are
 * the measure points the chosen meter reports (an empty list accepts any point name).
 */
export function checkRule(
  r: RuleDraft,
  alarmType: number | undefined,
  params: string[] = [],
): FieldErrors<RuleDraft> {
  const e: FieldErrors<RuleDraft> = {};
  const name = r.Rule_Name.trim();
  if (!name) e.Rule_Name = '请填写规则名称';
  else if (name.length > 64) e.Rule_Name = '规则名称最多 64 个字';
  if (r.Alarm_id === undefined) e.Alarm_id = '请选择告警定义';
  if (r.Meter_id === undefined && alarmType !== 3) e.Meter_id = '请选择仪表';
  const param = r.Meter_Parameter.trim();
  if (alarmType === 2 && !param) e.Meter_Parameter = '瞬时参数告警必须选择测点';
  else if (alarmType === 2 && params.length && !params.includes(param))
    e.Meter_Parameter = '该仪表没有这个测点';
  const lower = r.LowerLimit.trim();
  const upper = r.UpperLimit.trim();
  if (!lower) e.LowerLimit = '请填写下限';
  else if (!NUMBER.test(lower)) e.LowerLimit = '下限必须是数字';
  if (!upper) e.UpperLimit = '请填写上限';
  else if (!NUMBER.test(upper)) e.UpperLimit = '上限必须是数字';
  if (!e.LowerLimit && !e.UpperLimit && Number(lower) > Number(upper)) e.UpperLimit = '上限不能小于下限';
  if (alarmType === 1 && !e.LowerLimit && Number(lower) < 0) e.LowerLimit = '每小时能耗不会小于 0';
  const delay = wholeError(r.Delay_Seconds, '持续秒数', 86400);
  if (delay) e.Delay_Seconds = delay;
  const deadband = r.Deadband.trim();
  if (deadband && (!NUMBER.test(deadband) || Number(deadband) < 0)) e.Deadband = '回差必须是不小于 0 的数字';
  const realarm = wholeError(r.Realarm_Minutes, '重复提醒分钟数', 10080);
  if (realarm) e.Realarm_Minutes = realarm;
  return e;
}

/** True when a check found nothing. */
export function isClean<T>(errors: FieldErrors<T>): boolean {
  return Object.values(errors).every((v) => !v);
}

/**
 * The field a BFF 4103 names, mapped onto the form (the request wrapper keeps `field`); a field the
 * form does not have returns undefined and the message is shown above the buttons instead.
 */
export function fieldOf<T extends object>(draft: T, field: string | undefined): keyof T | undefined {
  return field && field in draft ? (field as keyof T) : undefined;
}
