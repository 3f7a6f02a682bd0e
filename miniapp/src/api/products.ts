import type {
  BatchItem,
  BatchStatisticRow,
  CoalFactorItem,
  MachineItem,
  OutputStatisticRow,
  ProductItem,
  ShiftItem,
} from '@wattdesk/shared';
import type { Period } from '../domain/periods';
import { call002, endpoints } from './request';

/** 8.1: the organization's products (first 200). */
export async function fetchProducts(): Promise<ProductItem[]> {
  return (await call002<ProductItem>(endpoints.products, { query: { Per_Page_Counts: 200 } })).items;
}

/** 8.10: the batches, newest first (first 200). */
export async function fetchBatches(): Promise<BatchItem[]> {
  return (await call002<BatchItem>(endpoints.productBatches, { query: { Per_Page_Counts: 200 } })).items;
}

/** 2.5: the machines outputs are entered for. */
export async function fetchOutputMachines(): Promise<MachineItem[]> {
  return (await call002<MachineItem>(endpoints.machines, { query: { Per_Page_Counts: 1000 } })).items;
}

/** Extension: the organization's shifts (defaults 白班 08:00–20:00, 夜班 20:00–08:00). */
export async function fetchShifts(): Promise<ShiftItem[]> {
  return (await call002<ShiftItem>(endpoints.shifts)).items;
}

/** 8.6: records an output; answers its id. */
export async function createOutput(body: {
  Product_id: number;
  Total_Amount: string;
  Meter_Superior_id: number;
  Time_Start: string;
  Time_End: string;
  ProductBatch_id: number;
  Reject_Amount?: string;
}): Promise<number> {
  const res = await call002<{ id: number }>(endpoints.productOutputCreate, { body });
  return res.items[0]?.id ?? 0;
}

/** 8.9 over a month: one figure per product (Summary_Type 1) for an Amount_Type. */
export async function fetchProductFigures(
  period: Period,
  amountType: 1 | 2 | 3 | 4 | 5,
  energyType?: number,
): Promise<OutputStatisticRow[]> {
  return (
    await call002<OutputStatisticRow>(endpoints.productOutputStatistic, {
      query: {
        Time_Type: 2,
        Time_Start: period.start,
        Time_End: period.end,
        Summary_Type: 1,
        Return_Format: 1,
        Amount_Type: amountType,
        Energy_Type: energyType,
      },
    })
  ).items;
}

/** 8.14 by batch (Summary_Type 3), ascending: best (lowest) first. */
export async function fetchBatchFigures(
  batches: string[],
  amountType: 1 | 2 | 3 | 4 | 5 | 6,
  energyType?: number,
): Promise<BatchStatisticRow[]> {
  if (!batches.length) return [];
  return (
    await call002<BatchStatisticRow>(endpoints.batchOutputStatistic, {
      query: {
        Production_Batch: batches.join(','),
        Summary_Type: 3,
        Amount_Type: amountType,
        Energy_Type: energyType,
        Is_Order: 1,
        Order_Type: 1,
      },
    })
  ).items;
}

/** Extension: the standard-coal factors per energy type. */
export async function fetchCoalFactors(): Promise<CoalFactorItem[]> {
  return (await call002<CoalFactorItem>(endpoints.coalFactors)).items;
}

/** Extension (admins): sets one energy type's factor in kgce per its unit. */
export async function saveCoalFactor(energyType: number, factor: string, source: string): Promise<void> {
  await call002(endpoints.coalFactorSet, {
    body: { Energy_Type: energyType, Factor: factor, ...(source.trim() ? { Source: source.trim() } : {}) },
  });
}

/** Extension (admins): back to the GB/T 2589-2020 default. */
export async function resetCoalFactor(energyType: number): Promise<void> {
  await call002(endpoints.coalFactorReset, { body: { Energy_Type: energyType } });
}
