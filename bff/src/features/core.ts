import type { FeatureModule } from '../platform/contract';
import { accountsFeature } from './accounts/feature';
import { devicesFeature } from './devices/feature';
import type { DevicesOptions } from './devices/wiring';
import { docsFeature } from './docs/feature';
import { h5Feature } from './h5/feature';
import { healthFeature } from './health/feature';
import { meteringFeature } from './meters/feature';
import { regionsFeature } from './regions/feature';
import { reportsFeature } from './reports/feature';
import { wechatFeature } from './wechat/feature';

/**
 * The features every later one builds on, in build order (`ctx.use` reaches only earlier ones; routes
 * appear in the API reference in this order). The feature modules of `features/index.ts` follow them.
 */
export function coreFeatures(opts: { devices?: DevicesOptions } = {}): FeatureModule<string, any>[] {
  return [
    healthFeature,
    accountsFeature,
    wechatFeature,
    regionsFeature,
    meteringFeature,
    reportsFeature,
    devicesFeature(opts.devices),
    h5Feature,
    docsFeature,
  ];
}
