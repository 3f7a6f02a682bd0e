import { and, asc, desc, eq, gt, gte, inArray, isNotNull, lt, lte, sql } from 'drizzle-orm';
import type { PrpBaseInfos, PrpOrganizationInfos, PrpVersion } from '@wattdesk/shared';
import type { Db } from '../../infra/db/client';
import type { DbOrTx } from '../../infra/db/rows';
import { prpConnections, prpExchanges, prpItems, prpOrgs, prpUploads } from './tables';

export type ItemConfig = PrpOrganizationInfos['collectItemConfig'][number];

/** A collect item as stored. */
export interface Item {
  id: number;
  orgId: number;
  itemNo: number;
  meterId: number;
  statType: string;
  config: ItemConfig;
  active: boolean;
  createdAt: Date;
}

export type Upload = typeof prpUploads.$inferSelect;

/** The identity of a collect item: its meter and codes (a renamed item stays the same item). */
export const itemKeyOf = (c: ItemConfig): string =>
  [
    c.Meter_id,
    c.Energy_Code,
    c.dataUsageCode,
    c.statType,
    c.processCode,
    c.processUnitCode,
    c.equipmentCode,
    c.equipmentUnitCode,
  ].join('|');

const toItem = (r: typeof prpItems.$inferSelect): Item => ({
  id: r.id,
  orgId: r.orgId,
  itemNo: r.itemNo,
  meterId: r.meterId,
  statType: r.statType,
  config: r.config as ItemConfig,
  active: r.active,
  createdAt: r.createdAt,
});

/** SQL of the provincial tables (migration 0740). Every query takes the organization. */
export class ProvincialRepository {
  constructor(readonly db: Db) {}

  async connection(orgId: number) {
    const [r] = await this.db.select().from(prpConnections).where(eq(prpConnections.orgId, orgId));
    return r;
  }

  async saveConnection(
    orgId: number,
    c: { baseUrl: string; accessKey: string; secretEnc: string },
    now: Date,
  ) {
    await this.db
      .insert(prpConnections)
      .values({ orgId, ...c, updatedAt: now })
      .onConflictDoUpdate({ target: prpConnections.orgId, set: { ...c, updatedAt: now } });
  }

  async org(orgId: number, db: DbOrTx = this.db) {
    const [r] = await db.select().from(prpOrgs).where(eq(prpOrgs.orgId, orgId));
    return r;
  }

  private async ensureOrg(db: DbOrTx, orgId: number) {
    await db.insert(prpOrgs).values({ orgId }).onConflictDoNothing();
  }

  async saveLists(orgId: number, lists: PrpBaseInfos, now: Date) {
    await this.ensureOrg(this.db, orgId);
    await this.db
      .update(prpOrgs)
      .set({ lists, dicVersion: lists.dicVersion, listsFetchedAt: now })
      .where(eq(prpOrgs.orgId, orgId));
  }

  /** The platform's latest 5.4 answer: its dicVersion tells whether the cached lists are current. */
  async saveVersion(orgId: number, version: PrpVersion, db: DbOrTx = this.db) {
    await this.ensureOrg(db, orgId);
    await db
      .update(prpOrgs)
      .set({ version, knownDicVersion: version.dicVersion })
      .where(eq(prpOrgs.orgId, orgId));
  }

  async saveInfos(tx: DbOrTx, orgId: number, infos: PrpOrganizationInfos, now: Date) {
    await this.ensureOrg(tx, orgId);
    await tx.update(prpOrgs).set({ infos, infosUpdatedAt: now }).where(eq(prpOrgs.orgId, orgId));
  }

  /**
   * Makes the stored items those of `configs`: an item seen before (same key) keeps its number and
   * takes the new config; a new one gets the next number; items no longer listed are deactivated.
   * Answers the active items in the order of `configs`.
   */
  async syncItems(tx: DbOrTx, orgId: number, configs: ItemConfig[], now: Date): Promise<Item[]> {
    await tx.execute(sql`select pg_advisory_xact_lock(74001, ${orgId})`);
    const existing = await tx.select().from(prpItems).where(eq(prpItems.orgId, orgId));
    const byKey = new Map(existing.map((r) => [r.itemKey, r]));
    let next = existing.reduce((m, r) => Math.max(m, r.itemNo), 0);
    const keep = new Set<number>();
    const out: Item[] = [];
    for (const config of configs) {
      const key = itemKeyOf(config);
      const old = byKey.get(key);
      if (old) {
        const [r] = await tx
          .update(prpItems)
          .set({ config, active: true })
          .where(eq(prpItems.id, old.id))
          .returning();
        keep.add(old.id);
        out.push(toItem(r!));
      } else {
        const [r] = await tx
          .insert(prpItems)
          .values({
            orgId,
            itemNo: ++next,
            itemKey: key,
            meterId: config.Meter_id,
            statType: config.statType,
            config,
            createdAt: now,
          })
          .returning();
        keep.add(r!.id);
        out.push(toItem(r!));
      }
    }
    const gone = existing.filter((r) => !keep.has(r.id) && r.active).map((r) => r.id);
    if (gone.length) await tx.update(prpItems).set({ active: false }).where(inArray(prpItems.id, gone));
    return out;
  }

  async activeItems(orgId: number, db: DbOrTx = this.db): Promise<Item[]> {
    const rows = await db
      .select()
      .from(prpItems)
      .where(and(eq(prpItems.orgId, orgId), eq(prpItems.active, true)))
      .orderBy(asc(prpItems.itemNo));
    return rows.map(toItem);
  }

  async item(id: number): Promise<Item | undefined> {
    const [r] = await this.db.select().from(prpItems).where(eq(prpItems.id, id));
    return r && toItem(r);
  }

  /** Organizations with saved information and a connection: the ones to upload for. */
  async plannableOrgs(): Promise<number[]> {
    const rows = await this.db
      .select({ orgId: prpOrgs.orgId })
      .from(prpOrgs)
      .innerJoin(prpConnections, eq(prpConnections.orgId, prpOrgs.orgId))
      .where(isNotNull(prpOrgs.infos));
    return rows.map((r) => r.orgId);
  }

  /** Queues an operation (1, 2); answers its id. */
  async createOperation(tx: DbOrTx, orgId: number, op: 1 | 2, payload: unknown, now: Date): Promise<number> {
    const [r] = await tx
      .insert(prpUploads)
      .values({ orgId, operationType: op, payload, createdAt: now })
      .returning({ id: prpUploads.id });
    return r!.id;
  }

  /** One item's figure of one period and revision; null when that (item, period, revision) exists. */
  async createFigure(
    tx: DbOrTx,
    f: { orgId: number; itemId: number; start: Date; end: Date; revision: number; value: number },
    now: Date,
  ): Promise<number | null> {
    const [r] = await tx
      .insert(prpUploads)
      .values({
        orgId: f.orgId,
        operationType: 3,
        itemId: f.itemId,
        periodStart: f.start,
        periodEnd: f.end,
        revision: f.revision,
        value: f.value,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: prpUploads.id });
    return r?.id ?? null;
  }

  async upload(id: number): Promise<Upload | undefined> {
    const [r] = await this.db.select().from(prpUploads).where(eq(prpUploads.id, id));
    return r;
  }

  /** Whether a later revision of the same (item, period) exists. */
  async superseded(u: Upload): Promise<boolean> {
    if (u.itemId === null || u.periodStart === null) return false;
    const [r] = await this.db
      .select({ id: prpUploads.id })
      .from(prpUploads)
      .where(
        and(
          eq(prpUploads.itemId, u.itemId),
          eq(prpUploads.periodStart, u.periodStart),
          gt(prpUploads.revision, u.revision),
        ),
      )
      .limit(1);
    return !!r;
  }

  /** Counts an attempt before it is made (committed first, so a crash mid-call still counts it). */
  async startAttempt(id: number): Promise<number> {
    const [r] = await this.db
      .update(prpUploads)
      .set({ attempts: sql`${prpUploads.attempts} + 1` })
      .where(eq(prpUploads.id, id))
      .returning({ attempts: prpUploads.attempts });
    return r!.attempts;
  }

  async setState(db: DbOrTx, id: number, state: 'sent' | 'failed' | 'superseded', now: Date) {
    await db.update(prpUploads).set({ state, finishedAt: now }).where(eq(prpUploads.id, id));
  }

  async recordExchange(db: DbOrTx, e: typeof prpExchanges.$inferInsert) {
    await db.insert(prpExchanges).values(e);
  }

  /**
   * The latest revision of every (item, period) of the organization overlapping [from, to), with
   * its item: what late data may have changed.
   */
  async latestFigures(orgId: number, from: Date, to: Date, db: DbOrTx = this.db) {
    const rows = await db
      .select({ u: prpUploads, item: prpItems })
      .from(prpUploads)
      .innerJoin(prpItems, eq(prpItems.id, prpUploads.itemId))
      .where(
        and(
          eq(prpUploads.orgId, orgId),
          isNotNull(prpUploads.itemId),
          lt(prpUploads.periodStart, to),
          gt(prpUploads.periodEnd, from),
          eq(prpItems.active, true),
        ),
      )
      .orderBy(asc(prpUploads.itemId), asc(prpUploads.periodStart), desc(prpUploads.revision));
    const seen = new Set<string>();
    const out: { u: Upload; item: Item }[] = [];
    for (const r of rows) {
      const k = `${r.u.itemId}|${r.u.periodStart!.getTime()}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push({ u: r.u, item: toItem(r.item) });
    }
    return out;
  }

  /** 5.7 exchanges in [from, to], oldest first, with their upload's item and period. */
  async exchanges(orgId: number, from: Date, to: Date, limit: number, offset: number) {
    const where = and(
      eq(prpExchanges.orgId, orgId),
      gte(prpExchanges.uploadTime, from),
      lte(prpExchanges.uploadTime, to),
    );
    const rows = await this.db
      .select({ e: prpExchanges, periodStart: prpUploads.periodStart, config: prpItems.config })
      .from(prpExchanges)
      .innerJoin(prpUploads, eq(prpUploads.id, prpExchanges.uploadId))
      .leftJoin(prpItems, eq(prpItems.id, prpUploads.itemId))
      .where(where)
      .orderBy(asc(prpExchanges.uploadTime), asc(prpExchanges.id))
      .limit(limit)
      .offset(offset);
    const [n] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(prpExchanges)
      .where(where);
    return { rows, total: Number(n?.n ?? 0) };
  }

  /** 5.8: the latest exchange of an operation type, the failures after the last success, and what is pending. */
  async operation(orgId: number, op: number) {
    const [last] = await this.db
      .select()
      .from(prpExchanges)
      .where(and(eq(prpExchanges.orgId, orgId), eq(prpExchanges.operationType, op)))
      .orderBy(desc(prpExchanges.id))
      .limit(1);
    const [lastOk] = await this.db
      .select({ id: prpExchanges.id })
      .from(prpExchanges)
      .where(
        and(eq(prpExchanges.orgId, orgId), eq(prpExchanges.operationType, op), eq(prpExchanges.result, 1)),
      )
      .orderBy(desc(prpExchanges.id))
      .limit(1);
    const [failures] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(prpExchanges)
      .where(
        and(
          eq(prpExchanges.orgId, orgId),
          eq(prpExchanges.operationType, op),
          eq(prpExchanges.result, 0),
          gt(prpExchanges.id, lastOk?.id ?? 0),
        ),
      );
    const [pending] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(prpUploads)
      .where(
        and(eq(prpUploads.orgId, orgId), eq(prpUploads.operationType, op), eq(prpUploads.state, 'pending')),
      );
    return { last, failures: Number(failures?.n ?? 0), pending: Number(pending?.n ?? 0) };
  }
}
