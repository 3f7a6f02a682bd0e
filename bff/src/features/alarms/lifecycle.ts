/**
 * The alarm lifecycle of one rule on one source (a meter, a device), as a pure state machine over
 * samples in data time. No I/O, no clock: the service loads the state (row-locked), steps it, stores it
 * and turns the transitions into records, history and deliveries.
 *
 * - A value outside [lower, upper] raises — after it stayed outside for `delayMs` (on-delay; 0 = at once).
 * - An active alarm clears only when the value is back inside by the deadband: [lower + db, upper − db].
 *   Between the limits and the deadband it stays active; leaving the limits again from there is a
 *   re-trigger (counted, never a second alarm).
 * - ≥ 3 transitions (raise or clear) within a minute flag the point as chattering; it calms down after a
 *   full minute without a transition. While chattering its notifications are held back.
 * - Samples at or before the last evaluated one are ignored (duplicate events, late instantaneous values).
 */

/** What one evaluation needs from the rule. */
export interface Limits {
  lower: number;
  upper: number;
  deadband: number;
  delayMs: number;
}

/** Persisted per (rule, source). Times are epoch milliseconds in data time. */
export interface PointState {
  lastTs: number | null;
  /** Since when the value has been outside while no alarm is active (on-delay). */
  pendingSince: number | null;
  active: boolean;
  /** Whether the last sample was outside the limits (a re-trigger needs a way back in first). */
  outside: boolean;
  /** Times of raise / clear transitions within the last minute. */
  transitions: number[];
  chattering: boolean;
}

export type Transition =
  | { kind: 'raise'; ts: number; value: number }
  | { kind: 'retrigger'; ts: number; value: number }
  | { kind: 'clear'; ts: number; value: number }
  | { kind: 'chattering'; ts: number }
  | { kind: 'chattering_end'; ts: number };

export const CHATTER_WINDOW_MS = 60_000;
export const CHATTER_TRANSITIONS = 3;

export const initialPoint = (): PointState => ({
  lastTs: null,
  pendingSince: null,
  active: false,
  outside: false,
  transitions: [],
  chattering: false,
});

/** The deadband in force: the rule's own, or 1 % of the band. */
export const deadbandOf = (lower: number, upper: number, deadband: number | null | undefined): number =>
  deadband ?? Math.abs(upper - lower) * 0.01;

/** Where a value lies: outside the limits, inside but within the deadband, or clearly inside. */
export function zoneOf(value: number, l: Limits): 'outside' | 'band' | 'inside' {
  if (value < l.lower || value > l.upper) return 'outside';
  if (value < l.lower + l.deadband || value > l.upper - l.deadband) return 'band';
  return 'inside';
}

/** Ends chattering when a full minute passed without a transition (by `now`, in data time). */
export function settle(state: PointState, now: number): { state: PointState; transitions: Transition[] } {
  const recent = state.transitions.filter((t) => t > now - CHATTER_WINDOW_MS);
  if (state.chattering && recent.length === 0)
    return {
      state: { ...state, transitions: recent, chattering: false },
      transitions: [{ kind: 'chattering_end', ts: now }],
    };
  return {
    state: recent.length === state.transitions.length ? state : { ...state, transitions: recent },
    transitions: [],
  };
}

/** Records a raise or clear and flags chattering when the window fills. */
function transition(s: PointState, ts: number, out: Transition[]): PointState {
  const transitions = [...s.transitions.filter((t) => t > ts - CHATTER_WINDOW_MS), ts];
  if (!s.chattering && transitions.length >= CHATTER_TRANSITIONS) {
    out.push({ kind: 'chattering', ts });
    return { ...s, transitions, chattering: true };
  }
  return { ...s, transitions };
}

/** Evaluates one sample. */
export function step(
  state: PointState,
  limits: Limits,
  sample: { ts: number; value: number },
): { state: PointState; transitions: Transition[] } {
  if (state.lastTs !== null && sample.ts <= state.lastTs) return { state, transitions: [] };
  const settled = settle(state, sample.ts);
  const out = [...settled.transitions];
  let s: PointState = { ...settled.state, lastTs: sample.ts };
  const zone = zoneOf(sample.value, limits);
  if (!s.active) {
    if (zone === 'outside') {
      const since = s.pendingSince ?? sample.ts;
      if (sample.ts - since >= limits.delayMs) {
        out.push({ kind: 'raise', ts: sample.ts, value: sample.value });
        s = transition({ ...s, active: true, outside: true, pendingSince: null }, sample.ts, out);
      } else s = { ...s, pendingSince: since, outside: true };
    } else s = { ...s, pendingSince: null, outside: false };
  } else if (zone === 'outside') {
    if (!s.outside) out.push({ kind: 'retrigger', ts: sample.ts, value: sample.value });
    s = { ...s, outside: true };
  } else if (zone === 'band') {
    s = { ...s, outside: false };
  } else {
    out.push({ kind: 'clear', ts: sample.ts, value: sample.value });
    s = transition({ ...s, active: false, outside: false }, sample.ts, out);
  }
  return { state: s, transitions: out };
}

/** ISA-18.2 / ThingsBoard states of a record: 1 active-unack, 2 active-ack, 3 cleared-unack, 4 cleared-ack. */
export type RecordState = 1 | 2 | 3 | 4;
export const isActive = (s: RecordState) => s === 1 || s === 2;
export const isAcked = (s: RecordState) => s === 2 || s === 4;
/** The state after an acknowledgement. */
export const acknowledged = (s: RecordState): RecordState => (isActive(s) ? 2 : 4);
/** The state after the condition cleared. */
export const cleared = (s: RecordState): RecordState => (isAcked(s) ? 4 : 3);
/** The state after a re-alarm: an acknowledged active alarm needs acknowledging again. */
export const realarmed = (s: RecordState): RecordState => (isActive(s) ? 1 : s);
