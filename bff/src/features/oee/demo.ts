import { sql } from 'drizzle-orm';
import { DEMO_USER } from '../../demo/demo-data';
import type { Db } from '../../infra/db/client';
import type { ProductOutputs } from './factors';
import type { OeeService } from './service';

/**
 * Status rules fitted to the demo site's data. The generated electricity meters carry `P` (the
 * interval's mean power, kW; nominal ≈ 240 kW × the meter's scale, nights ≈ 35 %, weekends ≈ 30 %):
 * 运行 ≥ 60 % of nominal, 待机 15–60 %, 停机 below. The steel plant's real 2018 meter has no power
 * parameter: its states are derived from `Lag_kVarh` (lagging reactive energy per 15 minutes, near 0
 * while the furnace idles): 运行 ≥ 15, 待机 3–15, 停机 below 3.
 */
const FITS: { meter: string; param: string; run: number; idle: number }[] = [
  { meter: '冲压线1电表', param: 'P', run: 0.6 * 240 * 1.5, idle: 0.15 * 240 * 1.5 },
  { meter: '冲压线2电表', param: 'P', run: 0.6 * 240 * 1.2, idle: 0.15 * 240 * 1.2 },
  { meter: '涂装线电表', param: 'P', run: 0.6 * 240 * 0.9, idle: 0.15 * 240 * 0.9 },
  { meter: '空压机电表', param: 'P', run: 0.6 * 240 * 1.1, idle: 0.15 * 240 * 1.1 },
  { meter: '电弧炉电表（2018 实测）', param: 'Lag_kVarh', run: 15, idle: 3 },
];
const r2 = (n: number) => Math.round(n * 100) / 100;
const IDEAL_OVER_BEST_SPAN_RATE = 2.1;

/** Seeds the demo organization's status rules once (idempotent: skipped when it has any). */
export async function seedOeeDemo(
  db: Db,
  service: OeeService,
  orgOf: (user: string) => Promise<number | undefined>,
  /** The products feature's outputs (seeded by its demo before this one), for the ideal rates. */
  products?: ProductOutputs & { productExists(orgId: number, id: number): Promise<boolean> },
  now: Date = new Date(),
): Promise<string[]> {
  const orgId = await orgOf(DEMO_USER);
  if (!orgId) return [];
  const q = async <T>(s: ReturnType<typeof sql>) => ((await db.execute(s)) as unknown as { rows: T[] }).rows;
  const [n] = await q<{ n: string | number }>(
    sql`select count(*) as n from oee_rules where org_id = ${orgId}`,
  );
  if (Number(n?.n ?? 0) > 0) return ['  OEE 演示:            状态规则已存在'];
  let machines = 0;
  let rated = 0;
  for (const f of FITS) {
    const [m] = await q<{ id: number; machine_id: number }>(
      sql`select id, machine_id from meters where org_id = ${orgId} and name = ${f.meter}`,
    );
    if (!m) continue;
    const base = {
      Meter_id: Number(m.id),
      Meter_Parameter: f.param,
      Meter_Superior_id: Number(m.machine_id),
    };
    const run = r2(f.run);
    const idle = r2(f.idle);
    await service.createRule(orgId, {
      ...base,
      Rule_Name: `${f.meter}停机`,
      Status_Name: '停机',
      LowerLimit: 0,
      UpperLimit: r2(idle - 0.01),
    });
    await service.createRule(orgId, {
      ...base,
      Rule_Name: `${f.meter}待机`,
      Status_Name: '待机',
      LowerLimit: idle,
      UpperLimit: r2(run - 0.01),
    });
    await service.createRule(orgId, {
      ...base,
      Rule_Name: `${f.meter}运行`,
      Status_Name: '运行',
      LowerLimit: run,
      UpperLimit: 1e9,
      Is_Running: 1,
    });
    machines++;
    if (products) rated += await seedIdealRates(orgId, base.Meter_Superior_id, service, products, now);
  }
  return [
    `  OEE 演示:            ${machines} 台机器的运行/待机/停机规则（按功率 P；电弧炉按 Lag_kVarh），${rated} 个理想产能`,
  ];
}

/**
 * Ideal rates fitted to the demo data, so performance shows a real figure on first start: per product on
 * the machine, 2.1 × the best hourly rate of its outputs (amount ÷ the output's span). The demo machines are
 * in 运行 (≥ 60 % of nominal power) for about 45 % of a shift, so output per hour of run time is about twice
 * output per hour of span; 2.1 puts performance near 90 % (November on the demo: 144–148 % at 1.25×, so 86–88 %).
 */
async function seedIdealRates(
  orgId: number,
  machineId: number,
  service: OeeService,
  products: ProductOutputs & { productExists(orgId: number, id: number): Promise<boolean> },
  now: Date,
): Promise<number> {
  const outputs = await products.outputsInRange(orgId, machineId, new Date(Date.UTC(2000, 0, 1)), now);
  const best = new Map<number, number>();
  for (const o of outputs) {
    const hours = (o.end.getTime() - o.start.getTime()) / 3_600_000;
    if (hours > 0 && o.amount > 0)
      best.set(o.productId, Math.max(best.get(o.productId) ?? 0, o.amount / hours));
  }
  for (const [productId, rate] of best)
    await service.setIdealRate(
      orgId,
      {
        Meter_Superior_id: machineId,
        Product_id: productId,
        Ideal_Rate: r2(rate * IDEAL_OVER_BEST_SPAN_RATE),
      },
      (o, id) => products.productExists(o, id),
    );
  return best.size;
}
