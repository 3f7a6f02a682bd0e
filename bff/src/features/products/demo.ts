import { sql } from 'drizzle-orm';
import { fromLocal, localParts } from '../../core/time';
import type { Clock } from '../../infra/clock';
import type { Db } from '../../infra/db/client';
import type { CalendarService } from '../calendar/service';
import type { ProductsRepository } from './repository';
import type { ProductsService } from './service';
import { productOutputs } from './tables';

/** The demo login (bff/src/demo/demo-data.ts). */
export const DEMO_USER = 'demo';

/** Demo products and the machines (by the demo site's names) that make them, with output per hour. */
const PLAN = [
  { product: '冲压件', unit: '件', machines: ['冲压线1', '冲压线2'], perHour: 120, steel: false },
  { product: '涂装车身件', unit: '件', machines: ['涂装线'], perHour: 45, steel: false },
  { product: '烘干车身件', unit: '件', machines: ['烘干炉'], perHour: 44, steel: false },
  { product: '钢水', unit: 't', machines: ['电弧炉（2018 实测）'], perHour: 4.2, steel: true },
] as const;

/** A small seeded generator (the demo is the same on every machine). */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface ProductsDemoPorts {
  db: Db;
  clock: Clock;
  calendar: Pick<CalendarService, 'rule'>;
  service: ProductsService;
  repo: ProductsRepository;
  /** The demo user whose organization gets the data (DEMO_USER; tests use their own). */
  user?: string;
}

/**
 * Demo mode: products, monthly batches and a year of outputs on the demo machines — two 12-hour shifts a
 * day (08:00–20:00, 20:00–08:00) over the year of readings ending at today's local midnight, and daily
 * outputs of the steel plant's 2018 meter's furnace over 2018 — so that unit consumption per product and
 * batch shows real numbers on first start. Idempotent: skipped when the demo organization has products.
 */
export async function seedProductsDemo(p: ProductsDemoPorts): Promise<string[]> {
  const { db, clock, service, repo } = p;
  const res = (await db.execute(
    sql`select org_id from users where name = ${p.user ?? DEMO_USER} order by id limit 1`,
  )) as unknown as { rows: { org_id: number }[] };
  const orgId = res.rows[0] ? Number(res.rows[0].org_id) : null;
  if (!orgId) return ['  产品产量演示:        未配置（没有演示账号）'];
  if ((await repo.allProducts(orgId)).length) return ['  产品产量演示:        产品与产量已存在'];
  const machines = new Map((await repo.allMachines(orgId)).map((m) => [m.name, m.id]));
  const tz = (await p.calendar.rule(orgId)).tz;
  const today = localParts(clock.now(), tz);
  const rand = rng(20261201);
  const batches = new Map<string, number>();
  const batchOf = async (prefix: string, y: number, m: number) => {
    const name = `${prefix}-${y}${String(m).padStart(2, '0')}`;
    let id = batches.get(name);
    if (!id) {
      const start = fromLocal(y, m, 1, 0, 0, 0, tz);
      const end = fromLocal(y, m + 1, 1, 0, 0, 0, tz);
      id = (await repo.insertBatch(orgId, { name, timeStart: start, timeEnd: end })).id;
      batches.set(name, id);
    }
    return id;
  };
  const rows: (typeof productOutputs.$inferInsert)[] = [];
  const createdAt = clock.now();
  for (const plan of PLAN) {
    const product = await service.createProduct(orgId, {
      Product_Name: plan.product,
      Product_Unit: plan.unit,
      Remarks: '演示产品',
    });
    for (const name of plan.machines) {
      const machineId = machines.get(name);
      if (!machineId) continue;
      const days = 365;
      for (let d = 0; d < days; d++) {
        const date = plan.steel
          ? { y: 2018, m: 1, day: 1 + d }
          : { y: today.year, m: today.month, day: today.day - days + d };
        const dayStart = fromLocal(date.y, date.m, date.day, 0, 0, 0, tz);
        const parts = localParts(dayStart, tz);
        const batchId = await batchOf(plan.steel ? 'GS' : 'PC', parts.year, parts.month);
        const shifts = plan.steel
          ? [[0, 24]]
          : [
              [8, 20],
              [20, 32],
            ];
        for (const [h0, h1] of shifts) {
          // about one shift in twelve stands still (maintenance), so the output varies
          if (!plan.steel && rand() < 0.08) continue;
          const hours = h1! - h0!;
          const amount = Math.round(plan.perHour * hours * (0.8 + rand() * 0.35) * 10) / 10;
          rows.push({
            orgId,
            productId: product.id,
            machineId,
            batchId,
            totalAmount: amount,
            rejectAmount: Math.round(amount * rand() * 0.03 * 10) / 10,
            timeStart: new Date(dayStart.getTime() + h0! * 3_600_000),
            timeEnd: new Date(dayStart.getTime() + h1! * 3_600_000),
            createdAt,
          });
        }
      }
    }
  }
  for (let i = 0; i < rows.length; i += 500) await db.insert(productOutputs).values(rows.slice(i, i + 500));
  return [
    `  产品产量演示:        ${PLAN.length} 种产品、${batches.size} 个生产批次、${rows.length} 条产量记录（近一年两班；电弧炉为 2018 年每日）`,
  ];
}
