/**
 * The feature registry: builds every FeatureModule in order with a PlatformContext, collects their
 * routes, consumers and jobs, starts them in order and stops them in reverse.
 */
import type { RouteDef } from '../core/http/route';
import type { FeatureApis, FeatureModule, FeatureParts, PlatformContext } from './contract';
import type { OutboxEvents } from './events';
import type { JobRunner } from './jobs';

interface BuiltFeature {
  name: string;
  parts: FeatureParts;
}

export class FeatureRegistry {
  private readonly built: BuiltFeature[] = [];
  private readonly apis = new Map<string, unknown>();
  private startedCount = 0;

  private constructor() {}

  /**
   * Builds each module in order; `ctx.use(name)` answers the api of a feature built before it.
   * Registers consumers with the outbox and jobs with the runner (which must not have started yet).
   */
  static async build(
    modules: readonly FeatureModule<string, unknown>[],
    base: Omit<PlatformContext, 'use'>,
    platform: { events: OutboxEvents; jobs: JobRunner },
  ): Promise<FeatureRegistry> {
    const registry = new FeatureRegistry();
    for (const mod of modules) {
      if (registry.built.some((b) => b.name === mod.name))
        throw new Error(`feature ${mod.name} listed twice`);
      const ctx: PlatformContext = { ...base, use: (name) => registry.use(mod.name, name) };
      const parts = await mod.build(ctx);
      registry.built.push({ name: mod.name, parts });
      if (parts.api !== undefined) registry.apis.set(mod.name, parts.api);
      for (const c of parts.consumers ?? []) platform.events.subscribe(c);
      for (const j of parts.jobs ?? []) platform.jobs.registerJob(j);
    }
    return registry;
  }

  private use<K extends keyof FeatureApis>(by: string, name: K): FeatureApis[K] {
    if (!this.apis.has(name as string))
      throw new Error(
        `feature ${by} uses ${String(name)}, which is not built before it (or has no api): check the order in features/index.ts`,
      );
    return this.apis.get(name as string) as FeatureApis[K];
  }

  /** A built feature's api (for the container and tests). */
  api<K extends keyof FeatureApis>(name: K): FeatureApis[K] {
    return this.use('platform', name);
  }

  names(): string[] {
    return this.built.map((b) => b.name);
  }

  /** Every feature's routes, in build order. */
  routes(): RouteDef<any, any, any>[] {
    return this.built.flatMap((b) => b.parts.routes ?? []);
  }

  async readiness(): Promise<Record<string, string>> {
    const parts = await Promise.all(this.built.map((b) => b.parts.readiness?.() ?? Promise.resolve({})));
    return Object.assign({}, ...parts);
  }

  /** Starts features in build order; on a failure, stops those already started and rethrows. */
  async start(): Promise<void> {
    for (const b of this.built) {
      try {
        await b.parts.start?.();
      } catch (err) {
        await this.stop();
        throw new Error(`feature ${b.name} failed to start: ${(err as Error).message}`, { cause: err });
      }
      this.startedCount++;
    }
  }

  /** Stops started features in reverse order; every one is stopped even if another throws. */
  async stop(): Promise<void> {
    const errors: unknown[] = [];
    for (const b of this.built.slice(0, this.startedCount).reverse()) {
      try {
        await b.parts.stop?.();
      } catch (err) {
        errors.push(err);
      }
    }
    this.startedCount = 0;
    if (errors.length) throw errors[0];
  }

  /** Demo hooks in build order; their banner lines. */
  async demo(): Promise<string[]> {
    const lines: string[] = [];
    for (const b of this.built) if (b.parts.demo) lines.push(...(await b.parts.demo()));
    return lines;
  }
}
