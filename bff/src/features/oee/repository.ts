import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../infra/db/client';
import type { Tx } from '../../platform/contract';
import type { Point, Segment } from './timeline';

type Conn = Db | Tx;

async function rows<T>(db: Conn, q: SQL): Promise<T[]> {
  return ((await db.execute(q)) as unknown as { rows: T[] }).rows;
}
const ints = (ids: readonly number[]) => sql`${`{${ids.map((n) => Math.trunc(n)).join(',')}}`}::int[]`;
const at = (ms: number) => sql`${new Date(ms).toISOString()}::timestamptz`;
const epoch = (col: string) => sql.raw(`(extract(epoch from ${col}) * 1000)::float8`);

// Advisory-lock namespace of a machine's states (points and runs are written under it).
const MACHINE_NS = 7_305_001;

export interface RuleRow {
  id: number;
  orgId: number;
  machineId: number;
  meterId: number;
  param: string;
  name: string;
  statusName: string;
  lower: number;
  upper: number;
  isRunning: boolean;
  isPlannedStop: boolean;
  meterName: string;
  machineName: string;
}
export type NewRule = Omit<RuleRow, 'id' | 'orgId' | 'meterName' | 'machineName'>;

interface RawRule {
  id: number;
  org_id: number;
  machine_id: number;
  meter_id: number;
  param: string;
  name: string;
  status_name: string;
  lower_limit: number;
  upper_limit: number;
  is_running: boolean;
  is_planned_stop: boolean;
  meter_name: string;
  machine_name: string;
}
const ruleOf = (r: RawRule): RuleRow => ({
  id: Number(r.id),
  orgId: Number(r.org_id),
  machineId: Number(r.machine_id),
  meterId: Number(r.meter_id),
  param: r.param,
  name: r.name,
  statusName: r.status_name,
  lower: Number(r.lower_limit),
  upper: Number(r.upper_limit),
  isRunning: r.is_running,
  isPlannedStop: r.is_planned_stop,
  meterName: r.meter_name,
  machineName: r.machine_name,
});
const ruleSelect = sql`select r.*, coalesce(m.name, '') as meter_name, coalesce(s.name, '') as machine_name
  from oee_rules r left join meters m on m.id = r.meter_id left join machines s on s.id = r.machine_id`;

export interface Settings {
  readingInterval: number;
  offlineIntervals: number;
}
export const DEFAULT_SETTINGS: Settings = { readingInterval: 900, offlineIntervals: 3 };

export interface IdealRateRow {
  id: number;
  machineId: number;
  productId: number;
  rate: number;
}

/** SQL of the OEE feature. Every query of organization data takes the caller's `orgId`. */
export class OeeRepository {
  constructor(readonly db: Db) {}

  // ------------------------------------------------------------------------------------------------
  // rules
  // ------------------------------------------------------------------------------------------------

  async listRules(
    orgId: number,
    f: { id?: number; machineId?: number },
    limit: number,
    offset: number,
  ): Promise<{ items: RuleRow[]; total: number }> {
    const where = sql`r.org_id = ${orgId}
      ${f.id ? sql`and r.id = ${f.id}` : sql``}
      ${f.machineId ? sql`and r.machine_id = ${f.machineId}` : sql``}`;
    const [n] = await rows<{ n: string | number }>(
      this.db,
      sql`select count(*) as n from oee_rules r where ${where}`,
    );
    const items = await rows<RawRule>(
      this.db,
      sql`${ruleSelect} where ${where} order by r.id limit ${limit} offset ${offset}`,
    );
    return { items: items.map(ruleOf), total: Number(n?.n ?? 0) };
  }

  async findRule(orgId: number, id: number, db: Conn = this.db): Promise<RuleRow | null> {
    const [r] = await rows<RawRule>(db, sql`${ruleSelect} where r.org_id = ${orgId} and r.id = ${id}`);
    return r ? ruleOf(r) : null;
  }

  async machineRules(machineId: number, db: Conn = this.db): Promise<RuleRow[]> {
    const r = await rows<RawRule>(db, sql`${ruleSelect} where r.machine_id = ${machineId} order by r.id`);
    return r.map(ruleOf);
  }

  async insertRule(tx: Tx, orgId: number, v: NewRule): Promise<number> {
    const [r] = await rows<{ id: number }>(
      tx,
      sql`insert into oee_rules (org_id, machine_id, meter_id, param, name, status_name, lower_limit,
            upper_limit, is_running, is_planned_stop)
          values (${orgId}, ${v.machineId}, ${v.meterId}, ${v.param}, ${v.name}, ${v.statusName}, ${v.lower},
            ${v.upper}, ${v.isRunning}, ${v.isPlannedStop})
          returning id`,
    );
    return Number(r!.id);
  }

  async updateRule(tx: Tx, orgId: number, id: number, v: NewRule): Promise<void> {
    await tx.execute(
      sql`update oee_rules set machine_id = ${v.machineId}, meter_id = ${v.meterId}, param = ${v.param},
            name = ${v.name}, status_name = ${v.statusName}, lower_limit = ${v.lower}, upper_limit = ${v.upper},
            is_running = ${v.isRunning}, is_planned_stop = ${v.isPlannedStop}
          where org_id = ${orgId} and id = ${id}`,
    );
  }

  async deleteRule(tx: Tx, orgId: number, id: number): Promise<void> {
    await tx.execute(sql`delete from oee_rules where org_id = ${orgId} and id = ${id}`);
  }

  /** The meter's machine, when the meter is the organization's. */
  async meterMachine(orgId: number, meterId: number, db: Conn = this.db): Promise<number | null> {
    const [r] = await rows<{ machine_id: number }>(
      db,
      sql`select machine_id from meters where org_id = ${orgId} and id = ${meterId}`,
    );
    return r ? Number(r.machine_id) : null;
  }

  async machineName(orgId: number, machineId: number, db: Conn = this.db): Promise<string | null> {
    const [r] = await rows<{ name: string }>(
      db,
      sql`select name from machines where org_id = ${orgId} and id = ${machineId}`,
    );
    return r ? r.name : null;
  }

  /** Machines (with their organization) that have rules on any of these meters. */
  async machinesOfMeters(meterIds: readonly number[]): Promise<{ machineId: number; meterId: number }[]> {
    if (!meterIds.length) return [];
    const r = await rows<{ machine_id: number; meter_id: number }>(
      this.db,
      sql`select distinct machine_id, meter_id from oee_rules where meter_id = any(${ints(meterIds)})`,
    );
    return r.map((x) => ({ machineId: Number(x.machine_id), meterId: Number(x.meter_id) }));
  }

  /** Parameters of the meters' readings at these instants. */
  async readingsAt(
    tx: Conn,
    meterIds: readonly number[],
    instants: readonly number[],
  ): Promise<{ meterId: number; ts: number; params: Record<string, number> | null }[]> {
    if (!meterIds.length || !instants.length) return [];
    const list = `{${instants.map((t) => new Date(t).toISOString()).join(',')}}`;
    const r = await rows<{ meter_id: number; t: number; params: Record<string, number> | null }>(
      tx,
      sql`select meter_id, ${epoch('ts')} as t, params from readings
          where meter_id = any(${ints(meterIds)}) and ts = any(${list}::timestamptz[])`,
    );
    return r.map((x) => ({ meterId: Number(x.meter_id), ts: Number(x.t), params: x.params }));
  }

  /** Every reading instant (with parameters) of the meters, oldest first, in slices of `[from, to)`. */
  async readingsBetween(
    tx: Conn,
    meterIds: readonly number[],
    from: number,
    limit: number,
  ): Promise<{ meterId: number; ts: number; params: Record<string, number> | null }[]> {
    if (!meterIds.length) return [];
    const r = await rows<{ meter_id: number; t: number; params: Record<string, number> | null }>(
      tx,
      sql`select meter_id, ${epoch('ts')} as t, params from readings
          where meter_id = any(${ints(meterIds)}) and ts >= ${at(from)}
          order by ts, meter_id limit ${limit}`,
    );
    return r.map((x) => ({ meterId: Number(x.meter_id), ts: Number(x.t), params: x.params }));
  }

  // ------------------------------------------------------------------------------------------------
  // points and runs (under the machine's lock)
  // ------------------------------------------------------------------------------------------------

  async lockMachine(tx: Tx, machineId: number): Promise<void> {
    await tx.execute(sql`select pg_advisory_xact_lock(${MACHINE_NS}, ${machineId})`);
  }

  async upsertPoints(tx: Tx, machineId: number, points: readonly Point[]): Promise<void> {
    if (!points.length) return;
    const json = JSON.stringify(points.map((p) => ({ ts: new Date(p.ts).toISOString(), status: p.status })));
    await tx.execute(
      sql`insert into oee_points (machine_id, ts, status)
          select ${machineId}, x.ts, x.status from jsonb_to_recordset(${json}::jsonb) as x(ts timestamptz, status text)
          on conflict (machine_id, ts) do update set status = excluded.status`,
    );
  }

  async deleteStates(tx: Tx, machineId: number): Promise<void> {
    await tx.execute(sql`delete from oee_points where machine_id = ${machineId}`);
    await tx.execute(sql`delete from oee_runs where machine_id = ${machineId}`);
  }

  async pointsIn(tx: Conn, machineId: number, from: number, to: number): Promise<Point[]> {
    const r = await rows<{ t: number; status: string }>(
      tx,
      sql`select ${epoch('ts')} as t, status from oee_points
          where machine_id = ${machineId} and ts >= ${at(from)} and ts < ${at(to)} order by ts`,
    );
    return r.map((x) => ({ ts: Number(x.t), status: x.status }));
  }

  async pointBefore(tx: Conn, machineId: number, t: number): Promise<number | null> {
    const [r] = await rows<{ t: number }>(
      tx,
      sql`select ${epoch('ts')} as t from oee_points where machine_id = ${machineId} and ts < ${at(t)}
          order by ts desc limit 1`,
    );
    return r ? Number(r.t) : null;
  }

  async pointAfter(tx: Conn, machineId: number, t: number): Promise<number | null> {
    const [r] = await rows<{ t: number }>(
      tx,
      sql`select ${epoch('ts')} as t from oee_points where machine_id = ${machineId} and ts > ${at(t)}
          order by ts limit 1`,
    );
    return r ? Number(r.t) : null;
  }

  async firstPoint(machineId: number, db: Conn = this.db): Promise<number | null> {
    const [r] = await rows<{ t: number | null }>(
      db,
      sql`select ${epoch('min(ts)')} as t from oee_points where machine_id = ${machineId}`,
    );
    return r?.t === null || r?.t === undefined ? null : Number(r.t);
  }

  /** Runs overlapping or touching [from, to], oldest first. */
  async runsTouching(tx: Conn, machineId: number, from: number, to: number): Promise<Segment[]> {
    const r = await rows<{ s: number; e: number; status: string }>(
      tx,
      sql`select ${epoch('start_ts')} as s, ${epoch('end_ts')} as e, status from oee_runs
          where machine_id = ${machineId} and start_ts <= ${at(to)} and end_ts >= ${at(from)}
          order by start_ts`,
    );
    return r.map((x) => ({ start: Number(x.s), end: Number(x.e), status: x.status }));
  }

  /** Runs overlapping [from, to), oldest first. */
  async runsIn(machineId: number, from: number, to: number, db: Conn = this.db): Promise<Segment[]> {
    const r = await rows<{ s: number; e: number; status: string }>(
      db,
      sql`select ${epoch('start_ts')} as s, ${epoch('end_ts')} as e, status from oee_runs
          where machine_id = ${machineId} and start_ts < ${at(to)} and end_ts > ${at(from)}
          order by start_ts`,
    );
    return r.map((x) => ({ start: Number(x.s), end: Number(x.e), status: x.status }));
  }

  /**
   * Milliseconds of each stored state inside each bucket [start, end) (sorted, disjoint), summed by the
   * database: one scan of the machine's runs in the buckets' span, joined with the buckets.
   */
  async durations(
    machineId: number,
    buckets: readonly { start: number; end: number }[],
    db: Conn = this.db,
  ): Promise<Map<string, number>[]> {
    const out = buckets.map(() => new Map<string, number>());
    const live = buckets.filter((b) => b.end > b.start);
    if (!live.length) return out;
    const list = (xs: number[]) => `{${xs.map((t) => new Date(t).toISOString()).join(',')}}`;
    const starts = buckets.map((b) => b.start);
    const ends = buckets.map((b) => Math.max(b.start, b.end));
    const lo = Math.min(...live.map((b) => b.start));
    const hi = Math.max(...live.map((b) => b.end));
    const r = await rows<{ i: number; status: string; ms: number }>(
      db,
      sql`with r as (
            select start_ts, end_ts, status from oee_runs
            where machine_id = ${machineId} and start_ts < ${at(hi)} and end_ts > ${at(lo)}
          ), b as (
            select s, e, i from unnest(${list(starts)}::timestamptz[], ${list(ends)}::timestamptz[])
              with ordinality as b(s, e, i)
          )
          select b.i, r.status,
            round(sum(extract(epoch from least(r.end_ts, b.e) - greatest(r.start_ts, b.s))) * 1000)::float8 as ms
          from b join r on r.start_ts < b.e and r.end_ts > b.s
          group by b.i, r.status`,
    );
    for (const x of r) out[Number(x.i) - 1]!.set(x.status, Number(x.ms));
    return out;
  }

  async replaceRuns(tx: Tx, machineId: number, remove: readonly Segment[], add: readonly Segment[]) {
    if (remove.length)
      await tx.execute(
        sql`delete from oee_runs where machine_id = ${machineId}
            and start_ts = any(${`{${remove.map((s) => new Date(s.start).toISOString()).join(',')}}`}::timestamptz[])`,
      );
    if (!add.length) return;
    const json = JSON.stringify(
      add.map((s) => ({
        s: new Date(s.start).toISOString(),
        e: new Date(s.end).toISOString(),
        status: s.status,
      })),
    );
    await tx.execute(
      sql`insert into oee_runs (machine_id, start_ts, end_ts, status)
          select ${machineId}, x.s, x.e, x.status from jsonb_to_recordset(${json}::jsonb) as x(s timestamptz, e timestamptz, status text)`,
    );
  }

  // ------------------------------------------------------------------------------------------------
  // settings and ideal rates
  // ------------------------------------------------------------------------------------------------

  async settings(machineId: number, db: Conn = this.db): Promise<Settings> {
    const [r] = await rows<{ reading_interval: number; offline_intervals: number }>(
      db,
      sql`select reading_interval, offline_intervals from oee_settings where machine_id = ${machineId}`,
    );
    return r
      ? { readingInterval: Number(r.reading_interval), offlineIntervals: Number(r.offline_intervals) }
      : DEFAULT_SETTINGS;
  }

  async saveSettings(tx: Tx, orgId: number, machineId: number, s: Settings): Promise<void> {
    await tx.execute(
      sql`insert into oee_settings (machine_id, org_id, reading_interval, offline_intervals)
          values (${machineId}, ${orgId}, ${s.readingInterval}, ${s.offlineIntervals})
          on conflict (machine_id) do update set reading_interval = excluded.reading_interval,
            offline_intervals = excluded.offline_intervals`,
    );
  }

  async idealRates(
    orgId: number,
    machineId: number | undefined,
    limit: number,
    offset: number,
  ): Promise<{ items: IdealRateRow[]; total: number }> {
    const where = sql`org_id = ${orgId} ${machineId ? sql`and machine_id = ${machineId}` : sql``}`;
    const [n] = await rows<{ n: string | number }>(
      this.db,
      sql`select count(*) as n from oee_ideal_rates where ${where}`,
    );
    const r = await rows<{ id: number; machine_id: number; product_id: number; rate: number }>(
      this.db,
      sql`select id, machine_id, product_id, rate from oee_ideal_rates where ${where}
          order by machine_id, product_id limit ${limit} offset ${offset}`,
    );
    return {
      items: r.map((x) => ({
        id: Number(x.id),
        machineId: Number(x.machine_id),
        productId: Number(x.product_id),
        rate: Number(x.rate),
      })),
      total: Number(n?.n ?? 0),
    };
  }

  async upsertIdealRate(orgId: number, machineId: number, productId: number, rate: number): Promise<number> {
    const [r] = await rows<{ id: number }>(
      this.db,
      sql`insert into oee_ideal_rates (org_id, machine_id, product_id, rate)
          values (${orgId}, ${machineId}, ${productId}, ${rate})
          on conflict (machine_id, product_id) do update set rate = excluded.rate returning id`,
    );
    return Number(r!.id);
  }

  async deleteIdealRate(orgId: number, id: number): Promise<boolean> {
    const r = await rows<{ id: number }>(
      this.db,
      sql`delete from oee_ideal_rates where org_id = ${orgId} and id = ${id} returning id`,
    );
    return r.length > 0;
  }

  async machineIdealRates(machineId: number): Promise<Map<number, number>> {
    const r = await rows<{ product_id: number; rate: number }>(
      this.db,
      sql`select product_id, rate from oee_ideal_rates where machine_id = ${machineId}`,
    );
    return new Map(r.map((x) => [Number(x.product_id), Number(x.rate)]));
  }
}
