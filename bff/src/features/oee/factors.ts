import { OEE_NO_DATA, type OeeFactor, type OeeFactorsItem, type OeeFactorsQuery } from '@wattdesk/shared';
import { invalid } from '../../core/errors';
import { formatLocal, fromLocal, localParts, parseLocal } from '../../core/time';
import type { Clock } from '../../infra/clock';
import { BusinessCalendar, type CalendarRule } from '../calendar/calendar';
import type { Shift } from '../calendar/service';
import type { OeeRepository } from './repository';
import type { CalendarPort, OeeService } from './service';
import { durationsWithin, merge, type Segment } from './timeline';

/**
 * What OEE needs of the products feature (§8), declared here structurally: `ctx.use('products')`
 * is expected to offer `outputsInRange` (outputs of a machine overlapping [from, to)) and, for checking
 * the `Product_id` of an ideal rate, `productExists`.
 */
export interface ProductOutputs {
  outputsInRange(
    orgId: number,
    machineId: number,
    from: Date,
    to: Date,
  ): Promise<
    Array<{ productId: number; amount: number; rejectAmount: number | null; start: Date; end: Date }>
  >;
  productExists?(orgId: number, productId: number): Promise<boolean>;
  productNames?(orgId: number, ids: readonly number[]): Promise<Map<number, string>>;
}

const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
const hours = (ms: number) => `${(ms / 3_600_000).toFixed(2)} h`;
const noData = (basis: string): OeeFactor => ({ Value: null, Text: OEE_NO_DATA, Basis: basis });
const factor = (v: number, basis: string): OeeFactor => ({ Value: v, Text: pct(v), Basis: basis });

/** The shift windows (local wall-clock, crossing midnight allowed) inside [from, to), merged. */
export function shiftWindows(
  rule: CalendarRule,
  shifts: readonly Shift[],
  from: number,
  to: number,
): Segment[] {
  const out: Segment[] = [];
  const p = localParts(new Date(from - 86_400_000), rule.tz);
  for (let i = 0; ; i++) {
    const dayStart = fromLocal(p.year, p.month, p.day + i, 0, 0, 0, rule.tz).getTime();
    if (dayStart >= to) break;
    for (const s of shifts) {
      const start = fromLocal(p.year, p.month, p.day + i, 0, s.startMin, 0, rule.tz).getTime();
      const endDay = s.endMin > s.startMin ? i : i + 1;
      const end = fromLocal(p.year, p.month, p.day + endDay, 0, s.endMin, 0, rule.tz).getTime();
      const a = Math.max(start, from);
      const b = Math.min(end, to);
      if (a < b) out.push({ start: a, end: b, status: 'shift' });
    }
  }
  out.sort((x, y) => x.start - y.start);
  return merge(out);
}

/**
 * OEE of a machine over the business year/month/day holding `Time` (up to now):
 * availability = run time ÷ (shift time − planned stops), run time and planned stops counted inside
 * shifts only; performance = Σ (output_p ÷ ideal rate_p) ÷ run time (outputs prorated by how much of
 * their span lies in the period); quality = (output − rejects) ÷ output; OEE = their product.
 */
export class OeeFactors {
  constructor(
    private readonly repo: OeeRepository,
    private readonly service: OeeService,
    private readonly calendar: CalendarPort,
    private readonly products: () => ProductOutputs | null,
    private readonly clock: Clock,
  ) {}

  async factors(orgId: number, q: OeeFactorsQuery): Promise<OeeFactorsItem> {
    const rule = await this.calendar.rule(orgId);
    const t = parseLocal(q.Time, rule.tz);
    if (!t) throw invalid('Time', '不是有效的日期时间');
    const machineId = q.Meter_Superior_id;
    await this.service.machine(orgId, machineId);
    const cal = new BusinessCalendar(rule);
    const at = t.getTime();
    const start =
      q.Time_Type === 1 ? cal.yearStart(at) : q.Time_Type === 2 ? cal.monthStart(at) : cal.dayStart(at);
    const end =
      q.Time_Type === 1
        ? cal.addMonths(start, 12)
        : q.Time_Type === 2
          ? cal.addMonths(start, 1)
          : cal.nextDay(start);
    const until = Math.min(end, this.clock.now().getTime());
    const rules = await this.repo.machineRules(machineId);
    const run = new Set(rules.filter((r) => r.isRunning).map((r) => r.statusName));
    const stop = new Set(rules.filter((r) => r.isPlannedStop).map((r) => r.statusName));
    // Planned time counts from the machine's first reading on (before it, its state is unknown).
    const first = await this.repo.firstPoint(machineId);
    const lo = first === null ? until : Math.max(start, first);
    const shifts = lo < until ? shiftWindows(rule, await this.calendar.shifts(orgId), lo, until) : [];
    const segs = until > start ? await this.service.timelineOf(machineId, start, until) : [];
    const inShift = durationsWithin(segs, shifts);
    const sum = (names: Set<string>) => [...names].reduce((s, n) => s + (inShift.get(n) ?? 0), 0);
    const shiftMs = shifts.reduce((s, w) => s + (w.end - w.start), 0);
    const stopMs = sum(stop);
    const runMs = sum(run);
    const plannedMs = shiftMs - stopMs;

    let availability: OeeFactor;
    if (!run.size) availability = noData('没有 Is_Running=1 的状态规则，无法计算运行时间');
    else if (plannedMs <= 0) availability = noData('计划时间为 0（班次时间减计划停机）');
    else if (!segs.length) availability = noData('该时段没有状态记录');
    else
      availability = factor(
        runMs / plannedMs,
        `运行时间 ${hours(runMs)} ÷ 计划时间 ${hours(plannedMs)}（班次 ${hours(shiftMs)} − 计划停机 ${hours(stopMs)}）`,
      );

    const { performance, quality } = await this.outputFactors(orgId, machineId, start, until, runMs);
    const parts = [availability, performance, quality];
    const oee = parts.every((f) => f.Value !== null)
      ? factor(
          parts.reduce((p, f) => p * f.Value!, 1),
          `可用率 ${availability.Text} × 性能 ${performance.Text} × 质量 ${quality.Text}`,
        )
      : noData('可用率、性能、质量有一项无数据');
    return {
      Meter_Superior_id: machineId,
      Time_Start: formatLocal(new Date(start), rule.tz),
      Time_End: formatLocal(new Date(end), rule.tz),
      Planned_Seconds: Math.round(Math.max(0, plannedMs) / 1000),
      Planned_Stop_Seconds: Math.round(stopMs / 1000),
      Run_Seconds: Math.round(runMs / 1000),
      Run_Status_Names: [...run],
      Availability: availability,
      Performance: performance,
      Quality: quality,
      OEE: oee,
    };
  }

  private async outputFactors(
    orgId: number,
    machineId: number,
    from: number,
    to: number,
    runMs: number,
  ): Promise<{ performance: OeeFactor; quality: OeeFactor }> {
    const products = this.products();
    if (!products) {
      const why = '产品产出功能未启用，没有产出数据';
      return { performance: noData(why), quality: noData(why) };
    }
    const outputs =
      to > from ? await products.outputsInRange(orgId, machineId, new Date(from), new Date(to)) : [];
    if (!outputs.length) {
      const why = '该时段没有产出记录';
      return { performance: noData(why), quality: noData(why) };
    }
    // Each output counts with the share of its span inside the period.
    const shares = outputs.map((o) => {
      const s = o.start.getTime();
      const e = o.end.getTime();
      const inside = Math.max(0, Math.min(e, to) - Math.max(s, from));
      const share = e > s ? inside / (e - s) : 1;
      return {
        ...o,
        amount: o.amount * share,
        reject: o.rejectAmount === null ? null : o.rejectAmount * share,
      };
    });
    const total = shares.reduce((s, o) => s + o.amount, 0);

    let quality: OeeFactor;
    const missing = shares.filter((o) => o.reject === null).length;
    if (missing) quality = noData(`${missing} 条产出没有填写不合格数量`);
    else if (total <= 0) quality = noData('产出数量为 0');
    else {
      const rejects = shares.reduce((s, o) => s + (o.reject ?? 0), 0);
      quality = factor(
        (total - rejects) / total,
        `合格 ${(total - rejects).toFixed(2)} ÷ 产出 ${total.toFixed(2)}`,
      );
    }

    let performance: OeeFactor;
    const rates = await this.repo.machineIdealRates(machineId);
    const unrated = [...new Set(shares.filter((o) => !rates.has(o.productId)).map((o) => o.productId))];
    if (unrated.length) {
      const names = (await products.productNames?.(orgId, unrated)) ?? new Map<number, string>();
      const named = unrated.map((id) => `「${names.get(id) ?? id}」`).join('、');
      performance = noData(`产品${named}在该机器上没有设置理想产能`);
    } else if (runMs <= 0) performance = noData('运行时间为 0');
    else {
      const idealHours = shares.reduce((s, o) => s + o.amount / rates.get(o.productId)!, 0);
      performance = factor(
        (idealHours * 3_600_000) / runMs,
        `按理想产能生产这些产出需 ${idealHours.toFixed(2)} h ÷ 运行时间 ${hours(runMs)}`,
      );
    }
    return { performance, quality };
  }
}
