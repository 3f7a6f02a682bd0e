import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../infra/db/client';
import { organizations } from '../accounts/tables';
import { orgCalendars, orgShifts } from '../meters/tables';
import { FINE_MS } from './calendar';

export type CalendarRow = typeof orgCalendars.$inferSelect;
export type ShiftRow = typeof orgShifts.$inferSelect;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Reads and writes an organization's calendar, time zone and shifts. */
export class CalendarRepository {
  constructor(private readonly db: Db) {}

  async find(orgId: number, db: Db | Tx = this.db): Promise<{ tz: string; row?: CalendarRow }> {
    const [hit] = await db
      .select({ tz: organizations.timeZone, row: orgCalendars })
      .from(organizations)
      .leftJoin(orgCalendars, eq(orgCalendars.orgId, organizations.id))
      .where(eq(organizations.id, orgId));
    return { tz: hit?.tz ?? 'Asia/Shanghai', row: hit?.row ?? undefined };
  }

  async save(tx: Tx, values: typeof orgCalendars.$inferInsert, tz: string): Promise<void> {
    await tx
      .insert(orgCalendars)
      .values(values)
      .onConflictDoUpdate({ target: orgCalendars.orgId, set: { ...values, updatedAt: new Date() } });
    await tx.update(organizations).set({ timeZone: tz }).where(eq(organizations.id, values.orgId));
  }

  async shifts(orgId: number): Promise<ShiftRow[]> {
    return this.db.select().from(orgShifts).where(eq(orgShifts.orgId, orgId)).orderBy(orgShifts.position);
  }

  async saveShifts(orgId: number, rows: Omit<ShiftRow, 'orgId'>[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.delete(orgShifts).where(eq(orgShifts.orgId, orgId));
      if (rows.length) await tx.insert(orgShifts).values(rows.map((r) => ({ ...r, orgId })));
    });
  }

  /**
   * Rebuilds the day and month rollups of every meter of an organization from the readings' stored
   * consumption, the hand-filled amounts and the readings' params, for a new calendar. Runs inside the caller's transaction.
   */
  async rebuildRollups(tx: Tx, orgId: number, r: { tz: string; dayMinute: number; monthDay: number }) {
    const meterIds = sql`(select id from meters where org_id = ${orgId})`;
    await tx.execute(sql`delete from energy_day where meter_id in ${meterIds}`);
    await tx.execute(sql`delete from energy_month where meter_id in ${meterIds}`);
    await tx.execute(sql`delete from param_day where meter_id in ${meterIds}`);
    // Consumption per fine bucket from the readings' stored deltas and the hand-filled amounts.
    const fine = sql`
      select meter_id, to_timestamp(floor((extract(epoch from ts) * 1000 - 1) / ${FINE_MS}) * ${FINE_MS / 1000}) as fb, delta as v
      from readings where meter_id in ${meterIds} and delta <> 0
      union all
      select meter_id, to_timestamp(floor(extract(epoch from period_start) * 1000 / ${FINE_MS}) * ${FINE_MS / 1000}), amount
      from manual_amounts where meter_id in ${meterIds}`;
    await tx.execute(sql`
      insert into energy_day (meter_id, day, amount, slots)
      select meter_id, wd_day_start(fb, ${r.tz}, ${r.dayMinute}), sum(v), wd_slots_sum(wd_slot_array(wd_slot(fb, ${r.tz}), v))
      from (select meter_id, fb, sum(v) as v from (${fine}) s group by 1, 2) f
      group by 1, 2`);
    await tx.execute(sql`
      update energy_day r set cost = coalesce(wd_safe_dot(r.slots, p.prices), 0)
      from meters m left join rate_prices p on p.org_id = m.org_id and p.energy_type = m.energy_type
      where m.org_id = ${orgId} and r.meter_id = m.id`);
    await tx.execute(sql`
      insert into energy_month (meter_id, month, amount, cost, slots)
      select meter_id, wd_month_start(day, ${r.tz}, ${r.dayMinute}, ${r.monthDay}), sum(amount), sum(cost), wd_slots_sum(slots)
      from energy_day where meter_id in ${meterIds} group by 1, 2`);
    await tx.execute(sql`
      insert into param_day (meter_id, day, name, sum, n)
      select r.meter_id, wd_day_start(r.ts - interval '1 millisecond', ${r.tz}, ${r.dayMinute}), p.key,
             sum(p.value::double precision), count(*)
      from readings r cross join lateral jsonb_each_text(r.params) p
      where r.meter_id in ${meterIds} and r.params is not null group by 1, 2, 3`);
  }
}
