import type { BatchStatisticRow, OutputStatisticRow } from '@wattdesk/shared';
import { fetchPersonalise } from '../../api/energy';
import { fetchBatchFigures, fetchBatches, fetchProductFigures } from '../../api/products';
import { periodOf, ruleOf, wallClock, type Period } from '../../domain/periods';
import { changePercent, rankBatches } from '../../domain/products';

/** One product's month: output, comprehensive unit consumption now and last month. */
export interface ProductMonth {
  name: string;
  output: number | null;
  outputUnit: string;
  unitNow: number | null;
  unitBefore: number | null;
  unit: string;
  change: number | null;
}

export interface ProductsOverview {
  month: Period;
  previous: Period;
  products: ProductMonth[];
  ranking: ReturnType<typeof rankBatches>;
  batches: number;
}

const byName = (rows: OutputStatisticRow[]) => new Map(rows.map((r) => [r.Product_Name, r]));

/** The month so far against last month per product (8.9), and the batches ranked by unit consumption (8.14). */
export async function loadOverview(now = new Date()): Promise<ProductsOverview> {
  const settings = await fetchPersonalise();
  const rule = ruleOf(settings);
  const wall = wallClock(now, settings.Time_Zone || undefined);
  const month = periodOf(2, rule, wall, 0);
  const previous = periodOf(2, rule, wall, -1);
  const [unitNow, unitBefore, output, batches] = await Promise.all([
    fetchProductFigures(month, 5),
    fetchProductFigures(previous, 5),
    fetchProductFigures(month, 1),
    fetchBatches(),
  ]);
  const ranked: BatchStatisticRow[] = await fetchBatchFigures(
    batches.filter((b) => b.Output_Numbers > 0).map((b) => b.Production_Batch),
    5,
  );
  const now5 = byName(unitNow);
  const before5 = byName(unitBefore);
  const out1 = byName(output);
  const names = [...new Set([...now5.keys(), ...before5.keys()])].sort();
  return {
    month,
    previous,
    products: names.map((name) => {
      const a = now5.get(name)?.Total_Amount ?? null;
      const b = before5.get(name)?.Total_Amount ?? null;
      return {
        name,
        output: out1.get(name)?.Total_Amount ?? null,
        outputUnit: out1.get(name)?.Unit ?? '',
        unitNow: a,
        unitBefore: b,
        unit: now5.get(name)?.Unit ?? before5.get(name)?.Unit ?? '',
        change: changePercent(a, b),
      };
    }),
    ranking: rankBatches(ranked),
    batches: batches.length,
  };
}
