import { zoneOffsetMs } from '../../core/time';
import { ENERGY_KINDS, localCalendar, seasonFactor, shiftFactor } from './profiles';
import { createRng, type Rng } from './rng';
import type { DemoMeter, DemoSite, GeneratedReading } from './types';

const QUARTER_MS = 15 * 60_000;
const round2 = (x: number) => Math.round(x * 100) / 100;

interface MeterState {
  meter: DemoMeter;
  rng: Rng;
  /** Consumption since the first reading plus the initial register, in hundredths (exact integers). */
  cents: number;
  /** Cumulative hundredths at the swap, for the replaced meter. */
  swapCents?: number;
}

export interface StreamOptions {
  /** Only these (independent, non-`sum`) meters. */
  only?: readonly string[];
  /** Stop after this instant (inclusive). */
  until?: number;
  /** Steps per yielded batch (default: one day of intervals). */
  batchSteps?: number;
}

/**
 * Every synthetic and `sum` meter's readings from the site's start to its end, in time order, one batch
 * per day. Each meter draws from its own seeded RNG, so a meter's readings do not depend on which other
 * meters are generated or how the stream is batched.
 */
export function* syntheticReadings(site: DemoSite, opts: StreamOptions = {}): Generator<GeneratedReading[]> {
  const step = site.intervalMinutes * 60_000;
  const physical = site.meters.filter(
    (m) => (m.source === 'synthetic' || m.source === 'sum') && (!opts.only || opts.only.includes(m.key)),
  );
  // Parts before the sums that see them.
  physical.sort((a, b) => Number(a.source === 'sum') - Number(b.source === 'sum'));
  const states: MeterState[] = physical.map((meter) => ({
    meter,
    rng: createRng(`${site.seed}:meter:${meter.key}`),
    cents: Math.round(meter.initialTotal * 100),
  }));
  const rep = site.replacement;
  const until = Math.min(site.end, opts.until ?? site.end);
  const batchSteps = opts.batchSteps ?? Math.round(86_400_000 / step);
  let offset = zoneOffsetMs(new Date(site.start), site.tz);
  let offsetCheckedAt = site.start;
  let batch: GeneratedReading[] = [];
  let stepsInBatch = 0;
  const deltas = new Map<string, number>();
  for (let t = site.start; t <= until; t += step) {
    if (t - offsetCheckedAt >= 3_600_000) {
      offset = zoneOffsetMs(new Date(t), site.tz);
      offsetCheckedAt = t;
    }
    const cal = localCalendar(t - step / 2, offset);
    for (const s of states) {
      const p = s.meter.profile!;
      let delta = 0;
      if (t > site.start) {
        const mean =
          p.perQuarter *
          (step / QUARTER_MS) *
          shiftFactor(p, cal.hour, cal.weekday) *
          seasonFactor(p, cal.dayOfYear);
        delta = Math.round(mean * Math.max(0, 1 + p.noise * s.rng.normal()) * 100);
        for (const part of s.meter.sumOf ?? []) delta += deltas.get(part) ?? 0;
      }
      deltas.set(s.meter.key, delta);
      s.cents += delta;
      let register = s.cents;
      if (rep && rep.meter === s.meter.key) {
        // The old register's last reading is one step before the swap; from `at` on the new register counts.
        if (t === rep.at - step) s.swapCents = s.cents;
        if (s.swapCents !== undefined && t >= rep.at)
          register = Math.round(rep.newInitial * 100) + s.cents - s.swapCents;
      }
      batch.push({ meter: s.meter.key, ts: t, total: register / 100, params: params(s, delta / 100, step) });
    }
    if (++stepsInBatch >= batchSteps) {
      yield batch;
      batch = [];
      stepsInBatch = 0;
    }
  }
  if (batch.length) yield batch;
}

/** Instantaneous values consistent with the interval's consumption. */
function params(s: MeterState, delta: number, step: number): Record<string, number> {
  const kind = ENERGY_KINDS[s.meter.energyType];
  const perHour = delta * (3_600_000 / step);
  const load = Math.min(
    1.2,
    perHour / Math.max(1e-9, (s.meter.profile!.perQuarter * 3_600_000) / QUARTER_MS),
  );
  const jitter = () => 1 + 0.01 * s.rng.normal();
  if (s.meter.energyType === 0) {
    const pf = Math.min(0.99, Math.max(0.7, 0.86 + 0.1 * load + 0.01 * s.rng.normal()));
    const ua = 220 * jitter();
    return {
      UA: round2(ua),
      IA: round2((perHour * 1000) / (3 * ua * pf)),
      P: round2(perHour),
      PF: round2(pf),
    };
  }
  return {
    F: round2(perHour),
    Pr: Math.round(kind.pressure * jitter() * 1000) / 1000,
    T: round2(kind.temperature * jitter()),
    V: round2(Math.min(100, 20 + 70 * load)),
  };
}

/** The replaced meter's old register at its last reading before the swap (its `Meter_TotalAmount`). */
export function registerAtSwap(site: DemoSite): number | undefined {
  const rep = site.replacement;
  if (!rep) return undefined;
  let last: number | undefined;
  const last0 = rep.at - site.intervalMinutes * 60_000;
  for (const batch of syntheticReadings(site, { only: [rep.meter], until: last0 })) {
    for (const r of batch) if (r.ts === last0) last = r.total;
  }
  return last;
}
