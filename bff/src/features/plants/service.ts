import crypto from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  PV_DEVICE_FAULT_STATUS,
  PV_FAULT_STATUS,
  PV_ONLINE_STATUS,
  PV_PLANT_TYPES,
  PV_QUOTA_MESSAGE,
  PV_REGIONS,
  PV_STORAGE_TYPES,
  type PvConnectionItem,
  type PvPlantDetailItem,
  type PvPlantItem,
  type PvRegion,
} from '@wattdesk/shared';
import type { Credentials, IsolarCloudClient } from '../../adapters/isolarcloud/client';
import { IsolarCloudError, IsolarCloudTransportError } from '../../adapters/isolarcloud/errors';
import { AppError, invalid, notFound } from '../../core/errors';
import { formatLocal, fromLocal, localParts } from '../../core/time';
import type { Clock } from '../../infra/clock';
import type { Logger } from '../../infra/logger';
import type { Jobs } from '../../platform/contract';
import type { PgCredentialStore } from './credentials';
import type { PlantRecord, PlantSnapshot, PlantsRepository } from './repository';

/** iSolarCloud data refreshes every 5 minutes (§4.5): one refresh per organization per 5-minute slot. */
export const SLOT_MS = 300_000;
export const JOB_REFRESH = 'plants.refresh';
export const JOB_REFRESH_DUE = 'plants.refresh-due';
const TICKET_MS = 600_000;
const CACHE_SEC = 900;
/** Samples kept (days): today's curve and the month's daily yields need far less; a year for later views. */
const HISTORY_DAYS = 400;

/** What the plants feature needs of metering (through `ctx.use('metering')`). */
export interface MeteringPorts {
  tz(orgId: number): Promise<string>;
  /** The meter's kind, or undefined when it is not the organization's. */
  meter(orgId: number, id: number): Promise<{ isVirtual: boolean; energyType: number } | undefined>;
  /** Writes a cumulative generation register reading (kWh) through metering's ingest. */
  writeTotal(orgId: number, meterId: number, ts: number, totalKwh: number): Promise<boolean>;
}

export interface PlantsServiceDeps {
  repo: PlantsRepository;
  store: PgCredentialStore;
  client: IsolarCloudClient;
  redis: Redis;
  jobs: Jobs;
  clock: Clock;
  log: Logger;
  metering: MeteringPorts;
  /** The BFF's public URL (the default OAuth redirect goes to its callback). */
  publicUrl: string;
  /** Whether an iSolarCloud application is configured (or demo mode's fake is in use). */
  configured: () => boolean;
}

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
const round = (n: number | null, digits = 3) =>
  n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits;

/** The user-facing reason a refresh or connect failed (Chinese; never a code or key alone). */
export function describeFailure(err: unknown): string {
  if (err instanceof IsolarCloudError) {
    switch (err.reason) {
      case 'quota':
        return PV_QUOTA_MESSAGE;
      case 'reauthorize':
        return '授权已失效，请管理员重新授权 iSolarCloud';
      case 'login_failed':
        return 'iSolarCloud 账号或密码错误，请重新连接';
      case 'credentials':
        return 'iSolarCloud 应用凭证无效，请联系系统管理员';
      case 'not_allowed':
        return 'iSolarCloud 拒绝访问（IP 或用户未加入白名单，或服务已过期）';
      case 'not_connected':
        return '未连接 iSolarCloud';
      case 'token_invalid':
        return 'iSolarCloud 登录已失效，请重新连接';
      default:
        return `iSolarCloud 返回错误（${err.code}）`;
    }
  }
  if (err instanceof IsolarCloudTransportError)
    return err.timedOut ? 'iSolarCloud 响应超时' : 'iSolarCloud 暂时无法访问';
  return '刷新失败（内部错误）';
}

/** Failures a retry within the same slot would not cure. */
const final = (err: unknown) =>
  err instanceof IsolarCloudError &&
  ['quota', 'reauthorize', 'login_failed', 'credentials', 'not_allowed', 'not_connected'].includes(
    err.reason,
  );

/**
 * Plants of seed 003 for each organization: the iSolarCloud connection (OAuth or legacy), the 5-minute
 * refresh (plant list, live figures, devices) stored as history and cached in Redis, the 002-style
 * answers, and the link of a plant's generation to a meter.
 */
export class PlantsService {
  constructor(private readonly d: PlantsServiceDeps) {}

  // ---- connection -----------------------------------------------------------------------------

  async status(orgId: number): Promise<PvConnectionItem> {
    const row = await this.d.repo.connection(orgId);
    const plants = row ? (await this.d.repo.listPlants(orgId, undefined)).length : 0;
    const tz = await this.d.metering.tz(orgId);
    const when = (v: Date | string | null) => (v ? formatLocal(new Date(v), tz) : null);
    const region = row ? (row.region as PvRegion) : null;
    return {
      Connected: row ? 1 : 0,
      Auth_Mode: row?.auth_mode ?? null,
      Region: region,
      Region_Name: region ? PV_REGIONS[region] : null,
      Account: row?.account ?? null,
      Plant_Count: plants,
      Last_Sync_At: when(row?.last_sync_at ?? null),
      Last_Error: row?.last_error ?? null,
      Quota_Used: await this.d.client.callsThisHour(),
      Quota_Limit: this.d.client.hourlyQuota,
      Status_Text: !row
        ? '未连接'
        : row.last_error
          ? `已连接，最近一次刷新失败：${row.last_error}`
          : row.last_sync_at
            ? `已连接，${plants} 个电站`
            : '已连接，等待首次刷新',
    };
  }

  /** §4.4 step 1: a one-time ticket and the authorize URL whose redirect carries it back. */
  async startAuthorize(orgId: number, region: PvRegion, redirectUrl?: string) {
    this.mustBeConfigured();
    const ticket = crypto.randomBytes(24).toString('base64url');
    const base = redirectUrl ?? `${this.d.publicUrl.replace(/\/+$/, '')}/api_3/pv_connection_callback`;
    const redirectUri = `${base}${base.includes('?') ? '&' : '?'}Ticket=${ticket}`;
    const expiresAt = new Date(this.d.clock.now().getTime() + TICKET_MS);
    await this.d.repo.insertTicket(sha256(ticket), orgId, region, redirectUri, expiresAt);
    return {
      Authorize_Url: this.d.client.authorizeUrl(region, redirectUri),
      Ticket: ticket,
      Expires_At: formatLocal(expiresAt, await this.d.metering.tz(orgId)),
    };
  }

  /** §4.4 step 2: the redirect came back with `code`; `orgId` (from a session) must own the ticket. */
  async completeAuthorize(ticket: string, code: string, orgId?: number): Promise<PvConnectionItem> {
    const t = await this.d.repo.takeTicket(sha256(ticket), this.d.clock.now());
    if (!t || (orgId !== undefined && t.org_id !== orgId))
      throw invalid('Ticket', '授权凭据无效、已使用或已过期，请重新发起授权');
    const creds = await this.d.client
      .exchangeCode(t.region as PvRegion, code, t.redirect_uri)
      .catch((e: unknown) => this.connectError(e, orgId === undefined ? 'code' : 'Code'));
    await this.connect(t.org_id, creds);
    return this.status(t.org_id);
  }

  /** §4.3: connects with an account and password (kept sealed for re-login). */
  async login(orgId: number, region: PvRegion, account: string, password: string): Promise<PvConnectionItem> {
    this.mustBeConfigured();
    const creds = await this.d.client
      .login(region, account, password)
      .catch((e: unknown) => this.connectError(e, 'Password'));
    await this.connect(orgId, creds);
    return this.status(orgId);
  }

  async disconnect(orgId: number): Promise<PvConnectionItem> {
    if (!(await this.d.repo.deleteConnection(orgId))) throw notFound('iSolarCloud 连接');
    await this.d.store.forget(orgId);
    await this.d.redis.del(this.cacheKey(orgId));
    return this.status(orgId);
  }

  private mustBeConfigured(): void {
    if (!this.d.configured())
      throw new AppError(
        'conflict',
        '服务器尚未配置 iSolarCloud 开放平台应用（或凭据加密密钥），请联系系统管理员',
      );
  }

  private async connect(orgId: number, creds: Credentials): Promise<void> {
    await this.d.repo.saveConnection(
      orgId,
      { mode: creds.mode, region: creds.region, account: creds.account, secret: this.d.store.seal(creds) },
      this.d.clock.now(),
    );
    await this.d.store.forget(orgId);
    // The first refresh right away (its own slot), so the plants show at once.
    const id = await this.d.jobs.send(JOB_REFRESH, { orgId }, { key: `${orgId}:connect:${this.slot()}` });
    if (id) await this.d.jobs.runNow(JOB_REFRESH, id).catch(() => false);
  }

  private connectError(err: unknown, field: string): never {
    if (err instanceof IsolarCloudError) {
      if (err.reason === 'login_failed')
        throw err.code === 'login_state -1'
          ? invalid('Account', 'iSolarCloud 账号不存在（或不在所选区域）')
          : invalid('Password', 'iSolarCloud 账号或密码错误，或账号已锁定');
      if (err.reason === 'invalid_code') throw invalid(field, '授权码无效或已过期，请重新授权');
      if (err.reason === 'quota') throw new AppError('rate_limited', PV_QUOTA_MESSAGE);
    }
    this.d.log.warn({ err: (err as Error).message }, 'isolarcloud connect failed');
    throw new AppError('upstream_failed', describeFailure(err));
  }

  // ---- refresh --------------------------------------------------------------------------------

  private slot = (t = this.d.clock.now().getTime()) => Math.floor(t / SLOT_MS);

  /** The 5-minute cron tick: one refresh job per connected organization for this slot. */
  async refreshDue(): Promise<void> {
    const slot = this.slot();
    if (slot % (86_400_000 / SLOT_MS) === 0) {
      const now = this.d.clock.now();
      await this.d.repo.pruneSamples(new Date(now.getTime() - HISTORY_DAYS * 86_400_000), now);
    }
    for (const orgId of await this.d.repo.connectedOrgs())
      await this.d.jobs.send(JOB_REFRESH, { orgId }, { key: `${orgId}:${slot}` });
  }

  /**
   * One refresh of an organization, at most once per 5-minute slot: all pages of the plant list, the
   * live figures, each plant's devices; stored (a sample per slot), cached, and written to linked meters.
   * A failure is recorded for the app; one a retry could cure gives the slot back and throws (job retry).
   */
  async refresh(orgId: number): Promise<void> {
    const now = this.d.clock.now();
    const slot = this.slot(now.getTime());
    if (!(await this.d.repo.claimSlot(orgId, slot))) return;
    try {
      const rows = await this.d.client.listPlants(orgId);
      const live = await this.d.client.realTime(
        orgId,
        rows.map((r) => r.ps_id),
      );
      const before = new Map(
        (await this.d.repo.listPlants(orgId, undefined)).map((p) => [Number(p.ps_id), p]),
      );
      const snaps: PlantSnapshot[] = [];
      for (const r of rows) {
        const v = live.get(r.ps_id);
        const devices = await this.devicesOf(
          orgId,
          r.ps_id,
          r.ps_fault_status ?? 3,
          before.get(r.ps_id),
          slot,
        );
        const unknownPlace = !r.latitude && !r.longitude;
        snaps.push({
          psId: r.ps_id,
          name: r.ps_name,
          type: r.ps_type,
          online: r.online_status ?? 0,
          fault: r.ps_fault_status ?? 3,
          location: r.ps_location,
          latitude: unknownPlace ? null : r.latitude,
          longitude: unknownPlace ? null : r.longitude,
          powerKw: round(v?.powerW != null ? v.powerW / 1000 : null),
          todayKwh: round(v?.todayWh != null ? v.todayWh / 1000 : null),
          totalKwh: round(v?.totalWh != null ? v.totalWh / 1000 : null),
          soc: PV_STORAGE_TYPES.includes(r.ps_type) ? round(v?.soc ?? null, 1) : null,
          devices,
        });
      }
      await this.d.repo.saveRefresh(orgId, snaps, new Date(slot * SLOT_MS), now);
      await this.writeMeters(orgId, slot * SLOT_MS);
      await this.d.repo.recordSync(orgId, now, null);
      await this.d.redis.del(this.cacheKey(orgId));
    } catch (err) {
      const text = describeFailure(err);
      this.d.log.warn({ orgId, err: (err as Error).message }, 'plants refresh failed');
      await this.d.repo.recordSync(orgId, null, text);
      if (final(err)) return;
      await this.d.repo.releaseSlot(orgId, slot);
      throw err;
    }
  }

  /**
   * A plant's devices: fetched when it is new, not normal (fault / alarm), or once an hour; otherwise the
   * stored list (fault state changes show in the plant's own status every refresh). Keeps a large account
   * inside the hourly quota: one device call per plant per hour instead of twelve.
   */
  private async devicesOf(
    orgId: number,
    psId: number,
    fault: number,
    stored: PlantRecord | undefined,
    slot: number,
  ): Promise<unknown[]> {
    const known = Array.isArray(stored?.devices) ? (stored.devices as unknown[]) : null;
    const hourly = slot % (3_600_000 / SLOT_MS) === 0;
    if (known && known.length && fault === 3 && stored?.fault_status === 3 && !hourly) return known;
    return (await this.d.client.devices(orgId, psId)).map((x) => ({
      Ps_Key: x.ps_key,
      Device_Sn: x.device_sn,
      Device_Name: x.device_name,
      Device_Type: x.device_type,
      Fault_Status: x.dev_fault_status ?? 4,
    }));
  }

  /** Each linked plant's total yield as its meter's register reading at the slot (metering's ingest). */
  private async writeMeters(orgId: number, ts: number): Promise<void> {
    for (const p of await this.d.repo.listPlants(orgId, undefined)) {
      if (p.meter_id === null || p.total_kwh === null) continue;
      const okay = await this.d.metering.writeTotal(orgId, p.meter_id, ts, p.total_kwh);
      if (!okay)
        this.d.log.warn({ orgId, psId: p.ps_id, meterId: p.meter_id }, 'pv generation reading refused');
    }
  }

  // ---- reads ----------------------------------------------------------------------------------

  private cacheKey = (orgId: number) => `plants:list:${orgId}`;

  /** Every current plant of the organization (Redis cache of the last refresh, else the database). */
  private async allPlants(orgId: number): Promise<PvPlantItem[]> {
    const cached = await this.d.redis.get(this.cacheKey(orgId));
    if (cached) return JSON.parse(cached) as PvPlantItem[];
    const tz = await this.d.metering.tz(orgId);
    const items = (await this.d.repo.listPlants(orgId, undefined)).map((r) => this.item(r, tz));
    await this.d.redis.set(this.cacheKey(orgId), JSON.stringify(items), 'EX', CACHE_SEC);
    return items;
  }

  /** GET /api_3/pv_plants: fault first, then by name; `name` filters (contains, case-insensitive). */
  async list(orgId: number, name: string | undefined, limit: number, offset: number) {
    const needle = name?.toLowerCase();
    const all = (await this.allPlants(orgId)).filter(
      (p) => !needle || p.Ps_Name.toLowerCase().includes(needle),
    );
    return { items: all.slice(offset, offset + limit), total: all.length };
  }

  /** GET /api_3/pv_plant_detail: today's curve (one point per slot), the month's daily yields, devices. */
  async detail(orgId: number, psId: number): Promise<PvPlantDetailItem> {
    const r = await this.d.repo.plant(orgId, psId);
    if (!r) throw notFound('电站');
    const tz = await this.d.metering.tz(orgId);
    const now = this.d.clock.now();
    const p = localParts(now, tz);
    const dayStart = fromLocal(p.year, p.month, p.day, 0, 0, 0, tz);
    const monthStart = fromLocal(p.year, p.month, 1, 0, 0, 0, tz);
    const tomorrow = fromLocal(p.year, p.month, p.day + 1, 0, 0, 0, tz);
    const samples = await this.d.repo.samples(orgId, psId, monthStart, tomorrow);
    const curve = samples
      .filter((s) => new Date(s.ts) >= dayStart && s.power_kw !== null)
      .map((s) => ({ Time: formatLocal(new Date(s.ts), tz), Power_kW: s.power_kw! }));
    // A day's yield is the highest "today" figure seen that day (iSolarCloud's counter restarts at midnight).
    const byDay = new Map<string, number>();
    for (const s of samples) {
      if (s.today_kwh === null) continue;
      const day = formatLocal(new Date(s.ts), tz).slice(0, 10);
      byDay.set(day, Math.max(byDay.get(day) ?? 0, s.today_kwh));
    }
    const devices = (Array.isArray(r.devices) ? r.devices : []) as PvPlantDetailItem['Devices'][number][];
    return {
      ...this.item(r, tz),
      Power_Curve: curve,
      Daily_Yield: [...byDay].map(([Date, Yield_kWh]) => ({ Date, Yield_kWh })),
      Devices: devices.map((x) => ({
        ...x,
        Device_Type_Name: DEVICE_TYPES[x.Device_Type] ?? '设备',
        Fault_Status_Name: PV_DEVICE_FAULT_STATUS[x.Fault_Status] ?? '未知',
      })),
    };
  }

  /** PUT /api_3/pv_plant_meter: the meter must be the organization's, electricity, and not a formula meter. */
  async linkMeter(orgId: number, psId: number, meterId: number | null): Promise<PvPlantItem> {
    if (!(await this.d.repo.plant(orgId, psId))) throw notFound('电站');
    if (meterId !== null) {
      const m = await this.d.metering.meter(orgId, meterId);
      if (!m) throw notFound('仪表');
      if (m.isVirtual)
        throw invalid('Meter_id', '公式虚拟表由其他仪表计算，不能写入发电量；请选择一块不接采集设备的电表');
      if (m.energyType !== 0) throw invalid('Meter_id', '只能关联电表（能源类型 0 电）');
      const other = await this.d.repo.meterUser(orgId, meterId, psId);
      if (other !== undefined)
        throw new AppError('conflict', `该仪表已关联电站 ${other}`, { field: 'Meter_id' });
    }
    await this.d.repo.setMeter(orgId, psId, meterId);
    await this.d.redis.del(this.cacheKey(orgId));
    const r = (await this.d.repo.plant(orgId, psId))!;
    if (meterId !== null && r.total_kwh !== null && r.updated_at)
      await this.d.metering.writeTotal(
        orgId,
        meterId,
        this.slot(new Date(r.updated_at).getTime()) * SLOT_MS,
        r.total_kwh,
      );
    return this.item(r, await this.d.metering.tz(orgId));
  }

  private item(r: PlantRecord, tz: string): PvPlantItem {
    return {
      Ps_Id: Number(r.ps_id),
      Ps_Name: r.ps_name,
      Ps_Type: r.ps_type,
      Ps_Type_Name: PV_PLANT_TYPES[r.ps_type] ?? '其他电站',
      Online_Status: r.online_status,
      Online_Status_Name: PV_ONLINE_STATUS[r.online_status] ?? '未知',
      Fault_Status: r.fault_status,
      Fault_Status_Name: PV_FAULT_STATUS[r.fault_status] ?? '未知',
      Power_kW: r.power_kw,
      Today_kWh: r.today_kwh,
      Total_kWh: r.total_kwh,
      Soc: r.soc,
      Location: r.location,
      Latitude: r.latitude,
      Longitude: r.longitude,
      Updated_At: r.updated_at ? formatLocal(new Date(r.updated_at), tz) : null,
      Meter_id: r.meter_id,
    };
  }
}

/** §4.5 device types (Appendix 1) the app names. */
const DEVICE_TYPES: Record<number, string> = {
  1: '逆变器',
  3: '并网点',
  4: '汇流箱',
  5: '气象站',
  7: '电表',
  9: '数据采集器',
  10: '组串',
  11: '电站',
  14: '储能系统',
  22: '通信模块',
  23: '系统BMS',
  24: '簇BMS',
  26: 'EMS',
};
