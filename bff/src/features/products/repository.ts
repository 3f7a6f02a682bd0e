import { and, asc, count, desc, eq, gt, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../infra/db/client';
import { machines } from '../meters/tables';
import { coalFactors, productBatches, productOutputs, products } from './tables';

export type ProductRow = typeof products.$inferSelect;
export type BatchRow = typeof productBatches.$inferSelect;
export type OutputRow = typeof productOutputs.$inferSelect;
export type NewOutput = Omit<typeof productOutputs.$inferInsert, 'id' | 'orgId' | 'createdAt'>;

/** An output with the names it is shown with. */
export interface OutputView extends OutputRow {
  productName: string;
  productUnit: string;
  machineName: string;
  batchName: string;
}

export interface OutputFilter {
  id?: number;
  machineId?: number;
  productName?: string;
  batchName?: string;
  /** Batch names (any of). */
  batchNames?: string[];
  /** Outputs overlapping [from, to). */
  from?: Date;
  to?: Date;
}

/** SQL of products, batches, outputs and coal factors. Every query takes the organization. */
export class ProductsRepository {
  constructor(private readonly db: Db) {}

  async listProducts(orgId: number, id: number | undefined, limit: number, offset: number) {
    const where = and(eq(products.orgId, orgId), id ? eq(products.id, id) : undefined);
    const [rows, [total]] = await Promise.all([
      this.db.select().from(products).where(where).orderBy(asc(products.id)).limit(limit).offset(offset),
      this.db.select({ n: count() }).from(products).where(where),
    ]);
    return { rows, total: total?.n ?? 0 };
  }

  async allProducts(orgId: number): Promise<ProductRow[]> {
    return this.db.select().from(products).where(eq(products.orgId, orgId)).orderBy(asc(products.id));
  }

  async findProduct(orgId: number, id: number): Promise<ProductRow | undefined> {
    const [row] = await this.db
      .select()
      .from(products)
      .where(and(eq(products.orgId, orgId), eq(products.id, id)));
    return row;
  }

  async insertProduct(orgId: number, v: { name: string; unit: string; remarks: string }) {
    const [row] = await this.db
      .insert(products)
      .values({ orgId, ...v })
      .returning();
    return row!;
  }

  async updateProduct(orgId: number, id: number, v: { name: string; unit: string; remarks: string }) {
    await this.db
      .update(products)
      .set(v)
      .where(and(eq(products.orgId, orgId), eq(products.id, id)));
  }

  async deleteProduct(orgId: number, id: number) {
    await this.db.delete(products).where(and(eq(products.orgId, orgId), eq(products.id, id)));
  }

  async listBatches(orgId: number, id: number | undefined, limit: number, offset: number) {
    const where = and(eq(productBatches.orgId, orgId), id ? eq(productBatches.id, id) : undefined);
    const used = sql<number>`(select count(*)::int from product_outputs o where o.batch_id = product_batches.id)`;
    const [rows, [total]] = await Promise.all([
      this.db
        .select({ b: productBatches, used })
        .from(productBatches)
        .where(where)
        .orderBy(desc(productBatches.timeStart), desc(productBatches.id))
        .limit(limit)
        .offset(offset),
      this.db.select({ n: count() }).from(productBatches).where(where),
    ]);
    return { rows: rows.map((r) => ({ ...r.b, used: Number(r.used) })), total: total?.n ?? 0 };
  }

  async allBatches(orgId: number): Promise<BatchRow[]> {
    return this.db.select().from(productBatches).where(eq(productBatches.orgId, orgId));
  }

  async findBatch(orgId: number, id: number): Promise<BatchRow | undefined> {
    const [row] = await this.db
      .select()
      .from(productBatches)
      .where(and(eq(productBatches.orgId, orgId), eq(productBatches.id, id)));
    return row;
  }

  async insertBatch(orgId: number, v: { name: string; timeStart: Date; timeEnd: Date }) {
    const [row] = await this.db
      .insert(productBatches)
      .values({ orgId, ...v })
      .returning();
    return row!;
  }

  async updateBatch(orgId: number, id: number, v: { name: string; timeStart: Date; timeEnd: Date }) {
    await this.db
      .update(productBatches)
      .set(v)
      .where(and(eq(productBatches.orgId, orgId), eq(productBatches.id, id)));
  }

  async deleteBatch(orgId: number, id: number) {
    await this.db
      .delete(productBatches)
      .where(and(eq(productBatches.orgId, orgId), eq(productBatches.id, id)));
  }

  async machineOf(orgId: number, id: number) {
    const [row] = await this.db
      .select({ id: machines.id, name: machines.name })
      .from(machines)
      .where(and(eq(machines.orgId, orgId), eq(machines.id, id)));
    return row;
  }

  async allMachines(orgId: number) {
    return this.db
      .select({ id: machines.id, name: machines.name })
      .from(machines)
      .where(eq(machines.orgId, orgId))
      .orderBy(asc(machines.id));
  }

  /** Ids of up to `limit` outputs using a product or batch, and how many there are. */
  async usedBy(orgId: number, col: 'product' | 'batch', id: number, limit = 10) {
    const c = col === 'product' ? productOutputs.productId : productOutputs.batchId;
    const where = and(eq(productOutputs.orgId, orgId), eq(c, id));
    const [rows, [total]] = await Promise.all([
      this.db
        .select({ id: productOutputs.id })
        .from(productOutputs)
        .where(where)
        .orderBy(asc(productOutputs.id))
        .limit(limit),
      this.db.select({ n: count() }).from(productOutputs).where(where),
    ]);
    return { ids: rows.map((r) => r.id), total: total?.n ?? 0 };
  }

  private outputWhere(orgId: number, f: OutputFilter): SQL | undefined {
    return and(
      eq(productOutputs.orgId, orgId),
      f.id ? eq(productOutputs.id, f.id) : undefined,
      f.machineId ? eq(productOutputs.machineId, f.machineId) : undefined,
      f.productName !== undefined ? eq(products.name, f.productName) : undefined,
      f.batchName !== undefined ? eq(productBatches.name, f.batchName) : undefined,
      f.batchNames ? inArray(productBatches.name, f.batchNames) : undefined,
      f.to ? lt(productOutputs.timeStart, f.to) : undefined,
      f.from ? gt(productOutputs.timeEnd, f.from) : undefined,
    );
  }

  private outputSelect() {
    return this.db
      .select({
        o: productOutputs,
        productName: products.name,
        productUnit: products.unit,
        machineName: machines.name,
        batchName: productBatches.name,
      })
      .from(productOutputs)
      .innerJoin(products, eq(products.id, productOutputs.productId))
      .innerJoin(machines, eq(machines.id, productOutputs.machineId))
      .innerJoin(productBatches, eq(productBatches.id, productOutputs.batchId));
  }

  async listOutputs(orgId: number, f: OutputFilter, limit: number, offset: number) {
    const where = this.outputWhere(orgId, f);
    const [rows, [total]] = await Promise.all([
      this.outputSelect()
        .where(where)
        .orderBy(desc(productOutputs.timeStart), desc(productOutputs.id))
        .limit(limit)
        .offset(offset),
      this.db
        .select({ n: count() })
        .from(productOutputs)
        .innerJoin(products, eq(products.id, productOutputs.productId))
        .innerJoin(productBatches, eq(productBatches.id, productOutputs.batchId))
        .where(where),
    ]);
    return { rows: rows.map(view), total: total?.n ?? 0 };
  }

  /** Every output matching the filter (statistics), oldest first. */
  async outputs(orgId: number, f: OutputFilter): Promise<OutputView[]> {
    const rows = await this.outputSelect()
      .where(this.outputWhere(orgId, f))
      .orderBy(asc(productOutputs.timeStart), asc(productOutputs.id));
    return rows.map(view);
  }

  async findOutput(orgId: number, id: number): Promise<OutputRow | undefined> {
    const [row] = await this.db
      .select()
      .from(productOutputs)
      .where(and(eq(productOutputs.orgId, orgId), eq(productOutputs.id, id)));
    return row;
  }

  async insertOutput(orgId: number, v: NewOutput, createdAt: Date) {
    const [row] = await this.db
      .insert(productOutputs)
      .values({ orgId, ...v, createdAt })
      .returning();
    return row!;
  }

  async updateOutput(orgId: number, id: number, v: NewOutput) {
    await this.db
      .update(productOutputs)
      .set(v)
      .where(and(eq(productOutputs.orgId, orgId), eq(productOutputs.id, id)));
  }

  async deleteOutput(orgId: number, id: number) {
    await this.db
      .delete(productOutputs)
      .where(and(eq(productOutputs.orgId, orgId), eq(productOutputs.id, id)));
  }

  async factors(orgId: number) {
    return this.db.select().from(coalFactors).where(eq(coalFactors.orgId, orgId));
  }

  async setFactor(orgId: number, energyType: number, factor: number, source: string, at: Date) {
    await this.db
      .insert(coalFactors)
      .values({ orgId, energyType, factor, source, updatedAt: at })
      .onConflictDoUpdate({
        target: [coalFactors.orgId, coalFactors.energyType],
        set: { factor, source, updatedAt: at },
      });
  }

  async resetFactor(orgId: number, energyType: number) {
    await this.db
      .delete(coalFactors)
      .where(and(eq(coalFactors.orgId, orgId), eq(coalFactors.energyType, energyType)));
  }
}

const view = (r: {
  o: OutputRow;
  productName: string;
  productUnit: string;
  machineName: string;
  batchName: string;
}): OutputView => ({
  ...r.o,
  productName: r.productName,
  productUnit: r.productUnit,
  machineName: r.machineName,
  batchName: r.batchName,
});
