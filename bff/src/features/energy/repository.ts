import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../infra/db/client';
import type { Bucket } from '../calendar/calendar';
import { FINE_MS } from '../calendar/calendar';
import { rowsOf } from '../readings/repository';
import { floatArray, intArray } from '../readings/sql-values';
import type { Level } from './plan';

/** A meter's figures in one bucket: amount, cost (null without a rate) and one amount per shift. */
export interface Figure {
  amount: number;
  cost: number | null;
  shifts: number[];
}

/** Figures per physical meter id, then per bucket index (0-based). */
export type FigureTable = Map<number, Map<number, Figure>>;

export interface FigureQuery {
  orgId: number;
  tz: string;
  meterIds: number[];
  buckets: Bucket[];
  level: Level;
  /** 48-slot 0/1 masks, one per shift (empty when shifts are not asked for). */
  shiftMasks: number[][];
  /** Amounts only (readings levels): no cost, so no per-reading tariff slot (segment queries). */
  amountOnly?: boolean;
}

const iso = (t: number) => new Date(t).toISOString();
const bounds = (b: Bucket[]) => floatArray([...b.map((x) => x.start / 1000), b[b.length - 1]!.end / 1000]);

/** Reads consumption figures from a rollup level or, slowly and obviously, from the raw readings. */
export class EnergyRepository {
  constructor(private readonly db: Db) {}

  async figures(q: FigureQuery): Promise<FigureTable> {
    const out: FigureTable = new Map();
    if (!q.meterIds.length) return out;
    const text =
      q.level === 'month' || q.level === 'day' ? this.rollupSql(q) : this.readingsSql(q, q.level === 'raw');
    const rows = await rowsOf<Record<string, unknown>>(this.db, text);
    for (const r of rows) {
      const m = Number(r.meter_id);
      let byBucket = out.get(m);
      if (!byBucket) out.set(m, (byBucket = new Map()));
      byBucket.set(Number(r.i) - 1, {
        amount: Number(r.amount),
        cost: r.cost === null || r.cost === undefined ? null : Number(r.cost),
        shifts: q.shiftMasks.map((_, k) => Number(r[`s${k}`] ?? 0)),
      });
    }
    return out;
  }

  private rollupSql(q: FigureQuery): SQL {
    const lo = iso(q.buckets[0]!.start);
    const hi = iso(q.buckets[q.buckets.length - 1]!.end);
    const [table, key] = q.level === 'month' ? ['energy_month', 'month'] : ['energy_day', 'day'];
    const col = sql.identifier(key);
    const shifts = q.shiftMasks.map(
      (mask, k) => sql`, sum(wd_safe_dot(r.slots, ${floatArray(mask)})) as ${sql.identifier(`s${k}`)}`,
    );
    return sql`
      select r.meter_id, width_bucket(extract(epoch from r.${col})::float8, ${bounds(q.buckets)}) as i,
             sum(r.amount) as amount, sum(r.cost) as cost ${sql.join(shifts, sql``)}
      from ${sql.identifier(table)} r
      where r.meter_id = any(${intArray(q.meterIds)}) and r.${col} >= ${lo}::timestamptz and r.${col} < ${hi}::timestamptz
      group by 1, 2`;
  }

  /**
   * Figures from the readings themselves (day queries, and the verification path). With `recompute`
   * the consumption is re-derived from the raw registers with a window over each meter's readings
   * (the same rules as ingest, written again in SQL); without it the stored deltas are summed. Both
   * add the hand-filled amounts. A reading closes the interval before it, so it counts in the bucket
   * where start < ts <= end.
   */
  private readingsSql(q: FigureQuery, recompute: boolean): SQL {
    const lo = iso(q.buckets[0]!.start);
    const hi = iso(q.buckets[q.buckets.length - 1]!.end);
    const fine = sql`to_timestamp(floor((extract(epoch from d.ts) * 1000 - 1) / ${FINE_MS}) * ${FINE_MS / 1000})`;
    const slot = sql`wd_slot(d.fb, ${q.tz}) + 1`;
    const shifts = q.shiftMasks.map(
      (mask, k) => sql`, sum(d.delta * (${floatArray(mask)})[${slot}]) as ${sql.identifier(`s${k}`)}`,
    );
    const fromTs = recompute
      ? sql`coalesce((select max(ts) from readings r where r.meter_id = meters.id and r.ts <= ${lo}::timestamptz), ${lo}::timestamptz)`
      : sql`${lo}::timestamptz`;
    const deltas = recompute
      ? sql`
      w as (
        select r.meter_id, r.ts, r.total, r.base,
               lag(r.total) over (partition by r.meter_id order by r.ts) as ptotal,
               lag(r.base) over (partition by r.meter_id order by r.ts) as pbase
        from m join readings r on r.meter_id = m.id and r.ts >= m.from_ts and r.ts <= ${hi}::timestamptz
      ), readings_delta as (
        select w.meter_id, w.ts, case
            when w.ptotal is null then 0
            when w.base + w.total - (w.pbase + w.ptotal) >= 0 then w.base + w.total - (w.pbase + w.ptotal)
            when w.base = w.pbase and m.register_max is not null and w.ptotal <= m.register_max
              then m.register_max - w.ptotal + w.total
            else greatest(0, w.total)
          end as delta
        from w join m on m.id = w.meter_id
        where w.ts > ${lo}::timestamptz
      )`
      : sql`
      readings_delta as (
        select r.meter_id, r.ts, r.delta from m join readings r on r.meter_id = m.id
        where r.ts > ${lo}::timestamptz and r.ts <= ${hi}::timestamptz
      )`;
    return sql`
      with m as (
        select id, org_id, energy_type, register_max, ${fromTs} as from_ts
        from meters where id = any(${intArray(q.meterIds)})
      ), ${deltas}, d as (
        select meter_id, ts, delta, extract(epoch from ts)::float8 - 0.001 as x, ${fine} as fb from readings_delta d
        union all
        select a.meter_id, a.period_start, a.amount, extract(epoch from a.period_start)::float8,
               to_timestamp(floor(extract(epoch from a.period_start) * 1000 / ${FINE_MS}) * ${FINE_MS / 1000})
        from manual_amounts a join m on m.id = a.meter_id
        where a.period_start >= ${lo}::timestamptz and a.period_start < ${hi}::timestamptz
      )
      ${
        q.amountOnly
          ? sql`select d.meter_id, width_bucket(d.x, ${bounds(q.buckets)}) as i, sum(d.delta) as amount,
             null::float8 as cost from d group by 1, 2`
          : sql`select d.meter_id, width_bucket(d.x, ${bounds(q.buckets)}) as i, sum(d.delta) as amount,
             sum(d.delta * p.prices[${slot}]) as cost ${sql.join(shifts, sql``)}
      from d join m on m.id = d.meter_id
      left join rate_prices p on p.org_id = m.org_id and p.energy_type = m.energy_type
      group by 1, 2`
      }`;
  }

  /** 3.3 averages per bucket from the daily param rollup (year and month queries). */
  async paramAverages(meterId: number, names: string[] | null, buckets: Bucket[]) {
    const lo = iso(buckets[0]!.start);
    const hi = iso(buckets[buckets.length - 1]!.end);
    const filter = names
      ? sql`and r.name = any(${`{${names.map((n) => `"${n}"`).join(',')}}`}::text[])`
      : sql``;
    return rowsOf<{ i: number; name: string; value: number }>(
      this.db,
      sql`select width_bucket(extract(epoch from r.day)::float8, ${bounds(buckets)}) as i, r.name,
                 sum(r.sum) / nullif(sum(r.n), 0) as value
          from param_day r where r.meter_id = ${meterId} and r.day >= ${lo}::timestamptz and r.day < ${hi}::timestamptz ${filter}
          group by 1, 2 having sum(r.n) > 0 order by 1, 2`,
    );
  }

  /** 3.3 day queries: each param's last reading in each bucket (start < ts <= end), from the raw readings. */
  async paramLatest(meterId: number, names: string[] | null, buckets: Bucket[]) {
    const lo = iso(buckets[0]!.start);
    const hi = iso(buckets[buckets.length - 1]!.end);
    const filter = names
      ? sql`and p.key = any(${`{${names.map((n) => `"${n}"`).join(',')}}`}::text[])`
      : sql``;
    return rowsOf<{ i: number; name: string; value: number }>(
      this.db,
      sql`select distinct on (i, p.key) width_bucket(extract(epoch from r.ts)::float8 - 0.001, ${bounds(buckets)}) as i,
                 p.key as name, p.value::float8 as value
          from readings r cross join lateral jsonb_each_text(r.params) p
          where r.meter_id = ${meterId} and r.ts > ${lo}::timestamptz and r.ts <= ${hi}::timestamptz ${filter}
          order by i, p.key, r.ts desc`,
    );
  }
}

/** The organization's meters as queries see them, and every machine (name, department). */
export async function queryMeters(db: Db, orgId: number) {
  const meters = await rowsOf<{
    id: number;
    name: string;
    energy_type: number;
    machine: string;
    machine_id: number;
    department: string;
    is_count: boolean;
    is_virtual: boolean;
    formula: string;
  }>(
    db,
    sql`select m.id, m.name, m.energy_type, c.name as machine, c.id as machine_id, c.department, m.is_count, m.is_virtual, m.formula
        from meters m join machines c on c.id = m.machine_id where m.org_id = ${orgId} order by m.id`,
  );
  // Machines and the priced energy types in one round trip (machines may have no meters).
  const extra = await rowsOf<{ name: string | null; department: string | null; priced: number | null }>(
    db,
    sql`select name, department, null::smallint as priced from machines where org_id = ${orgId}
        union all select null, null, energy_type from rate_prices where org_id = ${orgId}`,
  );
  const machines = extra.filter((r) => r.name !== null) as { name: string; department: string }[];
  const priced = new Set(extra.filter((r) => r.priced !== null).map((r) => Number(r.priced)));
  return {
    meters: meters.map((m) => ({
      id: Number(m.id),
      name: m.name,
      energyType: Number(m.energy_type),
      machine: m.machine,
      machineId: Number(m.machine_id),
      department: m.department,
      isCount: m.is_count,
      isVirtual: m.is_virtual,
      formula: m.formula,
    })),
    machines,
    priced,
  };
}
