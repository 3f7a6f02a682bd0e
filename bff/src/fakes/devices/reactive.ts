import { reactiveControl, type ReactiveControl } from '@wattdesk/shared';

/** The control a fresh controller runs before anyone sets it. */
export const DEFAULT_CONTROL: ReactiveControl = {
  phase_min_power_factor_a: 0.9,
  phase_min_power_factor_b: 0.9,
  phase_min_power_factor_c: 0.9,
  phase_power_factor_hysteresis_a: 0.05,
  phase_power_factor_hysteresis_b: 0.05,
  phase_power_factor_hysteresis_c: 0.05,
  period: 500,
  step: 0.1,
  mode: 1,
};

type Phase = 'a' | 'b' | 'c';
const PHASES: Phase[] = ['a', 'b', 'c'];

/**
 * A simulated reactive-power controller: applies a control (missing B/C values follow phase A) and,
 * every `period` ms, moves each phase's power factor one `step` toward its minimum when below it
 * (minus hysteresis), and lets it drift down with the uncompensated load otherwise.
 */
export class ReactiveController {
  private control: ReactiveControl = { ...DEFAULT_CONTROL };
  private readonly pf: Record<Phase, number>;
  private last: number;

  constructor(
    now: number,
    start: Partial<Record<Phase, number>> = {},
    private readonly loadPf = 0.78,
  ) {
    this.pf = { a: start.a ?? loadPf, b: start.b ?? loadPf, c: start.c ?? loadPf };
    this.last = now;
  }

  /** Applies a control; returns it as now applied, or the reason it is not acceptable (device error 2). */
  apply(params: unknown): { control: ReactiveControl } | { invalid: string } {
    const parsed = reactiveControl.safeParse(params);
    if (!parsed.success) return { invalid: parsed.error.issues[0]?.message ?? '参数错误' };
    const c = parsed.data;
    this.control = {
      ...DEFAULT_CONTROL,
      ...c,
      phase_min_power_factor_b: c.phase_min_power_factor_b ?? c.phase_min_power_factor_a,
      phase_min_power_factor_c: c.phase_min_power_factor_c ?? c.phase_min_power_factor_a,
    };
    return { control: this.current() };
  }

  current(): ReactiveControl {
    return { ...this.control };
  }

  /** Power factor per phase at the last step. */
  powerFactors(): Record<Phase, number> {
    return { ...this.pf };
  }

  /** Steps the regulation loop up to `now`, one adjustment per elapsed period. */
  tick(now: number): void {
    const period = this.control.period ?? 500;
    const step = this.control.step ?? 0.1;
    while (now - this.last >= period) {
      this.last += period;
      for (const p of PHASES) {
        const min = this.control[`phase_min_power_factor_${p}`] ?? this.control.phase_min_power_factor_a;
        const hys = this.control[`phase_power_factor_hysteresis_${p}`] ?? 0.05;
        if (this.pf[p] < min - hys) this.pf[p] = Math.min(1, round(this.pf[p] + step));
        else if (this.pf[p] > min + hys) this.pf[p] = Math.max(this.loadPf, round(this.pf[p] - step / 2));
      }
    }
  }
}

const round = (v: number) => Math.round(v * 1000) / 1000;
