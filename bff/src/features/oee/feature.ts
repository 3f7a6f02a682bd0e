import { defineFeature, type PlatformContext } from '../../platform/contract';
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
 * The products feature's outputs, when it is registered. TEMPORARY
 * adapter while products is built in parallel: without it, performance and quality answer 无数据.
 */
function productOutputs(ctx: PlatformContext): ProductOutputs | null {
  try {
    const api = (ctx.use as (name: string) => unknown)('products') as Partial<ProductOutputs> | undefined;
    return api && typeof api.outputsInRange === 'function' ? (api as ProductOutputs) : null;
  } catch {
    return null;
  }
}

/**
 * Machine states and OEE (seed 002 §7, issue 13): status rules, the state timeline kept current from
 * committed readings, 7.5/7.6, and availability × performance × quality.
 */
export const oeeFeature = defineFeature('oee', (ctx) => {
  const { calendar } = ctx.use('metering');
  const { accounts } = ctx.use('accounts');
  // Resolved per call: a products feature listed (or, in tests, added) after this one is found too.
  const products = () => productOutputs(ctx);
  const repo = new OeeRepository(ctx.db);
  const states = new OeeStates(ctx.db, repo);
  const service = new OeeService(ctx.db, repo, ctx.jobs, calendar, ctx.clock);
  const factors = new OeeFactors(repo, service, calendar, products, ctx.clock);
  const productExists = async (orgId: number, id: number) => {
    const p = products();
    return p?.productExists ? p.productExists(orgId, id) : false;
  };
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
    demo: () => seedOeeDemo(ctx.db, service, async (u) => (await accounts.userByName(u))?.orgId),
  };
});
