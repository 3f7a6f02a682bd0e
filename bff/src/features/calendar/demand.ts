import { eq } from 'drizzle-orm';
import type { Db } from '../../infra/db/client';
import { orgContractDemand } from './tables';

/** The organization's contracted demand (kW), stored per organization; null when not set. */
export class ContractDemandRepository {
  constructor(private readonly db: Db) {}

  async find(orgId: number): Promise<number | null> {
    const [row] = await this.db
      .select({ kw: orgContractDemand.contractKw })
      .from(orgContractDemand)
      .where(eq(orgContractDemand.orgId, orgId));
    return row ? Number(row.kw) : null;
  }

  async save(orgId: number, kw: number | null): Promise<void> {
    if (kw === null) {
      await this.db.delete(orgContractDemand).where(eq(orgContractDemand.orgId, orgId));
      return;
    }
    await this.db
      .insert(orgContractDemand)
      .values({ orgId, contractKw: kw })
      .onConflictDoUpdate({
        target: orgContractDemand.orgId,
        set: { contractKw: kw, updatedAt: new Date() },
      });
  }
}

/** "800" / "1250.5" as the API writes kW (no trailing zeros), "" when not set. */
export const presentDemand = (kw: number | null) => ({
  Contract_Demand: kw === null ? '' : String(Math.round(kw * 1000) / 1000),
  Demand_Unit: 'kW' as const,
});
