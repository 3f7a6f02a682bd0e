import { IsolarCloudClient } from '../../adapters/isolarcloud/client';
import { DEMO_APP } from '../../fakes/isolarcloud/state';
import { SecretBox } from '../../infra/secret-box';
import { defineFeature } from '../../platform/contract';
import { PgCredentialStore } from './credentials';
import { DEMO_PLANTS_USER, seedPlantsDemo } from './demo';
import { PlantsRepository } from './repository';
import { plantRoutes } from './routes';
import { JOB_REFRESH, JOB_REFRESH_DUE, PlantsService, type MeteringPorts } from './service';

/** What other features (and tests) may use of plants. */
export interface PlantsApi {
  service: PlantsService;
  repo: PlantsRepository;
  client: IsolarCloudClient;
  store: PgCredentialStore;
}

declare module '../../platform/contract' {
  interface FeatureApis {
    plants: PlantsApi;
  }
}

/**
 * Solar plants from Sungrow iSolarCloud (seed 003, issue 12): per-organization connection (OAuth or
 * legacy login), the 5-minute refresh on the job runner, 002-style plant endpoints, and PV generation
 * written to a meter through metering's ingest.
 */
export const plantsFeature = defineFeature('plants', (ctx) => {
  const { config } = ctx;
  const log = ctx.log.child({ feature: 'plants' });
  const metering = ctx.use('metering');
  const repo = new PlantsRepository(ctx.db);
  const box = new SecretBox(config.WD_SECRETS_KEY, {
    production: config.NODE_ENV === 'production' && !config.WD_DEMO,
  });
  const store = new PgCredentialStore(repo, box, ctx.redis, ctx.clock);
  // Without a configured application (development, demo) the demo application is used: demo mode points it at the fake.
  const client = new IsolarCloudClient({
    app: config.ISOLARCLOUD_APPKEY
      ? {
          appkey: config.ISOLARCLOUD_APPKEY,
          accessKey: config.ISOLARCLOUD_SECRET_KEY ?? '',
          appId: config.ISOLARCLOUD_APP_ID ?? '',
        }
      : DEMO_APP,
    gateways: { api: config.ISOLARCLOUD_API_BASE, web: config.ISOLARCLOUD_WEB_BASE },
    store,
    redis: ctx.redis,
    clock: ctx.clock,
    log: log.child({ adapter: 'isolarcloud' }),
    timeoutMs: config.ISOLARCLOUD_TIMEOUT_MS,
    hourlyQuota: config.ISOLARCLOUD_HOURLY_QUOTA,
  });
  const ports: MeteringPorts = {
    tz: async (orgId) => (await metering.calendar.rule(orgId)).tz,
    meter: async (orgId, id) => {
      const { rows } = await metering.meters.list(orgId, { id }, 1, 0);
      const m = rows[0];
      return m ? { isVirtual: m.isVirtual, energyType: m.energyType } : undefined;
    },
    writeTotal: async (orgId, meterId, ts, totalKwh) =>
      (await metering.ingest.ingest(orgId, [{ meter: meterId, ts, total: totalKwh }], 'http')).accepted === 1,
  };
  const service = new PlantsService({
    repo,
    store,
    client,
    redis: ctx.redis,
    jobs: ctx.jobs,
    clock: ctx.clock,
    log,
    metering: ports,
    publicUrl: config.publicUrl,
    configured: () => (Boolean(config.ISOLARCLOUD_APPKEY) || pointedAtFake) && box.canSeal,
  });
  let closeDemo: (() => Promise<void>) | undefined;
  let pointedAtFake = false;
  return {
    api: { service, repo, client, store },
    routes: plantRoutes(service),
    jobs: [
      {
        name: JOB_REFRESH_DUE,
        cron: { expression: '*/5 * * * *' },
        handle: () => service.refreshDue(),
      },
      {
        name: JOB_REFRESH,
        handle: (d: { orgId: number }) => service.refresh(d.orgId),
        defaults: { retryLimit: 2, retryDelay: 30, retryBackoff: true, expireInSeconds: 240 },
      },
    ],
    stop: async () => {
      await closeDemo?.();
    },
    demo: async () => {
      pointedAtFake = true; // the seed points the client at the fake before it connects
      const seeded = await seedPlantsDemo({
        jobs: ctx.jobs,
        clock: ctx.clock,
        demoOrg: async () => (await ctx.use('accounts').accounts.userByName(DEMO_PLANTS_USER))?.orgId,
        service,
        client,
        metering,
        repo,
        port: config.WD_FAKE_ISOLARCLOUD_PORT,
      });
      closeDemo = seeded.close;
      return seeded.lines;
    },
  };
});
