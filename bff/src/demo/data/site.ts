import { fromLocal } from '../../core/time';
import { ENERGY_KINDS } from './profiles';
import { registerAtSwap } from './readings';
import { createRng } from './rng';
import { STEEL_PARAMS } from './steel';
import type { DemoMachine, DemoMeter, DemoSite, EnergyType, HandFilledMonth } from './types';

export interface SiteOptions {
  seed?: string;
  tz?: string;
  /** Local date of the first reading, "YYYY-MM-DD" (readings start at its midnight). */
  startDate: string;
  days?: number;
  intervalMinutes?: number;
  /** `'demo'`: the showcase site; a number: a benchmark site with that many metered meters. */
  size?: 'demo' | number;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A generated site plan: departments, machines, meters and the events of its year. Pure and seeded. */
export function generateSite(opts: SiteOptions): DemoSite {
  const m = DATE_RE.exec(opts.startDate);
  if (!m) throw new Error(`startDate must be YYYY-MM-DD, got ${opts.startDate}`);
  const tz = opts.tz ?? 'Asia/Shanghai';
  const seed = opts.seed ?? 'wattdesk-demo';
  const intervalMinutes = opts.intervalMinutes ?? 15;
  const days = opts.days ?? 365;
  const [y, mo, d] = m.slice(1).map(Number) as [number, number, number];
  const start = fromLocal(y, mo, d, 0, 0, 0, tz).getTime();
  const end = fromLocal(y, mo, d + days, 0, 0, 0, tz).getTime();
  const base = { seed, tz, start, end, intervalMinutes };
  if (opts.size === undefined || opts.size === 'demo') {
    const site: DemoSite = { ...base, ...demoPlan(seed, start, tz, y, mo, days) };
    if (site.replacement) site.replacement.oldTotal = registerAtSwap(site) ?? 0;
    return site;
  }
  return { ...base, ...benchPlan(seed, opts.size), handFilled: [] };
}

const machine = (key: string, name: string, department: string, code: string, unit: string): DemoMachine => ({
  key,
  name,
  department,
  equipmentCode: code,
  equipmentUnitCode: unit,
});

/** The showcase factory: two workshops, a utilities department, offices and the real steel-plant meter. */
function demoPlan(seed: string, start: number, tz: string, y: number, mo: number, days: number) {
  const rng = createRng(`${seed}:plan`);
  const departments = ['冲压车间', '涂装车间', '动力车间', '综合办公', '炼钢分厂'];
  const machines = [
    machine('power_room', '配电室', '动力车间', '01', 'PD-01'),
    machine('press1', '冲压线1', '冲压车间', '02', 'CY-01'),
    machine('press2', '冲压线2', '冲压车间', '02', 'CY-02'),
    machine('paint', '涂装线', '涂装车间', '03', 'TZ-01'),
    machine('oven', '烘干炉', '涂装车间', '04', 'HG-01'),
    machine('aircomp', '空压机站', '动力车间', '05', 'KY-01'),
    machine('boiler', '锅炉房', '动力车间', '06', 'GL-01'),
    machine('water', '水处理站', '动力车间', '07', 'SC-01'),
    machine('office', '办公楼及食堂', '综合办公', '08', 'BG-01'),
    machine('eaf', '电弧炉（2018 实测）', '炼钢分厂', '09', 'DL-01'),
  ];
  const meter = (
    key: string,
    name: string,
    machineKey: string,
    energyType: EnergyType,
    scale: number,
    extra: Partial<DemoMeter> = {},
  ): DemoMeter => {
    const kind = ENERGY_KINDS[energyType];
    return {
      key,
      name,
      machine: machineKey,
      energyType,
      params: [...kind.params],
      isTotal: false,
      isCount: true,
      source: 'synthetic',
      profile: { ...kind.profile, perQuarter: kind.profile.perQuarter * scale },
      initialTotal: Math.round(rng.range(1_000, 90_000)),
      ...extra,
    };
  };
  const electricParts = ['press1_e', 'press2_e', 'paint_e', 'aircomp_e'];
  const meters: DemoMeter[] = [
    meter('press1_e', '冲压线1电表', 'press1', 0, 1.5),
    meter('press2_e', '冲压线2电表', 'press2', 0, 1.2),
    meter('paint_e', '涂装线电表', 'paint', 0, 0.9),
    meter('aircomp_e', '空压机电表', 'aircomp', 0, 1.1),
    meter('main_e', '总进线电表', 'power_room', 0, 0.4, {
      isTotal: true,
      isCount: false,
      source: 'sum',
      sumOf: electricParts,
    }),
    meter('tap_water', '生产自来水表', 'water', 1, 1),
    meter('reclaimed', '中水回用表', 'water', 2, 1),
    meter('hot_water', '涂装热水表', 'paint', 3, 1),
    meter('soft_water', '锅炉软水表', 'boiler', 4, 1),
    meter('mp_steam', '中压蒸汽流量计', 'oven', 5, 1),
    meter('lp_steam', '低压蒸汽流量计', 'boiler', 6, 1),
    meter('air', '压缩空气流量计', 'aircomp', 7, 1),
    meter('boiler_gas', '锅炉天然气表', 'boiler', 8, 1),
    meter('canteen_gas', '食堂天然气表（手工填报）', 'office', 8, 1, {
      source: 'hand',
      params: [],
      profile: undefined,
      initialTotal: 0,
    }),
    meter('press_sum', '冲压车间合计（虚拟）', 'press1', 0, 1, {
      source: 'virtual',
      isCount: false,
      formula: '{press1_e}+{press2_e}',
      params: [],
      profile: undefined,
      initialTotal: 0,
    }),
    meter('unmetered_e', '未计量用电（虚拟）', 'power_room', 0, 1, {
      source: 'virtual',
      formula: '{main_e}-({press1_e}+{press2_e}+{paint_e}+{aircomp_e})',
      params: [],
      profile: undefined,
      initialTotal: 0,
    }),
    meter('eaf_e', '电弧炉电表（2018 实测）', 'eaf', 0, 1, {
      source: 'steel',
      params: [...STEEL_PARAMS],
      profile: undefined,
      initialTotal: 120_000,
    }),
  ];
  // The second press line's meter is swapped at 10:00 on a day about half way through the year.
  const swapDay = Math.min(days - 1, Math.floor(days * 0.47));
  const at = start + (swapDay * 24 + 10) * 3_600_000;
  const replacement = { meter: 'press2_e', at, oldTotal: 0, newInitial: 0 };
  const handFilled: HandFilledMonth[] = [];
  const months = Math.floor(days / 31) + 1;
  for (let i = 0; i < months; i++) {
    const first = fromLocal(y, mo + i, 1, 0, 0, 0, tz);
    const next = fromLocal(y, mo + i + 1, 1, 0, 0, 0, tz);
    if (first.getTime() < start || next.getTime() > start + days * 86_400_000) continue;
    const month = new Date(Date.UTC(y, mo - 1 + i, 1));
    const winter = Math.cos((2 * Math.PI * (month.getUTCMonth() - 0.5)) / 12);
    handFilled.push({
      meter: 'canteen_gas',
      month: `${month.getUTCFullYear()}-${String(month.getUTCMonth() + 1).padStart(2, '0')}-01 00:00:00`,
      amount: Math.round(1100 + 250 * winter + rng.range(-60, 60)),
    });
  }
  return { departments, machines, meters, replacement, handFilled };
}

/** A benchmark site: `count` metered meters spread over departments of ten machines, every energy type. */
function benchPlan(seed: string, count: number) {
  const rng = createRng(`${seed}:plan`);
  const perMachine = 10;
  const machineCount = Math.max(1, Math.ceil(count / perMachine));
  const departments = Array.from(
    { length: Math.max(1, Math.ceil(machineCount / 10)) },
    (_, i) => `车间${i + 1}`,
  );
  const machines = Array.from({ length: machineCount }, (_, i) =>
    machine(`m${i + 1}`, `机器${i + 1}`, departments[Math.floor(i / 10)]!, '01', `BM-${i + 1}`),
  );
  const meters: DemoMeter[] = Array.from({ length: count }, (_, i) => {
    const energyType = (i % 9) as EnergyType;
    const kind = ENERGY_KINDS[energyType];
    return {
      key: `b${i + 1}`,
      name: `仪表${i + 1}`,
      machine: `m${Math.floor(i / perMachine) + 1}`,
      energyType,
      params: [...kind.params],
      isTotal: false,
      isCount: true,
      source: 'synthetic',
      profile: { ...kind.profile, perQuarter: kind.profile.perQuarter * rng.range(0.5, 2) },
      initialTotal: Math.round(rng.range(1_000, 90_000)),
    };
  });
  return { departments, machines, meters };
}
