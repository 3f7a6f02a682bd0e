/**
 * The platform of one process: the job runner (pg-boss), the events outbox and the feature registry.
 * Built by the container: `createPlatform` before the services that emit events, `attachFeatures` with
 * the feature modules, then `start`.
 */
import type { Config } from '@wattdesk/config';
import type { Database } from '../infra/db/client';
import type { Clock } from '../infra/clock';
import type { Logger } from '../infra/logger';
import type { FeatureModule, PlatformContext } from './contract';
import { OutboxEvents } from './events';
import { FeatureRegistry } from './features';
import { JobRunner } from './jobs';

export class Platform {
  readonly jobs: JobRunner;
  readonly events: OutboxEvents;
  private registryValue: FeatureRegistry | undefined;

  constructor(opts: { config: Config; database: Database; clock: Clock; log: Logger }) {
    const log = opts.log.child({ part: 'platform' });
    this.jobs = new JobRunner({
      database: opts.database,
      clock: opts.clock,
      log,
      schema: opts.config.WD_JOBS_SCHEMA,
      workers: opts.config.WD_JOB_WORKERS,
    });
    this.events = new OutboxEvents(opts.database, this.jobs, opts.clock, log, {
      scope: opts.config.WD_JOBS_SCHEMA,
      workers: opts.config.WD_JOB_WORKERS,
    });
    for (const job of this.events.platformJobs()) this.jobs.registerJob(job);
  }

  get registry(): FeatureRegistry {
    if (!this.registryValue) throw new Error('features not built yet');
    return this.registryValue;
  }

  /** Builds the feature modules (in order) with a context carrying this platform's events and jobs. */
  async attachFeatures(
    modules: readonly FeatureModule<string, unknown>[],
    base: Omit<PlatformContext, 'use' | 'events' | 'jobs'>,
  ): Promise<FeatureRegistry> {
    this.registryValue = await FeatureRegistry.build(
      modules,
      { ...base, events: this.events, jobs: this.jobs },
      { events: this.events, jobs: this.jobs },
    );
    return this.registryValue;
  }

  /** Starts the job runner (schema, queues, workers, cron), the event readers, then every feature in order. */
  async start(): Promise<void> {
    await this.jobs.start();
    await this.events.start();
    await this.registry.start();
  }

  /** Stops features in reverse order, then the event readers and the job runner (running work finishes first). */
  async stop(): Promise<void> {
    try {
      await this.registryValue?.stop();
    } finally {
      try {
        await this.events.stop();
      } finally {
        await this.jobs.stop();
      }
    }
  }

  // -------------------------------------------------------------------------------------------------
  // For tests: process what is committed, deterministically
  // -------------------------------------------------------------------------------------------------

  /**
   * Runs every due job of the named queues and every committed event of the named consumers (default:
   * all) in this call, until none is pending (retries run at once; delayed jobs wait for `runDue`).
   * Returns how many jobs and event deliveries ran.
   */
  async settle(names?: string[]): Promise<number> {
    const consumers = names ? names.filter((n) => this.events.hasConsumer(n)) : this.events.consumerNames();
    let total = 0;
    for (;;) {
      const n = (await this.jobs.drain(names)) + (await this.events.drain(consumers));
      total += n;
      if (!n) return total;
    }
  }

  /** Runs the queue's delayed jobs due at `at` (injected-clock time), then settles every queue. */
  async runDue(name: string, at: Date): Promise<number> {
    await this.jobs.promoteDue(name, at);
    return this.settle();
  }

  /** Runs one tick of a cron job now (and settles everything it caused). */
  async runCron(name: string): Promise<number> {
    await this.jobs.tick(name);
    return this.settle();
  }
}
