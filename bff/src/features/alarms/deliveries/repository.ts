import { and, asc, count, desc, eq, gte, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../../infra/db/client';
import type { Tx } from '../../../platform/contract';
import {
  alarmDeliveries,
  alarmDeliveryAttempts,
  alarmNotifySettings,
  wechatSubscriptions,
  type AlarmDeliveryRow,
  type AlarmNotifySettingsRow,
} from '../tables';

export type NewDelivery = Omit<typeof alarmDeliveries.$inferInsert, 'id'>;
/** Statuses a worker may pick up. */
const CLAIMABLE = ['pending', 'retrying', 'deferred'];

/** SQL of deliveries, their attempts, WeChat quotas and notification settings. */
export class DeliveryRepository {
  /** `claimMs`: how long one attempt may hold a delivery before another worker may take it over. */
  constructor(
    readonly db: Db,
    private readonly claimMs = 60_000,
  ) {}

  /** Inserts a delivery unless its (alarm, event, recipient, channel) exists; returns it only when new. */
  async insert(tx: Tx, v: NewDelivery): Promise<AlarmDeliveryRow | undefined> {
    const [row] = await tx.insert(alarmDeliveries).values(v).onConflictDoNothing().returning();
    return row;
  }

  /**
   * Claims a delivery for one attempt: only a claimable one, or one whose previous claim expired (its
   * worker died). Committed on its own, so a second worker or instance finds it taken.
   */
  async claim(id: number, now: Date): Promise<AlarmDeliveryRow | undefined> {
    const [row] = await this.db
      .update(alarmDeliveries)
      .set({
        status: 'sending',
        claimedUntil: new Date(now.getTime() + this.claimMs),
        attempts: sql`${alarmDeliveries.attempts} + 1`,
      })
      .where(
        and(
          eq(alarmDeliveries.id, id),
          or(
            inArray(alarmDeliveries.status, CLAIMABLE),
            and(eq(alarmDeliveries.status, 'sending'), lt(alarmDeliveries.claimedUntil, now)),
          ),
        ),
      )
      .returning();
    return row;
  }

  /**
   * Deliveries that should be moving but may have no live job: pending / retrying ones older than
   * `olderThan`, and attempts whose worker died (claim expired). The sweep re-queues them; the claim
   * makes an extra job harmless.
   */
  async stalled(now: Date, olderThan: Date): Promise<AlarmDeliveryRow[]> {
    return this.db
      .select()
      .from(alarmDeliveries)
      .where(
        or(
          and(
            inArray(alarmDeliveries.status, ['pending', 'retrying', 'deferred']),
            lt(alarmDeliveries.createdAt, olderThan),
            or(isNull(alarmDeliveries.notBefore), lt(alarmDeliveries.notBefore, now)),
          ),
          and(eq(alarmDeliveries.status, 'sending'), lt(alarmDeliveries.claimedUntil, now)),
        ),
      )
      .limit(500);
  }

  /** Deliveries with an attempt in flight (claim not expired yet), wherever it runs. */
  async claimed(now: Date): Promise<AlarmDeliveryRow[]> {
    return this.db
      .select()
      .from(alarmDeliveries)
      .where(and(eq(alarmDeliveries.status, 'sending'), gte(alarmDeliveries.claimedUntil, now)))
      .limit(500);
  }

  async find(id: number, db: Db | Tx = this.db): Promise<AlarmDeliveryRow | undefined> {
    const [row] = await db.select().from(alarmDeliveries).where(eq(alarmDeliveries.id, id));
    return row;
  }

  /**
   * Records one attempt's answer and, while the attempt still holds the delivery (its number is the
   * delivery's claim: an attempt whose claim lapsed and was taken over does not overwrite the taker's
   * outcome), the delivery's new status, together. `then` runs in the same transaction when it held.
   * Returns whether it held.
   */
  async finish(
    id: number,
    orgId: number,
    attemptNo: number,
    at: Date,
    outcome: { status: string; result: 'ok' | 'error'; answer: string; notBefore?: Date | null },
    then?: (tx: Tx) => Promise<unknown>,
  ): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await tx
        .insert(alarmDeliveryAttempts)
        .values({ deliveryId: id, orgId, attemptNo, at, result: outcome.result, answer: outcome.answer });
      const held = await tx
        .update(alarmDeliveries)
        .set({
          status: outcome.status,
          claimedUntil: null,
          ...(outcome.status === 'sent' ? { sentAt: at } : {}),
          ...(outcome.notBefore !== undefined ? { notBefore: outcome.notBefore } : {}),
        })
        .where(and(eq(alarmDeliveries.id, id), eq(alarmDeliveries.attempts, attemptNo)))
        .returning({ id: alarmDeliveries.id });
      if (held.length && then) await then(tx);
      return held.length > 0;
    });
  }

  /**
   * Gives a claim back without an attempt (the delivery is held, or deferred to its time): the status,
   * and the attempt count as it was — only while this claim (`attemptNo`) still holds it.
   */
  async unclaim(id: number, attemptNo: number, status: string, db: Db | Tx = this.db): Promise<boolean> {
    const rows = await db
      .update(alarmDeliveries)
      .set({ status, claimedUntil: null, attempts: attemptNo - 1 })
      .where(and(eq(alarmDeliveries.id, id), eq(alarmDeliveries.attempts, attemptNo)))
      .returning({ id: alarmDeliveries.id });
    return rows.length > 0;
  }

  /** Held deliveries of an alarm (chattering / shelved), made pending again. */
  async releaseHeld(tx: Tx, alarmId: number): Promise<AlarmDeliveryRow[]> {
    return tx
      .update(alarmDeliveries)
      .set({ status: 'pending' })
      .where(and(eq(alarmDeliveries.alarmId, alarmId), eq(alarmDeliveries.status, 'held')))
      .returning();
  }

  async list(orgId: number, alarmId: number | undefined, limit: number, offset: number) {
    const where = and(
      eq(alarmDeliveries.orgId, orgId),
      alarmId ? eq(alarmDeliveries.alarmId, alarmId) : undefined,
    );
    const [rows, [total]] = await Promise.all([
      this.db
        .select()
        .from(alarmDeliveries)
        .where(where)
        .orderBy(desc(alarmDeliveries.id))
        .limit(limit)
        .offset(offset),
      this.db.select({ n: count() }).from(alarmDeliveries).where(where),
    ]);
    const attempts = rows.length
      ? await this.db
          .select()
          .from(alarmDeliveryAttempts)
          .where(
            inArray(
              alarmDeliveryAttempts.deliveryId,
              rows.map((r) => r.id),
            ),
          )
          .orderBy(asc(alarmDeliveryAttempts.id))
      : [];
    return { rows, attempts, total: total?.n ?? 0 };
  }

  async unread(orgId: number, userId: number): Promise<number> {
    const [r] = await this.db
      .select({ n: sql<number>`count(distinct ${alarmDeliveries.alarmId})::int` })
      .from(alarmDeliveries)
      .where(
        and(
          eq(alarmDeliveries.orgId, orgId),
          eq(alarmDeliveries.userId, userId),
          eq(alarmDeliveries.channel, 1),
          eq(alarmDeliveries.status, 'sent'),
          isNull(alarmDeliveries.readAt),
        ),
      );
    return Number(r?.n ?? 0);
  }

  async markRead(orgId: number, userId: number, alarmId: number | undefined, at: Date): Promise<void> {
    await this.db
      .update(alarmDeliveries)
      .set({ readAt: at })
      .where(
        and(
          eq(alarmDeliveries.orgId, orgId),
          eq(alarmDeliveries.userId, userId),
          eq(alarmDeliveries.channel, 1),
          isNull(alarmDeliveries.readAt),
          alarmId ? eq(alarmDeliveries.alarmId, alarmId) : undefined,
        ),
      );
  }

  // --- WeChat one-time subscription quota -------------------------------------------------------

  async addSubscription(orgId: number, userId: number, templateId: string, n: number): Promise<number> {
    const [r] = await this.db
      .insert(wechatSubscriptions)
      .values({ userId, templateId, orgId, remaining: n })
      .onConflictDoUpdate({
        target: [wechatSubscriptions.userId, wechatSubscriptions.templateId],
        set: { remaining: sql`${wechatSubscriptions.remaining} + ${n}`, updatedAt: sql`now()` },
      })
      .returning({ remaining: wechatSubscriptions.remaining });
    return r?.remaining ?? 0;
  }

  async remaining(userId: number, templateId: string): Promise<number> {
    const [r] = await this.db
      .select({ n: wechatSubscriptions.remaining })
      .from(wechatSubscriptions)
      .where(and(eq(wechatSubscriptions.userId, userId), eq(wechatSubscriptions.templateId, templateId)));
    return r?.n ?? 0;
  }

  /** Takes one acceptance for a send; false when none is left. */
  async takeOne(userId: number, templateId: string): Promise<boolean> {
    const r = await this.db
      .update(wechatSubscriptions)
      .set({ remaining: sql`${wechatSubscriptions.remaining} - 1`, updatedAt: sql`now()` })
      .where(
        and(
          eq(wechatSubscriptions.userId, userId),
          eq(wechatSubscriptions.templateId, templateId),
          sql`${wechatSubscriptions.remaining} > 0`,
        ),
      )
      .returning({ n: wechatSubscriptions.remaining });
    return r.length > 0;
  }

  async giveBack(userId: number, templateId: string): Promise<void> {
    await this.db
      .update(wechatSubscriptions)
      .set({ remaining: sql`${wechatSubscriptions.remaining} + 1` })
      .where(and(eq(wechatSubscriptions.userId, userId), eq(wechatSubscriptions.templateId, templateId)));
  }

  /** WeChat said 43101: the user has no acceptance left, whatever we counted. */
  async zero(userId: number, templateId: string): Promise<void> {
    await this.db
      .update(wechatSubscriptions)
      .set({ remaining: 0 })
      .where(and(eq(wechatSubscriptions.userId, userId), eq(wechatSubscriptions.templateId, templateId)));
  }

  // --- per-user settings ----------------------------------------------------------------------

  async settings(userIds: number[], db: Db | Tx = this.db): Promise<Map<number, AlarmNotifySettingsRow>> {
    if (!userIds.length) return new Map();
    const rows = await db
      .select()
      .from(alarmNotifySettings)
      .where(inArray(alarmNotifySettings.userId, userIds));
    return new Map(rows.map((r) => [r.userId, r]));
  }

  async saveSettings(v: typeof alarmNotifySettings.$inferInsert): Promise<void> {
    const { userId: _u, orgId: _o, ...set } = v;
    await this.db
      .insert(alarmNotifySettings)
      .values(v)
      .onConflictDoUpdate({ target: alarmNotifySettings.userId, set });
  }
}
