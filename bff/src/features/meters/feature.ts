import { defineFeature } from '../../platform/contract';
import { demoData } from '../../demo/demo-data';
import { buildMetering, type MeteringDeps } from './wiring';
import { meteringRoutes } from './all-routes';

declare module '../../platform/contract' {
  interface FeatureApis {
    /** Metering (seed 002 §2–§5.6): machines, meters, readings ingest, energy, rates, calendar. */
    metering: MeteringDeps;
  }
}

export const meteringFeature = defineFeature('metering', (ctx) => {
  const metering = buildMetering(ctx.db, ctx.clock, ctx.config.WD_DATA_DIR, ctx.events);
  const { accounts } = ctx.use('accounts');
  const demo = demoData({
    accounts,
    rates: metering.rates,
    db: ctx.db,
    clock: ctx.clock,
    log: ctx.log,
    machines: metering.machines,
    meters: metering.meters,
    ingest: metering.ingest,
    manual: metering.manualData,
    events: ctx.events,
    foreground: ctx.foreground,
  });
  return {
    api: metering,
    routes: meteringRoutes,
    demo: demo.start,
    demoBackground: () => demo.background(),
    stop: () => demo.stop(),
  };
});
