import {
  bigserial,
  boolean,
  doublePrecision,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import type { PointState } from './lifecycle';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** 6.1–6.4 definitions (migration 0400). */
export const alarmDefinitions = pgTable('alarm_definitions', {
  id: serial('id').primaryKey(),
  orgId: integer('org_id').notNull(),
  name: text('name').notNull(),
  type: smallint('type').notNull(),
  level: smallint('level').notNull(),
  notify: smallint('notify').notNull(),
  notifyAddress: text('notify_address').notNull().default(''),
  escalateMinutes: integer('escalate_minutes').notNull().default(0),
  escalateTo: text('escalate_to').notNull().default(''),
  createdAt: ts('created_at').notNull().defaultNow(),
  deletedAt: ts('deleted_at'),
});

/** 6.5–6.8 rules (migration 0400). */
export const alarmRules = pgTable('alarm_rules', {
  id: serial('id').primaryKey(),
  orgId: integer('org_id').notNull(),
  definitionId: integer('definition_id').notNull(),
  name: text('name').notNull(),
  meterId: integer('meter_id'),
  param: text('param').notNull().default(''),
  deviceUid: text('device_uid').notNull().default(''),
  lowerLimit: doublePrecision('lower_limit').notNull(),
  upperLimit: doublePrecision('upper_limit').notNull(),
  delaySeconds: integer('delay_seconds').notNull().default(0),
  deadband: doublePrecision('deadband'),
  realarmMinutes: integer('realarm_minutes').notNull().default(0),
  createdAt: ts('created_at').notNull().defaultNow(),
  deletedAt: ts('deleted_at'),
});

/** Evaluation state per (rule, source) (migration 0400). */
export const alarmPoints = pgTable(
  'alarm_points',
  {
    ruleId: integer('rule_id').notNull(),
    source: text('source').notNull(),
    orgId: integer('org_id').notNull(),
    state: jsonb('state').$type<PointState>().notNull(),
    shelvedUntil: ts('shelved_until'),
    shelveReason: text('shelve_reason').notNull().default(''),
    shelvedBy: integer('shelved_by'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.ruleId, t.source] })],
);

/** Hourly consumption as last evaluated per (rule, meter, hour) (migration 0400). */
export const alarmHourValues = pgTable(
  'alarm_hour_values',
  {
    ruleId: integer('rule_id').notNull(),
    meterId: integer('meter_id').notNull(),
    hourStart: ts('hour_start').notNull(),
    value: doublePrecision('value').notNull(),
    outside: boolean('outside').notNull(),
  },
  (t) => [primaryKey({ columns: [t.ruleId, t.meterId, t.hourStart] })],
);

/** 6.9 alarm records (migration 0400). */
export const alarms = pgTable('alarms', {
  id: serial('id').primaryKey(),
  orgId: integer('org_id').notNull(),
  ruleId: integer('rule_id').notNull(),
  definitionId: integer('definition_id').notNull(),
  source: text('source').notNull(),
  meterId: integer('meter_id'),
  machineId: integer('machine_id'),
  deviceUid: text('device_uid').notNull().default(''),
  type: smallint('type').notNull(),
  level: smallint('level').notNull(),
  notify: smallint('notify').notNull(),
  alarmName: text('alarm_name').notNull(),
  ruleName: text('rule_name').notNull(),
  meterName: text('meter_name').notNull(),
  machineName: text('machine_name').notNull(),
  param: text('param').notNull().default(''),
  lowerLimit: doublePrecision('lower_limit').notNull(),
  upperLimit: doublePrecision('upper_limit').notNull(),
  value: doublePrecision('value').notNull(),
  lastValue: doublePrecision('last_value').notNull(),
  readingAt: ts('reading_at').notNull(),
  raisedAt: ts('raised_at').notNull(),
  lastAt: ts('last_at').notNull(),
  occurrences: integer('occurrences').notNull().default(1),
  state: smallint('state').notNull(),
  clearedAt: ts('cleared_at'),
  ackedAt: ts('acked_at'),
  ackedBy: integer('acked_by'),
  ackedByName: text('acked_by_name').notNull().default(''),
  ackComment: text('ack_comment').notNull().default(''),
  chattering: boolean('chattering').notNull().default(false),
  escalationLevel: integer('escalation_level').notNull().default(0),
  escalationJob: text('escalation_job'),
  realarmCount: integer('realarm_count').notNull().default(0),
  realarmJob: text('realarm_job'),
  content: text('content').notNull(),
});

/** Every state change of an alarm, with who and when (migration 0400). */
export const alarmHistory = pgTable('alarm_history', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  alarmId: integer('alarm_id').notNull(),
  orgId: integer('org_id').notNull(),
  action: text('action').notNull(),
  state: smallint('state').notNull(),
  at: ts('at').notNull(),
  userId: integer('user_id'),
  userName: text('user_name').notNull().default(''),
  comment: text('comment').notNull().default(''),
  value: doublePrecision('value'),
});

/** One delivery per (alarm, event, recipient, channel) (migration 0400). */
export const alarmDeliveries = pgTable('alarm_deliveries', {
  id: serial('id').primaryKey(),
  orgId: integer('org_id').notNull(),
  alarmId: integer('alarm_id').notNull(),
  event: text('event').notNull(),
  recipient: text('recipient').notNull(),
  userId: integer('user_id'),
  channel: smallint('channel').notNull(),
  status: text('status').notNull(),
  attempts: integer('attempts').notNull().default(0),
  claimedUntil: ts('claimed_until'),
  notBefore: ts('not_before'),
  createdAt: ts('created_at').notNull(),
  sentAt: ts('sent_at'),
  readAt: ts('read_at'),
});

/** Every delivery attempt and its answer (migration 0400). */
export const alarmDeliveryAttempts = pgTable('alarm_delivery_attempts', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  deliveryId: integer('delivery_id').notNull(),
  orgId: integer('org_id').notNull(),
  attemptNo: integer('attempt_no').notNull(),
  at: ts('at').notNull(),
  result: text('result').notNull(),
  answer: text('answer').notNull(),
});

/** One-time subscribe acceptances left (migration 0400). */
export const wechatSubscriptions = pgTable(
  'wechat_subscriptions',
  {
    userId: integer('user_id').notNull(),
    templateId: text('template_id').notNull(),
    orgId: integer('org_id').notNull(),
    remaining: integer('remaining').notNull().default(0),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.templateId] })],
);

/** Per-user notification settings (migration 0400). */
export const alarmNotifySettings = pgTable('alarm_notify_settings', {
  userId: integer('user_id').primaryKey(),
  orgId: integer('org_id').notNull(),
  sms: boolean('sms').notNull().default(true),
  email: boolean('email').notNull().default(true),
  wechat: boolean('wechat').notNull().default(true),
  quietStart: text('quiet_start').notNull().default(''),
  quietEnd: text('quiet_end').notNull().default(''),
  digestLevel1: boolean('digest_level1').notNull().default(false),
  digestTime: text('digest_time').notNull().default('08:00'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export type AlarmDefinitionRow = typeof alarmDefinitions.$inferSelect;
export type AlarmRuleRow = typeof alarmRules.$inferSelect;
export type AlarmRow = typeof alarms.$inferSelect;
export type AlarmHistoryRow = typeof alarmHistory.$inferSelect;
export type AlarmDeliveryRow = typeof alarmDeliveries.$inferSelect;
export type AlarmNotifySettingsRow = typeof alarmNotifySettings.$inferSelect;
