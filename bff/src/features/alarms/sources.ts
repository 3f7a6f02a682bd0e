import { sql } from 'drizzle-orm';
import type { Db } from '../../infra/db/client';
import type { Tx } from '../../platform/contract';
import { DEFAULT_RULE, type CalendarRule } from '../calendar/calendar';

/**
 * What the alarms feature reads about other features' data: meters and machines, a meter's hourly
 * consumption, devices, the organization's users with their addresses and WeChat binding, the time zone.
 * Read-only, org-scoped, in one place: when those features publish an `api` through the platform
 * (`ctx.use`), this is the one file to switch over.
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
  async calendarRule(orgId: number): Promise<CalendarRule> {
    const [r] = await rows<{
      time_zone: string;
      day_minute: number | null;
      month_day: number | null;
      year_month: number | null;
    }>(
      this.db,
      sql`select o.time_zone, c.day_minute, c.month_day, c.year_month
          from organizations o left join org_calendars c on c.org_id = o.id where o.id = ${orgId}`,
    );
    return {
      tz: r?.time_zone ?? 'Asia/Shanghai',
      dayMinute: r?.day_minute ?? DEFAULT_RULE.dayMinute,
      monthDay: r?.month_day ?? DEFAULT_RULE.monthDay,
      yearMonth: r?.year_month ?? DEFAULT_RULE.yearMonth,
    };
  }

  async timeZone(orgId: number, db: Db | Tx = this.db): Promise<string> {
    const [r] = await rows<{ time_zone: string }>(
      db,
      sql`select time_zone from organizations where id = ${orgId}`,
    );
    return r?.time_zone ?? 'Asia/Shanghai';
  }
}
