import type { DemoPart } from './index';
import { DEMO_USER } from './demo-data';
import { loadSteelIntervals } from './data/steel';

/** The steel plant's real meter in the demo site (bff/src/demo/data/site.ts). */
const STEEL_METER = '电弧炉电表（2018 实测）';
const EVERY_MS = 15_000;

/**
 * Demo mode: the steel meter keeps reporting after its 2018 year — the same rows replayed live, one every
 * 15 s at the current time, through the normal ingest service (register continuing after the year's last
 * reading). The replay starts at a light-load hour, whose lagging power factor is below the demo's
 * 功率因数过低 rule (85 %), so that alarm fires on real data within seconds of the start.
 */
export const steelLiveDemo: DemoPart = {
  name: 'steel-live',
  async start(container) {
    const { deps } = container;
    const user = await deps.accounts.userByName(DEMO_USER);
    if (!user) return [];
    const meters = await deps.meters.list(user.orgId, {}, 1000, 0);
    const steel = meters.rows.find((m) => m.name === STEEL_METER);
    if (!steel) return [];
    const rows = loadSteelIntervals();
    // The historic load ends at 120,000 kWh plus the year's kWh; the live register continues from there.
    let cents = 120_000 * 100 + rows.reduce((s, r) => s + r.kwhCents, 0) + 100;
    let i = Math.max(
      0,
      rows.findIndex((r) => r.lagPf > 0 && r.lagPf < 80),
    );
    const tick = async () => {
      const r = rows[i++ % rows.length]!;
      cents += r.kwhCents;
      await deps.ingest.ingest(
        user.orgId,
        [
          {
            meter: steel.id,
            ts: deps.clock.now().getTime(),
            total: cents / 100,
            params: { Lag_kVarh: r.lagKvarh, Lead_kVarh: r.leadKvarh, Lag_PF: r.lagPf, Lead_PF: r.leadPf },
          },
        ],
        'http',
      );
    };
    const timer = setInterval(() => {
      tick().catch((err: unknown) => deps.log.warn({ err }, 'steel live replay reading failed'));
    }, EVERY_MS);
    timer.unref();
    container.onClose(() => clearInterval(timer));
    setTimeout(() => void tick().catch(() => undefined), 2000).unref();
    return [`  钢厂电表实时回放:    每 15 秒一条（2018 实测数据循环），功率因数过低会触发演示报警`];
  },
};
