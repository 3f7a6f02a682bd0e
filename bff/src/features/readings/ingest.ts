import type { ReadingError } from '@wattdesk/shared';
import type { Db } from '../../infra/db/client';
import type { Clock } from '../../infra/clock';
import type { DomainEventTypes, Events } from '../../platform/contract';
import type { CalendarService } from '../calendar/service';
import { lockMeters, lockOrgCalendar } from '../calendar/locks';
import { mergeReadings, type MeterReading } from './deltas';
import type { ReadingPartitions } from './partitions';
import type { IngestMeter, ReadingsRepository, Tx } from './repository';
import { baseAt, checkMeter, checkShape, keepPlausible, type ValidReading } from './validate';

const FAR_FUTURE = Date.UTC(9999, 0, 1);
const HOUR_MS = 3_600_000;

/** Where a batch came from (carried on the `readings.ingested` event). */
export type IngestSource = DomainEventTypes['readings.ingested']['source'];

/**
 * Batches of at least this many checked readings take the bulk path: their new rows are COPYed into
 * `readings` instead of upserted (`store`). Both paths run the same checks and the same merge and store
 * exactly the same rows and rollups (bulk.int.test.ts).
 */
export const BULK_THRESHOLD = 1_000;

/** Which path stores a batch: chosen by size, or forced (tests, loaders that know their batches). */
export type IngestPath = 'auto' | 'row' | 'bulk';

type ParamDiff = { m: number; b: number; k: string; s: number; n: number };

/** The answer to one batch: how many readings were kept, and each rejected one by position. */
export interface IngestResult {
  accepted: number;
  rejected: number;
  errors: ReadingError[];
}

/**
 * The one way readings enter the system (HTTP batch endpoint, MQTT `wd/{uid}/readings`, demo data).
 *
 * `ingest(orgId, readings)` takes raw readings `{ meter, ts, total, params? }` exactly as
 * device-protocol.md shows them (meter = 002 meter id, ts = epoch ms, total = cumulative register,
 * params = instantaneous values), checks each one, and stores the good ones in one transaction,
 * keeping every rollup current. It resolves only after that transaction committed: an answer means
 * durable. Idempotent on (meter, ts): a re-sent reading changes nothing; a corrected or late one
 * re-derives every affected consumption figure. Bad readings (unknown or foreign or virtual meter,
 * non-numeric or out-of-range values, timestamps before 2000 or more than an hour ahead, and registers
 * that are implausible against their neighbours: `keepPlausible` in validate.ts) are returned by position
 * and change nothing; the rest of the batch is kept. Within a batch the last reading for a
 * (meter, ts) wins.
 */
export class IngestService {
  constructor(
    private readonly db: Db,
    private readonly repo: ReadingsRepository,
    private readonly partitions: ReadingPartitions,
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
    private readonly events: Events,
  ) {}

  /**
   * Ingests a batch for an organization; see the class comment for the guarantees. The kept readings
   * are announced as one `readings.ingested` event from `source`, in the same transaction. Large
   * batches take the bulk path (`BULK_THRESHOLD`) unless `opts.path` forces one.
   */
  async ingest(
    orgId: number,
    readings: readonly unknown[],
    source: IngestSource,
    opts: { path?: IngestPath } = {},
  ): Promise<IngestResult> {
    const now = this.clock.now().getTime();
    const errors: ReadingError[] = [];
    const shaped: ValidReading[] = [];
    readings.forEach((raw, i) => {
      const r = checkShape(raw, i, now);
      if ('field' in r) errors.push(r);
      else shaped.push(r);
    });
    let accepted = 0;
    if (shaped.length) {
      await this.partitions.ensure(shaped.map((r) => r.ts));
      const path = opts.path ?? 'auto';
      const bulk = path === 'bulk' || (path === 'auto' && shaped.length >= BULK_THRESHOLD);
      accepted = await this.store(orgId, shaped, errors, source, bulk);
    }
    errors.sort((a, b) => a.index - b.index);
    return { accepted, rejected: errors.length, errors };
  }

  /**
   * Re-derives a meter's consumption from `from` (epoch ms) on, inside the caller's transaction (which
   * holds the meter's lock): after a replacement was recorded or its roll-over value changed.
   */
  async recomputeIn(tx: Tx, orgId: number, meterId: number, from: number): Promise<void> {
    const meter = (await this.repo.meters(tx, orgId, [meterId])).get(meterId);
    if (!meter || meter.isVirtual) return;
    const rule = await this.calendar.rule(orgId, tx);
    const stored =
      (await this.repo.around(tx, [{ m: meterId, lo: from, hi: FAR_FUTURE }])).get(meterId) ?? [];
    const incoming = stored
      .filter((r) => r.ts >= from)
      .map((r) => ({ ts: r.ts, total: r.total, base: baseAt(meter, r.ts), params: r.params }));
    if (!incoming.length) return;
    const merged = mergeReadings(stored, incoming, meter.registerMax);
    await this.repo.writeReadings(
      tx,
      merged.writes.map((w) => ({ ...w, m: meterId })),
    );
    const fine = [...merged.fine].filter(([, v]) => v !== 0).map(([b, v]) => ({ m: meterId, b, v }));
    await this.repo.addEnergy(tx, fine, rule);
  }

  /**
   * Checks meters and stores the readings in one transaction; returns how many were kept. Both paths
   * run the same checks and the same merge (`mergeReadings`: every delta the batch can change, worked
   * out against the stored neighbours read under the meters' locks); they differ only in how rows reach
   * `readings`: the bulk path COPYs the rows that are new (none of them can exist: the meters are locked
   * and `around` read every stored reading in their span) straight into the partitioned table and
   * upserts only the stored rows it changes; the row path upserts all of them in one statement.
   */
  private async store(
    orgId: number,
    shaped: ValidReading[],
    errors: ReadingError[],
    source: IngestSource,
    bulk: boolean,
  ): Promise<number> {
    return this.db.transaction(async (tx) => {
      await lockOrgCalendar(tx, orgId, 'shared');
      const ids = [...new Set(shaped.map((r) => r.meter))];
      await lockMeters(tx, ids);
      // Meters (and their register epochs) are read under their locks, so a replacement cannot interleave.
      const meters = await this.repo.meters(tx, orgId, ids);
      const valid = keepValid(shaped, meters, errors);
      if (!valid.kept) return 0;
      const stored = await this.repo.around(tx, rangesOf(valid.byMeter));
      const { byMeter, refused } = keepPlausibleAll(valid.byMeter, meters, stored, errors);
      const kept = valid.kept - refused;
      if (!byMeter.size) return 0;
      const txRule = await this.calendar.rule(orgId, tx);
      const fresh: (MeterReading & { m: number })[] = [];
      const changed: (MeterReading & { m: number })[] = [];
      const fine: { m: number; b: number; v: number }[] = [];
      const params: ParamDiff[] = [];
      for (const [m, rs] of byMeter) {
        const meter = meters.get(m)!;
        const plausible = [...rs.values()].sort((a, b) => a.ts - b.ts);
        const incoming = plausible.map((r) => ({
          ts: r.ts,
          total: r.total,
          base: baseAt(meter, r.ts),
          params: r.params,
        }));
        const before = stored.get(m) ?? [];
        const merged = mergeReadings(before, incoming, meter.registerMax);
        const known = new Set(before.map((r) => r.ts));
        for (const w of merged.writes) (known.has(w.ts) ? changed : fresh).push({ ...w, m });
        for (const [b, v] of merged.fine) if (v !== 0) fine.push({ m, b, v });
        for (const [b, names] of merged.params)
          for (const [k, acc] of names)
            if (acc.n !== 0 || acc.sum !== 0) params.push({ m, b, k, s: acc.sum, n: acc.n });
        const seen = new Set<string>();
        for (const r of plausible) for (const k of Object.keys(r.params ?? {})) seen.add(k);
        const names = [...seen].filter((k) => !meter.params.includes(k));
        if (names.length) await this.repo.addParamNames(tx, m, names);
      }
      if (bulk) {
        await this.repo.copyReadings(tx, fresh);
        await this.repo.writeReadings(tx, changed);
      } else {
        await this.repo.writeReadings(tx, [...fresh, ...changed]);
      }
      await this.repo.addEnergy(tx, fine, txRule, new Map([...meters].map(([id, m]) => [id, m.prices])));
      await this.repo.addParams(tx, params, txRule);
      await this.emitIngested(tx, orgId, source, byMeter, fine);
      return kept;
    });
  }

  /** One `readings.ingested` event for a batch: its kept readings and the hours whose consumption changed. */
  private async emitIngested(
    tx: Tx,
    orgId: number,
    source: IngestSource,
    byMeter: Map<number, Map<number, ValidReading>>,
    fine: { m: number; b: number }[],
  ): Promise<void> {
    const hours = new Map(fine.map(({ m, b }) => [`${m}:${Math.floor(b / HOUR_MS)}`, { m, b }]));
    await this.events.emit(tx, 'readings.ingested', orgId, {
      source,
      readings: [...byMeter].flatMap(([meterId, rs]) =>
        [...rs.values()].map((r) => ({ meterId, ts: r.ts, total: r.total, params: r.params ?? null })),
      ),
      hours: [...hours.values()].map(({ m, b }) => ({
        meterId: m,
        hourStart: Math.floor(b / HOUR_MS) * HOUR_MS,
      })),
    });
  }
}

/**
 * The readings whose meter takes them (the others go to `errors`), by meter and ts: the last reading
 * for a (meter, ts) in the batch wins.
 */
function keepValid(
  shaped: ValidReading[],
  meters: Map<number, IngestMeter>,
  errors: ReadingError[],
): { byMeter: Map<number, Map<number, ValidReading>>; kept: number } {
  const byMeter = new Map<number, Map<number, ValidReading>>();
  let kept = 0;
  for (const r of shaped) {
    const e = checkMeter(r, meters.get(r.meter));
    if (e) {
      errors.push(e);
      continue;
    }
    kept++;
    let m = byMeter.get(r.meter);
    if (!m) byMeter.set(r.meter, (m = new Map()));
    m.set(r.ts, r);
  }
  return { byMeter, kept };
}

/** Each meter's time span in a batch (the stored neighbours `around` reads). */
function rangesOf(byMeter: Map<number, Map<number, ValidReading>>): { m: number; lo: number; hi: number }[] {
  return [...byMeter].map(([m, rs]) => {
    const ts = [...rs.keys()];
    return { m, lo: Math.min(...ts), hi: Math.max(...ts) };
  });
}

/**
 * The readings that pass the plausibility rule against their stored neighbours (`keepPlausible`; the
 * others go to `errors`), by meter and ts, and how many were refused. Both paths store exactly these.
 */
function keepPlausibleAll(
  byMeter: Map<number, Map<number, ValidReading>>,
  meters: Map<number, IngestMeter>,
  stored: Awaited<ReturnType<ReadingsRepository['around']>>,
  errors: ReadingError[],
): { byMeter: Map<number, Map<number, ValidReading>>; refused: number } {
  const out = new Map<number, Map<number, ValidReading>>();
  let refused = 0;
  for (const [m, rs] of byMeter) {
    const plausible = keepPlausible(meters.get(m)!, stored.get(m) ?? [], [...rs.values()], errors);
    refused += rs.size - plausible.length;
    if (plausible.length) out.set(m, new Map(plausible.map((r) => [r.ts, r])));
  }
  return { byMeter: out, refused };
}
