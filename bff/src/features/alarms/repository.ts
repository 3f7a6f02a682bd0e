import { and, asc, count, desc, eq, gte, ilike, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../infra/db/client';
import type { Tx } from '../../platform/contract';
import { initialPoint, type PointState } from './lifecycle';
import {
  alarmDeliveries,
  alarmHistory,
  alarmHourValues,
  alarmPoints,
  alarms,
  type AlarmHistoryRow,
  type AlarmRow,
} from './tables';

export type NewAlarm = Omit<typeof alarms.$inferInsert, 'id'>;
export type NewHistory = Omit<typeof alarmHistory.$inferInsert, 'id'>;
export interface PointRow {
  ruleId: number;
  source: string;
  state: PointState;
  shelvedUntil: Date | null;
  shelveReason: string;
}
export interface AlarmFilter {
  from: Date;
  to: Date;
  meterName?: string;
  machineName?: string;
  machineId?: number;
  type?: number;
  level?: number;
  ruleName?: string;
  state?: number;
  activeOnly?: boolean;
  activeFirst?: boolean;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** SQL of alarm records, their history and the per-(rule, source) evaluation state. */
export class AlarmRepository {
  constructor(readonly db: Db) {}

  /** Evaluation state without a lock (the fast path: most samples change nothing). */
  async points(keys: { ruleId: number; source: string }[]): Promise<Map<string, PointRow>> {
    const out = new Map<string, PointRow>();
    if (!keys.length) return out;
    const rows = await this.db
      .select()
      .from(alarmPoints)
      .where(inArray(alarmPoints.ruleId, [...new Set(keys.map((k) => k.ruleId))]));
    for (const r of rows) out.set(`${r.ruleId}|${r.source}`, r);
    return out;
  }

  /** The point's row, created if missing, locked until the transaction ends. */
  async lockPoint(tx: Tx, orgId: number, ruleId: number, source: string): Promise<PointRow> {
    await tx
      .insert(alarmPoints)
      .values({ ruleId, source, orgId, state: initialPoint() })
      .onConflictDoNothing();
    const [row] = await tx
      .select()
      .from(alarmPoints)
      .where(and(eq(alarmPoints.ruleId, ruleId), eq(alarmPoints.source, source)))
      .for('update');
    return row!;
  }

  /** Forgets a rule's evaluation state (its source changed or it was removed). */
  async resetPoints(tx: Tx, ruleId: number): Promise<void> {
    await tx.update(alarmPoints).set({ state: initialPoint() }).where(eq(alarmPoints.ruleId, ruleId));
  }

  async savePoint(tx: Tx, ruleId: number, source: string, v: Partial<typeof alarmPoints.$inferInsert>) {
    await tx
      .update(alarmPoints)
      .set(v)
      .where(and(eq(alarmPoints.ruleId, ruleId), eq(alarmPoints.source, source)));
  }

  async activeAlarm(tx: Tx | Db, ruleId: number, source: string): Promise<AlarmRow | undefined> {
    const [row] = await tx
      .select()
      .from(alarms)
      .where(and(eq(alarms.ruleId, ruleId), eq(alarms.source, source), isNull(alarms.clearedAt)));
    return row;
  }

  async activeOfRule(tx: Tx, ruleId: number): Promise<AlarmRow[]> {
    return tx
      .select()
      .from(alarms)
      .where(and(eq(alarms.ruleId, ruleId), isNull(alarms.clearedAt)))
      .for('update');
  }

  async insertAlarm(tx: Tx, v: NewAlarm): Promise<AlarmRow> {
    const [row] = await tx.insert(alarms).values(v).returning();
    return row!;
  }

  async updateAlarm(tx: Tx, id: number, v: Partial<NewAlarm>): Promise<AlarmRow> {
    const [row] = await tx.update(alarms).set(v).where(eq(alarms.id, id)).returning();
    return row!;
  }

  /** The alarm locked for a change (acknowledge, shelve, escalation). */
  async lockAlarm(tx: Tx, orgId: number, id: number): Promise<AlarmRow | undefined> {
    const [row] = await tx
      .select()
      .from(alarms)
      .where(and(eq(alarms.orgId, orgId), eq(alarms.id, id)))
      .for('update');
    return row;
  }

  async addHistory(tx: Tx, entries: NewHistory[]): Promise<void> {
    if (entries.length) await tx.insert(alarmHistory).values(entries);
  }

  async find(orgId: number, id: number, db: Db | Tx = this.db): Promise<AlarmRow | undefined> {
    const [row] = await db
      .select()
      .from(alarms)
      .where(and(eq(alarms.orgId, orgId), eq(alarms.id, id)));
    return row;
  }

  async history(orgId: number, alarmId: number): Promise<AlarmHistoryRow[]> {
    return this.db
      .select()
      .from(alarmHistory)
      .where(and(eq(alarmHistory.orgId, orgId), eq(alarmHistory.alarmId, alarmId)))
      .orderBy(asc(alarmHistory.id));
  }

  private where(orgId: number, f: AlarmFilter): SQL | undefined {
    return and(
      eq(alarms.orgId, orgId),
      gte(alarms.raisedAt, f.from),
      lt(alarms.raisedAt, f.to),
      f.meterName ? ilike(alarms.meterName, `%${escapeLike(f.meterName)}%`) : undefined,
      f.machineName ? ilike(alarms.machineName, `%${escapeLike(f.machineName)}%`) : undefined,
      f.machineId ? eq(alarms.machineId, f.machineId) : undefined,
      f.ruleName ? ilike(alarms.ruleName, `%${escapeLike(f.ruleName)}%`) : undefined,
      f.type ? eq(alarms.type, f.type) : undefined,
      f.level ? eq(alarms.level, f.level) : undefined,
      f.state ? eq(alarms.state, f.state) : undefined,
      f.activeOnly ? isNull(alarms.clearedAt) : undefined,
    );
  }

  /** 6.9: records raised in [from, to), newest first (active first when asked), with the caller's unread flag. */
  async list(orgId: number, userId: number, f: AlarmFilter, limit: number, offset: number) {
    const where = this.where(orgId, f);
    // `alarms.id` written out: in a one-table select Drizzle renders a column as a bare "id", which inside
    // this subquery would be the delivery's own id.
    const unread = sql<boolean>`exists (select 1 from ${alarmDeliveries} d where d.alarm_id = alarms.id
      and d.user_id = ${userId} and d.channel = 1 and d.status = 'sent' and d.read_at is null)`;
    const order = f.activeFirst
      ? [sql`(${alarms.clearedAt} is null) desc`, desc(alarms.level), desc(alarms.raisedAt), desc(alarms.id)]
      : [desc(alarms.raisedAt), desc(alarms.id)];
    const [rows, [total]] = await Promise.all([
      this.db
        .select({ a: alarms, unread })
        .from(alarms)
        .where(where)
        .orderBy(...order)
        .limit(limit)
        .offset(offset),
      this.db.select({ n: count() }).from(alarms).where(where),
    ]);
    return { rows: rows.map((r) => ({ ...r.a, unread: Boolean(r.unread) })), total: total?.n ?? 0 };
  }

  /** 6.10 input: every record raised in [from, to) with its grouping fields. */
  async statRows(orgId: number, from: Date, to: Date) {
    return this.db
      .select({ at: alarms.raisedAt, level: alarms.level, type: alarms.type, notify: alarms.notify })
      .from(alarms)
      .where(and(eq(alarms.orgId, orgId), gte(alarms.raisedAt, from), lt(alarms.raisedAt, to)));
  }

  async counts(orgId: number): Promise<{ active: number; activeUnack: number }> {
    const [r] = await this.db
      .select({
        active: sql<number>`count(*) filter (where ${alarms.clearedAt} is null)::int`,
        unack: sql<number>`count(*) filter (where ${alarms.state} = 1)::int`,
      })
      .from(alarms)
      .where(and(eq(alarms.orgId, orgId), isNull(alarms.clearedAt)));
    return { active: Number(r?.active ?? 0), activeUnack: Number(r?.unack ?? 0) };
  }

  async hourValue(tx: Tx, ruleId: number, meterId: number, hourStart: number) {
    const [row] = await tx
      .select()
      .from(alarmHourValues)
      .where(
        and(
          eq(alarmHourValues.ruleId, ruleId),
          eq(alarmHourValues.meterId, meterId),
          eq(alarmHourValues.hourStart, new Date(hourStart)),
        ),
      );
    return row;
  }

  async saveHourValue(tx: Tx, v: typeof alarmHourValues.$inferInsert): Promise<void> {
    await tx
      .insert(alarmHourValues)
      .values(v)
      .onConflictDoUpdate({
        target: [alarmHourValues.ruleId, alarmHourValues.meterId, alarmHourValues.hourStart],
        set: { value: v.value, outside: v.outside },
      });
  }
}
