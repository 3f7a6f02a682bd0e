import type { Tx } from '../../platform/contract';
import type { AccountFacts, UserContact } from '../accounts/facts';
import type { CalendarRule } from '../calendar/calendar';
import type { DeviceFacts, DeviceLabel } from '../devices/facts';
import type { MeterFacts, MeterLabel } from '../meters/facts';

/**
 * What the alarms feature reads about other features' data — meters and machines, a meter's hourly
 * consumption, devices, the organization's users with their addresses and WeChat binding, the calendar —
 * each through the owning feature's api (`ctx.use('metering' | 'devices' | 'accounts')`), never its
 * tables. Every read takes the alarm's transaction where it runs inside one.
 */
export type MeterInfo = MeterLabel;
export type DeviceInfo = DeviceLabel;
export type UserInfo = UserContact;

export interface AlarmSourcePorts {
  meters: MeterFacts;
  devices: DeviceFacts;
  accounts: AccountFacts;
  /** The metering feature's calendar (`ctx.use('metering').calendar`): time zone and period starts. */
  calendar: { rule(orgId: number, tx?: Tx): Promise<CalendarRule> };
  /** The mini-program whose WeChat bindings count. */
  appid: () => string;
}

export class AlarmSources {
  constructor(private readonly ports: AlarmSourcePorts) {}

  meters(orgId: number, ids: readonly number[], db?: Tx): Promise<Map<number, MeterInfo>> {
    return this.ports.meters.labels(orgId, ids, db);
  }

  hourConsumption(meterId: number, hourStart: number, db?: Tx): Promise<number | null> {
    return this.ports.meters.hourConsumption(meterId, hourStart, db);
  }

  device(orgId: number, uid: string, db?: Tx): Promise<DeviceInfo | null> {
    return this.ports.devices.label(orgId, uid, db);
  }

  /** The organization's users, with the openid bound for this app (if any). */
  users(orgId: number, db?: Tx): Promise<UserInfo[]> {
    return this.ports.accounts.contacts(orgId, this.ports.appid(), db);
  }

  /** The organization's business calendar (4.4 personalise): where its days, months and years begin. */
  calendarRule(orgId: number): Promise<CalendarRule> {
    return this.ports.calendar.rule(orgId);
  }

  async timeZone(orgId: number, db?: Tx): Promise<string> {
    return (await this.ports.calendar.rule(orgId, db)).tz;
  }
}
