import { syntheticReadings } from '../../bff/src/demo/data/readings';
import type { DemoSite, GeneratedReading } from '../../bff/src/demo/data/types';
import type { Api } from './client';

/** Creates the site's machines and metered meters through the API (2.6, 2.1); meter key → id. */
export async function createSiteOverHttp(api: Api, site: DemoSite): Promise<Map<string, number>> {
  const machineIds = new Map<string, number>();
  for (const m of site.machines) {
    const res = await api.call('POST', '/api_3/metersuperiors', {
      Meter_Superior: m.name,
      Meter_Department: m.department,
      equipmentCode: m.equipmentCode,
      equipmentUnitCode: m.equipmentUnitCode,
    });
    machineIds.set(m.key, Number(res.Data[0].id));
  }
  const meterIds = new Map<string, number>();
  for (const m of site.meters) {
    const res = await api.call('POST', '/api_3/meters', {
      Meter_Name: m.name,
      Meter_Type: String(m.energyType),
      Meter_Superior_id: machineIds.get(m.machine),
      Meter_IsCount: m.isCount ? '1' : '0',
      Meter_IsTotal: m.isTotal ? '1' : '0',
      Meter_Parameter: m.params.join(','),
    });
    meterIds.set(m.key, Number(res.Data[0].id));
  }
  return meterIds;
}

/**
 * The site's readings split into `gateways` streams (each owns a share of the meters and sends them in
 * time order, as a real gateway does), cut into batches of `batch` readings with database meter ids.
 */
export function* gatewayBatches(
  site: DemoSite,
  ids: Map<string, number>,
  gateways: number,
  batch: number,
  keep: (r: GeneratedReading) => boolean = () => true,
): Generator<{ gateway: number; readings: unknown[] }> {
  const owner = new Map(site.meters.map((m, i) => [m.key, i % gateways]));
  const pending: unknown[][] = Array.from({ length: gateways }, () => []);
  for (const day of syntheticReadings(site)) {
    for (const r of day) {
      if (!keep(r)) continue;
      const g = owner.get(r.meter)!;
      pending[g]!.push(wire(r, ids));
      if (pending[g]!.length >= batch) {
        yield { gateway: g, readings: pending[g]! };
        pending[g] = [];
      }
    }
  }
  for (let g = 0; g < gateways; g++) if (pending[g]!.length) yield { gateway: g, readings: pending[g]! };
}

const wire = (r: GeneratedReading, ids: Map<string, number>) => ({
  meter: ids.get(r.meter)!,
  ts: r.ts,
  total: r.total,
  params: r.params,
});
