import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/contract';
import {
  chargingCellSafety,
  chargingSafetyWarnings,
  type CellSafetyRow,
  type SafetyWarningRow,
} from './tables';

export type NewWarning = Omit<SafetyWarningRow, 'id' | 'clearedAt'>;

/** SQL of the connectors' safety state and the warnings. Every call runs in the caller's transaction. */
export class SafetyRepository {
  /** The connector's state under a row lock (inserted first when new, so two reports serialise). */
  async lockCell(
    tx: Tx,
    key: { operatorPk: number; cellId: string; orgId: number },
    init: { status: number; at: Date },
  ): Promise<{ row: CellSafetyRow; created: boolean }> {
    const inserted = await tx
      .insert(chargingCellSafety)
      .values({ ...key, status: init.status, statusSince: init.at, lastTs: init.at, active: {} })
      .onConflictDoNothing()
      .returning();
    if (inserted[0]) return { row: inserted[0], created: true };
    const [row] = await tx
      .select()
      .from(chargingCellSafety)
      .where(
        and(eq(chargingCellSafety.operatorPk, key.operatorPk), eq(chargingCellSafety.cellId, key.cellId)),
      )
      .for('update');
    return { row: row!, created: false };
  }

  async saveCell(tx: Tx, row: CellSafetyRow): Promise<void> {
    await tx
      .update(chargingCellSafety)
      .set({
        status: row.status,
        statusSince: row.statusSince,
        lastTs: row.lastTs,
        active: row.active,
        faultJob: row.faultJob,
      })
      .where(
        and(eq(chargingCellSafety.operatorPk, row.operatorPk), eq(chargingCellSafety.cellId, row.cellId)),
      );
  }

  /** Inserts a warning once per (connector, kind, start); null when it exists already. */
  async insertWarning(tx: Tx, w: NewWarning): Promise<SafetyWarningRow | null> {
    const [row] = await tx.insert(chargingSafetyWarnings).values(w).onConflictDoNothing().returning();
    return row ?? null;
  }

  /** Marks a warning cleared; null when it was cleared already. */
  async clearWarning(tx: Tx, id: number, at: Date): Promise<SafetyWarningRow | null> {
    const [row] = await tx
      .update(chargingSafetyWarnings)
      .set({ clearedAt: at })
      .where(and(eq(chargingSafetyWarnings.id, id), sql`${chargingSafetyWarnings.clearedAt} is null`))
      .returning();
    return row ?? null;
  }
}
