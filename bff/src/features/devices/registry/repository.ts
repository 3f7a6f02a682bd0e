import { and, asc, eq, sql } from 'drizzle-orm';
import type { BmsStatus, DeviceKind, ReactiveControl } from '@wattdesk/shared';
import type { Db } from '../../../infra/db/client';
import { auditLog } from '../../accounts/tables';
import { deviceCommands, devices, type DeviceRow } from '../tables';

/** The only code that reads or writes the device registry. Lookups for users always take the org id. */
export class DeviceRepository {
  constructor(private readonly db: Db) {}

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
    const [row] = await this.db
      .select()
      .from(devices)
      .where(and(eq(devices.orgId, orgId), eq(devices.deviceUid, uid)));
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
   * applied (every instance may see a retained status; only one newer status changes the row).
   */
  async setOnline(uid: string, online: boolean, ts: number, at: Date): Promise<boolean> {
    const rows = await this.db
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
      .returning({ id: devices.id });
    return rows.length > 0;
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
    const rows = await this.db
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
      .returning({ id: devices.id });
    return rows.length > 0;
  }

  async saveBmsState(deviceId: number, state: BmsStatus, at: Date): Promise<void> {
    await this.db
      .update(devices)
      .set({ bmsState: state, bmsSyncedAt: at, lastSeenAt: at })
      .where(eq(devices.id, deviceId));
  }

  async saveReactiveState(deviceId: number, state: ReactiveControl, at: Date): Promise<void> {
    await this.db
      .update(devices)
      .set({ reactiveState: state, reactiveSyncedAt: at, lastSeenAt: at })
      .where(eq(devices.id, deviceId));
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
