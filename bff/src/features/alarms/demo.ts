import { sql } from 'drizzle-orm';
import type { PlatformContext } from '../../platform/contract';
import { startFakeSms } from '../../fakes/sms/server';
import { startSmtpSink } from '../../fakes/smtp/server';
import { demoFakeWeChat } from '../../fakes/wechat/demo';
import type { AlarmConfigRepository } from './config-repository';
import type { AlarmConfigService } from './config-service';
import type { DeliveryRepository } from './deliveries/repository';
import type { AlarmsApi } from './feature';

/** The demo login (bff/src/demo/demo-data.ts) and the steel plant's real meter in its site. */
export const DEMO_ALARM_USER = 'demo';
export const STEEL_METER = '电弧炉电表（2018 实测）';
export const DEMO_BMS_DEVICE = 'demo-ems-2';
export const PF_ALARM = '功率因数过低';
export const BMS_ALARM = '储能 BMS 故障';
/** The demo user's WeChat identity on the fake, and the acceptances it starts with on every start. */
export const DEMO_OPENID = 'oDemoAlarmUser000001';
export const DEMO_ACCEPTANCES = 20;

export interface AlarmDemoPorts {
  ctx: PlatformContext;
  api: AlarmsApi;
  config: AlarmConfigService;
  configRepo: AlarmConfigRepository;
  deliveries: DeliveryRepository;
  templateId: string;
  appid: string;
}

/**
 * The demo user has bound WeChat on the fake and tapped 允许 `DEMO_ACCEPTANCES` times: the binding is
 * written as a completed 9.1 leaves it (when the user has none), the fake's quota and ours topped up.
 */
async function bindDemoWeChat(p: AlarmDemoPorts, user: { id: number; org_id: number }): Promise<string> {
  const fake = demoFakeWeChat();
  if (!fake) return '  告警微信推送:        未启动（没有模拟微信服务器）';
  p.api.pointAt({ wechatBaseUrl: fake.url });
  await p.ctx.db.execute(
    sql`insert into wechat_identities (appid, openid, user_id, org_id, nick_name)
        values (${p.appid}, ${DEMO_OPENID}, ${user.id}, ${user.org_id}, '演示用户')
        on conflict do nothing`,
  );
  const [bound] = await rows<{ openid: string }>(
    p.ctx,
    sql`select openid from wechat_identities where user_id = ${user.id} and appid = ${p.appid}`,
  );
  const openid = bound?.openid ?? DEMO_OPENID;
  fake.state.setUser(openid, { subscribe: [p.templateId], times: DEMO_ACCEPTANCES });
  const have = await p.deliveries.remaining(user.id, p.templateId);
  if (have < DEMO_ACCEPTANCES)
    await p.deliveries.addSubscription(user.org_id, user.id, p.templateId, DEMO_ACCEPTANCES - have);
  return `  告警微信推送:        演示用户已绑定微信（${openid}，可推送 ${DEMO_ACCEPTANCES} 次），推送见 ${fake.url}/__fake/messages`;
}

async function rows<T>(ctx: PlatformContext, q: ReturnType<typeof sql>): Promise<T[]> {
  return ((await ctx.db.execute(q)) as unknown as { rows: T[] }).rows;
}

/**
 * Demo mode: a local SMTP sink and a fake SMS gateway for the email and SMS channels, and — once the
 * demo organization exists — its alarm definitions and rules: a power-factor rule on the steel meter
 * (type 2, `Lag_PF` below 85 %) and a BMS rule on demo-ems-2 (type 3, its non-resettable alarm fires on
 * the first telemetry), both pushed to the demo user over WeChat with escalation. Idempotent.
 */
export async function seedAlarmDemo(
  p: AlarmDemoPorts,
): Promise<{ lines: string[]; close: () => Promise<void> }> {
  const { ctx, api } = p;
  const smtp = await startSmtpSink();
  const sms = await startFakeSms();
  api.pointAt({ smtpUrl: smtp.url, smsBaseUrl: sms.url, smsApiKey: sms.apiKey });
  const close = async () => {
    await smtp.close();
    await sms.close();
  };
  const lines = [`  告警邮件/短信模拟:    SMTP ${smtp.url}   短信网关 ${sms.url}/__fake/messages`];
  const [user] = await rows<{ id: number; org_id: number }>(
    ctx,
    sql`select id, org_id from users where name = ${DEMO_ALARM_USER} order by id limit 1`,
  );
  if (!user) return { lines: [...lines, '  告警演示:            未配置（没有演示账号）'], close };
  const orgId = Number(user.org_id);
  lines.push(await bindDemoWeChat(p, { id: Number(user.id), org_id: orgId }));
  const existing = await p.configRepo.listDefinitions(orgId, {}, 100, 0);
  if (existing.rows.some((d) => d.name === PF_ALARM))
    return { lines: [...lines, '  告警演示:            报警规则已存在'], close };
  const pf = await p.config.createDefinition(orgId, {
    Alarm_Name: PF_ALARM,
    Alarm_Type: 2,
    Alarm_Level: 2,
    Alarm_Notify: 4,
    Notify_Address: DEMO_ALARM_USER,
    Escalate_Minutes: 10,
    Escalate_To: DEMO_ALARM_USER,
  });
  const [steel] = await rows<{ id: number }>(
    ctx,
    sql`select id from meters where org_id = ${orgId} and name = ${STEEL_METER}`,
  );
  if (steel)
    await p.config.createRule(orgId, {
      Rule_Name: '电弧炉滞后功率因数低于 85%',
      Alarm_id: pf.id,
      Meter_id: Number(steel.id),
      Meter_Parameter: 'Lag_PF',
      LowerLimit: 85,
      UpperLimit: 100,
      Delay_Seconds: 0,
    });
  const bms = await p.config.createDefinition(orgId, {
    Alarm_Name: BMS_ALARM,
    Alarm_Type: 3,
    Alarm_Level: 3,
    Alarm_Notify: 4,
    Notify_Address: DEMO_ALARM_USER,
    Escalate_Minutes: 5,
    Escalate_To: DEMO_ALARM_USER,
  });
  await p.config.createRule(orgId, {
    Rule_Name: '2# 储能柜 BMS 报警',
    Alarm_id: bms.id,
    // Named for demo-ems-2 once the device simulator registered it; otherwise every BMS device.
    Device_Uid: (
      await rows(ctx, sql`select 1 from devices where org_id = ${orgId} and device_uid = ${DEMO_BMS_DEVICE}`)
    ).length
      ? DEMO_BMS_DEVICE
      : undefined,
    LowerLimit: 0,
    UpperLimit: 0,
  });
  return {
    lines: [
      ...lines,
      `  告警演示:            已创建“${PF_ALARM}”“${BMS_ALARM}”两条报警与规则（推送给 ${DEMO_ALARM_USER}）`,
    ],
    close,
  };
}
