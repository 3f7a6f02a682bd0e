import type { ReadingsMessage } from '@wattdesk/shared';

/** One meter behind a gateway: its platform id and a steady load. */
export interface GatewayMeter {
  meter: number;
  /** Active power in kW. */
  kw: number;
  /** Register at start (kWh). */
  total?: number;
}

/**
 * A simulated meter gateway: each meter's register grows by `kw × hours` between reads, and every
 * batch carries total + instantaneous parameters (002 Meter_Parameter style) per meter.
 */
export class MeterGateway {
  private readonly totals = new Map<number, number>();
  private last: number;

  constructor(
    now: number,
    private readonly meters: GatewayMeter[],
  ) {
    for (const m of meters) this.totals.set(m.meter, m.total ?? 0);
    this.last = now;
  }

  /** Reads every meter at `now` (registers advanced since the last read). */
  read(now: number): ReadingsMessage {
    const hours = Math.max(0, now - this.last) / 3_600_000;
    this.last = now;
    return {
      readings: this.meters.map((m) => {
        const total = Math.round(((this.totals.get(m.meter) ?? 0) + m.kw * hours) * 1000) / 1000;
        this.totals.set(m.meter, total);
        const ia = (m.kw * 1000) / (3 * 229.8 * 0.95);
        return {
          meter: m.meter,
          ts: now,
          total,
          params: { UA: 229.8, IA: Math.round(ia * 10) / 10, P: m.kw, PF: 0.95 },
        };
      }),
    };
  }
}
