import { and, asc, eq, sql } from 'drizzle-orm';
import type { BmsStatus, DeviceKind, ReactiveControl } from '@wattdesk/shared';
import type { Db } from '../../../infra/db/client';
import { auditLog } from '../../accounts/tables';
import { deviceCommands, devices, type DeviceRow } from '../tables';
import type { DomainEventTypes, Events, Tx } from '../../../platform/contract';

/** The BMS part of flat telemetry (`bms.alarm_status`, …), when the device sent one. */
function bmsOf(values: Record<string, unknown>): DomainEventTypes['device.telemetry']['bms'] {
  if (typeof values['bms.alarm_status'] !== 'number') return undefined;
  const bms = Object.fromEntries(
    Object.entries(values)
      .filter(([k]) => k.startsWith('bms.'))
      .map(([k, v]) => [k.slice(4), v]),
  );
  return { ...bms, alarm_status: values['bms.alarm_status'] };
}

const returningDevice = {
  id: devices.id,
  orgId: devices.orgId,
  deviceUid: devices.deviceUid,
  kind: devices.kind,
};

/** The only code that reads or writes the device registry. Lookups for users always take the org id. */
export class DeviceRepository {
  /** Every command starts with this lookup: built once, a named prepared statement on PostgreSQL. */
  private readonly findQuery;

  constructor(
    private readonly db: Db,
    private readonly events: Events,
  ) {
    this.findQuery = db
      .select()
      .from(devices)
      .where(and(eq(devices.orgId, sql.placeholder('orgId')), eq(devices.deviceUid, sql.placeholder('uid'))))
      .prepare('devices_find_by_uid');
  }

  /** Announces stored telemetry or a read-back (`device.telemetry`) in the write's transaction. */
  private async telemetryEvent(
    tx: Tx,
    row: { id: number; orgId: number; deviceUid: string; kind: string },
    ts: Date,
    data: Record<string, unknown>,
    bms: DomainEventTypes['device.telemetry']['bms'],
  ): Promise<void> {
    await this.events.emit(tx, 'device.telemetry', row.orgId, {
      deviceId: row.id,
      deviceUid: row.deviceUid,
      kind: row.kind,
      ts: ts.getTime(),
      ...(bms ? { bms } : {}),
      data,
    });
  }

  /** Inserts a device; undefined when the uid is already registered (in any organization). */
  async create(values: typeof devices.$inferInsert): Promise<DeviceRow | undefined> {
    const [row] = await this.db.insert(devices).values(values).onConflictDoNothing().returning();
    return row;
  }

  async list(orgId: number, filter: { kind?: DeviceKind; site?: string }): Promise<DeviceRow[]> {
    const where = [eq(devices.orgId, orgId)];
    if (filter.kind) where.push(eq(devices.kind, filter.kind));
    if (filter.site !== undefined) where.push(eq(devices.site, filter.site));
    return this.db
      .select()
      .from(devices)
      .where(and(...where))
      .orderBy(asc(devices.site), asc(devices.name), asc(devices.id));
  }

  async find(orgId: number, uid: string): Promise<DeviceRow | undefined> {
    const [row] = await this.findQuery.execute({ orgId, uid });
    return row;
  }

  /** Unscoped lookup for the broker's authentication (a device is not a user of any organization). */
  async findForAuth(uid: string): Promise<Pick<DeviceRow, 'id' | 'secretHash'> | undefined> {
    const [row] = await this.db
      .select({ id: devices.id, secretHash: devices.secretHash })
      .from(devices)
      .where(eq(devices.deviceUid, uid));
    return row;
  }

  async update(
    orgId: number,
    uid: string,
    values: { name?: string; site?: string; secretHash?: string; secretRotatedAt?: Date },
  ): Promise<DeviceRow | undefined> {
    const [row] = await this.db
      .update(devices)
      .set(values)
      .where(and(eq(devices.orgId, orgId), eq(devices.deviceUid, uid)))
      .returning();
    return row;
  }

  async remove(orgId: number, uid: string): Promise<boolean> {
    const rows = await this.db
      .delete(devices)
      .where(and(eq(devices.orgId, orgId), eq(devices.deviceUid, uid)))
      .returning({ id: devices.id });
    return rows.length > 0;
  }

  /** The organization a device belongs to (for routing its readings). */
  async orgOf(uid: string): Promise<number | undefined> {
    const [row] = await this.db
      .select({ orgId: devices.orgId })
      .from(devices)
      .where(eq(devices.deviceUid, uid));
    return row?.orgId;
  }

  /** Records the retained status; `status_changed_at` moves only when the state flips. */
  /**
   * Applies a status unless a newer one is stored: `ts` is the device's session timestamp (or the
   * receive time of a bare status); at an equal `ts`, `offline` ends that session. Returns whether it
   * applied (every instance may see a retained status; only one newer status changes the row, and only
   * that one emits `device.status`, in the same transaction).
   */
  async setOnline(uid: string, online: boolean, ts: number, at: Date): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .update(devices)
        .set({
          online,
          statusTs: ts,
          statusChangedAt: sql`case when ${devices.online} = ${online} and ${devices.statusChangedAt} is not null then ${devices.statusChangedAt} else ${at} end`,
          ...(online ? { lastSeenAt: at } : {}),
        })
        .where(
          and(
            eq(devices.deviceUid, uid),
            online
              ? sql`(${devices.statusTs} is null or ${devices.statusTs} < ${ts})`
              : sql`(${devices.statusTs} is null or ${devices.statusTs} <= ${ts})`,
          ),
        )
        .returning({ id: devices.id, orgId: devices.orgId });
      if (!row) return false;
      await this.events.emit(tx, 'device.status', row.orgId, {
        deviceId: row.id,
        deviceUid: uid,
        online,
        ts,
      });
      return true;
    });
  }

  /** Any message from the device shows it alive. */
  async touch(uid: string, at: Date): Promise<void> {
    await this.db.update(devices).set({ lastSeenAt: at }).where(eq(devices.deviceUid, uid));
  }

  /** Merges telemetry values unless newer values are already stored (late messages do not go back in time). */
  async mergeTelemetry(
    uid: string,
    values: Record<string, number | string | boolean>,
    ts: Date,
    at: Date,
  ): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .update(devices)
        .set({
          telemetry: sql`${devices.telemetry} || ${JSON.stringify(values)}::jsonb`,
          telemetryAt: ts,
          lastSeenAt: at,
        })
        .where(
          and(
            eq(devices.deviceUid, uid),
            sql`(${devices.telemetryAt} is null or ${devices.telemetryAt} <= ${ts})`,
          ),
        )
        .returning(returningDevice);
      if (row) await this.telemetryEvent(tx, row, ts, values, bmsOf(values));
      return row !== undefined;
    });
  }

  async saveBmsState(deviceId: number, state: BmsStatus, at: Date): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [row] = await tx
        .update(devices)
        .set({ bmsState: state, bmsSyncedAt: at, lastSeenAt: at })
        .where(eq(devices.id, deviceId))
        .returning(returningDevice);
      if (row) await this.telemetryEvent(tx, row, at, { ...state }, { ...state });
    });
  }

  async saveReactiveState(deviceId: number, state: ReactiveControl, at: Date): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [row] = await tx
        .update(devices)
        .set({ reactiveState: state, reactiveSyncedAt: at, lastSeenAt: at })
        .where(eq(devices.id, deviceId))
        .returning(returningDevice);
      if (row) await this.telemetryEvent(tx, row, at, { ...state }, undefined);
    });
  }

  /** Whether any command was ever relayed to the device (its records are kept). */
  async hasCommands(orgId: number, uid: string): Promise<boolean> {
    const [row] = await this.db
      .select({ id: deviceCommands.id })
      .from(deviceCommands)
      .where(and(eq(deviceCommands.orgId, orgId), eq(deviceCommands.deviceUid, uid)))
      .limit(1);
    return Boolean(row);
  }

  /** Registry changes go to the organization's audit log. */
  async audit(entry: typeof auditLog.$inferInsert): Promise<void> {
    await this.db.insert(auditLog).values(entry);
  }
}
