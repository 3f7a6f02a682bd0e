import type {
  AlarmDefinitionItem,
  AlarmDetailItem,
  AlarmMessageItem,
  AlarmRuleItem,
  MeterItem,
} from '@wattdesk/shared';

/** An alarm record as 6.9 answers it (extension fields included); override what a test is about. */
export function alarmRecord(over: Partial<AlarmMessageItem> = {}): AlarmMessageItem {
  return {
    id: 1,
    Alarm_Name: '功率因数过低',
    Rule_Name: '钢厂进线 PF',
    Meter_Name: '钢厂进线表',
    Meter_Superior: '轧钢机',
    Alarm_Type: 2,
    Alarm_Level: 2,
    Alarm_Content: '功率因数 0.82 低于下限 0.90',
    Alarm_Time: '2026-11-21 08:00:00',
    Alarm_id: 1,
    Rule_id: 1,
    Meter_id: 3,
    Meter_Superior_id: 2,
    Meter_Parameter: 'PF',
    Alarm_Notify: 4,
    Alarm_State: 1,
    Alarm_State_Name: '活动未确认',
    Alarm_Value: 0.82,
    Last_Value: 0.84,
    LowerLimit: 0.9,
    UpperLimit: 1,
    Reading_Time: '2026-11-21 07:59:30',
    Alarm_Count: 1,
    Last_Time: '2026-11-21 08:00:00',
    Clear_Time: '',
    Ack_Time: '',
    Ack_Usr_Name: '',
    Ack_Comment: '',
    Shelved: 0,
    Shelved_Until: '',
    Chattering: 0,
    Escalation_Level: 0,
    Device_Uid: '',
    Unread: 1,
    ...over,
  };
}

/** The detail answer: the record, its history and the reset path. */
export function alarmDetail(over: Partial<AlarmDetailItem> = {}): AlarmDetailItem {
  return {
    ...alarmRecord(),
    History: [
      {
        Action: 'raise',
        Action_Name: '触发',
        Alarm_State: 1,
        Time: '2026-11-21 08:00:00',
        Usr_ID: '',
        Usr_Name: '',
        Comment: '',
        Value: 0.82,
      },
    ],
    Reset_Path: '',
    ...over,
  };
}

/** A signed-in session for component tests. */
export const session = (role: 'admin' | 'operator' | 'viewer' = 'admin') => ({
  Usr_Name: 'manager',
  Usr_ID: '7',
  Usr_Token: 't',
  Usr_Role: role,
  Token_Expires: '2030-01-01T00:00:00Z',
});

/** A 6.1 definition. */
export const definition = (over: Partial<AlarmDefinitionItem> = {}): AlarmDefinitionItem => ({
  id: 1,
  Alarm_Name: '功率因数过低',
  Alarm_Level: 2,
  Alarm_Type: 2,
  Alarm_Notify: 4,
  Notify_Address: 'manager',
  Escalate_Minutes: 0,
  Escalate_To: '',
  Rule_Numbers: 1,
  ...over,
});

/** A 2.3 meter reporting some measure points. */
export const meter = (over: Partial<MeterItem> = {}): MeterItem => ({
  id: 3,
  Meter_Name: '钢厂进线表',
  Meter_Type: '0',
  Meter_Superior: '轧钢机',
  Meter_Department: '一车间',
  Meter_Remarks: '',
  Meter_TotalAmount: '0',
  Meter_IsVirtual: '0',
  Meter_Formula: '',
  Meter_IsTotal: '0',
  Meter_IsCount: '1',
  Is_HandWork: 0,
  Meter_Superior_id: 2,
  Meter_Parameter: 'UA,IA,PF',
  Meter_Register_Max: '',
  Meter_Max_Rate: '1000000',
  Meter_Max_Rate_Set: '0',
  Ene_Name: '电',
  ...over,
});

/** A 6.5 rule. */
export const rule = (over: Partial<AlarmRuleItem> = {}): AlarmRuleItem => ({
  id: 11,
  Rule_Name: '进线功率因数',
  Alarm_id: 1,
  Meter_id: 3,
  Meter_Parameter: 'PF',
  LowerLimit: 0.9,
  UpperLimit: 1,
  Alarm_Name: '功率因数过低',
  Alarm_Type: 2,
  Meter_Name: '钢厂进线表',
  Delay_Seconds: 30,
  Deadband: 0.001,
  Realarm_Minutes: 0,
  Device_Uid: '',
  Rule_Chattering: 0,
  ...over,
});
