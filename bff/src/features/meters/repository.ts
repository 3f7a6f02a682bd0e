import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../infra/db/client';
import { machines, meterEpochs, meterFormulaRefs, meters } from './tables';
import { rowsOf } from '../readings/repository';
import { lockMeters } from '../calendar/locks';

export type MeterRow = typeof meters.$inferSelect;
export type MachineRow = typeof machines.$inferSelect;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface MeterFilter {
  id?: number;
  energyType?: number;
  machineName?: string;
  isHandwork?: boolean;
  isCount?: boolean;
}

/** SQL of machines, meters, formula references and register epochs. Every lookup takes the org id. */
export class MetersRepository {
  constructor(readonly db: Db) {}

  async findMachine(orgId: number, id: number, db: Db | Tx = this.db): Promise<MachineRow | undefined> {
    const [row] = await db
      .select()
      .from(machines)
      .where(and(eq(machines.orgId, orgId), eq(machines.id, id)));
    return row;
  }

  async listMachines(orgId: number, f: { id?: number; department?: string }, limit: number, offset: number) {
    const where = and(
      eq(machines.orgId, orgId),
      f.id !== undefined ? eq(machines.id, f.id) : undefined,
      f.department !== undefined ? eq(machines.department, f.department) : undefined,
    );
    const rows = await this.db
      .select()
      .from(machines)
      .where(where)
      .orderBy(asc(machines.id))
      .limit(limit)
      .offset(offset);
    const [c] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(machines)
      .where(where);
    return { rows, total: c?.n ?? 0 };
  }

  async insertMachine(values: typeof machines.$inferInsert): Promise<MachineRow> {
    const [row] = await this.db.insert(machines).values(values).returning();
    return row!;
  }

  async updateMachine(orgId: number, id: number, values: Partial<typeof machines.$inferInsert>) {
    const [row] = await this.db
      .update(machines)
      .set(values)
      .where(and(eq(machines.orgId, orgId), eq(machines.id, id)))
      .returning();
    return row;
  }

  async deleteMachine(orgId: number, id: number): Promise<void> {
    await this.db.delete(machines).where(and(eq(machines.orgId, orgId), eq(machines.id, id)));
  }

  async meterNamesOfMachine(machineId: number): Promise<string[]> {
    const rows = await this.db
      .select({ name: meters.name })
      .from(meters)
      .where(eq(meters.machineId, machineId));
    return rows.map((r) => r.name);
  }

  async findMeter(orgId: number, id: number, db: Db | Tx = this.db): Promise<MeterRow | undefined> {
    const [row] = await db
      .select()
      .from(meters)
      .where(and(eq(meters.orgId, orgId), eq(meters.id, id)));
    return row;
  }

  /** Every meter of an organization with its machine (for queries and formula checks). */
  async allMeters(orgId: number): Promise<(MeterRow & { machineName: string; department: string })[]> {
    const rows = await this.db
      .select({ m: meters, machineName: machines.name, department: machines.department })
      .from(meters)
      .innerJoin(machines, eq(machines.id, meters.machineId))
      .where(eq(meters.orgId, orgId))
      .orderBy(asc(meters.id));
    return rows.map((r) => ({ ...r.m, machineName: r.machineName, department: r.department }));
  }

  async listMeters(orgId: number, f: MeterFilter, limit: number, offset: number) {
    const conds: (SQL | undefined)[] = [
      eq(meters.orgId, orgId),
      f.id !== undefined ? eq(meters.id, f.id) : undefined,
      f.energyType !== undefined ? eq(meters.energyType, f.energyType) : undefined,
      f.machineName !== undefined ? eq(machines.name, f.machineName) : undefined,
      f.isHandwork !== undefined ? eq(meters.isHandwork, f.isHandwork) : undefined,
      f.isCount !== undefined ? eq(meters.isCount, f.isCount) : undefined,
    ];
    const where = and(...conds);
    const rows = await this.db
      .select({ m: meters, machineName: machines.name, department: machines.department })
      .from(meters)
      .innerJoin(machines, eq(machines.id, meters.machineId))
      .where(where)
      .orderBy(asc(meters.id))
      .limit(limit)
      .offset(offset);
    const [c] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(meters)
      .innerJoin(machines, eq(machines.id, meters.machineId))
      .where(where);
    return {
      rows: rows.map((r) => ({ ...r.m, machineName: r.machineName, department: r.department })),
      total: c?.n ?? 0,
    };
  }

  async insertMeter(
    tx: Tx,
    values: typeof meters.$inferInsert,
    refs: number[],
    epoch: { totalBefore: number; startAmount: number },
  ): Promise<MeterRow> {
    const [row] = await tx.insert(meters).values(values).returning();
    if (refs.length)
      await tx.insert(meterFormulaRefs).values(refs.map((r) => ({ meterId: row!.id, refMeterId: r })));
    await tx.insert(meterEpochs).values({ meterId: row!.id, replacedAt: new Date(0), ...epoch });
    return row!;
  }

  async updateMeter(
    tx: Tx,
    orgId: number,
    id: number,
    values: Partial<typeof meters.$inferInsert>,
    refs: number[],
  ) {
    await tx
      .update(meters)
      .set(values)
      .where(and(eq(meters.orgId, orgId), eq(meters.id, id)));
    await tx.delete(meterFormulaRefs).where(eq(meterFormulaRefs.meterId, id));
    if (refs.length)
      await tx.insert(meterFormulaRefs).values(refs.map((r) => ({ meterId: id, refMeterId: r })));
  }

  async addEpoch(tx: Tx, meterId: number, at: Date, totalBefore: number, startAmount: number): Promise<void> {
    await tx
      .insert(meterEpochs)
      .values({ meterId, replacedAt: at, totalBefore, startAmount })
      .onConflictDoUpdate({
        target: [meterEpochs.meterId, meterEpochs.replacedAt],
        set: { totalBefore, startAmount },
      });
  }

  /** Virtual meters whose formulas use meter `id`. */
  async dependents(id: number): Promise<{ id: number; name: string }[]> {
    return this.db
      .select({ id: meters.id, name: meters.name })
      .from(meterFormulaRefs)
      .innerJoin(meters, eq(meters.id, meterFormulaRefs.meterId))
      .where(eq(meterFormulaRefs.refMeterId, id));
  }

  async hasData(meterId: number): Promise<boolean> {
    const rows = await rowsOf(
      this.db,
      sql`select 1 from readings where meter_id = ${meterId} union all select 1 from manual_amounts where meter_id = ${meterId} limit 1`,
    );
    return rows.length > 0;
  }

  /** Deletes a meter and the data that is only its own (readings, rollups, hand-filled amounts). */
  async deleteMeter(orgId: number, id: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await lockMeters(tx, [id]); // no batch of this meter's readings lands half-way through
      for (const table of ['readings', 'energy_day', 'energy_month', 'param_day'])
        await tx.execute(sql`delete from ${sql.identifier(table)} where meter_id = ${id}`);
      await tx.delete(meterFormulaRefs).where(eq(meterFormulaRefs.meterId, id));
      await tx.delete(meters).where(and(eq(meters.orgId, orgId), eq(meters.id, id)));
    });
  }
}
