import {
  prpBaseInfos,
  type PrpBaseInfos,
  type PrpOperationResult,
  type PrpOperationType,
  type PrpOrganizationInfos,
  type PrpUploadRecord,
  type PrpVersion,
} from '@wattdesk/shared';
import { AppError, notFound } from '../../core/errors';
import { formatLocal, parseLocal } from '../../core/time';
import type { Clock } from '../../infra/clock';
import type { Logger } from '../../infra/logger';
import type { Jobs } from '../../platform/contract';
import type { MeteringDeps } from '../meters/wiring';
import type { PlatformTarget, ProvincialPlatform } from '../../adapters/provincial/platform';
import type { ProvincialRepository } from './repository';
import type { SecretBox } from '../../infra/secret-box';
import { organizationProblem } from './validate';

/** The job that sends one upload (operation 1, 2 or a figure) to the platform, retried with backoff. */
export const JOB_SEND = 'provincial.send';
export const SEND_RETRY_LIMIT = 7;

const notConnected = () => new AppError('conflict', '尚未设置省平台连接（平台地址、接入密钥）');
const upstream = (message: string) => new AppError('upstream_failed', message);

/**
 * Seed 002 §5 configuration: the organization's connection, the platform's code lists (cached, refreshed
 * when 5.4 reports a new dicVersion), 5.2/5.3 enterprise information, 5.4/5.5 versions, and the records
 * of 5.7/5.8. Uploading itself is UploadService's.
 */
export class ProvincialService {
  constructor(
    private readonly repo: ProvincialRepository,
    private readonly platform: ProvincialPlatform,
    private readonly metering: Pick<MeteringDeps, 'facts' | 'calendar'>,
    private readonly jobs: Jobs,
    private readonly clock: Clock,
    private readonly box: SecretBox,
    private readonly opts: { production: boolean; log: Logger },
  ) {}

  /** Where and as whom the organization reaches its platform; 409 when not set. */
  async target(orgId: number): Promise<PlatformTarget> {
    const c = await this.repo.connection(orgId);
    if (!c) throw notConnected();
    return { baseUrl: c.baseUrl, accessKey: c.accessKey, secret: this.box.open<string>(c.secretEnc) };
  }

  async connection(orgId: number) {
    const c = await this.repo.connection(orgId);
    return { Platform_Url: c?.baseUrl ?? '', Access_Key: c?.accessKey ?? '', Secret_Set: c ? 1 : 0 };
  }

  /** Extension: saves the platform address and credentials (the secret encrypted). */
  async saveConnection(
    orgId: number,
    c: { baseUrl: string; accessKey: string; secret: string },
  ): Promise<void> {
    if (!this.box.canSeal) throw new AppError('conflict', '服务器未配置 WD_SECRETS_KEY，不能保存省平台密钥');
    await this.repo.saveConnection(
      orgId,
      { baseUrl: c.baseUrl.replace(/\/+$/, ''), accessKey: c.accessKey, secretEnc: this.box.seal(c.secret) },
      this.clock.now(),
    );
  }

  /**
   * 5.1: the code lists, from the cache while its version is the platform's latest known one (5.4);
   * fetched again when 5.4 reported a new dicVersion (or none is cached).
   */
  async baseInfos(orgId: number): Promise<PrpBaseInfos> {
    const org = await this.repo.org(orgId);
    const cached = org?.lists ? prpBaseInfos.safeParse(org.lists) : undefined;
    if (cached?.success && (!org!.knownDicVersion || org!.knownDicVersion === cached.data.dicVersion))
      return cached.data;
    const out = await this.platform.dictionary(await this.target(orgId));
    if (!out.ok) {
      this.opts.log.warn({ orgId, code: out.code }, 'provincial dictionary fetch failed');
      if (cached?.success) return cached.data;
      throw upstream(`获取省平台基础数据失败：${out.message}`);
    }
    await this.repo.saveLists(orgId, out.value, this.clock.now());
    return out.value;
  }

  /** 5.4: asks the platform; a new dicVersion makes the next 5.1 fetch the lists again. */
  async version(orgId: number): Promise<PrpVersion> {
    const out = await this.platform.version(await this.target(orgId));
    if (!out.ok) throw upstream(`获取省平台版本信息失败：${out.message}`);
    await this.repo.saveVersion(orgId, out.value);
    return out.value;
  }

  /** 5.5: queued durably, then sent at once (retried on the job runner); answers the result so far (5.8). */
  async updateVersion(orgId: number, body: { enterpriseCode: string; region: string }) {
    await this.target(orgId);
    const job = await this.repo.db.transaction(async (tx) => {
      const id = await this.repo.createOperation(tx, orgId, 2, body, this.clock.now());
      return this.jobs.sendInTx(tx, JOB_SEND, { uploadId: id }, { key: `prp-${id}` });
    });
    await this.runQueued(job);
    return this.operationResult(orgId, 2);
  }

  /**
   * 5.2: validates the whole structure against the platform's lists and the caller's meters, saves it,
   * and queues its upload (operation 1), sent at once and retried on the job runner.
   */
  async saveOrganization(orgId: number, infos: PrpOrganizationInfos): Promise<void> {
    await this.target(orgId);
    const lists = await this.baseInfos(orgId);
    const meters = await this.metering.facts.labels(
      orgId,
      infos.collectItemConfig.map((c) => c.Meter_id),
    );
    const problem = organizationProblem(infos, lists, new Set(meters.keys()));
    if (problem) throw problem;
    const job = await this.repo.db.transaction(async (tx) => {
      const now = this.clock.now();
      await this.repo.saveInfos(tx, orgId, infos, now);
      const items = await this.repo.syncItems(tx, orgId, infos.collectItemConfig, now);
      const payload = {
        dicVersion: lists.dicVersion,
        infos,
        items: items.map((i) => ({ itemNo: i.itemNo, config: i.config })),
      };
      const id = await this.repo.createOperation(tx, orgId, 1, payload, now);
      return this.jobs.sendInTx(tx, JOB_SEND, { uploadId: id }, { key: `prp-${id}` });
    });
    await this.runQueued(job);
  }

  /** 5.3: the information as saved. */
  async organization(orgId: number): Promise<PrpOrganizationInfos> {
    const org = await this.repo.org(orgId);
    if (!org?.infos) throw notFound('用能单位基础信息');
    return org.infos as PrpOrganizationInfos;
  }

  /** 5.7: every exchange in the period (local times of the organization), oldest first. */
  async uploads(orgId: number, q: { start: string; end: string; limit: number; offset: number }) {
    const tz = (await this.metering.calendar.rule(orgId)).tz;
    const from = parseLocal(q.start, tz);
    if (!from)
      throw new AppError('validation', 'Time_Start: 不是有效的时间', {
        field: 'Time_Start',
        rule: '不是有效的时间',
      });
    const to = parseLocal(q.end, tz);
    if (!to)
      throw new AppError('validation', 'Time_End: 不是有效的时间', {
        field: 'Time_End',
        rule: '不是有效的时间',
      });
    if (to < from)
      throw new AppError('validation', 'Time_End: 不能早于 Time_Start', {
        field: 'Time_End',
        rule: '不能早于 Time_Start',
      });
    const { rows, total } = await this.repo.exchanges(orgId, from, to, q.limit, q.offset);
    const items: PrpUploadRecord[] = rows.map((r) => ({
      id: r.e.id,
      Original_Data: r.e.originalData,
      Target_Url: r.e.targetUrl,
      Response_Data: r.e.responseData,
      Upload_Time: formatLocal(r.e.uploadTime, tz),
      Result: r.e.result,
      Operation_Type: r.e.operationType,
      Item_Name: (r.config as { name?: string } | null)?.name ?? '',
      Period: r.periodStart ? formatLocal(r.periodStart, tz) : '',
      Attempt: r.e.attempt,
    }));
    return { items, total };
  }

  /** 5.8: the last operation of the type, or nothing when there was none. */
  async operationResult(orgId: number, op: PrpOperationType): Promise<PrpOperationResult[]> {
    const { last, failures, pending } = await this.repo.operation(orgId, op);
    if (!last)
      return pending
        ? [{ Result: 0, Response_Data: '', Operation_Time: '', Failures: 0, Pending: pending }]
        : [];
    const tz = (await this.metering.calendar.rule(orgId)).tz;
    return [
      {
        Result: last.result,
        Response_Data: JSON.stringify(last.responseData ?? null),
        Operation_Time: formatLocal(last.uploadTime, tz),
        Failures: failures,
        Pending: pending,
      },
    ];
  }

  /**
   * Runs a job just committed in this process, so the caller sees its first attempt's result (a worker
   * that fetched it first runs it instead; a failed attempt is retried by the job runner).
   */
  private async runQueued(job: string | null): Promise<void> {
    if (job) await this.jobs.runNow(JOB_SEND, job).catch(() => false);
  }
}
