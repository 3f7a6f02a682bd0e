import { AppError, invalid, notFound } from '../../core/errors';
import { parseLocal } from '../../core/time';
import type { Clock } from '../../infra/clock';
import type { CalendarService } from '../calendar/service';
import { lockMeters, lockOrgCalendar } from '../calendar/locks';
import type { IngestService } from '../readings/ingest';
import type { ReadingsRepository } from '../readings/repository';
import { FormulaError, findCycle, formulaRefs, parseFormula } from './formula';
import type { MeterFilter, MeterRow, MetersRepository } from './repository';
import { conflictOnDuplicate, refusedByDependents } from './pg-errors';

/** Everything a meter is made of (2.1/2.2), already parsed from the wire. */
export interface MeterCommand {
  name: string;
  energyType: number;
  machineId: number;
  remarks?: string;
  /** Total counted before a swap (`Meter_TotalAmount`). */
  totalAmount?: number;
  isVirtual?: boolean;
  formula?: string;
  isTotal?: boolean;
  isCount?: boolean;
  isHandwork?: boolean;
  params?: string[];
  registerMax?: number;
  /** Plausibility ceiling per hour (`Meter_Max_Rate`); unset = the energy type's default. */
  maxRate?: number;
  /** Local "YYYY-MM-DD HH:mm:ss" of a swap recorded by a changed `totalAmount` (default now). */
  replaceTime?: string;
  /** The new register's value when installed (default 0). */
  startAmount?: number;
}

/** Meters (002 §2.1–2.4): virtual-meter formulas, replacements, and deletion that respects dependents. */
export class MetersService {
  constructor(
    private readonly repo: MetersRepository,
    private readonly ingest: IngestService,
    private readonly readings: ReadingsRepository,
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
  ) {}

  /** 2.1: creates a meter; returns it. */
  async create(orgId: number, cmd: MeterCommand): Promise<MeterRow> {
    await this.checkMachine(orgId, cmd.machineId);
    const refs = await this.checkFormula(orgId, undefined, cmd);
    return conflictOnDuplicate(
      () =>
        this.repo.db.transaction((tx) =>
          this.repo.insertMeter(tx, { orgId, ...this.values(cmd) }, refs, {
            totalBefore: cmd.totalAmount ?? 0,
            startAmount: cmd.startAmount ?? 0,
          }),
        ),
      'Meter_Name',
      `仪表名 ${cmd.name} 已存在`,
    );
  }

  /** 2.2: changes a meter. A changed `totalAmount` records a replacement and re-derives consumption after it. */
  async update(orgId: number, id: number, change: MeterCommand): Promise<void> {
    const current = await this.repo.findMeter(orgId, id);
    if (!current) throw notFound('仪表');
    const cmd = withCurrent(current, change);
    await this.checkMachine(orgId, cmd.machineId);
    const refs = await this.checkFormula(orgId, id, cmd);
    if (cmd.isVirtual && !current.isVirtual && (await this.repo.hasData(id)))
      throw invalid('Meter_IsVirtual', '已有读数的仪表不能改为虚拟表');
    const tz = (await this.calendar.rule(orgId)).tz;
    let replacedAt: Date | undefined;
    if (cmd.totalAmount !== undefined && cmd.totalAmount !== current.totalAmount) {
      replacedAt = cmd.replaceTime ? (parseLocal(cmd.replaceTime, tz) ?? undefined) : this.clock.now();
      if (!replacedAt) throw invalid('Meter_Replace_Time', '不是有效的日期时间');
    } else if (cmd.replaceTime !== undefined) {
      throw invalid('Meter_Replace_Time', '只有修改 Meter_TotalAmount（换表）时才能给出换表时间');
    }
    const maxChanged = (cmd.registerMax ?? null) !== current.registerMax;
    await conflictOnDuplicate(
      () =>
        this.repo.db.transaction(async (tx) => {
          await lockOrgCalendar(tx, orgId, 'shared');
          await lockMeters(tx, [id]);
          await this.repo.updateMeter(tx, orgId, id, this.values(cmd), refs);
          if (replacedAt)
            await this.repo.addEpoch(tx, id, replacedAt, cmd.totalAmount!, cmd.startAmount ?? 0);
          const from = maxChanged ? 0 : replacedAt?.getTime();
          if (from !== undefined) await this.ingest.recomputeIn(tx, orgId, id, from);
          if (cmd.energyType !== current.energyType)
            await this.readings.recomputeCosts(tx, orgId, { meterId: id });
        }),
      'Meter_Name',
      `仪表名 ${cmd.name} 已存在`,
    );
  }

  /** 2.4: deletes a meter and its own data; refused (4004) while a virtual meter or other record uses it. */
  async remove(orgId: number, id: number): Promise<void> {
    const current = await this.repo.findMeter(orgId, id);
    if (!current) throw notFound('仪表');
    const deps = await this.repo.dependents(id);
    if (deps.length)
      throw new AppError(
        'in_use',
        `仪表正在被虚拟表使用，不能删除：${deps.map((d) => `${d.name}（${d.id}）`).join('、')}`,
        {
          dependents: deps.map((d) => ({ id: d.id, Meter_Name: d.name })),
        },
      );
    await refusedByDependents(() => this.repo.deleteMeter(orgId, id), '仪表');
  }

  /** 2.3: meters with their machines, filtered and paged. */
  list(orgId: number, f: MeterFilter, limit: number, offset: number) {
    return this.repo.listMeters(orgId, f, limit, offset);
  }

  private values(cmd: MeterCommand) {
    return {
      name: cmd.name,
      energyType: cmd.energyType,
      machineId: cmd.machineId,
      remarks: cmd.remarks ?? '',
      totalAmount: cmd.totalAmount ?? 0,
      registerMax: cmd.registerMax ?? null,
      maxRate: cmd.maxRate ?? null,
      isVirtual: cmd.isVirtual ?? false,
      formula: cmd.isVirtual ? (cmd.formula ?? '').trim() : '',
      isTotal: cmd.isTotal ?? false,
      isCount: cmd.isCount ?? false,
      isHandwork: cmd.isHandwork ?? false,
      ...(cmd.params ? { params: [...new Set(cmd.params)] } : {}),
    };
  }

  private async checkMachine(orgId: number, machineId: number): Promise<void> {
    if (!(await this.repo.findMachine(orgId, machineId)))
      throw invalid('Meter_Superior_id', `机器 ${machineId} 不存在`);
  }

  /** Parses a virtual meter's formula and checks its meters: known, in the org, no self-reference, no cycle. */
  private async checkFormula(orgId: number, self: number | undefined, cmd: MeterCommand): Promise<number[]> {
    const text = (cmd.formula ?? '').trim();
    if (cmd.isVirtual && cmd.isHandwork) throw invalid('Is_HandWork', '虚拟表不能是手工填报仪表');
    if (!cmd.isVirtual) {
      if (text) throw invalid('Meter_Formula', '只有虚拟表（Meter_IsVirtual 为 1）可以设置公式');
      return [];
    }
    if (!text) throw invalid('Meter_Formula', '虚拟表必须设置公式，如 [12]+[13]-[14]');
    let refs: number[];
    try {
      refs = formulaRefs(parseFormula(text));
    } catch (err) {
      if (err instanceof FormulaError) throw invalid('Meter_Formula', `公式错误：${err.message}`);
      throw err;
    }
    if (self !== undefined && refs.includes(self))
      throw invalid('Meter_Formula', `公式不能引用仪表自身 [${self}]`);
    const all = await this.repo.allMeters(orgId);
    const byId = new Map(all.map((m) => [m.id, m]));
    const unknown = refs.filter((r) => !byId.has(r));
    if (unknown.length)
      throw invalid('Meter_Formula', `公式引用了不存在的仪表：${unknown.map((u) => `[${u}]`).join('、')}`);
    if (self !== undefined) {
      const refsOf = (id: number) => {
        const m = byId.get(id);
        return m?.isVirtual && m.formula ? safeRefs(m.formula) : [];
      };
      const cycle = findCycle(self, refs, refsOf);
      if (cycle)
        throw invalid('Meter_Formula', `公式形成循环引用：${cycle.map((c) => `[${c}]`).join(' → ')}`);
    }
    return refs;
  }
}

/** A 2.2 change over the stored meter: an optional field left out keeps its stored value. */
function withCurrent(m: MeterRow, c: MeterCommand): MeterCommand {
  return {
    ...c,
    remarks: c.remarks ?? m.remarks,
    totalAmount: c.totalAmount ?? m.totalAmount,
    isVirtual: c.isVirtual ?? m.isVirtual,
    formula: c.formula ?? (c.isVirtual === false ? '' : m.formula),
    isTotal: c.isTotal ?? m.isTotal,
    isCount: c.isCount ?? m.isCount,
    isHandwork: c.isHandwork ?? m.isHandwork,
    params: c.params ?? m.params,
    registerMax: c.registerMax ?? m.registerMax ?? undefined,
    maxRate: c.maxRate ?? m.maxRate ?? undefined,
  };
}

function safeRefs(formula: string): number[] {
  try {
    return formulaRefs(parseFormula(formula));
  } catch {
    return [];
  }
}
