import { sql } from 'drizzle-orm';
import type { Db } from '../../infra/db/client';
import { BusinessCalendar, type CalendarRule } from '../calendar/calendar';
import type { MeterReading } from './deltas';
import { copyInto } from '../../infra/db/copy';
import { epochMs, intArray, jsonRows } from './sql-values';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** What ingest needs to know about a meter. */
export interface IngestMeter {
  id: number;
  isVirtual: boolean;
  /** 0–8 (ENERGY_NAMES). */
  energyType: number;
  /** Plausibility: its own ceiling per hour, or null for its energy type's default (MAX_RATE_PER_HOUR). */
  maxRate: number | null;
  registerMax: number | null;
  params: string[];
  /** Register epochs, oldest first: from `from` (epoch ms) on, base = total_before − start_amount. */
  epochs: { from: number; base: number }[];
  /** The 48 half-hour prices of its energy type, or null without a rate. */
  prices: number[] | null;
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** SQL of readings, hand-filled amounts and the rollups they feed. */
export class ReadingsRepository {
  constructor(readonly db: Db) {}

  /** The org's meters among `ids`, with their register epochs and their energy type's prices (one query). */
  async meters(tx: Tx | Db, orgId: number, ids: number[]): Promise<Map<number, IngestMeter>> {
    const out = new Map<number, IngestMeter>();
    if (!ids.length) return out;
    const rows = await rowsOf<{
      id: number;
      is_virtual: boolean;
      energy_type: number;
      register_max: number | null;
      max_rate: number | null;
      params: string[];
      prices: number[] | null;
      epochs: { from: number | string; base: number }[] | null;
    }>(
      tx,
      sql`select m.id, m.is_virtual, m.energy_type, m.register_max, m.max_rate, m.params, p.prices,
            (select json_agg(json_build_object('from', ${epochMs(sql`e.replaced_at`)}, 'base', e.total_before - e.start_amount)
                             order by e.replaced_at)
             from meter_epochs e where e.meter_id = m.id) as epochs
          from meters m left join rate_prices p on p.org_id = m.org_id and p.energy_type = m.energy_type
          where m.org_id = ${orgId} and m.id = any(${intArray(ids)})`,
    );
    for (const r of rows)
      out.set(r.id, {
        id: r.id,
        isVirtual: r.is_virtual,
        energyType: Number(r.energy_type),
        registerMax: num(r.register_max),
        maxRate: num(r.max_rate),
        params: r.params,
        prices: r.prices ? r.prices.map(Number) : null,
        epochs: (r.epochs ?? []).map((e) => ({ from: Number(e.from), base: Number(e.base) })),
      });
    return out;
  }

  /** Stored readings around each meter's incoming range: the one before `lo`, all in [lo, hi], the one after `hi`. */
  async around(
    tx: Tx,
    ranges: { m: number; lo: number; hi: number }[],
  ): Promise<Map<number, MeterReading[]>> {
    const rows = await rowsOf<{
      meter_id: number;
      ts: string;
      total: number;
      base: number;
      delta: number;
      params: Record<string, number> | null;
    }>(
      tx,
      // LATERAL keeps every lookup a per-meter index range scan: with a plain join the planner (which
      // cannot see how few meters the jsonb holds) picked a hash join over every partition once
      // readings held millions of rows (2.2 s per batch at 1,000 meters × 90 days).
      sql`
      with b as (
        select m, to_timestamp(lo / 1000.0) as lo, to_timestamp(hi / 1000.0) as hi
        from jsonb_to_recordset(${jsonRows(ranges)}) as x(m int, lo bigint, hi bigint)
      ), bb as (
        select b.m,
          coalesce(
            (select max(r.ts) from readings r where r.meter_id = b.m and r.ts < b.lo and r.ts >= b.lo - interval '40 days'),
            (select max(r.ts) from readings r where r.meter_id = b.m and r.ts < b.lo),
            b.lo) as lo,
          coalesce(
            (select min(r.ts) from readings r where r.meter_id = b.m and r.ts > b.hi and r.ts <= b.hi + interval '40 days'),
            (select min(r.ts) from readings r where r.meter_id = b.m and r.ts > b.hi),
            b.hi) as hi
        from b
      )
      select bb.m as meter_id, r.ts, r.total, r.base, r.delta, r.params
      from bb cross join lateral (
        select ${epochMs(sql`x.ts`)} as ts, x.total, x.base, x.delta, x.params
        from readings x where x.meter_id = bb.m and x.ts >= bb.lo and x.ts <= bb.hi
      ) r
      order by bb.m, r.ts`,
    );
    const out = new Map<number, MeterReading[]>();
    for (const r of rows) {
      let list = out.get(r.meter_id);
      if (!list) out.set(r.meter_id, (list = []));
      list.push({
        ts: Number(r.ts),
        total: Number(r.total),
        base: Number(r.base),
        delta: Number(r.delta),
        params: r.params,
      });
    }
    return out;
  }

  async writeReadings(tx: Tx, rows: (MeterReading & { m: number })[]): Promise<void> {
    if (!rows.length) return;
    const payload = rows.map((r) => ({ m: r.m, t: r.ts, v: r.total, b: r.base, d: r.delta, p: r.params }));
    await tx.execute(sql`
      insert into readings (meter_id, ts, total, base, delta, params)
      select m, to_timestamp(t / 1000.0), v, b, d, p
      from jsonb_to_recordset(${jsonRows(payload)}) as x(m int, t bigint, v float8, b float8, d float8, p jsonb)
      on conflict (meter_id, ts) do update
        set total = excluded.total, base = excluded.base, delta = excluded.delta, params = excluded.params`);
  }

  /**
   * COPYs readings that are not stored yet straight into `readings` (the partitioned table routes
   * them): the bulk path's writer, several times quicker than an upsert for big batches. The caller
   * holds the meters' locks and has read every stored reading in their span, so none can conflict.
   */
  async copyReadings(tx: Tx, rows: (MeterReading & { m: number })[]): Promise<void> {
    if (!rows.length) return;
    // Many meters share each instant: its ISO text is made once per batch.
    const iso = new Map<number, string>();
    const lines: string[] = [];
    for (const r of rows) {
      let t = iso.get(r.ts);
      if (t === undefined) iso.set(r.ts, (t = new Date(r.ts).toISOString()));
      lines.push(
        `${r.m}\t${t}\t${r.total}\t${r.base}\t${r.delta}\t${r.params ? paramsJson(r.params) : '\\N'}\n`,
      );
    }
    await copyInto(tx, 'readings', ['meter_id', 'ts', 'total', 'base', 'delta', 'params'], lines.join(''));
  }

  /**
   * Adds consumption changes (per meter and fine bucket) to the day and month rollups. Day and
   * month keys and the 48 half-hour slots are worked out here with the business calendar (a batch
   * touches few distinct buckets), so the database only adds numbers.
   */
  async addEnergy(
    tx: Tx,
    diffs: { m: number; b: number; v: number }[],
    rule: CalendarRule,
    known?: Map<number, number[] | null>,
  ): Promise<void> {
    if (!diffs.length) return;
    const keys = periodKeys(rule);
    const prices = known ?? (await this.pricesOf(tx, [...new Set(diffs.map((x) => x.m))]));
    type Row = { m: number; d: number; v: number; c: number; s: number[] };
    const day = new Map<string, Row>();
    const month = new Map<string, Row>();
    const add = (into: Map<string, Row>, m: number, d: number, slot: number, v: number) => {
      const k = `${m}:${d}`;
      let row = into.get(k);
      if (!row) into.set(k, (row = { m, d, v: 0, c: 0, s: new Array<number>(48).fill(0) }));
      row.v += v;
      row.c += v * (prices.get(m)?.[slot] ?? 0);
      row.s[slot]! += v;
    };
    for (const x of diffs) {
      const k = keys(x.b);
      add(day, x.m, k.day, k.slot, x.v);
      add(month, x.m, k.month, k.slot, x.v);
    }
    await tx.execute(sql`
      insert into energy_day (meter_id, day, amount, cost, slots)
      select m, to_timestamp(d / 1000.0), v, c, s
      from jsonb_to_recordset(${jsonRows([...day.values()])}) as x(m int, d bigint, v float8, c float8, s float8[])
      on conflict (meter_id, day) do update
        set amount = energy_day.amount + excluded.amount, cost = energy_day.cost + excluded.cost,
            slots = wd_add_slots(energy_day.slots, excluded.slots)`);
    await tx.execute(sql`
      insert into energy_month (meter_id, month, amount, cost, slots)
      select m, to_timestamp(d / 1000.0), v, c, s
      from jsonb_to_recordset(${jsonRows([...month.values()])}) as x(m int, d bigint, v float8, c float8, s float8[])
      on conflict (meter_id, month) do update
        set amount = energy_month.amount + excluded.amount, cost = energy_month.cost + excluded.cost,
            slots = wd_add_slots(energy_month.slots, excluded.slots)`);
  }

  /** The 48 half-hour prices of each meter's energy type (meters without a rate are absent). */
  private async pricesOf(tx: Tx, meterIds: number[]): Promise<Map<number, number[] | null>> {
    const rows = await rowsOf<{ id: number; prices: number[] }>(
      tx,
      sql`select m.id, p.prices from meters m join rate_prices p on p.org_id = m.org_id and p.energy_type = m.energy_type
          where m.id = any(${intArray(meterIds)})`,
    );
    return new Map(rows.map((r) => [r.id, r.prices.map(Number)]));
  }

  /**
   * Re-derives the cost of day and month rollups from their slot sums with current prices: for an
   * organization's meters of one energy type (a rate changed) or for one meter (its type changed).
   * Callers hold the organization's calendar lock exclusively, or the meter's lock.
   */
  async recomputeCosts(
    tx: Tx,
    orgId: number,
    which: { energyType: number } | { meterId: number },
  ): Promise<void> {
    const meters =
      'meterId' in which
        ? sql`select id, energy_type from meters where id = ${which.meterId} and org_id = ${orgId}`
        : sql`select id, energy_type from meters where org_id = ${orgId} and energy_type = ${which.energyType}`;
    for (const table of ['energy_day', 'energy_month'])
      await tx.execute(sql`
        update ${sql.identifier(table)} r set cost = coalesce(wd_safe_dot(r.slots, p.prices), 0)
        from (${meters}) m left join rate_prices p on p.org_id = ${orgId} and p.energy_type = m.energy_type
        where r.meter_id = m.id`);
  }

  /** Adds param sum/count changes (per meter, fine bucket and name) to the daily param rollup. */
  async addParams(
    tx: Tx,
    diffs: { m: number; b: number; k: string; s: number; n: number }[],
    rule: CalendarRule,
  ): Promise<void> {
    if (!diffs.length) return;
    const keys = periodKeys(rule);
    const rows = new Map<string, { m: number; d: number; k: string; s: number; n: number }>();
    for (const x of diffs) {
      const d = keys(x.b).day;
      const key = `${x.m}:${d}:${x.k}`;
      const row = rows.get(key) ?? { m: x.m, d, k: x.k, s: 0, n: 0 };
      row.s += x.s;
      row.n += x.n;
      rows.set(key, row);
    }
    await tx.execute(sql`
      insert into param_day (meter_id, day, name, sum, n)
      select m, to_timestamp(d / 1000.0), k, s, n
      from jsonb_to_recordset(${jsonRows([...rows.values()])}) as x(m int, d bigint, k text, s float8, n int)
      on conflict (meter_id, day, name) do update
        set sum = param_day.sum + excluded.sum, n = param_day.n + excluded.n`);
  }

  /** Adds measure-point names a meter reported for the first time to its `Meter_Parameter` list. */
  async addParamNames(tx: Tx, meterId: number, names: string[]): Promise<void> {
    await tx.execute(sql`
      update meters set params = params || array(
        select n from unnest(${`{${names.map((n) => `"${n}"`).join(',')}}`}::text[]) as n where not n = any(params))
      where id = ${meterId}`);
  }

  /** Per meter of the org among `ids`: its first and last stored reading (epoch ms); meters without any are left out. */
  async span(orgId: number, ids: number[]): Promise<Map<number, { first: number; last: number }>> {
    const out = new Map<number, { first: number; last: number }>();
    if (!ids.length) return out;
    const rows = await rowsOf<{ meter_id: number; first: number | string; last: number | string }>(
      this.db,
      sql`select r.meter_id, ${epochMs(sql`min(r.ts)`)} as first, ${epochMs(sql`max(r.ts)`)} as last
          from readings r join meters m on m.id = r.meter_id
          where m.org_id = ${orgId} and r.meter_id = any(${intArray(ids)})
          group by r.meter_id`,
    );
    for (const r of rows) out.set(Number(r.meter_id), { first: Number(r.first), last: Number(r.last) });
    return out;
  }
}

/**
 * A reading's params as JSON (and so as COPY text): names match [A-Za-z][A-Za-z0-9_.]* and values are
 * finite numbers (validate.ts), so no quoting or escaping is needed and a number prints as JSON prints
 * it (shortest exact form); built by hand, several times quicker than JSON.stringify for these objects.
 */
export function paramsJson(p: Record<string, number>): string {
  let out = '';
  for (const k in p) out += `${out ? ',' : '{'}"${k}":${p[k]}`;
  return out ? out + '}' : '{}';
}

/** Rows of a raw query on either driver. */
export async function rowsOf<T>(db: Tx | Db, query: ReturnType<typeof sql>): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}

/** Business day, month and local half-hour slot of fine buckets, memoized for one batch. */
function periodKeys(rule: CalendarRule): (bucket: number) => { day: number; month: number; slot: number } {
  const cal = new BusinessCalendar(rule);
  const memo = new Map<number, { day: number; month: number; slot: number }>();
  return (b) => {
    let k = memo.get(b);
    if (!k) memo.set(b, (k = { day: cal.dayStart(b), month: cal.monthStart(b), slot: cal.slot(b) }));
    return k;
  };
}
