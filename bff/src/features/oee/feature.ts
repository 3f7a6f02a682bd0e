import { defineFeature } from '../../platform/contract';
import { seedOeeDemo } from './demo';
import { OeeFactors, type ProductOutputs } from './factors';
import { OeeRepository } from './repository';
import { oeeRoutes } from './routes';
import { JOB_REBUILD, OeeService } from './service';
import { OeeStates } from './states';

/** What other features (and tests) may use of OEE. */
export interface OeeApi {
  service: OeeService;
  states: OeeStates;
  factors: OeeFactors;
}

declare module '../../platform/contract' {
  interface FeatureApis {
    oee: OeeApi;
  }
}

/**
 * Machine states and OEE (seed 002 §7, issue 13): status rules, the state timeline kept current from
 * committed readings, 7.5/7.6, and availability × performance × quality.
 */
export const oeeFeature = defineFeature('oee', (ctx) => {
  const { calendar } = ctx.use('metering');
  const { accounts } = ctx.use('accounts');
  // Outputs and products of §8 (the products feature is listed before this one).
  const productsApi = ctx.use('products');
  const products = (): ProductOutputs => productsApi;
  const repo = new OeeRepository(ctx.db);
  const states = new OeeStates(ctx.db, repo);
  const service = new OeeService(ctx.db, repo, ctx.jobs, calendar, ctx.clock);
  const factors = new OeeFactors(repo, service, calendar, products, ctx.clock);
  const productExists = (orgId: number, id: number) => productsApi.productExists(orgId, id);
  return {
    api: { service, states, factors },
    routes: oeeRoutes(service, factors, productExists),
    consumers: [
      {
        name: 'oee.states-from-readings',
        events: ['readings.ingested'],
        handle: (e) => states.onReadings(e),
      },
    ],
    jobs: [
      {
        name: JOB_REBUILD,
        handle: (d: { machineId: number }) => states.rebuild(d.machineId),
        defaults: { retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 600 },
      },
    ],
    demo: () =>
      seedOeeDemo(
        ctx.db,
        service,
        async (u) => (await accounts.userByName(u))?.orgId,
        productsApi,
        ctx.clock.now(),
      ),
  };
});
