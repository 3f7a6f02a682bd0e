import type {
  AllEnergyQuery,
  AllEnergyRow,
  DetailEnergyQuery,
  DetailEnergyRow,
  FormDetailRow,
  MeasureQuery,
  MeasureRow,
} from '@wattdesk/shared';
import { invalid } from '../../core/errors';
import { formatLocal } from '../../core/time';
import type { Db } from '../../infra/db/client';
import type { BusinessCalendar } from '../calendar/calendar';
import { shiftMask, type CalendarService } from '../calendar/service';
import type { MetersRepository } from '../meters/repository';
import { figureOf, physicalMeters, type FigureContext } from './figures';
import { energyName, selectGroups, type Group } from './groups';
import { planTime, type TimePlan } from './plan';
import { measureValue, money } from './present';
import { queryMeters, type EnergyRepository, type Figure } from './repository';

/** `raw` answers from the raw readings (slow; for verification and benchmarks' baseline). */
export interface EnergyOptions {
  source?: 'rollup' | 'raw';
}

interface Computed {
  cal: BusinessCalendar;
  plan: TimePlan;
  groups: Group[];
  /** Per group, per bucket: the summed figure. */
  figures: Figure[][];
  shiftNames: string[];
}

const sum = (list: Figure[], shifts: number): Figure =>
  list.reduce<Figure>(
    (acc, f) => ({
      amount: acc.amount + f.amount,
      cost: acc.cost === null || f.cost === null ? null : acc.cost + f.cost,
      shifts: acc.shifts.map((s, k) => s + f.shifts[k]!),
    }),
    { amount: 0, cost: 0, shifts: new Array<number>(shifts).fill(0) },
  );

/**
 * Energy queries of seed 002 §3 (3.1 allenergy, 3.2 detailenergy, 3.3 measure, 3.5 form_detailenergy),
 * answered in the wire rows the API returns, so that reports and exports show exactly the API's numbers.
 * Parameters are the parsed query schemas of `@wattdesk/shared` (`allEnergyQuery`, `detailEnergyQuery`,
 * `measureQuery`). Buckets follow the organization's calendar (4.4) and time zone; year queries read
 * month rollups, month queries day rollups, day queries the readings' stored consumption, and
 * `{ source: 'raw' }` re-derives everything from the raw registers. Every bad parameter is a 4103 naming it.
 */
export class EnergyService {
  constructor(
    private readonly db: Db,
    private readonly repo: EnergyRepository,
    private readonly meters: MetersRepository,
    private readonly calendar: CalendarService,
  ) {}

  /** 3.1: one row per group with its total (and cost) over the whole range. */
  async allEnergy(orgId: number, q: AllEnergyQuery, opts: EnergyOptions = {}): Promise<AllEnergyRow[]> {
    const c = await this.compute(orgId, { ...q, Time_Interval: undefined }, opts, false);
    return c.groups.map((g, i) => ({ ...head(g), ...amounts(sum(c.figures[i]!, 0)) }));
  }

  /** 3.2: one row per group and bucket; `Time` is the bucket's local start. */
  async detailEnergy(
    orgId: number,
    q: DetailEnergyQuery,
    opts: EnergyOptions = {},
  ): Promise<DetailEnergyRow[]> {
    const c = await this.compute(orgId, q, opts, false);
    const times = labels(c);
    const out: DetailEnergyRow[] = [];
    c.groups.forEach((g, i) => {
      const name = energyName(g.energyType);
      const type = String(g.energyType);
      times.forEach((Time, k) => {
        const f = c.figures[i]![k]!;
        const row: DetailEnergyRow = {
          Time,
          Meter_Department: g.department,
          Meter_Superior: g.machine,
          Meter_Name: g.meter,
          Ene_Type: type,
          Ene_Name: name,
          Total_Amount: money(f.amount),
        };
        if (f.cost !== null) row.Total_Cost = money(f.cost);
        out.push(row);
      });
    });
    return out;
  }

  /** 3.5: one row per group with its buckets (`Detail_Amounts`) and per-shift totals (`Shift_Amounts`). */
  async formDetailEnergy(
    orgId: number,
    q: DetailEnergyQuery,
    opts: EnergyOptions = {},
  ): Promise<FormDetailRow[]> {
    const c = await this.compute(orgId, q, opts, true);
    const times = labels(c);
    return c.groups.map((g, i) => {
      const total = sum(c.figures[i]!, c.shiftNames.length);
      return {
        ...head(g),
        ...amounts(total),
        Shift_Amounts: c.shiftNames.map((name, k) => ({
          Shift_Name: name,
          Shift_Amount: money(total.shifts[k]!),
        })),
        Detail_Amounts: times.map((Time, k) => ({ Time, ...amounts(c.figures[i]![k]!) })),
      };
    });
  }

  /** 3.3: a meter's measure points per bucket: averages for year/month queries, the last value for day ones. */
  async measure(orgId: number, q: MeasureQuery): Promise<MeasureRow[]> {
    const cal = await this.calendar.calendar(orgId);
    const plan = planTime(cal, q);
    const meter = (await this.meters.allMeters(orgId)).find((m) => m.name === q.Meter_Name);
    if (!meter) throw invalid('Meter_Name', `仪表 ${q.Meter_Name} 不存在`);
    const names = q.Measure_Name?.length ? [...new Set(q.Measure_Name)] : null;
    const unknown = (names ?? []).filter((n) => !meter.params.includes(n));
    if (unknown.length) throw invalid('Measure_Name', `仪表 ${meter.name} 没有测点：${unknown.join('、')}`);
    const rows =
      plan.type === 3
        ? await this.repo.paramLatest(meter.id, names, plan.buckets)
        : await this.repo.paramAverages(meter.id, names, plan.buckets);
    const tz = cal.rule.tz;
    return rows
      .filter((r) => r.i >= 1 && r.i <= plan.buckets.length && r.value !== null)
      .map((r) => ({
        Time: formatLocal(new Date(plan.buckets[Number(r.i) - 1]!.start), tz),
        Measure_Name: r.name,
        Measure_Value: measureValue(Number(r.value)),
      }));
  }

  /**
   * Metered energy of machines in consecutive segments [points[k], points[k+1]) (a reading counts in
   * the segment where start < ts <= end; hand-filled amounts where start <= period start < end), for
   * other features (products' unit consumption). Per machine and energy type, the sum of its meters
   * marked Meter_IsCount (virtual ones by their formula), from the readings' stored consumption.
   * Answers machine id → energy type → one amount per segment; machines without counted meters are absent.
   */
  async machineSegments(
    orgId: number,
    machineIds: number[],
    points: number[],
  ): Promise<Map<number, Map<number, number[]>>> {
    const out = new Map<number, Map<number, number[]>>();
    if (points.length < 2 || !machineIds.length) return out;
    const cal = await this.calendar.calendar(orgId);
    const { meters } = await queryMeters(this.db, orgId);
    const wanted = new Set(machineIds);
    const counted = meters.filter((m) => m.isCount && wanted.has(m.machineId));
    const byId = new Map(meters.map((m) => [m.id, m]));
    const buckets = points.slice(1).map((end, k) => ({ start: points[k]!, end }));
    const table = await this.repo.figures({
      orgId,
      tz: cal.rule.tz,
      meterIds: physicalMeters(
        counted.map((m) => m.id),
        byId,
      ),
      buckets,
      level: 'readings',
      shiftMasks: [],
      amountOnly: true,
    });
    const ctx: FigureContext = { byId, table, shifts: 0, priced: new Set(), memo: new Map() };
    for (const m of counted) {
      let byType = out.get(m.machineId);
      if (!byType) out.set(m.machineId, (byType = new Map()));
      let list = byType.get(m.energyType);
      if (!list) byType.set(m.energyType, (list = new Array<number>(buckets.length).fill(0)));
      for (let k = 0; k < buckets.length; k++) list[k]! += figureOf(m.id, k, ctx).amount;
    }
    return out;
  }

  /**
   * Metered energy of meters (virtual ones by their formula) in consecutive segments
   * [points[k], points[k+1]), counted as machineSegments counts them (hand-filled 5.6 amounts included),
   * for other features (the provincial upload). Meter id → one amount per segment; another
   * organization's meters are absent.
   */
  async meterSegments(orgId: number, meterIds: number[], points: number[]): Promise<Map<number, number[]>> {
    const out = new Map<number, number[]>();
    if (points.length < 2 || !meterIds.length) return out;
    const cal = await this.calendar.calendar(orgId);
    const { meters } = await queryMeters(this.db, orgId);
    const byId = new Map(meters.map((m) => [m.id, m]));
    const wanted = [...new Set(meterIds)].filter((id) => byId.has(id));
    if (!wanted.length) return out;
    const buckets = points.slice(1).map((end, k) => ({ start: points[k]!, end }));
    const table = await this.repo.figures({
      orgId,
      tz: cal.rule.tz,
      meterIds: physicalMeters(wanted, byId),
      buckets,
      level: 'readings',
      shiftMasks: [],
      amountOnly: true,
    });
    const ctx: FigureContext = { byId, table, shifts: 0, priced: new Set(), memo: new Map() };
    for (const id of wanted)
      out.set(
        id,
        buckets.map((_, k) => figureOf(id, k, ctx).amount),
      );
    return out;
  }

  private async compute(
    orgId: number,
    q: DetailEnergyQuery,
    opts: EnergyOptions,
    withShifts: boolean,
  ): Promise<Computed> {
    const cal = await this.calendar.calendar(orgId);
    const plan = planTime(cal, q, opts.source === 'raw' ? 'raw' : undefined);
    const { meters, machines, priced } = await queryMeters(this.db, orgId);
    const groups = selectGroups(meters, q, machines);
    const byId = new Map(meters.map((m) => [m.id, m]));
    const shifts = withShifts ? await this.calendar.shifts(orgId) : [];
    const table = await this.repo.figures({
      orgId,
      tz: cal.rule.tz,
      meterIds: physicalMeters(
        groups.flatMap((g) => g.members),
        byId,
      ),
      buckets: plan.buckets,
      level: plan.level,
      shiftMasks: shifts.map(shiftMask),
    });
    const ctx: FigureContext = {
      byId,
      table,
      shifts: shifts.length,
      priced,
      memo: new Map(),
    };
    const figures = groups.map((g) =>
      plan.buckets.map((_, k) =>
        sum(
          g.members.map((id) => figureOf(id, k, ctx)),
          shifts.length,
        ),
      ),
    );
    return { cal, plan, groups, figures, shiftNames: shifts.map((s) => s.name) };
  }
}

/** Each bucket's local start, formatted once per query. */
const labels = (c: Computed) => c.plan.buckets.map((b) => formatLocal(new Date(b.start), c.cal.rule.tz));

const head = (g: Group) => ({
  Meter_Department: g.department,
  Meter_Superior: g.machine,
  Meter_Name: g.meter,
  Ene_Type: String(g.energyType),
  Ene_Name: energyName(g.energyType),
});

const amounts = (f: Figure) => ({
  Total_Amount: money(f.amount),
  ...(f.cost === null ? {} : { Total_Cost: money(f.cost) }),
});
