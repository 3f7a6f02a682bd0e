import { defineFeature } from '../../platform/contract';
import type { ReportsService } from './service';
import { buildReports } from './wiring';
import { reportRoutes } from './routes';

declare module '../../platform/contract' {
  interface FeatureApis {
    /** Reports 3.4: xlsx built from the 3.5 query, served to the organization that made them. */
    reports: ReportsService;
  }
}

export const reportsFeature = defineFeature('reports', (ctx) => {
  const { energy } = ctx.use('metering');
  const reports = buildReports(ctx.db, ctx.clock, ctx.use('accounts').accounts, {
    formDetailEnergy: (o, q) => energy.formDetailEnergy(o, q),
  });
  return { api: reports, routes: reportRoutes };
});
