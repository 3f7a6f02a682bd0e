import { and, eq } from 'drizzle-orm';
import { SEED_TIME_ZONE } from '../../adapters/operator-callback/signing';
import type { PlatformContext } from '../../platform/contract';
import { OperatorAuth, operatorHeaders } from '../charging/operator-auth';
import { SecretBox } from '../charging/secret-box';
import { chargingCells, chargingEquipment, chargingOperators, chargingStations } from '../charging/tables';
import type { ChargingPorts } from './ports';

/**
 * The charging ports built from the charging feature's reusable operator auth (operator-auth.ts, sealed
 * secrets in secret-box.ts). STOPGAP: the charging feature's `api` (feature.ts) was not committed when
 * this was written, so the read-only lookups below read its tables; they move to `ctx.use('charging')`
 * as soon as its api offers them (see STATUS-chargingcb.md).
 */
export function chargingPortsOf(ctx: PlatformContext): ChargingPorts {
  const box = SecretBox.open(ctx.config.WD_CHARGING_SECRET_KEY, ctx.config.WD_DATA_DIR);
  const auth = new OperatorAuth(ctx.db, ctx.clock, box, {
    tokenTtlSec: ctx.config.CHARGING_TOKEN_TTL_SEC,
    clockSkewSec: ctx.config.CHARGING_CLOCK_SKEW_SEC,
    timeZone: SEED_TIME_ZONE,
  });
  const db = ctx.db;
  return {
    async authenticate(k) {
      const op = await auth.authenticate(operatorHeaders(k));
      return { operatorPk: op.pk, orgId: op.orgId, operatorId: op.operatorId };
    },
    async signingKey(operatorPk) {
      const [row] = await db.select().from(chargingOperators).where(eq(chargingOperators.id, operatorPk));
      return row ? { orgId: row.orgId, operatorId: row.operatorId, secret: box.open(row.secretEnc) } : null;
    },
    async operatorOf(orgId, operatorId) {
      const [row] = await db
        .select({ id: chargingOperators.id, operatorId: chargingOperators.operatorId })
        .from(chargingOperators)
        .where(and(eq(chargingOperators.orgId, orgId), eq(chargingOperators.operatorId, operatorId)));
      return row ? { operatorPk: row.id, orgId, operatorId: row.operatorId } : null;
    },
    async cellOf(orgId, operatorId, cellId) {
      const [row] = await db
        .select({
          operatorPk: chargingOperators.id,
          operatorId: chargingOperators.operatorId,
          stationId: chargingStations.stationId,
          equipmentId: chargingEquipment.equipmentId,
          cellId: chargingCells.cellId,
        })
        .from(chargingCells)
        .innerJoin(chargingOperators, eq(chargingOperators.id, chargingCells.operatorPk))
        .innerJoin(chargingEquipment, eq(chargingEquipment.id, chargingCells.equipmentPk))
        .innerJoin(chargingStations, eq(chargingStations.id, chargingEquipment.stationPk))
        .where(
          and(
            eq(chargingCells.orgId, orgId),
            eq(chargingOperators.operatorId, operatorId),
            eq(chargingCells.cellId, cellId),
          ),
        );
      return row ?? null;
    },
  };
}
