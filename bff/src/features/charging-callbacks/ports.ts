import type { Context } from 'koa';

/** The operator a signed seed-004 request came from. */
export interface OperatorIdentity {
  operatorPk: number;
  orgId: number;
  operatorId: string;
}

/** A connector as the managers' buttons need it. */
export interface CellRef {
  operatorPk: number;
  operatorId: string;
  stationId: string;
  equipmentId: string;
  cellId: string;
}

/**
 * What this feature needs of the charging feature (`ctx.use('charging')`), read-only: the operator
 * behind a signed request, an operator's secret to sign the platform's calls with, and an
 * organization's connectors. feature.ts maps the charging api onto this; tests may stub it.
 */
export interface ChargingPorts {
  /** Checks `Datetime`/`OperatorId`/`Token`/`Signature`; throws the charging AppError when refused. */
  authenticate(ctx: Context): Promise<OperatorIdentity>;
  /** The operator's id and (decrypted) secret, or null when it no longer exists. */
  signingKey(operatorPk: number): Promise<{ orgId: number; operatorId: string; secret: string } | null>;
  /** An organization's operator by its `OperatorId`, or null (another organization's is null too). */
  operatorOf(orgId: number, operatorId: string): Promise<OperatorIdentity | null>;
  /** A connector of the organization, or null. */
  cellOf(orgId: number, operatorId: string, cellId: string): Promise<CellRef | null>;
}
