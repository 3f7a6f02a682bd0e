import { and, asc, eq } from 'drizzle-orm';
import type { RateItem } from '@wattdesk/shared';
import { z } from 'zod';
import { rateSetBody, rateUpdateBody } from '@wattdesk/shared';
import { invalid, notFound } from '../../core/errors';
import type { Db } from '../../infra/db/client';
import { ratePrices, rates } from '../meters/tables';
import { lockOrgCalendar } from '../calendar/locks';
import type { ReadingsRepository } from '../readings/repository';
import { flatPrices, segment, SegmentError, slotPrices } from './tou';

type RateRow = typeof rates.$inferSelect;
type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

const str = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

/** 4.2 row from a stored rate. */
const present = (r: RateRow): RateItem => ({
  id: r.id,
  Rate_Name: r.name,
  Rate_Type: String(r.energyType),
  Rate_Value: String(r.value),
  isSegmentation: r.segmented ? '0' : '1',
  Seg_Begin: r.segBegin,
  Seg_Begin_Rate: str(r.segBeginRate),
  Seg_End: r.segEnd,
  Seg_End_Rate: str(r.segEndRate),
  Rate_Unit: r.unit,
});

/**
 * Rates (4.1/4.2) per energy type: one flat row (`isSegmentation` "1"), or time-of-use segment rows
 * (`isSegmentation` "0", each [Seg_Begin, Seg_End) at `Rate_Value`) that cover the day exactly once.
 * Every save re-derives the type's 48 half-hour prices, which every energy answer's cost uses.
 * `Seg_Begin_Rate` / `Seg_End_Rate` are kept and returned as given; the seed gives no rule for them.
 */
export class RatesService {
  constructor(
    private readonly db: Db,
    private readonly readings: ReadingsRepository,
  ) {}

  /** 4.2 */
  async list(orgId: number): Promise<RateItem[]> {
    const rows = await this.db
      .select()
      .from(rates)
      .where(eq(rates.orgId, orgId))
      .orderBy(asc(rates.energyType), asc(rates.segBegin), asc(rates.id));
    return rows.map(present);
  }

  /** Extension POST /api_3/rate: replaces the whole rate of one energy type. */
  async set(orgId: number, b: z.output<typeof rateSetBody>): Promise<RateItem[]> {
    const base = { orgId, name: b.Rate_Name, energyType: b.Rate_Type, unit: b.Rate_Unit };
    let rows: (typeof rates.$inferInsert)[];
    if (b.isSegmentation === '1') {
      if (b.Rate_Value === undefined) throw invalid('Rate_Value', '不分段费率必须给出 Rate_Value');
      if (b.Segments?.length) throw invalid('Segments', '不分段费率（isSegmentation 为 "1"）不能有时段');
      rows = [{ ...base, value: b.Rate_Value, segmented: false }];
    } else {
      if (!b.Segments?.length) throw invalid('Segments', '分段费率（isSegmentation 为 "0"）必须给出时段');
      rows = b.Segments.map((s) => ({
        ...base,
        value: s.Rate_Value,
        segmented: true,
        segBegin: s.Seg_Begin,
        segEnd: s.Seg_End,
        segBeginRate: s.Seg_Begin_Rate ?? null,
        segEndRate: s.Seg_End_Rate ?? null,
      }));
    }
    await this.db.transaction(async (tx) => {
      await tx.delete(rates).where(and(eq(rates.orgId, orgId), eq(rates.energyType, b.Rate_Type)));
      await tx.insert(rates).values(rows);
      await this.derive(tx, orgId, b.Rate_Type, 'Segments');
    });
    return (await this.list(orgId)).filter((r) => r.Rate_Type === String(b.Rate_Type));
  }

  /** 4.1: changes one row; the type's rows must still form one flat rate or a full day of segments. */
  async update(orgId: number, b: z.output<typeof rateUpdateBody>): Promise<void> {
    const segmented = b.isSegmentation === '0';
    if (b.Rate_Value === undefined) throw invalid('Rate_Value', '必须给出费率值 Rate_Value');
    if (segmented && (b.Seg_Begin === undefined || b.Seg_End === undefined))
      throw invalid(
        b.Seg_Begin === undefined ? 'Seg_Begin' : 'Seg_End',
        '分段费率必须给出 Seg_Begin 和 Seg_End',
      );
    await this.db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(rates)
        .where(and(eq(rates.orgId, orgId), eq(rates.id, b.id)));
      if (!row) throw notFound('费率');
      await tx
        .update(rates)
        .set({
          name: b.Rate_Name,
          energyType: b.Rate_Type,
          value: b.Rate_Value,
          segmented,
          segBegin: segmented ? b.Seg_Begin! : '',
          segEnd: segmented ? b.Seg_End! : '',
          segBeginRate: b.Seg_Begin_Rate ?? null,
          segEndRate: b.Seg_End_Rate ?? null,
          unit: b.Rate_Unit,
        })
        .where(eq(rates.id, b.id));
      await this.derive(tx, orgId, b.Rate_Type, 'Seg_Begin');
      if (row.energyType !== b.Rate_Type) await this.derive(tx, orgId, row.energyType, 'Rate_Type');
    });
  }

  /** Extension DELETE /api_3/rate: removes the rate of one energy type (its costs disappear). */
  async remove(orgId: number, energyType: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.delete(rates).where(and(eq(rates.orgId, orgId), eq(rates.energyType, energyType)));
      await this.derive(tx, orgId, energyType, 'Rate_Type');
    });
  }

  /**
   * Checks a type's rows, stores its slot prices (none when it has no rows) and re-derives the cost in
   * its meters' rollups; holds the organization's lock so no batch books cost at the old prices meanwhile.
   */
  private async derive(tx: Tx, orgId: number, energyType: number, field: string): Promise<void> {
    await lockOrgCalendar(tx, orgId, 'exclusive');
    await this.store(tx, orgId, energyType, field);
    await this.readings.recomputeCosts(tx, orgId, { energyType });
  }

  private async store(tx: Tx, orgId: number, energyType: number, field: string): Promise<void> {
    const rows = await tx
      .select()
      .from(rates)
      .where(and(eq(rates.orgId, orgId), eq(rates.energyType, energyType)));
    await tx
      .delete(ratePrices)
      .where(and(eq(ratePrices.orgId, orgId), eq(ratePrices.energyType, energyType)));
    if (!rows.length) return;
    const flat = rows.filter((r) => !r.segmented);
    let prices: number[];
    if (flat.length) {
      if (rows.length > 1)
        throw invalid(field, `能源类型 ${energyType} 的费率要么是一条不分段费率，要么是覆盖全天的分段费率`);
      prices = flatPrices(flat[0]!.value);
    } else {
      try {
        prices = slotPrices(rows.map((r) => segment(r.segBegin, r.segEnd, r.value)));
      } catch (err) {
        if (err instanceof SegmentError) throw invalid(field, err.message);
        throw err;
      }
    }
    await tx.insert(ratePrices).values({ orgId, energyType, prices });
  }
}
