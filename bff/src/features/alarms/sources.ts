import { sql } from 'drizzle-orm';
import type { Db } from '../../infra/db/client';
import type { Tx } from '../../platform/contract';
import type { CalendarRule } from '../calendar/calendar';

/**
 * What the alarms feature reads about other features' data: meters and machines, a meter's hourly
 * consumption, devices, the organization's users with their addresses and WeChat binding, the time zone.
 * Read-only, org-scoped, in one place. The calendar and time zone come through the metering feature's
 * api (`ctx.use('metering')`); meters, readings, devices and users are still read here directly (their
 * features' apis take no transaction yet, and on PGlite these reads must run inside the alarm's own).
 */
export interface MeterInfo {
  id: number;
  name: string;
  machineId: number;
  machineName: string;
}
export interface DeviceInfo {
  uid: string;
  name: string;
  kind: string;
}
export interface UserInfo {
  id: number;
  name: string;
  email: string;
  phone: string;
  openid: string | null;
}

async function rows<T>(db: Db | Tx, q: ReturnType<typeof sql>): Promise<T[]> {
  return ((await db.execute(q)) as unknown as { rows: T[] }).rows;
}
const ints = (ids: readonly number[]) => sql`${`{${ids.map((n) => Math.trunc(n)).join(',')}}`}::int[]`;

export class AlarmSources {
  constructor(
    private readonly db: Db,
    private readonly appid: () => string,
    /** The metering feature's calendar (`ctx.use('metering').calendar`): time zone and period starts. */
    private readonly calendar: { rule(orgId: number, tx?: Tx): Promise<CalendarRule> },
  ) {}

  async meters(
    orgId: number,
    ids: readonly number[],
    db: Db | Tx = this.db,
  ): Promise<Map<number, MeterInfo>> {
    if (!ids.length) return new Map();
    const r = await rows<{ id: number; name: string; machine_id: number; machine_name: string }>(
      db,
      sql`select m.id, m.name, m.machine_id, coalesce(s.name, '') as machine_name
          from meters m left join machines s on s.id = m.machine_id
          where m.org_id = ${orgId} and m.id = any(${ints(ids)})`,
    );
    return new Map(
      r.map((x) => [x.id, { id: x.id, name: x.name, machineId: x.machine_id, machineName: x.machine_name }]),
    );
  }

  /**
   * Consumption of a meter in [hourStart, hourStart + 1 h): the readings' stored consumption (delta),
   * a reading stamping the end of its interval, so (start, end]; null without a reading in the hour.
   */
  async hourConsumption(meterId: number, hourStart: number, db: Db | Tx = this.db): Promise<number | null> {
    const from = new Date(hourStart).toISOString();
    const to = new Date(hourStart + 3_600_000).toISOString();
    const [r] = await rows<{ amount: number | null; n: string | number }>(
      db,
      sql`select sum(delta) as amount, count(*) as n from readings
          where meter_id = ${meterId} and ts > ${from}::timestamptz and ts <= ${to}::timestamptz`,
    );
    return r && Number(r.n) > 0 ? Number(r.amount) : null;
  }

  async device(orgId: number, uid: string, db: Db | Tx = this.db): Promise<DeviceInfo | null> {
    const [r] = await rows<{ device_uid: string; name: string; kind: string }>(
      db,
      sql`select device_uid, name, kind from devices where org_id = ${orgId} and device_uid = ${uid}`,
    );
    return r ? { uid: r.device_uid, name: r.name, kind: r.kind } : null;
  }

  /** The organization's users, with the openid bound for this app (if any). */
  async users(orgId: number, db: Db | Tx = this.db): Promise<UserInfo[]> {
    const r = await rows<{ id: number; name: string; email: string; phone: string; openid: string | null }>(
      db,
      sql`select u.id, u.name, u.email, u.phone,
            (select w.openid from wechat_identities w where w.user_id = u.id and w.appid = ${this.appid()}
             order by w.bound_at desc limit 1) as openid
          from users u where u.org_id = ${orgId} order by u.id`,
    );
    return r.map((x) => ({ ...x, id: Number(x.id) }));
  }

  /** The organization's business calendar (4.4 personalise): where its days, months and years begin. */
  calendarRule(orgId: number): Promise<CalendarRule> {
    return this.calendar.rule(orgId);
  }

  async timeZone(orgId: number, db?: Tx): Promise<string> {
    return (await this.calendar.rule(orgId, db)).tz;
  }
}
