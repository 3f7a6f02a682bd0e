import { WeChatClient } from '../../adapters/wechat/client';
import { Mailer } from '../../adapters/email/mailer';
import { SmsClient } from '../../adapters/sms/client';
import { DEMO_APPID, DEMO_SECRET, DEMO_TEMPLATE } from '../../fakes/wechat/state';
import { defineFeature } from '../../platform/contract';
import { AlarmConfigQueries } from './config-queries';
import { AlarmConfigRepository } from './config-repository';
import { AlarmConfigService } from './config-service';
import { Channels } from './deliveries/channels';
import { DeliveryPlanner, JOB_DELIVER, JOB_ESCALATE, JOB_REALARM } from './deliveries/planner';
import { DeliveryRepository } from './deliveries/repository';
import { DeliveryWorker, RETRY_LIMIT } from './deliveries/worker';
import { seedAlarmDemo } from './demo';
import { AlarmEngine } from './engine';
import { AlarmEvaluation } from './evaluation';
import { AlarmRepository } from './repository';
import { alarmRoutes } from './routes';
import { AlarmService, JOB_UNSHELVE } from './service';
import { AlarmSources } from './sources';
import { AlarmStreamHub } from './stream';

/** What other features (and tests) may use of alarms. */
export interface AlarmsApi {
  service: AlarmService;
  evaluation: AlarmEvaluation;
  worker: DeliveryWorker;
  hub: AlarmStreamHub;
  /** Points WeChat, SMTP and SMS at other servers (demo mode's fakes). */
  pointAt(targets: {
    wechatBaseUrl?: string;
    smtpUrl?: string;
    smsBaseUrl?: string;
    smsApiKey?: string;
  }): void;
}

declare module '../../platform/contract' {
  interface FeatureApis {
    alarms: AlarmsApi;
  }
}

/**
 * Alarms (seed 002 §6, issue 9): rules evaluated on every committed reading, device telemetry and
 * command outcome; the alarm lifecycle; deliveries on four channels with retries; escalation and
 * re-alarm as delayed jobs; the real-time stream.
 */
export const alarmsFeature = defineFeature('alarms', (ctx) => {
  const { config, db, clock, jobs } = ctx;
  const log = ctx.log.child({ feature: 'alarms' });
  const appid = config.WECHAT_APPID ?? DEMO_APPID;
  // Its own client (the access token is shared through Redis with the app's): demo mode re-points it.
  const wechatAt = (baseUrl: string) =>
    new WeChatClient({
      baseUrl,
      appid,
      secret: config.WECHAT_SECRET ?? DEMO_SECRET,
      redis: ctx.redis,
      clock,
      log: log.child({ adapter: 'wechat' }),
      timeoutMs: config.WECHAT_TIMEOUT_MS,
    });
  let wechat = wechatAt(config.WECHAT_API_BASE);
  let mailer: Mailer | null = config.SMTP_URL ? new Mailer(config.SMTP_URL, config.ALARM_MAIL_FROM) : null;
  const smsOf = (baseUrl: string, apiKey: string) =>
    new SmsClient({ baseUrl, apiKey, sign: config.SMS_SIGN_NAME, template: config.SMS_ALARM_TEMPLATE });
  let sms: SmsClient | null = config.SMS_API_BASE
    ? smsOf(config.SMS_API_BASE, config.SMS_API_KEY ?? '')
    : null;
  const templateId = config.WECHAT_ALARM_TEMPLATE_ID ?? DEMO_TEMPLATE;

  const metering = ctx.use('metering');
  const sources = new AlarmSources({
    meters: metering.facts,
    devices: ctx.use('devices').facts,
    accounts: ctx.use('accounts').facts,
    calendar: metering.calendar,
    appid: () => appid,
  });
  const configRepo = new AlarmConfigRepository(db);
  const repo = new AlarmRepository(db);
  // A claim must outlive one attempt (token fetch + send, each up to the WeChat timeout, one retry), or a
  // second worker would take over a delivery still in flight and push it twice.
  const claimMs = Math.max(config.ALARM_DELIVERY_CLAIM_SECONDS * 1000, 3 * config.WECHAT_TIMEOUT_MS + 5000);
  const deliveries = new DeliveryRepository(db, claimMs);
  const hub = new AlarmStreamHub(ctx.redis, `${config.REDIS_KEY_PREFIX}alarms:changes`, log);
  const planner = new DeliveryPlanner(deliveries, repo, sources, jobs, clock, hub, log);
  const channels = new Channels({
    wechat: () => wechat,
    templateId,
    page: config.ALARM_PUSH_PAGE,
    mailer: () => mailer,
    sms: () => sms,
    deliveries,
    broadcast: hub,
    log,
  });
  const worker = new DeliveryWorker(db, deliveries, repo, sources, planner, channels, jobs, clock, log);
  const engine = new AlarmEngine(db, repo, clock, planner, log);
  const evaluation = new AlarmEvaluation(configRepo, repo, sources, engine, clock);
  const service = new AlarmService(db, repo, deliveries, planner, sources, jobs, clock, templateId);
  const configService = new AlarmConfigService(configRepo, sources, clock, (o, r, a) =>
    service.closeRuleAlarms(o, r, a),
  );
  hub.setRenderer((o, u, a, e) => service.streamEvent(o, u, a, e));

  const api: AlarmsApi = {
    service,
    evaluation,
    worker,
    hub,
    pointAt(t) {
      if (t.wechatBaseUrl) wechat = wechatAt(t.wechatBaseUrl);
      if (t.smtpUrl) {
        mailer?.close();
        mailer = new Mailer(t.smtpUrl, config.ALARM_MAIL_FROM);
      }
      if (t.smsBaseUrl) sms = smsOf(t.smsBaseUrl, t.smsApiKey ?? '');
    },
  };
  const closers: Array<() => Promise<void>> = [];
  const retries = { retryLimit: RETRY_LIMIT, retryDelay: 5, retryBackoff: true, expireInSeconds: 120 };

  return {
    api,
    routes: alarmRoutes({
      config: configService,
      queries: new AlarmConfigQueries(configRepo, repo, sources),
      alarms: service,
      hub,
    }),
    consumers: [
      {
        name: 'alarms.evaluate-readings',
        events: ['readings.ingested'],
        handle: (e) => evaluation.onReadings(e),
      },
      {
        name: 'alarms.evaluate-telemetry',
        events: ['device.telemetry'],
        handle: (e) => evaluation.onTelemetry(e),
      },
      {
        name: 'alarms.evaluate-charging-safety',
        events: ['charging.safety.warning'],
        handle: (e) => evaluation.onChargingWarning(e),
      },
      {
        name: 'alarms.evaluate-commands',
        events: ['device.command.completed'],
        handle: (e) => evaluation.onCommand(e),
      },
    ],
    jobs: [
      {
        name: JOB_DELIVER,
        handle: (d: { deliveryId: number }) => worker.deliver(d),
        defaults: retries,
        concurrency: 4,
      },
      {
        name: JOB_ESCALATE,
        handle: (d: { orgId: number; alarmId: number; step: number }) => worker.escalate(d),
        defaults: retries,
      },
      {
        name: JOB_REALARM,
        handle: (d: { orgId: number; alarmId: number; n: number }) => worker.realarm(d),
        defaults: retries,
      },
      {
        name: JOB_UNSHELVE,
        handle: (d: { orgId: number; ruleId: number; source: string; until: number }) => worker.unshelve(d),
        defaults: retries,
      },
      {
        name: 'alarms.hourly',
        handle: () => evaluation.closedHours(),
        cron: { expression: '5 * * * *' },
        defaults: retries,
      },
      {
        name: 'alarms.sweep',
        handle: async () => void (await worker.sweep()),
        cron: { expression: '* * * * *' },
      },
      {
        name: 'alarms.digest',
        handle: () => worker.digest(),
        cron: { expression: '*/5 * * * *' },
        defaults: retries,
      },
    ],
    start: async () => {
      await hub.start();
      // Deliveries a crashed process left mid-attempt are taken up again at once, not at the next tick —
      // by an instance that runs jobs (like the per-minute sweep); one that runs none (WD_JOB_WORKERS=false,
      // e.g. test apps, each with a job schema of its own on a shared database) leaves them to those.
      if (config.WD_JOB_WORKERS) await worker.sweep();
    },
    stop: async () => {
      await hub.stop();
      for (const close of closers.splice(0)) await close();
      mailer?.close();
    },
    demo: async () => {
      const seeded = await seedAlarmDemo({
        ctx,
        api,
        config: configService,
        configRepo,
        deliveries,
        templateId,
        appid,
      });
      closers.push(seeded.close);
      return seeded.lines;
    },
  };
});
