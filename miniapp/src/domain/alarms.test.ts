import {
  excursion,
  formatDuration,
  isActive,
  levelName,
  limitsText,
  localDiffMs,
  paramLabel,
  shortTime,
  needsAck,
  shiftLocal,
  stateLabel,
  unitOf,
} from './alarms';
import { checkDefinition, checkRule, isClean, type RuleDraft } from './alarm-forms';

test('durations read as plain Chinese, rounded down to whole minutes', () => {
  expect(formatDuration(59_999)).toBe('不到 1 分钟');
  expect(formatDuration(12 * 60_000 + 59_000)).toBe('12 分钟');
  expect(formatDuration(3 * 3_600_000)).toBe('3 小时');
  expect(formatDuration(3 * 3_600_000 + 5 * 60_000)).toBe('3 小时 5 分钟');
  expect(formatDuration(2 * 86_400_000 + 4 * 3_600_000 + 7 * 60_000)).toBe('2 天 4 小时');
  expect(formatDuration(Number.NaN)).toBe('不到 1 分钟');
});

test('levels, states and points have names, unknown codes a readable fallback instead of a raw key', () => {
  expect([1, 2, 3].map(levelName)).toEqual(['一般', '警告', '严重']);
  expect(levelName(9)).toBe('级别 9');
  expect(stateLabel({ Alarm_State: 1, Shelved: 0 })).toEqual({ name: '未确认', tag: 'danger' });
  expect(stateLabel({ Alarm_State: 4 }).name).toBe('已恢复');
  expect(stateLabel({ Alarm_State: 2, Shelved: 1 }).name).toBe('已搁置');
  expect(stateLabel({ Alarm_State: 9 }).name).toBe('状态未知');
  expect(isActive(2)).toBe(true);
  expect(isActive(3)).toBe(false);
  expect(needsAck(3)).toBe(true);
  expect(needsAck(2)).toBe(false);
  expect(paramLabel('PF')).toBe('功率因数（PF）');
  expect(paramLabel('XYZ')).toBe('测点 XYZ');
});

test('values carry the unit of their rule type', () => {
  expect(unitOf(1)).toBe('kWh');
  expect(unitOf(2, 'UA')).toBe('V');
  expect(unitOf(2, 'PF')).toBe('');
  expect(unitOf(3)).toBe('个');
  expect(limitsText(0.9, 1, '')).toBe('0.90 – 1.00');
  expect(limitsText(null, 1200, 'kWh')).toBe('不限 – 1,200.00 kWh');
  expect(excursion(0.82, 0.9, 1)).toBe('低于下限');
  expect(excursion(130, 0, 120)).toBe('高于上限');
  expect(excursion(50, 0, 120)).toBe('');
});

test('seed local times shorten within the year and subtract without a time zone shift', () => {
  expect(shortTime('2026-11-21 08:05:09', '2026')).toBe('11-21 08:05');
  expect(shortTime('2025-11-21 08:05:09', '2026')).toBe('2025-11-21 08:05');
  expect(localDiffMs('2026-11-21 23:50:00', '2026-11-22 00:20:00')).toBe(30 * 60_000);
  expect(shiftLocal('2026-11-21 23:50:00', 30)).toBe('2026-11-22 00:20:00');
  expect(shiftLocal('2026-03-01 01:00:00', -120)).toBe('2026-02-28 23:00:00');
});

const rule = (over: Partial<RuleDraft> = {}): RuleDraft => ({
  Rule_Name: '功率因数过低',
  Alarm_id: 1,
  Meter_id: 3,
  Meter_Parameter: 'PF',
  LowerLimit: '0.9',
  UpperLimit: '1',
  Delay_Seconds: '',
  Deadband: '',
  Realarm_Minutes: '',
  ...over,
});

test('a rule is checked before sending: names, choices, numbers, lower ≤ upper, a point for type 2', () => {
  expect(checkRule(rule(), 2, ['PF', 'UA'])).toEqual({});
  expect(checkRule(rule({ Rule_Name: ' ', Alarm_id: undefined, Meter_id: undefined }), undefined)).toEqual({
    Rule_Name: '请填写规则名称',
    Alarm_id: '请选择告警定义',
    Meter_id: '请选择仪表',
  });
  expect(checkRule(rule({ Meter_Parameter: '' }), 2)).toEqual({
    Meter_Parameter: '瞬时参数告警必须选择测点',
  });
  expect(checkRule(rule({ Meter_Parameter: '' }), 1)).toEqual({});
  expect(checkRule(rule({ Meter_Parameter: 'IA' }), 2, ['PF'])).toEqual({
    Meter_Parameter: '该仪表没有这个测点',
  });
  expect(checkRule(rule({ LowerLimit: '1.2', UpperLimit: '1' }), 2)).toEqual({
    UpperLimit: '上限不能小于下限',
  });
  expect(isClean(checkRule(rule({ LowerLimit: '1', UpperLimit: '1' }), 2))).toBe(true);
  expect(checkRule(rule({ LowerLimit: 'abc', UpperLimit: '' }), 2)).toEqual({
    LowerLimit: '下限必须是数字',
    UpperLimit: '请填写上限',
  });
  expect(checkRule(rule({ LowerLimit: '-5', UpperLimit: '100' }), 1)).toEqual({
    LowerLimit: '每小时能耗不会小于 0',
  });
  expect(checkRule(rule({ Meter_id: undefined }), 3)).toEqual({});
  expect(checkRule(rule({ Delay_Seconds: '1.5', Deadband: '-1', Realarm_Minutes: '99999' }), 2)).toEqual({
    Delay_Seconds: '持续秒数必须是不小于 0 的整数',
    Deadband: '回差必须是不小于 0 的数字',
    Realarm_Minutes: '重复提醒分钟数最多 10080',
  });
});

test('a definition checks its addresses against its channel', () => {
  const d = {
    Alarm_Name: '功率因数',
    Alarm_Type: 2,
    Alarm_Level: 2,
    Alarm_Notify: 4,
    Notify_Address: 'demo',
    Escalate_Minutes: '',
    Escalate_To: '',
  };
  expect(checkDefinition(d)).toEqual({});
  expect(checkDefinition({ ...d, Alarm_Notify: 2, Notify_Address: '13800000000，1390000' })).toEqual({
    Notify_Address: '手机号应为 11 位数字，多个用逗号分隔',
  });
  expect(checkDefinition({ ...d, Alarm_Notify: 3, Notify_Address: 'a@b.cn, nope' })).toEqual({
    Notify_Address: '邮箱格式不正确，多个用逗号分隔',
  });
  expect(checkDefinition({ ...d, Alarm_Name: '', Notify_Address: ' , ' })).toEqual({
    Alarm_Name: '请填写告警名称',
    Notify_Address: '请填写通知地址',
  });
  expect(checkDefinition({ ...d, Alarm_Notify: 1, Notify_Address: '' })).toEqual({});
  expect(checkDefinition({ ...d, Escalate_Minutes: '15' })).toEqual({
    Escalate_To: '设置了升级时间，请填写升级通知的用户',
  });
});
