import {
  ENERGY_NAMES,
  ENERGY_UNITS,
  type BatchItem,
  type BatchStatisticQuery,
  type BatchStatisticRow,
  type CoalFactorItem,
  type OutputCreateBody,
  type OutputItem,
  type OutputListQuery,
  type OutputStatisticQuery,
  type OutputStatisticRow,
  type ProductAmountType,
  type ProductItem,
} from '@wattdesk/shared';
import { AppError, invalid, isUniqueViolation, notFound, pgErrorOf } from '../../core/errors';
import { formatLocal, parseLocal } from '../../core/time';
import type { Clock } from '../../infra/clock';
import { buckets, defaultInterval, TooManyBuckets, type TimeType } from '../calendar/calendar';
import type { MeteringDeps } from '../meters/wiring';
import { DEFAULT_FACTORS, ENERGY_TYPES, factorUnit } from './factors';
import type { OutputView, ProductsRepository } from './repository';
import {
  addShare,
  clip,
  emptyTotals,
  kgce,
  round6,
  segmentPoints,
  shares,
  type Share,
  type StatOutput,
  type Totals,
} from './statistics';

/** A whole output of a machine, as the oee feature reads it (it pro-rates itself). */
export interface MachineOutput {
  productId: number;
  amount: number;
  rejectAmount: number | null;
  start: Date;
  end: Date;
}

/** What other features may use of products (ctx.use('products')). */
export interface ProductsApi {
  /** Outputs of a machine overlapping [from, to), whole (not cut at the range), oldest first. */
  outputsInRange(orgId: number, machineId: number, from: Date, to: Date): Promise<MachineOutput[]>;
  /** kgce per unit of each energy type (0–8) in force for the organization. */
  factors(orgId: number): Promise<Map<number, number>>;
  /** Whether the product exists in the organization (another organization's is not). */
  productExists(orgId: number, productId: number): Promise<boolean>;
  /** Names of the organization's products among `ids` (for texts shown to people). */
  productNames(orgId: number, ids: readonly number[]): Promise<Map<number, string>>;
}

const MAX_PERIODS = 1000;

const duplicate = (field: string, what: string) =>
  new AppError('conflict', `${what}已存在`, { field, rule: '名称在本组织内唯一' });

/** Products, outputs, batches (seed 002 §8), their statistics and the standard-coal factors. */
export class ProductsService implements ProductsApi {
  constructor(
    private readonly repo: ProductsRepository,
    private readonly metering: Pick<MeteringDeps, 'calendar' | 'energy'>,
    private readonly clock: Clock,
  ) {}

  private async tz(orgId: number) {
    return (await this.metering.calendar.rule(orgId)).tz;
  }

  // -------------------------------------------------------------------------------------------------
  // 8.1–8.4 products
  // -------------------------------------------------------------------------------------------------

  async listProducts(orgId: number, id: number | undefined, limit: number, offset: number) {
    const { rows, total } = await this.repo.listProducts(orgId, id, limit, offset);
    const items: ProductItem[] = rows.map((p) => ({
      id: p.id,
      Product_Name: p.name,
      Product_Unit: p.unit,
      Remarks: p.remarks,
    }));
    return { items, total };
  }

  async createProduct(orgId: number, b: { Product_Name: string; Product_Unit?: string; Remarks?: string }) {
    try {
      return await this.repo.insertProduct(orgId, {
        name: b.Product_Name,
        unit: b.Product_Unit ?? '',
        remarks: b.Remarks ?? '',
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate('Product_Name', `产品 ${b.Product_Name} `);
      throw err;
    }
  }

  async updateProduct(
    orgId: number,
    b: { id: number; Product_Name: string; Product_Unit?: string; Remarks?: string },
  ) {
    const row = await this.repo.findProduct(orgId, b.id);
    if (!row) throw notFound('产品');
    try {
      await this.repo.updateProduct(orgId, b.id, {
        name: b.Product_Name,
        unit: b.Product_Unit ?? row.unit,
        remarks: b.Remarks ?? row.remarks,
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate('Product_Name', `产品 ${b.Product_Name} `);
      throw err;
    }
  }

  async removeProduct(orgId: number, id: number) {
    const row = await this.repo.findProduct(orgId, id);
    if (!row) throw notFound('产品');
    await this.refuseUsed(orgId, 'product', id, `产品 ${row.name}`);
    await this.inUseOnForeignKey(() => this.repo.deleteProduct(orgId, id), `产品 ${row.name}`);
  }

  /** 4004 naming the outputs that use a product or batch. */
  private async refuseUsed(orgId: number, col: 'product' | 'batch', id: number, what: string) {
    const used = await this.repo.usedBy(orgId, col, id);
    if (!used.total) return;
    const more = used.total > used.ids.length ? ` 等 ${used.total} 条` : '';
    throw new AppError('in_use', `${what}被产量记录 ${used.ids.join('、')}${more}使用，不能删除`, {
      field: 'id',
      dependents: [{ table: 'product_outputs', ids: used.ids, total: used.total }],
    });
  }

  /** An output added between the check and the delete still refuses it (the foreign key), as 4004. */
  private async inUseOnForeignKey(fn: () => Promise<void>, what: string) {
    try {
      await fn();
    } catch (err) {
      if (pgErrorOf(err)?.code === '23503')
        throw new AppError('in_use', `${what}正被产量记录使用，不能删除`, { field: 'id' });
      throw err;
    }
  }

  // -------------------------------------------------------------------------------------------------
  // 8.10–8.13 batches
  // -------------------------------------------------------------------------------------------------

  private batchTimes(tz: string, b: { Time_Start: string; Time_End: string }) {
    const timeStart = parseLocal(b.Time_Start, tz);
    if (!timeStart) throw invalid('Time_Start', '不是有效的日期时间');
    const timeEnd = parseLocal(b.Time_End, tz);
    if (!timeEnd) throw invalid('Time_End', '不是有效的日期时间');
    if (timeEnd < timeStart) throw invalid('Time_End', 'Time_End 不能早于 Time_Start');
    return { timeStart, timeEnd };
  }

  async listBatches(orgId: number, id: number | undefined, limit: number, offset: number) {
    const tz = await this.tz(orgId);
    const { rows, total } = await this.repo.listBatches(orgId, id, limit, offset);
    const items: BatchItem[] = rows.map((b) => ({
      id: b.id,
      Production_Batch: b.name,
      Time_Start: formatLocal(b.timeStart, tz),
      Time_End: formatLocal(b.timeEnd, tz),
      Output_Numbers: b.used,
    }));
    return { items, total };
  }

  async createBatch(orgId: number, b: { Production_Batch: string; Time_Start: string; Time_End: string }) {
    const times = this.batchTimes(await this.tz(orgId), b);
    try {
      return await this.repo.insertBatch(orgId, { name: b.Production_Batch, ...times });
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate('Production_Batch', `生产批次 ${b.Production_Batch} `);
      throw err;
    }
  }

  async updateBatch(
    orgId: number,
    b: { id: number; Production_Batch: string; Time_Start: string; Time_End: string },
  ) {
    const times = this.batchTimes(await this.tz(orgId), b);
    if (!(await this.repo.findBatch(orgId, b.id))) throw notFound('生产批次');
    try {
      await this.repo.updateBatch(orgId, b.id, { name: b.Production_Batch, ...times });
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate('Production_Batch', `生产批次 ${b.Production_Batch} `);
      throw err;
    }
  }

  async removeBatch(orgId: number, id: number) {
    const row = await this.repo.findBatch(orgId, id);
    if (!row) throw notFound('生产批次');
    await this.refuseUsed(orgId, 'batch', id, `生产批次 ${row.name}`);
    await this.inUseOnForeignKey(() => this.repo.deleteBatch(orgId, id), `生产批次 ${row.name}`);
  }

  // -------------------------------------------------------------------------------------------------
  // 8.5–8.8 outputs
  // -------------------------------------------------------------------------------------------------

  async listOutputs(orgId: number, q: OutputListQuery, limit: number, offset: number) {
    const tz = await this.tz(orgId);
    const { rows, total } = await this.repo.listOutputs(
      orgId,
      {
        id: q.id,
        machineId: q.Meter_Superior_id,
        productName: q.Product_Name || undefined,
        batchName: q.Production_Batch || undefined,
      },
      limit,
      offset,
    );
    return { items: rows.map((o) => presentOutput(o, tz)), total };
  }

  /** Checks an output's references (each in the caller's organization: 4002 otherwise) and times. */
  private async outputValues(orgId: number, b: OutputCreateBody) {
    const tz = await this.tz(orgId);
    const timeStart = parseLocal(b.Time_Start, tz);
    if (!timeStart) throw invalid('Time_Start', '不是有效的日期时间');
    const timeEnd = parseLocal(b.Time_End, tz);
    if (!timeEnd) throw invalid('Time_End', '不是有效的日期时间');
    if (timeEnd <= timeStart) throw invalid('Time_End', 'Time_End 必须晚于 Time_Start');
    if (b.Reject_Amount !== undefined && b.Reject_Amount > b.Total_Amount)
      throw invalid('Reject_Amount', 'Reject_Amount 不能大于 Total_Amount');
    if (!(await this.repo.findProduct(orgId, b.Product_id)))
      throw new AppError('not_found', '产品不存在', { field: 'Product_id' });
    if (!(await this.repo.machineOf(orgId, b.Meter_Superior_id)))
      throw new AppError('not_found', '机器不存在', { field: 'Meter_Superior_id' });
    if (!(await this.repo.findBatch(orgId, b.ProductBatch_id)))
      throw new AppError('not_found', '生产批次不存在', { field: 'ProductBatch_id' });
    return {
      productId: b.Product_id,
      machineId: b.Meter_Superior_id,
      batchId: b.ProductBatch_id,
      totalAmount: b.Total_Amount,
      rejectAmount: b.Reject_Amount ?? null,
      timeStart,
      timeEnd,
    };
  }

  async createOutput(orgId: number, b: OutputCreateBody) {
    const v = await this.outputValues(orgId, b);
    return this.repo.insertOutput(orgId, v, this.clock.now());
  }

  async updateOutput(orgId: number, b: OutputCreateBody & { id: number }) {
    if (!(await this.repo.findOutput(orgId, b.id))) throw notFound('产量记录');
    await this.repo.updateOutput(orgId, b.id, await this.outputValues(orgId, b));
  }

  async removeOutput(orgId: number, id: number) {
    if (!(await this.repo.findOutput(orgId, id))) throw notFound('产量记录');
    await this.repo.deleteOutput(orgId, id);
  }

  async productExists(orgId: number, productId: number): Promise<boolean> {
    return (await this.repo.findProduct(orgId, productId)) !== undefined;
  }

  async productNames(orgId: number, ids: readonly number[]): Promise<Map<number, string>> {
    const names = new Map<number, string>();
    for (const id of new Set(ids)) {
      const row = await this.repo.findProduct(orgId, id);
      if (row) names.set(id, row.name);
    }
    return names;
  }

  async outputsInRange(orgId: number, machineId: number, from: Date, to: Date): Promise<MachineOutput[]> {
    const rows = await this.repo.outputs(orgId, { machineId, from, to });
    return rows.map((o) => ({
      productId: o.productId,
      amount: o.totalAmount,
      rejectAmount: o.rejectAmount,
      start: o.timeStart,
      end: o.timeEnd,
    }));
  }

  // -------------------------------------------------------------------------------------------------
  // Standard-coal factors
  // -------------------------------------------------------------------------------------------------

  async factors(orgId: number): Promise<Map<number, number>> {
    const set = new Map((await this.repo.factors(orgId)).map((f) => [f.energyType, f.factor]));
    return new Map(ENERGY_TYPES.map((t) => [t, set.get(t) ?? DEFAULT_FACTORS[t]!.factor]));
  }

  async factorItems(orgId: number): Promise<CoalFactorItem[]> {
    const set = new Map((await this.repo.factors(orgId)).map((f) => [f.energyType, f]));
    return ENERGY_TYPES.map((t) => {
      const own = set.get(t);
      return {
        Energy_Type: t,
        Ene_Name: ENERGY_NAMES[t] ?? '',
        Factor: own?.factor ?? DEFAULT_FACTORS[t]!.factor,
        Factor_Unit: factorUnit(t),
        Energy_Unit: ENERGY_UNITS[t] ?? '',
        Source: own ? own.source || '本组织设定' : DEFAULT_FACTORS[t]!.source,
        Is_Default: own ? 0 : 1,
      };
    });
  }

  async setFactor(orgId: number, b: { Energy_Type: number; Factor: number; Source?: string }) {
    await this.repo.setFactor(orgId, b.Energy_Type, b.Factor, b.Source ?? '', this.clock.now());
  }

  async resetFactor(orgId: number, energyType: number) {
    await this.repo.resetFactor(orgId, energyType);
  }

  // -------------------------------------------------------------------------------------------------
  // 8.9 / 8.14 statistics
  // -------------------------------------------------------------------------------------------------

  /** 8.9: outputs in [Time_Start, Time_End) by product / machine, as totals or per period. */
  async outputStatistic(orgId: number, q: OutputStatisticQuery): Promise<OutputStatisticRow[]> {
    needsEnergyType(q);
    if (q.Is_Order === 1 && q.Return_Format === 2)
      throw invalid('Is_Order', '仅当 Return_Format 为 1 时可排序');
    const cal = await this.metering.calendar.calendar(orgId);
    const tz = cal.rule.tz;
    const from = parseLocal(q.Time_Start, tz);
    if (!from) throw invalid('Time_Start', '不是有效的日期时间');
    const to = parseLocal(q.Time_End, tz);
    if (!to) throw invalid('Time_End', '不是有效的日期时间');
    if (to <= from) throw invalid('Time_End', 'Time_End 必须晚于 Time_Start');
    let periods: { start: number; end: number }[];
    try {
      const type = q.Time_Type as TimeType;
      periods =
        q.Return_Format === 1
          ? [{ start: from.getTime(), end: to.getTime() }]
          : buckets(cal, type, from.getTime(), to.getTime(), defaultInterval(type), MAX_PERIODS).map((b) => ({
              start: Math.max(b.start, from.getTime()),
              end: Math.min(b.end, to.getTime()),
            }));
    } catch (err) {
      if (err instanceof TooManyBuckets)
        throw invalid('Time_End', `时间段过多（超过 ${MAX_PERIODS} 个），请缩小范围`);
      throw err;
    }
    await this.knownNames(orgId, q);
    const rows = await this.repo.outputs(orgId, {
      productName: q.Product_Name || undefined,
      from,
      to,
    });
    const list = rows.filter((o) => !q.Meter_Superior || o.machineName === q.Meter_Superior);
    const window = { start: from.getTime(), end: to.getTime() };
    const { all, factors } = await this.shareOut(orgId, list, window, periods);
    const key = (s: Share) =>
      q.Summary_Type === 1
        ? `${s.output.productName}\u0000`
        : q.Summary_Type === 2
          ? `\u0000${s.output.machineName}`
          : `${s.output.productName}\u0000${s.output.machineName}`;
    const groups = new Map<string, Totals[]>();
    // every group that has an output in the range, in the order of the outputs' names
    for (const o of [...list].sort(byNames)) {
      const k = key({ output: statOf(o) } as Share);
      if (!groups.has(k)) groups.set(k, periods.map(emptyTotals));
    }
    for (const s of all) addShare(groups.get(key(s))![s.period]!, s);
    const out: OutputStatisticRow[] = [];
    for (const [k, totals] of groups) {
      const [Product_Name, Meter_Superior] = k.split('\u0000') as [string, string];
      totals.forEach((t, i) => {
        // a group's unit: its products' unit(s), also for periods where it produced nothing
        if (!t.units.size) for (const u of unitsOf(list, Product_Name, Meter_Superior)) t.units.add(u);
        const v = valueOf(q.Amount_Type, t, q.Energy_Type, factors);
        out.push({
          Product_Name,
          Meter_Superior,
          Time: formatLocal(new Date(periods[i]!.start), tz),
          Total_Amount: v.value,
          Unit: v.unit,
        });
      });
    }
    return orderAndLimit(out, q);
  }

  /** 8.14: whole outputs of the named batches by batch / product / machine. */
  async batchStatistic(orgId: number, q: BatchStatisticQuery): Promise<BatchStatisticRow[]> {
    needsEnergyType(q);
    const names = [
      ...new Set(
        q.Production_Batch.split(/[,，]/)
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ];
    if (!names.length) throw invalid('Production_Batch', 'Production_Batch 不能为空');
    const batches = new Set((await this.repo.allBatches(orgId)).map((b) => b.name));
    const missing = names.filter((n) => !batches.has(n));
    if (missing.length) throw invalid('Production_Batch', `生产批次不存在：${missing.join('、')}`);
    await this.knownNames(orgId, q);
    const rows = (
      await this.repo.outputs(orgId, { batchNames: names, productName: q.Product_Name || undefined })
    ).filter((o) => !q.Meter_Superior || o.machineName === q.Meter_Superior);
    const { all, factors } = await this.shareOut(orgId, rows, null, null);
    const key = (o: StatOutput) =>
      q.Summary_Type === 1
        ? ['', o.productName, '']
        : q.Summary_Type === 2
          ? ['', '', o.machineName]
          : q.Summary_Type === 3
            ? [o.batchName, '', '']
            : [o.batchName, o.productName, o.machineName];
    const groups = new Map<string, { names: string[]; totals: Totals }>();
    for (const o of [...rows].sort(byNames)) {
      const names3 = key(statOf(o));
      const k = names3.join('\u0000');
      if (!groups.has(k)) groups.set(k, { names: names3, totals: emptyTotals() });
    }
    for (const s of all) addShare(groups.get(key(s.output).join('\u0000'))!.totals, s);
    const out: BatchStatisticRow[] = [...groups.values()].map(({ names: [b, p, m], totals }) => {
      const v = valueOf(q.Amount_Type, totals, q.Energy_Type, factors);
      return {
        Production_Batch: b!,
        Product_Name: p!,
        Meter_Superior: m!,
        Total_Amount: v.value,
        Unit: v.unit,
      };
    });
    return orderAndLimit(out, q);
  }

  /** 4103 for a Product_Name or Meter_Superior filter naming nothing of the organization. */
  private async knownNames(orgId: number, q: { Product_Name?: string; Meter_Superior?: string }) {
    if (q.Product_Name) {
      const all = await this.repo.allProducts(orgId);
      if (!all.some((p) => p.name === q.Product_Name))
        throw invalid('Product_Name', `产品不存在：${q.Product_Name}`);
    }
    if (q.Meter_Superior) {
      const all = await this.repo.allMachines(orgId);
      if (!all.some((m) => m.name === q.Meter_Superior))
        throw invalid('Meter_Superior', `机器不存在：${q.Meter_Superior}`);
    }
  }

  /** Every output's share per period, with the machines' metered energy, and the factors. */
  private async shareOut(
    orgId: number,
    rows: OutputView[],
    window: { start: number; end: number } | null,
    periods: { start: number; end: number }[] | null,
  ) {
    const clipped = clip(rows.map(statOf), window);
    // one period covering every output when none is asked for (8.14); reduce, not spread: many outputs
    const span =
      periods ??
      (clipped.length
        ? [
            {
              start: clipped.reduce((m, c) => Math.min(m, c.s), Infinity),
              end: clipped.reduce((m, c) => Math.max(m, c.e), -Infinity),
            },
          ]
        : []);
    const points = segmentPoints(clipped, span);
    const machineIds = [...new Set(clipped.map((c) => c.o.machineId))];
    const [energy, factors] = await Promise.all([
      this.metering.energy.machineSegments(orgId, machineIds, points),
      this.factors(orgId),
    ]);
    return { all: shares(clipped, points, span, energy), factors };
  }
}

const statOf = (o: OutputView): StatOutput => ({
  id: o.id,
  productName: o.productName,
  productUnit: o.productUnit,
  machineId: o.machineId,
  machineName: o.machineName,
  batchName: o.batchName,
  amount: o.totalAmount,
  start: o.timeStart.getTime(),
  end: o.timeEnd.getTime(),
});

const byNames = (a: OutputView, b: OutputView) =>
  a.batchName.localeCompare(b.batchName) ||
  a.productName.localeCompare(b.productName) ||
  a.machineName.localeCompare(b.machineName);

function unitsOf(list: OutputView[], product: string, machine: string) {
  return list
    .filter((o) => (!product || o.productName === product) && (!machine || o.machineName === machine))
    .map((o) => o.productUnit);
}

function needsEnergyType(q: { Amount_Type: number; Energy_Type?: number }) {
  if ((q.Amount_Type === 2 || q.Amount_Type === 4) && q.Energy_Type === undefined)
    throw invalid('Energy_Type', 'Amount_Type 为 2 或 4 时必须给出 Energy_Type（0–8）');
}

/** The unit of a group's output: its products' unit, "单位" when none was set, joined when they differ. */
const outputUnit = (t: Totals) =>
  [...t.units]
    .map((u) => u || '单位')
    .sort()
    .join('、') || '单位';

/** A group's figure for an Amount_Type, with its unit; null when there is no output (or run time) to divide by. */
export function valueOf(
  type: ProductAmountType,
  t: Totals,
  energyType: number | undefined,
  factors: Map<number, number>,
): { value: number | null; unit: string } {
  const unit = outputUnit(t);
  const eUnit = energyType === undefined ? '' : (ENERGY_UNITS[energyType] ?? '');
  const energy = energyType === undefined ? 0 : (t.energy.get(energyType) ?? 0);
  const per = (x: number) => (t.amount > 0 ? round6(x / t.amount) : null);
  switch (type) {
    case 1:
      return { value: round6(t.amount), unit };
    case 2:
      return { value: round6(energy), unit: eUnit };
    case 3:
      return { value: round6(kgce(t, factors) / 1000), unit: 'tce' };
    case 4:
      return { value: per(energy), unit: `${eUnit}/${unit}` };
    case 5:
      return { value: per(kgce(t, factors)), unit: `kgce/${unit}` };
    case 6:
      return { value: t.hours > 0 ? round6(t.amount / t.hours) : null, unit: `${unit}/h` };
  }
}

/** Is_Order 1 sorts by Total_Amount (Order_Type 1 ascending, 2 descending; no figure last); Limit cuts. */
function orderAndLimit<T extends { Total_Amount: number | null }>(
  rows: T[],
  q: { Is_Order?: number; Order_Type?: number; Limit?: number },
): T[] {
  let out = rows;
  if (q.Is_Order === 1) {
    const dir = q.Order_Type === 2 ? -1 : 1;
    out = [...rows].sort((a, b) => {
      if (a.Total_Amount === null || b.Total_Amount === null)
        return (a.Total_Amount === null ? 1 : 0) - (b.Total_Amount === null ? 1 : 0);
      return dir * (a.Total_Amount - b.Total_Amount);
    });
  }
  return q.Limit ? out.slice(0, q.Limit) : out;
}

function presentOutput(o: OutputView, tz: string): OutputItem {
  return {
    id: o.id,
    Product_id: o.productId,
    Total_Amount: o.totalAmount,
    Meter_Superior_id: o.machineId,
    Time_Start: formatLocal(o.timeStart, tz),
    Time_End: formatLocal(o.timeEnd, tz),
    Create_Time: formatLocal(o.createdAt, tz),
    ProductBatch_id: o.batchId,
    Reject_Amount: o.rejectAmount,
    Product_Name: o.productName,
    Product_Unit: o.productUnit,
    Meter_Superior: o.machineName,
    Production_Batch: o.batchName,
  };
}
