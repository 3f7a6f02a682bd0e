import { defineFeature } from '../../platform/contract';
import { seedProductsDemo } from './demo';
import { ProductsRepository } from './repository';
import { productRoutes } from './routes';
import { ProductsService, type ProductsApi } from './service';

declare module '../../platform/contract' {
  interface FeatureApis {
    /** Products, outputs and batches (seed 002 §8) and the standard-coal factors. */
    products: ProductsApi;
  }
}

/**
 * Products, outputs, batches (seed 002 §8.1–8.8, 8.10–8.13), unit consumption statistics (8.9, 8.14)
 * and the per-organization standard-coal factors (折标系数). Energy comes from the metering feature's
 * api (`energy.machineSegments`), the business calendar from `metering.calendar`.
 */
export const productsFeature = defineFeature('products', (ctx) => {
  const metering = ctx.use('metering');
  const repo = new ProductsRepository(ctx.db);
  const service = new ProductsService(repo, metering, ctx.clock);
  const api: ProductsApi = {
    outputsInRange: (o, m, f, t) => service.outputsInRange(o, m, f, t),
    factors: (o) => service.factors(o),
    productExists: (o, id) => service.productExists(o, id),
    productNames: (o, ids) => service.productNames(o, ids),
  };
  return {
    api,
    routes: productRoutes(service),
    demo: () =>
      seedProductsDemo({ db: ctx.db, clock: ctx.clock, calendar: metering.calendar, service, repo }),
  };
});
