import {
  alarmAcknowledgeBody,
  alarmDefinitionCreateBody,
  alarmDefinitionItem,
  alarmDefinitionListQuery,
  alarmDefinitionUpdateBody,
  alarmDeliveriesQuery,
  alarmDeliveryItem,
  alarmDetailItem,
  alarmDetailQuery,
  alarmIdBody,
  alarmMessageItem,
  alarmMessageQuery,
  alarmNotifySettingsBody,
  alarmNotifySettingsItem,
  alarmReadBody,
  alarmRuleCreateBody,
  alarmRuleItem,
  alarmRuleListQuery,
  alarmRuleUpdateBody,
  alarmShelveBody,
  alarmStatisticQuery,
  alarmStatisticRow,
  alarmStreamQuery,
  alarmStreamTicketItem,
  alarmUnreadItem,
  wechatSubscriptionBody,
  wechatSubscriptionItem,
} from '@wattdesk/shared';
import { definePermission } from '../../core/auth/permissions';
import { AppError } from '../../core/errors';
import { paged } from '../../core/http/envelope';
import { pageOf } from '../../core/http/origin';
import { RAW, route } from '../../core/http/route';
import type { AlarmConfigQueries } from './config-queries';
import type { AlarmConfigService } from './config-service';
import type { AlarmService } from './service';
import type { AlarmStreamHub } from './stream';

const TAG = '6 报警';

export const AlarmPermissions = {
  manage: definePermission('alarms.manage', '管理报警状态与报警规则', ['admin']),
  operate: definePermission('alarms.operate', '确认、搁置报警', ['admin', 'operator']),
} as const;

export interface AlarmRouteServices {
  config: AlarmConfigService;
  queries: AlarmConfigQueries;
  alarms: AlarmService;
  hub: AlarmStreamHub;
}

const levelsHelp =
  'Alarm_Level 1 一般 / 2 警告 / 3 严重；Alarm_Type 1 机器每小时累计能耗 / 2 机器瞬时参数 / 3 设备故障（扩展，BMS alarm_status）；' +
  'Alarm_Notify 1 平台 / 2 短信 / 3 邮箱 / 4 微信。Notify_Address 以逗号分隔：本组织用户名或 Usr_ID（平台、微信），' +
  '短信还可填手机号，邮箱还可填邮箱地址；平台通知留空即通知本组织全部用户。扩展：Escalate_Minutes 分钟内无人确认则通知 ' +
  'Escalate_To（留空则再次通知 Notify_Address），此后每隔同样分钟重复，直到确认或恢复。';
const ruleHelp =
  '值超出 [LowerLimit, UpperLimit] 触发；回到限值内且离限值至少 Deadband（扩展，默认上下限差的 1%）才恢复。扩展：' +
  'Delay_Seconds 持续超限这么久才触发（过滤短暂波动），Realarm_Minutes 仍未恢复时每隔这么久重复提醒（需再次确认）。' +
  '类型 1 按每个已结束小时的累计用量判断（迟到数据改变已结束小时的用量时重新判断），类型 2 需要 Meter_Parameter（如 PF），' +
  '按每条读数判断（到达时已超过 24 小时的历史读数不再触发），' +
  '类型 3 不填 Meter_id，可填 Device_Uid（留空即本组织全部储能设备），alarm_status 超出上下限（通常 0~0）即触发，故障复位且读回 0 即恢复。' +
  '同一规则同一仪表同时只有一条活动报警，再次超限计入 Alarm_Count。一分钟内 ≥3 次触发/恢复视为频繁跳变（Rule_Chattering），暂停通知。';

/** Seed 002 §6 and the alarm extensions. */
export function alarmRoutes(s: AlarmRouteServices) {
  return [
    route({
      method: 'get',
      path: '/api_3/alarm_status',
      envelope: '002',
      tag: TAG,
      summary: '6.1 获取报警状态',
      description: levelsHelp,
      access: 'session',
      query: alarmDefinitionListQuery,
      response: alarmDefinitionItem,
      handler: async ({ actor, query }) => {
        const { limit, offset } = pageOf(query);
        const { items, total } = await s.queries.definitions(actor.orgId, query, limit, offset);
        return paged(items, total);
      },
    }),
    route({
      method: 'post',
      path: '/api_3/alarm_status',
      envelope: '002',
      tag: TAG,
      summary: '6.2 添加报警状态',
      description: levelsHelp,
      access: { permission: AlarmPermissions.manage },
      body: alarmDefinitionCreateBody,
      handler: async ({ actor, body }) => ({ id: (await s.config.createDefinition(actor.orgId, body)).id }),
    }),
    route({
      method: 'put',
      path: '/api_3/alarm_status',
      envelope: '002',
      tag: TAG,
      summary: '6.3 修改报警状态',
      access: { permission: AlarmPermissions.manage },
      body: alarmDefinitionUpdateBody,
      errors: { 404: '报警状态不存在（4002）' },
      handler: async ({ actor, body }) => {
        await s.config.updateDefinition(actor.orgId, body.id, body);
        return undefined;
      },
    }),
    route({
      method: 'delete',
      path: '/api_3/alarm_status',
      envelope: '002',
      tag: TAG,
      summary: '6.4 删除报警状态（还有规则时拒绝，4004）',
      access: { permission: AlarmPermissions.manage },
      query: alarmIdBody,
      errors: { 404: '报警状态不存在（4002）', 409: '还有规则（4004）' },
      handler: async ({ actor, query }) => {
        await s.config.removeDefinition(actor.orgId, query.id);
        return undefined;
      },
    }),
    route({
      method: 'get',
      path: '/api_3/alarm_status_rules',
      envelope: '002',
      tag: TAG,
      summary: '6.5 获取报警状态规则',
      description: ruleHelp,
      access: 'session',
      query: alarmRuleListQuery,
      response: alarmRuleItem,
      handler: async ({ actor, query }) => {
        const { limit, offset } = pageOf(query);
        const { items, total } = await s.queries.rules(actor.orgId, query, limit, offset);
        return paged(items, total);
      },
    }),
    route({
      method: 'post',
      path: '/api_3/alarm_status_rules',
      envelope: '002',
      tag: TAG,
      summary: '6.6 添加报警状态规则',
      description: ruleHelp,
      access: { permission: AlarmPermissions.manage },
      body: alarmRuleCreateBody,
      errors: { 404: '报警状态、仪表或设备不存在（4002）' },
      handler: async ({ actor, body }) => ({ id: (await s.config.createRule(actor.orgId, body)).id }),
    }),
    route({
      method: 'put',
      path: '/api_3/alarm_status_rules',
      envelope: '002',
      tag: TAG,
      summary: '6.7 修改报警状态规则',
      description: '改变仪表、测点、设备或所属报警状态时，该规则的活动报警随之恢复（历史记为“规则已修改”）。',
      access: { permission: AlarmPermissions.manage },
      body: alarmRuleUpdateBody,
      errors: { 404: '规则、报警状态、仪表或设备不存在（4002）' },
      handler: async ({ actor, body }) => {
        await s.config.updateRule(actor.orgId, body.id, body);
        return undefined;
      },
    }),
    route({
      method: 'delete',
      path: '/api_3/alarm_status_rules',
      envelope: '002',
      tag: TAG,
      summary: '6.8 删除报警状态规则（其活动报警随之恢复，记录保留）',
      access: { permission: AlarmPermissions.manage },
      query: alarmIdBody,
      errors: { 404: '规则不存在（4002）' },
      handler: async ({ actor, query }) => {
        await s.config.removeRule(actor.orgId, query.id);
        return undefined;
      },
    }),
    ...(['get', 'delete'] as const).map((method) =>
      route({
        method,
        path: '/api_3/alarm_message',
        envelope: '002',
        tag: TAG,
        summary:
          method === 'get'
            ? '6.9 获取报警记录'
            : '6.9 获取报警记录（文档写作 DELETE：与 GET 相同，不删除任何记录）',
        description:
          'Time_Start ≤ Alarm_Time（触发时间）< Time_End。每条记录是一次报警（再次超限计入 Alarm_Count），带状态、数值、限值与读数时间。' +
          '扩展筛选：Alarm_State 1 活动未确认 / 2 活动已确认 / 3 已恢复未确认 / 4 已恢复已确认，Active_Only=1 只看活动报警，' +
          'Active_First=1 活动报警排在前面（再按级别、时间），Meter_Superior_id 按机器。',
        access: 'session',
        query: alarmMessageQuery,
        response: alarmMessageItem,
        handler: async ({ actor, query }) => {
          const { limit, offset } = pageOf(query);
          const { items, total } = await s.alarms.messages(actor, query, limit, offset);
          return paged(items, total);
        },
      }),
    ),
    route({
      method: 'get',
      path: '/api_3/alarm_statistic_nums',
      envelope: '002',
      tag: TAG,
      summary: '6.10 获取报警个数的统计(年月日)',
      description:
        '按组织的年/月/日起始（4.4 个性化设置）分段。Return_Format 1 整段合计，2 明细：按年查每月、按月查每天、按天查每小时。' +
        'Statistic_Method 1/2/3 时每个时间段列出每个级别/类型/通知方式（含 0）。',
      access: 'session',
      query: alarmStatisticQuery,
      response: alarmStatisticRow,
      handler: async ({ actor, query }) => s.alarms.statistics(actor, query),
    }),
    route({
      method: 'get',
      path: '/api_3/alarm_message_detail',
      envelope: '002',
      tag: TAG,
      summary: '报警详情与状态历史（扩展；打开即标记已读）',
      access: 'session',
      query: alarmDetailQuery,
      response: alarmDetailItem,
      errors: { 404: '报警记录不存在（4002）' },
      handler: async ({ actor, query }) => [await s.alarms.detail(actor, query.id)],
    }),
    route({
      method: 'post',
      path: '/api_3/alarm_acknowledge',
      envelope: '002',
      tag: TAG,
      summary: '确认报警（扩展；立即停止升级通知，重复确认不改变记录）',
      access: { permission: AlarmPermissions.operate },
      body: alarmAcknowledgeBody,
      response: alarmMessageItem,
      errors: { 404: '报警记录不存在（4002）' },
      handler: async ({ actor, body }) => [
        await s.alarms.acknowledge(actor, body.id, body.Ack_Comment ?? ''),
      ],
    }),
    route({
      method: 'post',
      path: '/api_3/alarm_shelve',
      envelope: '002',
      tag: TAG,
      summary: '搁置报警（扩展；到期前该规则该仪表的报警照常记录，但不通知、不升级；最多 7 天）',
      access: { permission: AlarmPermissions.operate },
      body: alarmShelveBody,
      response: alarmMessageItem,
      errors: { 404: '报警记录不存在（4002）' },
      handler: async ({ actor, body }) => [await s.alarms.shelve(actor, body)],
    }),
    route({
      method: 'delete',
      path: '/api_3/alarm_shelve',
      envelope: '002',
      tag: TAG,
      summary: '取消搁置（扩展；仍活动的报警补发被暂缓的通知）',
      access: { permission: AlarmPermissions.operate },
      query: alarmIdBody,
      response: alarmMessageItem,
      errors: { 404: '报警记录不存在（4002）' },
      handler: async ({ actor, query }) => [await s.alarms.unshelve(actor, query.id)],
    }),
    route({
      method: 'get',
      path: '/api_3/alarm_deliveries',
      envelope: '002',
      tag: TAG,
      summary: '通知发送记录（扩展；每个接收人每个渠道一条，含每次尝试与对方应答）',
      access: 'session',
      query: alarmDeliveriesQuery,
      response: alarmDeliveryItem,
      errors: { 404: '报警记录不存在（4002）' },
      handler: async ({ actor, query }) => {
        const { limit, offset } = pageOf(query);
        const { items, total } = await s.alarms.deliveriesOf(actor, query.id, limit, offset);
        return paged(items, total);
      },
    }),
    route({
      method: 'get',
      path: '/api_3/alarm_unread',
      envelope: '002',
      tag: TAG,
      summary: '未读报警数与活动报警数（扩展，角标）',
      access: 'session',
      response: alarmUnreadItem,
      handler: async ({ actor }) => [await s.alarms.unread(actor)],
    }),
    route({
      method: 'post',
      path: '/api_3/alarm_read',
      envelope: '002',
      tag: TAG,
      summary: '标记已读（扩展；id 或 All=1）',
      access: 'session',
      body: alarmReadBody,
      errors: { 404: '报警记录不存在（4002）' },
      handler: async ({ actor, body }) => {
        await s.alarms.markRead(actor, body);
        return [await s.alarms.unread(actor)];
      },
    }),
    route({
      method: 'get',
      path: '/api_3/wechat_subscriptions',
      envelope: '002',
      tag: TAG,
      summary: '告警订阅消息模板与剩余可推送次数（扩展）',
      access: 'session',
      response: wechatSubscriptionItem,
      handler: async ({ actor }) => [await s.alarms.subscription(actor)],
    }),
    route({
      method: 'post',
      path: '/api_3/wechat_subscriptions',
      envelope: '002',
      tag: TAG,
      summary: '上报一次 wx.requestSubscribeMessage 的结果（扩展；Accepted=1 剩余次数 +1）',
      description: '每次用户点“允许”可推送一条。微信答 43101 时剩余次数归零，报警改走平台通知。',
      access: 'session',
      body: wechatSubscriptionBody,
      response: wechatSubscriptionItem,
      rateLimit: { bucket: 'wechat-subscriptions', points: 60, windowSec: 60, by: 'user' },
      handler: async ({ actor, body }) => [await s.alarms.reportSubscription(actor, body)],
    }),
    route({
      method: 'get',
      path: '/api_3/alarm_notify_settings',
      envelope: '002',
      tag: TAG,
      summary: '我的通知设置（扩展）',
      access: 'session',
      response: alarmNotifySettingsItem,
      handler: async ({ actor }) => [await s.alarms.settings(actor)],
    }),
    route({
      method: 'put',
      path: '/api_3/alarm_notify_settings',
      envelope: '002',
      tag: TAG,
      summary: '修改我的通知设置（扩展；免打扰与每日汇总只作用于一般级别的推送，应用内始终显示）',
      access: 'session',
      body: alarmNotifySettingsBody,
      response: alarmNotifySettingsItem,
      handler: async ({ actor, body }) => [await s.alarms.saveSettings(actor, body)],
    }),
    route({
      method: 'post',
      path: '/api_3/alarm_stream_ticket',
      envelope: '002',
      tag: TAG,
      summary: '实时报警流的一次性票据（扩展；60 秒内用 EventSource 打开 Stream_Url）',
      access: 'session',
      response: alarmStreamTicketItem,
      rateLimit: { bucket: 'alarm-stream', points: 30, windowSec: 60, by: 'user' },
      handler: async ({ actor }) => [
        {
          Stream_Url: `/api_3/alarm_stream?ticket=${await s.hub.ticket(actor.orgId, actor.userId)}`,
          Expires_In: 60,
        },
      ],
    }),
    route({
      method: 'get',
      path: '/api_3/alarm_stream',
      envelope: '002',
      tag: TAG,
      summary: '实时报警流（扩展；Server-Sent Events，事件 alarm 的 data 为 Event/Alarm/Unread_Numbers）',
      access: 'public',
      query: alarmStreamQuery,
      handler: async ({ ctx, query }) => {
        const who = await s.hub.redeem(query.ticket);
        if (!who) throw new AppError('unauthenticated', '票据无效或已过期，请重新获取');
        s.hub.attach(ctx, who, await s.alarms.unread(who));
        return RAW;
      },
    }),
  ];
}
