import crypto from 'node:crypto';
import { and, asc, count, eq } from 'drizzle-orm';
import { AppError, isUniqueViolation, notFound, pgErrorOf } from '../../core/errors';
import type { Db } from '../../infra/db/client';
import type { Clock } from '../../infra/clock';
import { formatOpTime } from './op-time';
import type { SecretBox } from '../../infra/secret-box';
import { chargingOperatorTokens, chargingOperators } from './tables';

/** A new operator secret: 256 random bits. */
export const newOperatorSecret = (): string => `wdc_${crypto.randomBytes(32).toString('base64url')}`;

/** Operators of an organization, managed by its admins (extension endpoints in the 002 style). */
export class OperatorsService {
  constructor(
    private readonly db: Db,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    private readonly tzOf: (orgId: number) => Promise<string>,
    /** Called after a rotation or deletion commits (drops the authentication cache). */
    private readonly onRevoke: () => void = () => undefined,
  ) {}

  /** Production without WD_SECRETS_KEY cannot keep a secret: refused before anything is written. */
  private assertCanSeal(): void {
    if (!this.box.canSeal) throw new AppError('conflict', '服务器未配置 WD_SECRETS_KEY，不能保存运营商密钥');
  }

  async list(orgId: number, id: number | undefined, limit: number, offset: number) {
    const where = and(eq(chargingOperators.orgId, orgId), id ? eq(chargingOperators.id, id) : undefined);
    const [rows, [total]] = await Promise.all([
      this.db
        .select()
        .from(chargingOperators)
        .where(where)
        .orderBy(asc(chargingOperators.id))
        .limit(limit)
        .offset(offset),
      this.db.select({ n: count() }).from(chargingOperators).where(where),
    ]);
    const tz = await this.tzOf(orgId);
    return {
      total: total?.n ?? 0,
      items: rows.map((r) => ({
        id: r.id,
        Operator_Id: r.operatorId,
        Operator_Name: r.name,
        Site: r.site,
        Created_At: formatOpTime(r.createdAt, tz),
        Secret_Rotated_At: formatOpTime(r.secretRotatedAt, tz),
      })),
    };
  }

  /** Creates an operator; the secret is answered this once and only kept sealed. */
  async create(orgId: number, v: { operatorId: string; name: string; site?: string; secret?: string }) {
    this.assertCanSeal();
    const secret = v.secret ?? newOperatorSecret();
    try {
      const [row] = await this.db
        .insert(chargingOperators)
        .values({
          orgId,
          operatorId: v.operatorId,
          name: v.name,
          site: v.site ?? '',
          secretEnc: this.box.seal(secret),
        })
        .returning({ id: chargingOperators.id });
      return { id: row!.id, Operator_Id: v.operatorId, Operator_Secret: secret };
    } catch (err) {
      if (isUniqueViolation(err))
        throw new AppError('conflict', 'Operator_Id 已被使用（在整个平台内唯一）', {
          field: 'Operator_Id',
          rule: '平台内唯一',
        });
      throw err;
    }
  }

  /** A new secret (answered once); every token of the operator is revoked with the old secret. */
  async rotate(orgId: number, id: number) {
    this.assertCanSeal();
    const secret = newOperatorSecret();
    const out = await this.db.transaction(async (tx) => {
      const [row] = await tx
        .update(chargingOperators)
        .set({ secretEnc: this.box.seal(secret), secretRotatedAt: this.clock.now() })
        .where(and(eq(chargingOperators.orgId, orgId), eq(chargingOperators.id, id)))
        .returning({ id: chargingOperators.id, operatorId: chargingOperators.operatorId });
      if (!row) throw notFound('充电运营商');
      await tx.delete(chargingOperatorTokens).where(eq(chargingOperatorTokens.operatorPk, id));
      return { id: row.id, Operator_Id: row.operatorId, Operator_Secret: secret };
    });
    this.onRevoke();
    return out;
  }

  /** Deletes an operator without stations or records (409 otherwise). */
  async remove(orgId: number, id: number): Promise<void> {
    try {
      const rows = await this.db
        .delete(chargingOperators)
        .where(and(eq(chargingOperators.orgId, orgId), eq(chargingOperators.id, id)))
        .returning({ id: chargingOperators.id });
      if (!rows.length) throw notFound('充电运营商');
      this.onRevoke();
    } catch (err) {
      if (pgErrorOf(err)?.code === '23503')
        throw new AppError('in_use', '该运营商仍有充电站或充电记录，不能删除', { field: 'id' });
      throw err;
    }
  }

  /** The operator of an organization with this OperatorId, if any (demo seeding). */
  async findByOperatorId(operatorId: string) {
    const [row] = await this.db
      .select()
      .from(chargingOperators)
      .where(eq(chargingOperators.operatorId, operatorId));
    return row;
  }
}
