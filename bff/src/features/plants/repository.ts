import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../infra/db/client';
import { sqlRows, type DbOrTx } from '../../infra/db/rows';
import type { Tx } from '../../platform/contract';

const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;

export interface ConnectionRow {
  org_id: number;
  auth_mode: 'oauth' | 'legacy';
  region: number;
  account: string | null;
  secret: string;
  version: number;
  last_sync_at: Date | string | null;
  last_slot: number | string | null;
  last_error: string | null;
}

export interface PlantRecord {
  ps_id: number;
  ps_name: string;
  ps_type: number;
  online_status: number;
  fault_status: number;
  location: string;
  latitude: number | null;
  longitude: number | null;
  power_kw: number | null;
  today_kwh: number | null;
  total_kwh: number | null;
  soc: number | null;
  updated_at: Date | string | null;
  devices: unknown;
  meter_id: number | null;
}

/** A plant as one refresh saw it. */
export interface PlantSnapshot {
  psId: number;
  name: string;
  type: number;
  online: number;
  fault: number;
  location: string;
  latitude: number | null;
  longitude: number | null;
  powerKw: number | null;
  todayKwh: number | null;
  totalKwh: number | null;
  soc: number | null;
  devices: unknown[];
}

const PLANT_COLS = sql.raw(
  `ps_id::float8 as ps_id, ps_name, ps_type, online_status, fault_status, location, latitude, longitude,
   power_kw, today_kwh, total_kwh, soc, updated_at, devices, meter_id`,
);

/** SQL of the plants feature: connections, tickets, plants, samples. Every query takes the org id. */
export class PlantsRepository {
  constructor(readonly db: Db) {}

  async connection(orgId: number, db: DbOrTx = this.db): Promise<ConnectionRow | undefined> {
    const [r] = await sqlRows<ConnectionRow>(
      db,
      sql`select org_id, auth_mode, region, account, secret, version, last_sync_at, last_slot::float8 as last_slot, last_error
          from pv_connections where org_id = ${orgId}`,
    );
    return r;
  }

  /** The row lock that serialises renewals across instances (held until `tx` ends). */
  async lockConnection(tx: Tx, orgId: number): Promise<ConnectionRow | undefined> {
    const [r] = await sqlRows<ConnectionRow>(
      tx,
      sql`select org_id, auth_mode, region, account, secret, version, last_sync_at, last_slot::float8 as last_slot, last_error
          from pv_connections where org_id = ${orgId} for update`,
    );
    return r;
  }

  /** Connects (or re-connects) an organization: the version moves on so cached credentials are dropped. */
  async saveConnection(
    orgId: number,
    c: { mode: string; region: number; account: string | null; secret: string },
    now: Date,
  ): Promise<void> {
    await this.db.execute(
      sql`insert into pv_connections (org_id, auth_mode, region, account, secret, version, connected_at, updated_at)
          values (${orgId}, ${c.mode}, ${c.region}, ${c.account}, ${c.secret}, 0, ${at(now)}, ${at(now)})
          on conflict (org_id) do update set auth_mode = excluded.auth_mode, region = excluded.region,
            account = excluded.account, secret = excluded.secret, version = pv_connections.version + 1,
            connected_at = excluded.connected_at, updated_at = excluded.updated_at, last_error = null, last_slot = null`,
    );
  }

  async updateSecret(tx: Tx, orgId: number, secret: string, version: number, now: Date): Promise<void> {
    await tx.execute(
      sql`update pv_connections set secret = ${secret}, version = ${version}, updated_at = ${at(now)} where org_id = ${orgId}`,
    );
  }

  async deleteConnection(orgId: number): Promise<boolean> {
    const r = await sqlRows<{ org_id: number }>(
      this.db,
      sql`delete from pv_connections where org_id = ${orgId} returning org_id`,
    );
    await this.db.execute(sql`delete from pv_auth_tickets where org_id = ${orgId}`);
    return r.length > 0;
  }

  async connectedOrgs(): Promise<number[]> {
    return (
      await sqlRows<{ org_id: number }>(this.db, sql`select org_id from pv_connections order by org_id`)
    ).map((r) => r.org_id);
  }

  /** Takes the refresh of a 5-minute slot: false when this or a later slot was taken already. */
  async claimSlot(orgId: number, slot: number): Promise<boolean> {
    const r = await sqlRows<{ org_id: number }>(
      this.db,
      sql`update pv_connections set last_slot = ${slot}
          where org_id = ${orgId} and (last_slot is null or last_slot < ${slot}) returning org_id`,
    );
    return r.length > 0;
  }

  /** Gives a slot back after a failed refresh, so the job's retry may run in it. */
  async releaseSlot(orgId: number, slot: number): Promise<void> {
    await this.db.execute(
      sql`update pv_connections set last_slot = ${slot - 1} where org_id = ${orgId} and last_slot = ${slot}`,
    );
  }

  async recordSync(orgId: number, when: Date | null, error: string | null): Promise<void> {
    await this.db.execute(
      when
        ? sql`update pv_connections set last_sync_at = ${at(when)}, last_error = null where org_id = ${orgId}`
        : sql`update pv_connections set last_error = ${error} where org_id = ${orgId}`,
    );
  }

  async insertTicket(
    hash: string,
    orgId: number,
    region: number,
    redirectUri: string,
    expiresAt: Date,
  ): Promise<void> {
    await this.db.execute(
      sql`insert into pv_auth_tickets (ticket_hash, org_id, region, redirect_uri, expires_at)
          values (${hash}, ${orgId}, ${region}, ${redirectUri}, ${at(expiresAt)})`,
    );
  }

  /** Uses a ticket once: its organization, region and redirect URI, or undefined (unknown, used, expired). */
  async takeTicket(
    hash: string,
    now: Date,
  ): Promise<{ org_id: number; region: number; redirect_uri: string } | undefined> {
    const [r] = await sqlRows<{ org_id: number; region: number; redirect_uri: string }>(
      this.db,
      sql`update pv_auth_tickets set used_at = ${at(now)}
          where ticket_hash = ${hash} and used_at is null and expires_at > ${at(now)}
          returning org_id, region, redirect_uri`,
    );
    return r;
  }

  /** Stores one refresh: every plant's figures, a sample per plant for the slot, the plants no longer listed marked gone. */
  async saveRefresh(orgId: number, plants: PlantSnapshot[], slotAt: Date, now: Date): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const p of plants) {
        await tx.execute(
          sql`insert into pv_plants (org_id, ps_id, ps_name, ps_type, online_status, fault_status, location, latitude,
                longitude, power_kw, today_kwh, total_kwh, soc, updated_at, devices, gone)
              values (${orgId}, ${p.psId}, ${p.name}, ${p.type}, ${p.online}, ${p.fault}, ${p.location}, ${p.latitude},
                ${p.longitude}, ${p.powerKw}, ${p.todayKwh}, ${p.totalKwh}, ${p.soc}, ${at(now)},
                ${JSON.stringify(p.devices)}::jsonb, false)
              on conflict (org_id, ps_id) do update set ps_name = excluded.ps_name, ps_type = excluded.ps_type,
                online_status = excluded.online_status, fault_status = excluded.fault_status, location = excluded.location,
                latitude = excluded.latitude, longitude = excluded.longitude, power_kw = excluded.power_kw,
                today_kwh = excluded.today_kwh, total_kwh = excluded.total_kwh, soc = excluded.soc,
                updated_at = excluded.updated_at, devices = excluded.devices, gone = false`,
        );
        await tx.execute(
          sql`insert into pv_plant_samples (org_id, ps_id, ts, power_kw, today_kwh, total_kwh, soc)
              values (${orgId}, ${p.psId}, ${at(slotAt)}, ${p.powerKw}, ${p.todayKwh}, ${p.totalKwh}, ${p.soc})
              on conflict (org_id, ps_id, ts) do update set power_kw = excluded.power_kw,
                today_kwh = excluded.today_kwh, total_kwh = excluded.total_kwh, soc = excluded.soc`,
        );
      }
      const ids = `{${plants.map((p) => Math.trunc(p.psId)).join(',')}}`;
      await tx.execute(
        sql`update pv_plants set gone = true where org_id = ${orgId} and not (ps_id = any(${ids}::bigint[]))`,
      );
    });
  }

  /** Drops samples older than `before` (the app shows today's curve and this month's days) and expired tickets. */
  async pruneSamples(before: Date, now: Date): Promise<void> {
    await this.db.execute(sql`delete from pv_plant_samples where ts < ${at(before)}`);
    await this.db.execute(sql`delete from pv_auth_tickets where expires_at < ${at(now)}`);
  }

  /** Adds history samples (demo back-fill); samples already stored for a slot are kept. */
  async addSamples(
    orgId: number,
    psId: number,
    samples: { ts: Date; powerKw: number | null; todayKwh: number | null }[],
  ): Promise<void> {
    for (let i = 0; i < samples.length; i += 500) {
      const part = samples.slice(i, i + 500);
      const values = sql.join(
        part.map((x) => sql`(${orgId}, ${psId}, ${at(x.ts)}, ${x.powerKw}, ${x.todayKwh})`),
        sql`, `,
      );
      await this.db.execute(
        sql`insert into pv_plant_samples (org_id, ps_id, ts, power_kw, today_kwh) values ${values}
            on conflict (org_id, ps_id, ts) do nothing`,
      );
    }
  }

  /** The organization's current plants, fault first (1 fault, 2 alarm, 3 normal), then by name. */
  async listPlants(orgId: number, name: string | undefined): Promise<PlantRecord[]> {
    const filter: SQL = name
      ? sql` and ps_name ilike ${'%' + name.replace(/[\\%_]/g, (c) => '\\' + c) + '%'}`
      : sql``;
    return sqlRows<PlantRecord>(
      this.db,
      sql`select ${PLANT_COLS} from pv_plants where org_id = ${orgId} and not gone${filter}
          order by fault_status, ps_name, ps_id`,
    );
  }

  async plant(orgId: number, psId: number): Promise<PlantRecord | undefined> {
    const [r] = await sqlRows<PlantRecord>(
      this.db,
      sql`select ${PLANT_COLS} from pv_plants where org_id = ${orgId} and ps_id = ${psId} and not gone`,
    );
    return r;
  }

  async samples(orgId: number, psId: number, from: Date, to: Date) {
    return sqlRows<{ ts: Date | string; power_kw: number | null; today_kwh: number | null }>(
      this.db,
      sql`select ts, power_kw, today_kwh from pv_plant_samples
          where org_id = ${orgId} and ps_id = ${psId} and ts >= ${at(from)} and ts < ${at(to)} order by ts`,
    );
  }

  async setMeter(orgId: number, psId: number, meterId: number | null): Promise<boolean> {
    const r = await sqlRows<{ ps_id: number }>(
      this.db,
      sql`update pv_plants set meter_id = ${meterId} where org_id = ${orgId} and ps_id = ${psId} and not gone returning ps_id`,
    );
    return r.length > 0;
  }

  /** The plant (other than `psId`) already writing to a meter, if any. */
  async meterUser(orgId: number, meterId: number, psId: number): Promise<number | undefined> {
    const [r] = await sqlRows<{ ps_id: number }>(
      this.db,
      sql`select ps_id::float8 as ps_id from pv_plants where org_id = ${orgId} and meter_id = ${meterId} and ps_id <> ${psId}`,
    );
    return r?.ps_id;
  }
}
