import type { IsolarCloudClient } from '../../adapters/isolarcloud/client';
import { DEMO_PLANTS, demoFakeIsolarCloud, stopDemoFakeIsolarCloud } from '../../fakes/isolarcloud/demo';
import { localDayStart, pvPowerW, yieldWh } from '../../fakes/isolarcloud/solar';
import { DEMO_APP } from '../../fakes/isolarcloud/state';
import type { Clock } from '../../infra/clock';
import type { Jobs } from '../../platform/contract';
import type { MeteringDeps } from '../meters/wiring';
import type { PlantsRepository } from './repository';
import { SLOT_MS, type PlantsService } from './service';

/** The demo login whose organization gets the plants (bff/src/demo/demo-data.ts). */
export const DEMO_PLANTS_USER = 'demo';
const PV_MACHINE = '屋顶光伏（iSolarCloud）';
const PV_METER = '一号厂房屋顶光伏发电量';

export interface PlantsDemoPorts {
  jobs: Jobs;
  clock: Clock;
  /** The demo organization (the demo login's), or undefined when there is none. */
  demoOrg: () => Promise<number | undefined>;
  service: PlantsService;
  client: IsolarCloudClient;
  metering: MeteringDeps;
  repo: PlantsRepository;
  port: number;
}

/**
 * Demo mode: starts the fake iSolarCloud with the demo account's three plants (distributed PV, C&I
 * storage, one in fault), points the client at it, connects the demo organization through the real
 * OAuth flow (authorize → the owner approves on the fake → code exchanged for tokens; the fake's tokens
 * do not survive a restart, so every start connects again), runs the first refresh before the app
 * listens, and links the PV plant's generation to a meter so it shows in the energy views.
 */
export async function seedPlantsDemo(
  p: PlantsDemoPorts,
): Promise<{ lines: string[]; close: () => Promise<void> }> {
  const fake = await demoFakeIsolarCloud(p.port);
  p.client.pointAt({ api: fake.apiBase, web: fake.webBase }, DEMO_APP);
  const close = () => stopDemoFakeIsolarCloud();
  const orgId = await p.demoOrg();
  if (orgId === undefined)
    return { lines: [`  光伏电站（模拟 iSolarCloud）: ${fake.url}（没有演示组织，未连接）`], close };
  const start = await p.service.startAuthorize(orgId, 1);
  const redirectUri =
    new URLSearchParams(start.Authorize_Url.split('#/authorized-app?')[1]).get('redirectUrl') ?? '';
  const approved = fake.state.authorize({ applicationId: DEMO_APP.appId, redirectUrl: redirectUri });
  if (!approved) return { lines: [`  光伏电站（模拟 iSolarCloud）: ${fake.url}（授权失败）`], close };
  await p.service.completeAuthorize(start.Ticket, approved.code, orgId);
  await linkDemoMeter(p, orgId);
  await backfillDemoHistory(p, orgId);
  const status = await p.service.status(orgId);
  return {
    lines: [
      `  光伏电站（模拟 iSolarCloud）: ${fake.url}  演示组织已授权 ${status.Plant_Count} 个电站，每 5 分钟刷新` +
        (status.Last_Error ? `（最近一次失败：${status.Last_Error}）` : ''),
    ],
    close,
  };
}

/** A meter of the demo organization receiving the distributed PV plant's total yield (created once). */
async function linkDemoMeter(p: PlantsDemoPorts, orgId: number): Promise<void> {
  const { machines, meters } = p.metering;
  const found = await meters.list(orgId, { machineName: PV_MACHINE }, 10, 0);
  let meterId = found.rows.find((m) => m.name === PV_METER)?.id;
  if (!meterId) {
    const machine =
      (await machines.list(orgId, {}, 1000, 0).then((r) => r.rows.find((m) => m.name === PV_MACHINE))) ??
      (await machines.create(orgId, {
        name: PV_MACHINE,
        department: '能源',
        equipmentCode: '',
        equipmentUnitCode: '',
      }));
    meterId = (
      await meters.create(orgId, {
        name: PV_METER,
        energyType: 0,
        machineId: machine.id,
        remarks: '由 iSolarCloud 电站累计发电量写入（每 5 分钟）',
        maxRate: 2000,
      })
    ).id;
  }
  await p.service.linkMeter(orgId, DEMO_PLANTS[0]!.ps_id, meterId);
}

const DAY_MS = 86_400_000;

/**
 * The history a plant connected long ago would have: today's 5-minute curve up to now and the daily
 * yields of the month so far, from the fake's own sun model (samples a refresh already wrote are kept).
 */
async function backfillDemoHistory(p: PlantsDemoPorts, orgId: number): Promise<void> {
  const now = p.clock.now().getTime();
  for (const plant of DEMO_PLANTS) {
    const today = localDayStart(plant, now);
    const local = new Date(today + plant.tzHours * 3_600_000);
    const monthStart = today - (local.getUTCDate() - 1) * DAY_MS;
    const samples: { ts: Date; powerKw: number | null; todayKwh: number | null }[] = [];
    for (let d = monthStart; d < today; d += DAY_MS)
      samples.push({
        ts: new Date(d + DAY_MS - SLOT_MS),
        powerKw: 0,
        todayKwh: Math.round(yieldWh(plant, d)) / 1000,
      });
    for (let t = today; t + SLOT_MS <= now; t += SLOT_MS)
      samples.push({
        ts: new Date(t),
        powerKw: pvPowerW(plant, t) / 1000,
        todayKwh: Math.round(yieldWh(plant, today, t)) / 1000,
      });
    await p.repo.addSamples(orgId, plant.ps_id, samples);
  }
}
