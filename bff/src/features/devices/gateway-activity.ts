import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { GatewayDetail, ReadingError } from '@wattdesk/shared';
import { invalid } from '../../core/errors';
import type { Actor } from '../../core/auth/actor';
import type { Db } from '../../infra/db/client';
import type { DomainEvent, DomainEventTypes } from '../../platform/contract';
import type { MetersService } from '../meters/service';
import type { DeviceRegistry } from './registry/service';
import { devices } from './tables';
import { deviceStatusHistory, gatewayBatches, gatewayMeters } from './gateway-tables';

/** How many refusals of a batch are kept with it. */
const KEPT_ERRORS = 5;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A reading of a batch as ingest saw it (shape already checked by ingest for the kept ones). */
type RawReading = { meter?: unknown; ts?: unknown; total?: unknown };

/**
 * What a meter gateway has (issue 10 §6): the batches it sent with ingest's verdict, the meters it
 * reports with their latest kept reading, and its presence history. Batches are recorded after ingest
 * committed them (`recordBatch`, called where the gateway's batch is handed to ingest); presence changes
 * come from the `device.status` events (`onStatus`, idempotent by (device, ts, online)).
 */
export class GatewayActivity {
  constructor(
    private readonly db: Db,
    private readonly registry: DeviceRegistry,
    private readonly meters: Pick<MetersService, 'list'>,
  ) {}

  /** Records one batch and the latest kept reading per meter; readings refused by ingest are not meters' readings. */
  async recordBatch(input: {
    orgId: number;
    deviceUid: string;
    readings: readonly RawReading[];
    result: { accepted: number; rejected: number; errors: ReadingError[] };
    at: Date;
  }): Promise<void> {
    const { orgId, deviceUid, readings, result, at } = input;
    const refusedAt = new Set(result.errors.map((e) => e.index));
    const latest = new Map<number, { ts: number; total: number | null }>();
    readings.forEach((r, i) => {
      if (refusedAt.has(i) || typeof r.meter !== 'number' || typeof r.ts !== 'number') return;
      const seen = latest.get(r.meter);
      if (!seen || r.ts >= seen.ts)
        latest.set(r.meter, { ts: r.ts, total: typeof r.total === 'number' ? r.total : null });
    });
    await this.db.transaction(async (tx) => {
      const [device] = await tx
        .select({ id: devices.id })
        .from(devices)
        .where(and(eq(devices.orgId, orgId), eq(devices.deviceUid, deviceUid)));
      if (!device) return;
      await tx.insert(gatewayBatches).values({
        orgId,
        deviceId: device.id,
        receivedAt: at,
        readings: readings.length,
        accepted: result.accepted,
        refused: result.rejected,
        errors: result.errors.slice(0, KEPT_ERRORS),
      });
      if (!latest.size) return;
      await tx
        .insert(gatewayMeters)
        .values(
          [...latest].map(([meterId, r]) => ({
            deviceId: device.id,
            meterId,
            orgId,
            lastTs: r.ts,
            lastTotal: r.total,
            reportedAt: at,
          })),
        )
        .onConflictDoUpdate({
          target: [gatewayMeters.deviceId, gatewayMeters.meterId],
          set: {
            lastTs: sql`excluded.last_ts`,
            lastTotal: sql`excluded.last_total`,
            reportedAt: sql`excluded.reported_at`,
          },
          // A late batch does not move a meter's latest reading back in time.
          setWhere: sql`${gatewayMeters.lastTs} <= excluded.last_ts`,
        });
    });
  }

  /** `device.status` consumer: one history row per applied presence change (re-deliveries change nothing). */
  async onStatus(events: DomainEvent[]): Promise<void> {
    const rows = events
      .filter((e) => e.orgId !== null)
      .map((e) => {
        const p = e.payload as DomainEventTypes['device.status'];
        return { orgId: e.orgId!, deviceId: p.deviceId, online: p.online, ts: p.ts, at: e.occurredAt };
      });
    if (!rows.length) return;
    // A device deleted since its status event has no history to keep (the foreign key would refuse it).
    const known = new Set(
      (
        await this.db
          .select({ id: devices.id })
          .from(devices)
          .where(inArray(devices.id, [...new Set(rows.map((r) => r.deviceId))]))
      ).map((d) => d.id),
    );
    const kept = rows.filter((r) => known.has(r.deviceId));
    if (kept.length) await this.db.insert(deviceStatusHistory).values(kept).onConflictDoNothing();
  }

  /** One gateway of the caller's organization (another organization's uid answers as missing). */
  async detail(actor: Actor, uid: string, historyLimit = 20): Promise<GatewayDetail> {
    const device = await this.registry.get(actor, uid);
    if (device.kind !== 'gateway') throw invalid('device_uid', `设备 ${uid} 是 EMS 控制器，不是计量网关`);
    const [meterRows, [batch], history] = await Promise.all([
      this.db
        .select()
        .from(gatewayMeters)
        .where(eq(gatewayMeters.deviceId, device.id))
        .orderBy(gatewayMeters.meterId),
      this.db
        .select()
        .from(gatewayBatches)
        .where(eq(gatewayBatches.deviceId, device.id))
        .orderBy(desc(gatewayBatches.receivedAt), desc(gatewayBatches.id))
        .limit(1),
      this.db
        .select({ online: deviceStatusHistory.online, at: deviceStatusHistory.at })
        .from(deviceStatusHistory)
        .where(eq(deviceStatusHistory.deviceId, device.id))
        .orderBy(desc(deviceStatusHistory.at), desc(deviceStatusHistory.id))
        .limit(historyLimit),
    ]);
    const meters = await Promise.all(
      meterRows.map(async (m) => {
        const [meter] = (await this.meters.list(actor.orgId, { id: m.meterId }, 1, 0)).rows;
        return {
          meter_id: m.meterId,
          name: meter?.name ?? null,
          energy_type: meter?.energyType ?? null,
          last_reading_at: new Date(m.lastTs).toISOString(),
          last_total: m.lastTotal,
          reported_at: m.reportedAt.toISOString(),
        };
      }),
    );
    return {
      device_uid: device.deviceUid,
      name: device.name,
      site: device.site,
      online: device.online,
      status_changed_at: iso(device.statusChangedAt),
      last_seen_at: iso(device.lastSeenAt),
      meters,
      last_batch: batch
        ? {
            received_at: batch.receivedAt.toISOString(),
            readings: batch.readings,
            accepted: batch.accepted,
            refused: batch.refused,
            errors: batch.errors,
          }
        : null,
      online_history: history.map((h) => ({ online: h.online, at: h.at.toISOString() })),
    };
  }
}
