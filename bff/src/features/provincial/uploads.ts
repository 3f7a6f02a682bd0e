import type { PrpBaseInfos, PrpOrganizationInfos, PrpStatType, PrpVersion } from '@wattdesk/shared';
import { formatLocal } from '../../core/time';
import type { Clock } from '../../infra/clock';
import type { Logger } from '../../infra/logger';
import type { Db } from '../../infra/db/client';
import type { DomainEvent, Jobs } from '../../platform/contract';
import type { BusinessCalendar } from '../calendar/calendar';
import type { MeteringDeps } from '../meters/wiring';
import type { Outcome, PlatformItem, ProvincialPlatform } from '../../adapters/provincial/platform';
import type { Item, ProvincialRepository, Upload } from './repository';
import { JOB_SEND, SEND_RETRY_LIMIT, type ProvincialService } from './service';

const SLOT_MS = 15 * 60_000;
/** How far back a plan run fills periods that were never planned (e.g. after downtime). */
const BACKFILL = { '0': 8, '1': 3, '2': 2, '3': 1 } as const;
/** A period is planned this long after it ended, so readings stamped at its end are in its figure. */
const GRACE_MS = 5 * 60_000;
/** Figures differing by less than this are the same figure (4 decimals are sent). */
const EPSILON = 5e-5;

/** Start of the period of a statType holding `t`. */
function periodStart(statType: PrpStatType, cal: BusinessCalendar, t: number): number {
  if (statType === '0') return Math.floor(t / SLOT_MS) * SLOT_MS;
  if (statType === '1') return cal.dayStart(t);
  if (statType === '2') return cal.monthStart(t);
  return cal.yearStart(t);
}

/**
 * The periods of a statType completed (GRACE_MS ago) before `now` still to upload, as consecutive boundaries: at most
 * the last BACKFILL ones (catching up after downtime), and none before the period preceding the one in
 * which the item was configured (a new daily item's first figure is yesterday's).
 */
export function duePoints(
  statType: PrpStatType,
  cal: BusinessCalendar,
  now: number,
  createdAt: number,
): number[] {
  const end = periodStart(statType, cal, now - GRACE_MS);
  const first = periodStart(statType, cal, periodStart(statType, cal, createdAt) - 1);
  const points = [end];
  for (let k = 0; k < BACKFILL[statType]; k++) {
    const prev = periodStart(statType, cal, points[0]! - 1);
    if (prev < first) break;
    points.unshift(prev);
  }
  return points.length > 1 ? points : [];
}

/** A failed retryable attempt: the job runner tries again with backoff. */
class RetryLater extends Error {}

/**
 * Uploads of seed 002 §5 on the job runner: operations 1/2 and every collect item's figure of every
 * completed period (planned by a 15-minute cron, never twice for (item, period, revision)), each sent
 * by a `provincial.send` job with retries, every attempt recorded (5.7); late data that changes an
 * uploaded figure queues exactly one correction (the next revision).
 */
export class UploadService {
  constructor(
    private readonly db: Db,
    private readonly repo: ProvincialRepository,
    private readonly config: ProvincialService,
    private readonly platform: ProvincialPlatform,
    private readonly metering: Pick<MeteringDeps, 'energy' | 'calendar'>,
    private readonly jobs: Jobs,
    private readonly clock: Clock,
    private readonly importing: (orgId: number) => Promise<boolean>,
    private readonly log: Logger,
  ) {}

  /** The `provincial.send` job: one attempt of one upload. Throws (→ retry) on a retryable failure. */
  async send(uploadId: number, retryCount: number): Promise<void> {
    const u = await this.repo.upload(uploadId);
    if (!u || u.state !== 'pending') return;
    const now = () => this.clock.now();
    if (u.operationType === 3 && (await this.repo.superseded(u))) {
      await this.repo.setState(this.db, u.id, 'superseded', now());
      return;
    }
    const target = await this.config.target(u.orgId).catch(() => null);
    if (!target) {
      await this.repo.setState(this.db, u.id, 'failed', now());
      return;
    }
    const attempt = await this.repo.startAttempt(u.id);
    const out = await this.attempt(u, target);
    const last = retryCount >= SEND_RETRY_LIMIT;
    await this.db.transaction(async (tx) => {
      await this.repo.recordExchange(tx, {
        orgId: u.orgId,
        uploadId: u.id,
        operationType: u.operationType,
        attempt,
        targetUrl: out.exchange.targetUrl,
        originalData: out.exchange.request,
        responseData: out.exchange.response,
        result: out.ok ? 1 : 0,
        uploadTime: now(),
      });
      if (out.ok) {
        await this.repo.setState(tx, u.id, 'sent', now());
        if (u.operationType === 2) await this.repo.saveVersion(u.orgId, out.value as PrpVersion, tx);
      } else if (!out.retryable || last) await this.repo.setState(tx, u.id, 'failed', now());
    });
    if (!out.ok) {
      this.log.warn({ orgId: u.orgId, uploadId: u.id, code: out.code, attempt }, 'provincial upload failed');
      if (out.retryable && !last) throw new RetryLater(`provincial upload ${u.id}: ${out.code}`);
    }
  }

  private async attempt(
    u: Upload,
    target: Awaited<ReturnType<ProvincialService['target']>>,
  ): Promise<Outcome<unknown>> {
    if (u.operationType === 2)
      return this.platform.updateVersion(target, u.payload as { enterpriseCode: string; region: string });
    if (u.operationType === 1)
      return this.platform.uploadEnterprise(
        target,
        u.payload as { dicVersion: string; infos: PrpOrganizationInfos; items: PlatformItem[] },
      );
    const item = (await this.repo.item(u.itemId!))!;
    const lists = await this.config.baseInfos(u.orgId);
    const tz = (await this.metering.calendar.rule(u.orgId)).tz;
    return this.platform.uploadData(target, {
      uploadId: `wd-${u.orgId}-${u.id}`,
      dicVersion: lists.dicVersion,
      rows: [
        {
          item: { itemNo: item.itemNo, config: item.config },
          statType: item.statType as PrpStatType,
          statDate: formatLocal(u.periodStart!, tz),
          value: u.value ?? 0,
          ratio: ratioOf(item, lists),
          revision: u.revision,
          valid: true,
        },
      ],
    });
  }

  /** The 15-minute cron: plans every organization's completed periods. */
  async planAll(): Promise<void> {
    for (const orgId of await this.repo.plannableOrgs()) {
      if (await this.importing(orgId)) continue;
      try {
        await this.planOrg(orgId);
      } catch (err) {
        this.log.error({ err, orgId }, 'provincial upload planning failed');
      }
    }
  }

  /**
   * Queues a figure for every active item's completed periods not queued before (the unique
   * (item, period, revision) makes a second run, or a retried one, queue nothing); answers the jobs.
   */
  async planOrg(orgId: number): Promise<string[]> {
    const items = await this.repo.activeItems(orgId);
    if (!items.length) return [];
    const cal = await this.metering.calendar.calendar(orgId);
    const now = this.clock.now();
    const figures: { item: Item; start: number; end: number; value: number }[] = [];
    for (const item of items) {
      const points = duePoints(item.statType as PrpStatType, cal, now.getTime(), item.createdAt.getTime());
      if (!points.length) continue;
      const values = (await this.metering.energy.meterSegments(orgId, [item.meterId], points)).get(
        item.meterId,
      );
      if (!values) continue;
      values.forEach((value, k) => figures.push({ item, start: points[k]!, end: points[k + 1]!, value }));
    }
    return this.db.transaction(async (tx) => {
      const jobs: string[] = [];
      for (const f of figures) {
        const id = await this.repo.createFigure(
          tx,
          {
            orgId,
            itemId: f.item.id,
            start: new Date(f.start),
            end: new Date(f.end),
            revision: 0,
            value: f.value,
          },
          now,
        );
        if (id === null) continue;
        const job = await this.jobs.sendInTx(tx, JOB_SEND, { uploadId: id }, { key: `prp-${id}` });
        if (job) jobs.push(job);
      }
      return jobs;
    });
  }

  /**
   * Late or corrected readings: every uploaded (or queued) figure whose period overlaps a changed hour
   * is computed again; one that differs gets the next revision, queued once (a redelivered event finds
   * the latest revision already equal and queues nothing).
   */
  async onReadings(events: DomainEvent[]): Promise<void> {
    const byOrg = new Map<number, number[]>();
    for (const e of events) {
      if (e.type !== 'readings.ingested' || e.orgId === null) continue;
      const hours = (e.payload as DomainEvent<'readings.ingested'>['payload']).hours.map((h) => h.hourStart);
      if (!hours.length) continue;
      let list = byOrg.get(e.orgId);
      if (!list) byOrg.set(e.orgId, (list = []));
      for (const h of hours) list.push(h);
    }
    for (const [orgId, hours] of byOrg) {
      let from = Infinity;
      let to = -Infinity;
      for (const h of hours) {
        from = Math.min(from, h);
        to = Math.max(to, h + 3_600_000);
      }
      const figures = (await this.repo.latestFigures(orgId, new Date(from), new Date(to))).filter((f) =>
        hours.some((h) => h < f.u.periodEnd!.getTime() && h + 3_600_000 > f.u.periodStart!.getTime()),
      );
      if (!figures.length) continue;
      const now = this.clock.now();
      const changed: { f: (typeof figures)[number]; value: number }[] = [];
      for (const f of figures) {
        const points = [f.u.periodStart!.getTime(), f.u.periodEnd!.getTime()];
        const value = (await this.metering.energy.meterSegments(orgId, [f.item.meterId], points)).get(
          f.item.meterId,
        )?.[0];
        if (value !== undefined && Math.abs(value - (f.u.value ?? 0)) >= EPSILON) changed.push({ f, value });
      }
      if (!changed.length) continue;
      await this.db.transaction(async (tx) => {
        for (const { f, value } of changed) {
          const id = await this.repo.createFigure(
            tx,
            {
              orgId,
              itemId: f.item.id,
              start: f.u.periodStart!,
              end: f.u.periodEnd!,
              revision: f.u.revision + 1,
              value,
            },
            now,
          );
          if (id !== null) await this.jobs.sendInTx(tx, JOB_SEND, { uploadId: id }, { key: `prp-${id}` });
        }
      });
    }
  }

  /** Demo import finished: the organization's completed periods are planned and sent right away. */
  async onImportFinished(events: DomainEvent[]): Promise<void> {
    for (const e of events) {
      if (e.orgId === null || !(await this.repo.connection(e.orgId))) continue;
      if ((await this.repo.org(e.orgId))?.infos == null) continue;
      for (const job of await this.planOrg(e.orgId)) await this.jobs.runNow(JOB_SEND, job).catch(() => false);
    }
  }
}

/** The factor a figure is converted with: the item's Real_zbckz, else the code list's zbckz. */
function ratioOf(item: Item, lists: PrpBaseInfos): string {
  return (
    item.config.Real_zbckz ?? lists.collectItem.find((c) => c.code === item.config.Energy_Code)?.zbckz ?? '1'
  );
}
