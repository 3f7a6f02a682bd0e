import {
  ALARM_ACTION_NAMES,
  ALARM_EVENT_NAMES,
  ALARM_NOTIFY_NAMES,
  ALARM_STATE_NAMES,
  DELIVERY_STATUS_NAMES,
  type AlarmDefinitionItem,
  type AlarmDeliveryItem,
  type AlarmHistoryItem,
  type AlarmMessageItem,
  type AlarmRuleItem,
} from '@wattdesk/shared';
import { formatLocal } from '../../core/time';
import type { RuleWithDefinition } from './config-repository';
import { deadbandOf } from './lifecycle';
import type { AlarmDefinitionRow, AlarmDeliveryRow, AlarmHistoryRow, AlarmRow } from './tables';

const local = (d: Date | null | undefined, tz: string) => (d ? formatLocal(d, tz) : '');

/** 6.1 item. */
export const presentDefinition = (d: AlarmDefinitionRow & { rules: number }): AlarmDefinitionItem => ({
  id: d.id,
  Alarm_Name: d.name,
  Alarm_Level: d.level,
  Alarm_Type: d.type,
  Alarm_Notify: d.notify,
  Notify_Address: d.notifyAddress,
  Escalate_Minutes: d.escalateMinutes,
  Escalate_To: d.escalateTo,
  Rule_Numbers: d.rules,
});

/** 6.5 item. */
export const presentRule = (
  r: RuleWithDefinition,
  meterName: string,
  chattering: boolean,
): AlarmRuleItem => ({
  id: r.id,
  Rule_Name: r.name,
  Alarm_id: r.definitionId,
  Meter_id: r.meterId ?? 0,
  Meter_Parameter: r.param,
  LowerLimit: r.lowerLimit,
  UpperLimit: r.upperLimit,
  Alarm_Name: r.def.name,
  Alarm_Type: r.def.type,
  Meter_Name: meterName,
  Delay_Seconds: r.delaySeconds,
  Deadband: deadbandOf(r.lowerLimit, r.upperLimit, r.deadband),
  Realarm_Minutes: r.realarmMinutes,
  Device_Uid: r.deviceUid,
  Rule_Chattering: chattering ? 1 : 0,
});

/** 6.9 item. */
export function presentAlarm(
  a: AlarmRow,
  tz: string,
  extra: { unread: boolean; shelvedUntil: Date | null; now: Date },
): AlarmMessageItem {
  const shelved = !!extra.shelvedUntil && extra.shelvedUntil > extra.now && !a.clearedAt;
  return {
    id: a.id,
    Alarm_Name: a.alarmName,
    Rule_Name: a.ruleName,
    Meter_Name: a.meterName,
    Meter_Superior: a.machineName,
    Alarm_Type: a.type,
    Alarm_Level: a.level,
    Alarm_Content: a.content,
    Alarm_Time: local(a.raisedAt, tz),
    Alarm_id: a.definitionId,
    Rule_id: a.ruleId,
    Meter_id: a.meterId ?? 0,
    Meter_Superior_id: a.machineId ?? 0,
    Meter_Parameter: a.param,
    Alarm_Notify: a.notify,
    Alarm_State: a.state,
    Alarm_State_Name: ALARM_STATE_NAMES[a.state] ?? '',
    Alarm_Value: a.value,
    Last_Value: a.lastValue,
    LowerLimit: a.lowerLimit,
    UpperLimit: a.upperLimit,
    Reading_Time: local(a.readingAt, tz),
    Alarm_Count: a.occurrences,
    Last_Time: local(a.lastAt, tz),
    Clear_Time: local(a.clearedAt, tz),
    Ack_Time: local(a.ackedAt, tz),
    Ack_Usr_Name: a.ackedByName,
    Ack_Comment: a.ackComment,
    Shelved: shelved ? 1 : 0,
    Shelved_Until: shelved ? local(extra.shelvedUntil, tz) : '',
    Chattering: a.chattering ? 1 : 0,
    Escalation_Level: a.escalationLevel,
    Device_Uid: a.deviceUid,
    Unread: extra.unread ? 1 : 0,
  };
}

export const presentHistory = (h: AlarmHistoryRow, tz: string): AlarmHistoryItem => ({
  Action: h.action,
  Action_Name: ALARM_ACTION_NAMES[h.action] ?? h.action,
  Alarm_State: h.state,
  Time: local(h.at, tz),
  Usr_ID: h.userId ? String(h.userId) : '',
  Usr_Name: h.userName,
  Comment: h.comment,
  Value: h.value,
});

/** `escalated:2` → the event's base name. */
const eventBase = (event: string) => event.split(':')[0]!;

export function presentDelivery(
  d: AlarmDeliveryRow,
  attempts: { attemptNo: number; at: Date; result: string; answer: string }[],
  recipient: string,
  tz: string,
): AlarmDeliveryItem {
  const base = eventBase(d.event);
  const step = d.event.split(':')[1];
  return {
    id: d.id,
    Alarm_Message_id: d.alarmId,
    Event: d.event,
    Event_Name: (ALARM_EVENT_NAMES[base] ?? base) + (step ? ` 第 ${step} 次` : ''),
    Channel: d.channel,
    Channel_Name: ALARM_NOTIFY_NAMES[d.channel] ?? '',
    Recipient: recipient,
    Usr_ID: d.userId ? String(d.userId) : '',
    Status: d.status,
    Status_Name: DELIVERY_STATUS_NAMES[d.status] ?? (d.status === 'sending' ? '发送中' : d.status),
    Created_Time: local(d.createdAt, tz),
    Sent_Time: local(d.sentAt, tz),
    Attempts: attempts.map((a) => ({
      Attempt_No: a.attemptNo,
      Time: local(a.at, tz),
      Result: a.result,
      Answer: a.answer,
    })),
  };
}
