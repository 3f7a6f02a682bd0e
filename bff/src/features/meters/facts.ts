import { sql } from 'drizzle-orm';
import type { Db } from '../../infra/db/client';
import { sqlRows, type DbOrTx } from '../../infra/db/rows';

/** A meter with the machine it is on, for labels (alarm texts, notifications). */
export interface MeterLabel {
  id: number;
  name: string;
  machineId: number;
  machineName: string;
}

/** A meter as other features classify it. */
export interface MeterKind {
  id: number;
  name: string;
  /** 2.1 Meter_Type energy type (1 电, 2 水, …). */
  energyType: number;
  isVirtual: boolean;
  /** Hand-filled (Is_HandWork): its amounts come from 5.6. */
  isHandwork: boolean;
  isCount: boolean;
}

const ints = (ids: readonly number[]) => sql`${`{${ids.map((n) => Math.trunc(n)).join(',')}}`}::int[]`;

/**
 * Read-only facts of metering that other features need (`ctx.use('metering').facts`), org-scoped. Each
 * takes an optional transaction so a caller can read inside its own (on PGlite's one connection a read
 * beside an open transaction would wait for it).
 */
export class MeterFacts {
  constructor(private readonly db: Db) {}

  /** The organization's meters among `ids`, with their machines; another organization's are absent. */
  async labels(
    orgId: number,
    ids: readonly number[],
    db: DbOrTx = this.db,
  ): Promise<Map<number, MeterLabel>> {
    if (!ids.length) return new Map();
    const r = await sqlRows<{ id: number; name: string; machine_id: number; machine_name: string }>(
      db,
      sql`select m.id, m.name, m.machine_id, coalesce(s.name, '') as machine_name
          from meters m left join machines s on s.id = m.machine_id
          where m.org_id = ${orgId} and m.id = any(${ints(ids)})`,
    );
    return new Map(
      r.map((x) => [x.id, { id: x.id, name: x.name, machineId: x.machine_id, machineName: x.machine_name }]),
    );
  }

  /** The organization's meters with what other features classify them by (energy type 2.1, virtual, hand-filled 5.6). */
  async list(orgId: number, db: DbOrTx = this.db): Promise<MeterKind[]> {
    const r = await sqlRows<{
      id: number;
      name: string;
      energy_type: number;
      is_virtual: boolean;
      is_handwork: boolean;
      is_count: boolean;
    }>(
      db,
      sql`select id, name, energy_type, is_virtual, is_handwork, is_count from meters
          where org_id = ${orgId} order by id`,
    );
    return r.map((x) => ({
      id: x.id,
      name: x.name,
      energyType: Number(x.energy_type),
      isVirtual: x.is_virtual,
      isHandwork: x.is_handwork,
      isCount: x.is_count,
    }));
  }

  /**
   * Consumption of a meter in [hourStart, hourStart + 1 h): the readings' stored consumption (delta),
   * a reading stamping the end of its interval, so (start, end]; null without a reading in the hour.
   */
  async hourConsumption(meterId: number, hourStart: number, db: DbOrTx = this.db): Promise<number | null> {
    const from = new Date(hourStart).toISOString();
    const to = new Date(hourStart + 3_600_000).toISOString();
    const [r] = await sqlRows<{ amount: number | null; n: string | number }>(
      db,
      sql`select sum(delta) as amount, count(*) as n from readings
          where meter_id = ${meterId} and ts > ${from}::timestamptz and ts <= ${to}::timestamptz`,
    );
    return r && Number(r.n) > 0 ? Number(r.amount) : null;
  }
}
