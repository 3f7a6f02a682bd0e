import { prpOrganizationInfos } from '@wattdesk/shared';
import { ProvincialClient } from '../../adapters/provincial/client';
import { startFakeProvincial, type FakeProvincial } from '../../fakes/provincial/server';
import { defineFeature } from '../../platform/contract';
import { DEMO_USER } from '../../demo/demo-data';
import { DEMO_PRP, demoOrganization } from './demo';
import { ProvincialRepository } from './repository';
import { provincialRoutes } from './routes';
import { SecretBox } from '../../infra/secret-box';
import { JOB_SEND, ProvincialService, SEND_RETRY_LIMIT } from './service';
import { UploadService } from './uploads';

/** What other features and tests may use of the provincial upload. */
export interface ProvincialApi {
  service: ProvincialService;
  uploads: UploadService;
  /** The fake platform demo mode started in this process. */
  demoFake(): FakeProvincial | undefined;
}

declare module '../../platform/contract' {
  interface FeatureApis {
    provincial: ProvincialApi;
  }
}

export const JOB_PLAN = 'provincial.plan';
export const JOB_VERSION_CHECK = 'provincial.version-check';

/**
 * The provincial energy-monitoring platform (seed 002 §5, issue 12 item 4): configuration, code lists,
 * versions, scheduled uploads with retries and their records, over the adapter of
 * docs/provincial-adapter.md; demo mode runs the fake platform and configures the demo organization.
 */
export const provincialFeature = defineFeature('provincial', (ctx) => {
  const metering = ctx.use('metering');
  const { accounts } = ctx.use('accounts');
  const demoImport = ctx.use('demo-import');
  const repo = new ProvincialRepository(ctx.db);
  const platform = new ProvincialClient({ clock: ctx.clock, timeoutMs: ctx.config.PRP_TIMEOUT_MS });
  const log = ctx.log.child({ feature: 'provincial' });
  const service = new ProvincialService(
    repo,
    platform,
    metering,
    ctx.jobs,
    ctx.clock,
    SecretBox.fromConfig(ctx.config),
    {
      production: ctx.config.NODE_ENV === 'production',
      log,
    },
  );
  const uploads = new UploadService(
    ctx.db,
    repo,
    service,
    platform,
    metering,
    ctx.jobs,
    ctx.clock,
    (orgId) => demoImport.importing(orgId),
    log,
  );
  let fake: FakeProvincial | undefined;

  /** Daily: asks every configured platform for its versions, so changed code lists are fetched again. */
  const versionCheck = async () => {
    for (const orgId of await repo.plannableOrgs()) {
      try {
        await service.version(orgId);
        await service.baseInfos(orgId);
      } catch (err) {
        log.warn({ err, orgId }, 'provincial version check failed');
      }
    }
  };

  return {
    api: { service, uploads, demoFake: () => fake },
    routes: provincialRoutes(service),
    consumers: [
      { name: 'provincial.late-data', events: ['readings.ingested'], handle: (e) => uploads.onReadings(e) },
      {
        name: 'provincial.demo-import-finished',
        events: ['demo.import.finished'],
        handle: (e) => uploads.onImportFinished(e),
      },
    ],
    jobs: [
      {
        name: JOB_SEND,
        handle: (d: { uploadId: number }, job) => uploads.send(d.uploadId, job.retryCount),
        defaults: { retryLimit: SEND_RETRY_LIMIT, retryDelay: 60, retryBackoff: true, expireInSeconds: 120 },
      },
      { name: JOB_PLAN, cron: { expression: '*/15 * * * *' }, handle: () => uploads.planAll() },
      { name: JOB_VERSION_CHECK, cron: { expression: '17 3 * * *' }, handle: versionCheck },
    ],
    stop: async () => {
      await fake?.close();
      fake = undefined;
    },
    demo: async () => {
      const user = await accounts.userByName(DEMO_USER);
      if (!user) return [];
      const orgId = user.orgId;
      fake = await startFakeProvincial({
        port: ctx.config.WD_FAKE_PRP_PORT,
        keys: { [DEMO_PRP.accessKey]: DEMO_PRP.secret },
        now: () => ctx.clock.now().getTime(),
      });
      // The fake starts empty on every start: register again, then upload the information again.
      await service.saveConnection(orgId, {
        baseUrl: fake.url,
        accessKey: DEMO_PRP.accessKey,
        secret: DEMO_PRP.secret,
      });
      await service.updateVersion(orgId, {
        enterpriseCode: DEMO_PRP.enterpriseCode,
        region: DEMO_PRP.region,
      });
      const infos = demoOrganization(await metering.facts.list(orgId));
      if (infos) await service.saveOrganization(orgId, prpOrganizationInfos.parse(infos));
      if (infos && !(await demoImport.importing(orgId)))
        for (const job of await uploads.planOrg(orgId))
          await ctx.jobs.runNow(JOB_SEND, job).catch(() => false);
      return [
        `  模拟省平台:          ${fake.url}   (演示组织已配置，昨天的日数据在演示读数导入完成后上传；控制接口见 bff/src/fakes/provincial/README.md)`,
      ];
    },
  };
});
