import { and, asc, count, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../infra/db/client';
import type { Tx } from '../../platform/contract';
import { alarmDefinitions, alarmRules, type AlarmDefinitionRow, type AlarmRuleRow } from './tables';

export type NewDefinition = Omit<typeof alarmDefinitions.$inferInsert, 'id' | 'orgId'>;
export type NewRule = Omit<typeof alarmRules.$inferInsert, 'id' | 'orgId'>;
export type RuleWithDefinition = AlarmRuleRow & { def: AlarmDefinitionRow };

const alive = (t: typeof alarmDefinitions | typeof alarmRules) => isNull(t.deletedAt);

/** SQL of alarm definitions and rules. Every query takes the organization. */
export class AlarmConfigRepository {
  constructor(readonly db: Db) {}

  /** Live rules with their definitions, where `where` holds (the organization's own filter included). */
  private rulesWhere(where: SQL | undefined, db: Db | Tx = this.db) {
    return db
      .select({ r: alarmRules, d: alarmDefinitions })
      .from(alarmRules)
      .innerJoin(alarmDefinitions, eq(alarmDefinitions.id, alarmRules.definitionId))
      .where(and(alive(alarmRules), where));
  }

  async listDefinitions(orgId: number, f: { id?: number; type?: number }, limit: number, offset: number) {
    const where = and(
      eq(alarmDefinitions.orgId, orgId),
      alive(alarmDefinitions),
      f.id ? eq(alarmDefinitions.id, f.id) : undefined,
      f.type ? eq(alarmDefinitions.type, f.type) : undefined,
    );
    // Written out: in a one-table select Drizzle renders the column as a bare "id", which inside
    // this subquery would be the rule's own id.
    const ruleCount = sql<number>`(select count(*)::int from alarm_rules r
      where r.definition_id = alarm_definitions.id and r.deleted_at is null)`;
    const [rows, [total]] = await Promise.all([
      this.db
        .select({ d: alarmDefinitions, rules: ruleCount })
        .from(alarmDefinitions)
        .where(where)
        .orderBy(asc(alarmDefinitions.id))
        .limit(limit)
        .offset(offset),
      this.db.select({ n: count() }).from(alarmDefinitions).where(where),
    ]);
    return { rows: rows.map((r) => ({ ...r.d, rules: Number(r.rules) })), total: total?.n ?? 0 };
  }

  async findDefinition(orgId: number, id: number, db: Db | Tx = this.db) {
    const [row] = await db
      .select()
      .from(alarmDefinitions)
      .where(and(eq(alarmDefinitions.orgId, orgId), eq(alarmDefinitions.id, id), alive(alarmDefinitions)));
    return row;
  }

  async insertDefinition(orgId: number, v: NewDefinition): Promise<AlarmDefinitionRow> {
    const [row] = await this.db
      .insert(alarmDefinitions)
      .values({ ...v, orgId })
      .returning();
    return row!;
  }

  async updateDefinition(orgId: number, id: number, v: Partial<NewDefinition>): Promise<boolean> {
    const r = await this.db
      .update(alarmDefinitions)
      .set(v)
      .where(and(eq(alarmDefinitions.orgId, orgId), eq(alarmDefinitions.id, id), alive(alarmDefinitions)))
      .returning({ id: alarmDefinitions.id });
    return r.length > 0;
  }

  async ruleCount(orgId: number, definitionId: number): Promise<number> {
    const [r] = await this.db
      .select({ n: count() })
      .from(alarmRules)
      .where(and(eq(alarmRules.orgId, orgId), eq(alarmRules.definitionId, definitionId), alive(alarmRules)));
    return r?.n ?? 0;
  }

  async removeDefinition(orgId: number, id: number, at: Date): Promise<void> {
    await this.db
      .update(alarmDefinitions)
      .set({ deletedAt: at })
      .where(and(eq(alarmDefinitions.orgId, orgId), eq(alarmDefinitions.id, id)));
  }

  async listRules(
    orgId: number,
    f: { id?: number; definitionId?: number; meterId?: number },
    limit: number,
    offset: number,
  ) {
    const where = and(
      eq(alarmRules.orgId, orgId),
      alive(alarmRules),
      f.id ? eq(alarmRules.id, f.id) : undefined,
      f.definitionId ? eq(alarmRules.definitionId, f.definitionId) : undefined,
      f.meterId ? eq(alarmRules.meterId, f.meterId) : undefined,
    );
    const [rows, [total]] = await Promise.all([
      this.rulesWhere(where).orderBy(asc(alarmRules.id)).limit(limit).offset(offset),
      this.db.select({ n: count() }).from(alarmRules).where(where),
    ]);
    return { rows: rows.map((x) => ({ ...x.r, def: x.d })), total: total?.n ?? 0 };
  }

  async findRule(orgId: number, id: number, db: Db | Tx = this.db): Promise<RuleWithDefinition | undefined> {
    const [row] = await this.rulesWhere(and(eq(alarmRules.orgId, orgId), eq(alarmRules.id, id)), db);
    return row ? { ...row.r, def: row.d } : undefined;
  }

  async insertRule(orgId: number, v: NewRule): Promise<AlarmRuleRow> {
    const [row] = await this.db
      .insert(alarmRules)
      .values({ ...v, orgId })
      .returning();
    return row!;
  }

  async updateRule(orgId: number, id: number, v: Partial<NewRule>): Promise<boolean> {
    const r = await this.db
      .update(alarmRules)
      .set(v)
      .where(and(eq(alarmRules.orgId, orgId), eq(alarmRules.id, id), alive(alarmRules)))
      .returning({ id: alarmRules.id });
    return r.length > 0;
  }

  async removeRule(orgId: number, id: number, at: Date): Promise<void> {
    await this.db
      .update(alarmRules)
      .set({ deletedAt: at })
      .where(and(eq(alarmRules.orgId, orgId), eq(alarmRules.id, id)));
  }

  /** Live rules of the given types on any of these meters (types 1 and 2). */
  async rulesForMeters(orgId: number, meterIds: number[], types: number[]): Promise<RuleWithDefinition[]> {
    if (!meterIds.length) return [];
    const rows = await this.rulesWhere(
      and(
        eq(alarmRules.orgId, orgId),
        inArray(alarmRules.meterId, meterIds),
        inArray(alarmDefinitions.type, types),
      ),
    );
    return rows.map((x) => ({ ...x.r, def: x.d }));
  }

  /** Live device (type 3) rules that apply to a device: named for it, or for every device. */
  async rulesForDevice(orgId: number, uid: string): Promise<RuleWithDefinition[]> {
    const rows = await this.rulesWhere(
      and(
        eq(alarmRules.orgId, orgId),
        eq(alarmDefinitions.type, 3),
        or(eq(alarmRules.deviceUid, uid), eq(alarmRules.deviceUid, '')),
      ),
    );
    return rows.map((x) => ({ ...x.r, def: x.d }));
  }

  /** Every device (type 3) rule of an organization, for every device uid or one. */
  async deviceRules(orgId: number): Promise<RuleWithDefinition[]> {
    const rows = await this.rulesWhere(and(eq(alarmRules.orgId, orgId), eq(alarmDefinitions.type, 3)));
    return rows.map((x) => ({ ...x.r, def: x.d }));
  }

  /** Every live hourly (type 1) rule, all organizations (the hourly job). */
  async hourlyRules(): Promise<RuleWithDefinition[]> {
    const rows = await this.rulesWhere(eq(alarmDefinitions.type, 1));
    return rows.map((x) => ({ ...x.r, def: x.d }));
  }
}
