import type { RouteDef } from '../core/http/route';
import type { ApiDocs } from '../core/http/openapi';
import { accountRoutes } from './accounts/routes';
import { healthRoutes } from './health/routes';
import { docsRoutes } from './docs/routes';
import { devicesRoutes } from './devices/routes';
import { wechatRoutes } from './wechat/routes';
import { regionRoutes } from './regions/routes';
import { wechatSimRoutes } from './h5/wechat-sim';
import { meteringRoutes } from './meters/all-routes';
import { reportRoutes } from './reports/routes';
import type { FeatureModule } from '../platform/contract';
import { alarmsFeature } from './alarms/feature';
import { demoImportFeature } from './demo-import/feature';
import { productsFeature } from './products/feature';
import { oeeFeature } from './oee/feature';
import { paymentsFeature } from './payments/feature';
import { chargingFeature } from './charging/feature';

/**
 * Feature modules (bff/src/platform/contract.ts), built, started and given `ctx.use` in this order;
 * their routes are mounted after `allRoutes`. One line per feature.
 */
export const featureModules: FeatureModule<string, any>[] = [
  demoImportFeature,
  productsFeature,
  alarmsFeature,
  oeeFeature,
  paymentsFeature,
  chargingFeature,
];

/**
 * Deprecated and unused: the core features mount their routes as FeatureModules (features/core.ts).
 * Kept only so branches that still add a line here merge cleanly; move such routes into a feature.ts.
 */
export function allRoutes(docs: ApiDocs): RouteDef<any, any, any>[] {
  return [
    ...healthRoutes,
    ...accountRoutes,
    ...wechatRoutes,
    ...regionRoutes,
    ...devicesRoutes,
    ...meteringRoutes,
    ...reportRoutes,
    ...wechatSimRoutes,
    ...docsRoutes(docs),
  ];
}
