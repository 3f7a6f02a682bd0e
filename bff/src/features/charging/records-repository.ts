import { and, asc, count, eq, gte, isNull, lt, or, type SQL } from 'drizzle-orm';
import type { Db } from '../../infra/db/client';
import type { Tx } from '../../platform/contract';
import type { PaymentsBillChanged } from './events';
import { chargingRecords } from './tables';

export type RecordRow = typeof chargingRecords.$inferSelect;
export type NewRecord = typeof chargingRecords.$inferInsert;

/** SQL of charging records (operator side) and their pay state. */
export class RecordsRepository {
  constructor(private readonly db: Db) {}

  async find(operatorPk: number, recordId: string): Promise<RecordRow | undefined> {
    const [row] = await this.db
      .select()
      .from(chargingRecords)
      .where(and(eq(chargingRecords.operatorPk, operatorPk), eq(chargingRecords.recordId, recordId)));
    return row;
  }

  /** Inserts unless the operator's record id exists; the new row's id, or null for a duplicate. */
  async insertNew(tx: Tx, v: NewRecord): Promise<number | null> {
    const [row] = await tx
      .insert(chargingRecords)
      .values(v)
      .onConflictDoNothing({ target: [chargingRecords.operatorPk, chargingRecords.recordId] })
      .returning({ id: chargingRecords.id });
    return row?.id ?? null;
  }

  async page(operatorPk: number, filter: SQL | undefined, limit: number, offset: number) {
    const where = and(eq(chargingRecords.operatorPk, operatorPk), filter);
    const [rows, [total]] = await Promise.all([
      this.db
        .select()
        .from(chargingRecords)
        .where(where)
        .orderBy(asc(chargingRecords.id))
        .limit(limit)
        .offset(offset),
      this.db.select({ n: count() }).from(chargingRecords).where(where),
    ]);
    return { rows, total: total?.n ?? 0 };
  }

  /** Applies a bill's state unless a later event of the same record was applied already (outbox order). */
  async applyBill(orgId: number | null, eventId: bigint, p: PaymentsBillChanged): Promise<void> {
    await this.db
      .update(chargingRecords)
      .set({
        payState: p.state,
        billId: p.billId,
        payAmountFen: p.amountFen,
        refundedFen: p.refundedFen,
        paidAt: p.paidAt,
        payEventId: eventId,
      })
      .where(
        and(
          eq(chargingRecords.id, p.recordPk),
          orgId === null ? undefined : eq(chargingRecords.orgId, orgId),
          or(isNull(chargingRecords.payEventId), lt(chargingRecords.payEventId, eventId)),
        ),
      );
  }
}

/** Records that ended in [from, to). */
export const endedIn = (from?: Date, to?: Date): SQL | undefined =>
  and(from ? gte(chargingRecords.endAt, from) : undefined, to ? lt(chargingRecords.endAt, to) : undefined);
