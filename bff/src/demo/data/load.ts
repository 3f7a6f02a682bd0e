import { formatLocal } from '../../core/time';
import type { MachineCommand } from '../../features/machines/service';
import type { MeterCommand } from '../../features/meters/service';
import type { ManualCommand } from '../../features/readings/manual';
import { syntheticReadings } from './readings';
import type { DemoMeter, DemoSite, GeneratedReading } from './types';

/** The services a generated site is loaded through: the same ones the API uses. */
export interface LoadPorts {
  machines: { create(orgId: number, cmd: MachineCommand): Promise<{ id: number }> };
  meters: {
    create(orgId: number, cmd: MeterCommand): Promise<{ id: number }>;
    update(orgId: number, id: number, cmd: MeterCommand): Promise<void>;
  };
  ingest: {
    ingest(
      orgId: number,
      readings: readonly unknown[],
      source: 'bulk',
    ): Promise<{ accepted: number; rejected: number; errors: unknown[] }>;
  };
  manual: { record(orgId: number, cmd: ManualCommand): Promise<unknown> };
}

export interface LoadOptions {
  /** Readings per ingest call. */
  batch?: number;
  /** Extra readings (e.g. the steel meter's) to ingest after the synthetic ones. */
  extra?: readonly GeneratedReading[];
}

/**
 * Creates the site's machines and meters, records the meter swap and the hand-filled months through
 * the normal services. Returns meter key → id.
 */
export async function createSite(
  ports: LoadPorts,
  orgId: number,
  site: DemoSite,
): Promise<Map<string, number>> {
  const machineIds = new Map<string, number>();
  for (const m of site.machines) {
    const row = await ports.machines.create(orgId, {
      name: m.name,
      department: m.department,
      equipmentCode: m.equipmentCode,
      equipmentUnitCode: m.equipmentUnitCode,
    });
    machineIds.set(m.key, row.id);
  }
  const meterIds = new Map<string, number>();
  const command = (m: DemoMeter): MeterCommand => ({
    name: m.name,
    energyType: m.energyType,
    machineId: machineIds.get(m.machine)!,
    isTotal: m.isTotal,
    isCount: m.isCount,
    isHandwork: m.source === 'hand',
    isVirtual: m.source === 'virtual',
    formula: m.formula?.replace(/\{(\w+)\}/g, (_, key: string) => `[${meterIds.get(key)}]`),
    params: m.params,
    remarks:
      m.source === 'steel' ? '2018 年实测数据（UCI Steel Industry Energy Consumption, CC BY 4.0）' : '',
  });
  // Virtual meters last: their formulas name the others by id.
  const ordered = [...site.meters].sort(
    (a, b) => Number(a.source === 'virtual') - Number(b.source === 'virtual'),
  );
  for (const m of ordered) meterIds.set(m.key, (await ports.meters.create(orgId, command(m))).id);
  const rep = site.replacement;
  if (rep) {
    const meter = site.meters.find((m) => m.key === rep.meter)!;
    await ports.meters.update(orgId, meterIds.get(rep.meter)!, {
      ...command(meter),
      totalAmount: rep.oldTotal,
      replaceTime: formatLocal(new Date(rep.at), site.tz),
      startAmount: rep.newInitial,
    });
  }
  for (const h of site.handFilled)
    await ports.manual.record(orgId, {
      meterId: meterIds.get(h.meter)!,
      dateTime: h.month,
      dateType: 2,
      amount: h.amount,
    });
  return meterIds;
}

/** How a long import paces itself and reports progress (see the demo-data part). */
export interface ImportPacing {
  /** Readings of the sequence already imported: they are generated again but not sent. */
  from?: number;
  /** Readings in the next ingest call (asked before each one). */
  batchSize?(): number;
  /** After each committed batch: position reached in the sequence and the batch's duration (ms). */
  after?(done: number, ms: number): Promise<void>;
}

/**
 * Ingests every generated reading (then `extra`) through the ingest service in time order, so the
 * rollups are exactly what the API would build. The sequence is deterministic, so `pacing.from`
 * resumes an import stopped part-way (re-sent readings would change nothing anyway: idempotent on
 * (meter, ts)). Stops between batches when `signal` is aborted. Returns the position reached.
 */
export async function ingestSite(
  ports: Pick<LoadPorts, 'ingest'>,
  orgId: number,
  site: DemoSite,
  meterIds: Map<string, number>,
  opts: LoadOptions & { signal?: AbortSignal } & ImportPacing = {},
): Promise<number> {
  const from = opts.from ?? 0;
  const size = () => opts.batchSize?.() ?? opts.batch ?? 5000;
  let position = 0;
  let pending: unknown[] = [];
  const flush = async () => {
    if (!pending.length || opts.signal?.aborted) return;
    const started = performance.now();
    const res = await ports.ingest.ingest(orgId, pending, 'bulk');
    if (res.rejected) throw new Error(`demo readings rejected: ${JSON.stringify(res.errors.slice(0, 3))}`);
    pending = [];
    const ms = performance.now() - started;
    await opts.after?.(position, ms);
    // PGlite answers in microtasks only: without a macrotask turn here, a background load would starve
    // the event loop (no connection accepted) until it finished.
    await new Promise((resolve) => setImmediate(resolve));
  };
  const push = async (r: GeneratedReading) => {
    position++;
    if (position <= from) return;
    pending.push({ meter: meterIds.get(r.meter)!, ts: r.ts, total: r.total, params: r.params });
    if (pending.length >= size()) await flush();
  };
  for (const day of syntheticReadings(site)) {
    if (opts.signal?.aborted) return position - pending.length;
    for (const r of day) await push(r);
  }
  for (const r of opts.extra ?? []) await push(r);
  await flush();
  return opts.signal?.aborted ? position - pending.length : position;
}
