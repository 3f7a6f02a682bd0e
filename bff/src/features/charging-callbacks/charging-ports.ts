import type { PlatformContext } from '../../platform/contract';
import { operatorHeaders } from '../charging/operator-auth';
import type { ChargingPorts } from './ports';

/** The charging ports from the charging feature's api (`ctx.use('charging')`): its operator auth and read-only facts. */
export function chargingPortsOf(ctx: PlatformContext): ChargingPorts {
  const charging = ctx.use('charging');
  return {
    async authenticate(k) {
      const op = await charging.auth.authenticate(operatorHeaders(k));
      return { operatorPk: op.pk, orgId: op.orgId, operatorId: op.operatorId };
    },
    signingKey: (pk) => charging.facts.signingKey(pk),
    operatorOf: (orgId, operatorId) => charging.facts.operatorOf(orgId, operatorId),
    cellOf: (orgId, operatorId, cellId) => charging.facts.cellOf(orgId, operatorId, cellId),
  };
}
