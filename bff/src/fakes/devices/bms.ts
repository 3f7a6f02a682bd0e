import type { BmsStatus } from '@wattdesk/shared';

/** Where the battery's current goes in a phase of the load cycle. */
export type Flow = 'idle' | 'charge' | 'discharge';
/** One phase of the repeating load cycle. */
export interface Phase {
  ms: number;
  flow: Flow;
}
/** An active alarm; a non-resettable one needs service on site (a fault reset leaves it). */
export interface Alarm {
  code: string;
  resettable: boolean;
}
/** What a command did: accepted, or refused with the reason (device error 3). */
export type CommandOutcome = { accepted: true } | { refused: string };

const FLOW_STATE: Record<Flow, 2 | 3 | 4> = { idle: 2, charge: 3, discharge: 4 };

/**
 * A simulated BMS, stepped by the caller's clock. Operating state (seed 001): 1 contactor open,
 * 2 closed and idle, 3 charging, 4 discharging. While closed it follows a repeating load cycle.
 * Rules: opening the contactor is refused while current flows (3/4); closing is refused while any
 * alarm is active; a non-resettable alarm trips the contactor open; fault reset clears only
 * resettable alarms.
 */
export class Bms {
  private closed: boolean;
  private readonly alarms = new Map<string, Alarm>();
  private cycleStart: number;

  constructor(
    now: number,
    private readonly cycle: Phase[] = [{ ms: 60_000, flow: 'idle' }],
    opts: { closed?: boolean } = {},
  ) {
    this.closed = opts.closed ?? true;
    this.cycleStart = now;
  }

  /** The flow the load cycle asks for at `now`. */
  flowAt(now: number): Flow {
    const total = this.cycle.reduce((s, p) => s + p.ms, 0);
    if (total <= 0) return 'idle';
    let t = (((now - this.cycleStart) % total) + total) % total;
    for (const p of this.cycle) {
      if (t < p.ms) return p.flow;
      t -= p.ms;
    }
    return 'idle';
  }

  /** Seed 001 status at `now`. */
  status(now: number): BmsStatus {
    return {
      alarm_status: this.alarms.size,
      operating_status: this.closed ? FLOW_STATE[this.flowAt(now)] : 1,
    };
  }

  /** Raises an alarm; a non-resettable one opens the contactor at once (protection trip). */
  raise(alarm: Alarm): void {
    this.alarms.set(alarm.code, alarm);
    if (!alarm.resettable) this.closed = false;
  }

  /** Clears an alarm by hand (a service visit), resettable or not. */
  clear(code: string): void {
    this.alarms.delete(code);
  }

  /** Runs seed 001 command 1 (fault reset), 2 (close contactor) or 3 (open contactor). */
  command(cmd: 1 | 2 | 3, now: number): CommandOutcome {
    if (cmd === 1) {
      for (const [code, a] of this.alarms) if (a.resettable) this.alarms.delete(code);
      return { accepted: true };
    }
    if (cmd === 2) {
      if (this.closed) return { accepted: true };
      if (this.alarms.size > 0) return { refused: `存在 ${this.alarms.size} 个未消除的告警，禁止闭合接触器` };
      this.closed = true;
      this.cycleStart = now;
      return { accepted: true };
    }
    const state = this.status(now).operating_status;
    if (state === 3) return { refused: '电池正在充电，禁止断开接触器' };
    if (state === 4) return { refused: '电池正在放电，禁止断开接触器' };
    this.closed = false;
    return { accepted: true };
  }
}
