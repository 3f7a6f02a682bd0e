import type { PvRegion } from '@wattdesk/shared';

/** §4.1 regional gateways: API host and OAuth web host per `cloudId`. */
export const GATEWAYS: Record<PvRegion, { api: string; web: string }> = {
  1: { api: 'https://gateway.isolarcloud.com', web: 'https://web3.isolarcloud.com' },
  2: { api: 'https://gateway.isolarcloud.com.hk', web: 'https://web3.isolarcloud.com.hk' },
  3: { api: 'https://gateway.isolarcloud.eu', web: 'https://web3.isolarcloud.eu' },
  7: { api: 'https://augateway.isolarcloud.com', web: 'https://auweb3.isolarcloud.com' },
};

/** Where a region's calls go: the override (with `{cloudId}` filled in) or the documented host. */
export function gatewayOf(
  region: PvRegion,
  overrides: { api?: string; web?: string } = {},
): { api: string; web: string } {
  const fill = (t: string) => t.replaceAll('{cloudId}', String(region)).replace(/\/+$/, '');
  return {
    api: overrides.api ? fill(overrides.api) : GATEWAYS[region].api,
    web: overrides.web ? fill(overrides.web) : GATEWAYS[region].web,
  };
}
