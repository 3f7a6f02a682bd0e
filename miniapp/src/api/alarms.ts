import type {
  AlarmDefinitionItem,
  AlarmDetailItem,
  AlarmMessageItem,
  AlarmRuleItem,
  AlarmStatisticRow,
  AlarmUnreadItem,
  MachineItem,
  MeasureRow,
  MeterItem,
  WeChatSubscriptionItem,
  alarmDefinitionCreateBody,
  alarmRuleCreateBody,
  alarmShelveBody,
} from '@wattdesk/shared';
import type { z } from 'zod';
import { call002, callOne002, endpoints, type List002 } from './request';

/** The 6.9 filters the alarm list offers (times are seed local "YYYY-MM-DD HH:mm:ss"). */
export interface AlarmFilter {
  start: string;
  end: string;
  level?: number;
  type?: number;
  machineId?: number;
  meterName?: string;
  page?: number;
  pageSize?: number;
}

/** 6.9: the alarms raised in the period, active ones first (extension `Active_First`). */
export function fetchAlarms(f: AlarmFilter): Promise<List002<AlarmMessageItem>> {
  return call002<AlarmMessageItem>(endpoints.alarmMessages, {
    query: {
      Time_Start: f.start,
      Time_End: f.end,
      Alarm_Level: f.level,
      Alarm_Type: f.type,
      Meter_Superior_id: f.machineId,
      Meter_Name: f.meterName,
      Active_First: 1,
      Page_Counts: f.page ?? 1,
      Per_Page_Counts: f.pageSize ?? 20,
    },
  });
}

/** Extension: one alarm with its state history. */
export function fetchAlarm(id: number): Promise<AlarmDetailItem> {
  return callOne002<AlarmDetailItem>(endpoints.alarmDetail, { query: { id } });
}

/** Extension: acknowledges with an optional comment (stops escalation); answers the record. */
export async function acknowledgeAlarm(id: number, comment: string): Promise<void> {
  await call002(endpoints.alarmAcknowledge, {
    body: { id, ...(comment.trim() ? { Ack_Comment: comment.trim() } : {}) },
  });
}

/** Extension: shelves the alarm's rule and meter with a reason until the expiry. */
export async function shelveAlarm(body: z.input<typeof alarmShelveBody>): Promise<void> {
  await call002(endpoints.alarmShelve, { body });
}

/** Extension: ends a shelving at once. */
export async function unshelveAlarm(id: number): Promise<void> {
  await call002(endpoints.alarmUnshelve, { body: { id } });
}

/** Extension: the caller's counts for the tab badge. */
export function fetchUnread(): Promise<AlarmUnreadItem> {
  return callOne002<AlarmUnreadItem>(endpoints.alarmUnread);
}

/** Extension: marks an alarm read for the caller (opening it). */
export async function markRead(id: number): Promise<void> {
  await call002(endpoints.alarmRead, { body: { id } });
}

/** 6.10: alarm counts per time bucket (`Return_Format` 2), grouped by level (`Statistic_Method` 1). */
export async function fetchAlarmCounts(q: {
  timeType: 1 | 2 | 3;
  start: string;
  end: string;
  method: 0 | 1 | 2 | 3;
}): Promise<AlarmStatisticRow[]> {
  const res = await call002<AlarmStatisticRow>(endpoints.alarmStatistics, {
    query: {
      Time_Type: q.timeType,
      Time_Start: q.start,
      Time_End: q.end,
      Statistic_Method: q.method,
      Return_Format: 2,
    },
  });
  return res.items;
}

/** 6.1: every alarm definition of the organization. */
export async function fetchDefinitions(): Promise<AlarmDefinitionItem[]> {
  return (
    await call002<AlarmDefinitionItem>(endpoints.alarmDefinitions, { query: { Per_Page_Counts: 1000 } })
  ).items;
}

/** 6.2 / 6.3: creates a definition, or saves one when `id` is given. */
export async function saveDefinition(
  body: z.input<typeof alarmDefinitionCreateBody>,
  id?: number,
): Promise<void> {
  if (id) await call002(endpoints.alarmDefinitionUpdate, { body: { id, ...body } });
  else await call002(endpoints.alarmDefinitionCreate, { body });
}

/** 6.4: deletes a definition. */
export async function deleteDefinition(id: number): Promise<void> {
  await call002(endpoints.alarmDefinitionDelete, { body: { id } });
}

/** 6.5: the rules, of one definition or one meter (or the one rule `id`) when given. */
export async function fetchRules(
  f: { id?: number; alarmId?: number; meterId?: number } = {},
): Promise<AlarmRuleItem[]> {
  return (
    await call002<AlarmRuleItem>(endpoints.alarmRules, {
      query: { id: f.id, Alarm_id: f.alarmId, Meter_id: f.meterId, Per_Page_Counts: 1000 },
    })
  ).items;
}

/** 6.6 / 6.7: creates a rule, or saves one when `id` is given. */
export async function saveRule(body: z.input<typeof alarmRuleCreateBody>, id?: number): Promise<void> {
  if (id) await call002(endpoints.alarmRuleUpdate, { body: { id, ...body } });
  else await call002(endpoints.alarmRuleCreate, { body });
}

/** 6.8: deletes a rule. */
export async function deleteRule(id: number): Promise<void> {
  await call002(endpoints.alarmRuleDelete, { body: { id } });
}

/** 2.5: the machines (for the list's machine filter). */
export async function fetchMachines(): Promise<MachineItem[]> {
  return (await call002<MachineItem>(endpoints.machines, { query: { Per_Page_Counts: 1000 } })).items;
}

/** 2.3: the meters (for the rule form), or one meter by id. */
export async function fetchMeters(id?: number): Promise<MeterItem[]> {
  return (await call002<MeterItem>(endpoints.meters, { query: { id, Per_Page_Counts: 1000 } })).items;
}

/** 3.3: a meter's measure points over a period, in `minutes` buckets (the last value of each). */
export async function fetchMeasure(q: {
  meter: string;
  param: string;
  start: string;
  end: string;
  minutes: number;
}): Promise<MeasureRow[]> {
  return (
    await call002<MeasureRow>(endpoints.measure, {
      query: {
        Time_Type: 3,
        Time_Start: q.start,
        Time_End: q.end,
        Time_Interval: q.minutes,
        Meter_Name: q.meter,
        Measure_Name: q.param,
      },
    })
  ).items;
}

/** Extension: the alarm template to ask the user for, and how many pushes are left. */
export function fetchSubscription(): Promise<WeChatSubscriptionItem> {
  return callOne002<WeChatSubscriptionItem>(endpoints.wechatSubscriptions);
}

/** Extension: reports one answer of `wx.requestSubscribeMessage`; answers the new remaining count. */
export function reportSubscription(templateId: string, accepted: boolean): Promise<WeChatSubscriptionItem> {
  return callOne002<WeChatSubscriptionItem>(endpoints.wechatSubscriptionReport, {
    body: { Template_Id: templateId, Accepted: accepted ? 1 : 0 },
  });
}
