import {
  reactivePowerControlBody,
  type ReactivePowerControlBody,
  type ReactivePowerControlData,
} from '@wattdesk/shared';

/** The form's fields as typed text, keyed by the seed 000 names. */
export type ReactiveForm = Record<
  | 'phase_min_power_factor_a'
  | 'phase_min_power_factor_b'
  | 'phase_min_power_factor_c'
  | 'phase_power_factor_hysteresis_a'
  | 'phase_power_factor_hysteresis_b'
  | 'phase_power_factor_hysteresis_c'
  | 'period'
  | 'step'
  | 'mode',
  string
>;

/** Form labels in the order they are shown; required fields per seed 000. */
export const reactiveFields: { key: keyof ReactiveForm; label: string; required?: boolean; hint: string }[] =
  [
    { key: 'phase_min_power_factor_a', label: 'A 相最低功率因数', required: true, hint: '0 – 1' },
    { key: 'phase_min_power_factor_b', label: 'B 相最低功率因数', hint: '0 – 1' },
    { key: 'phase_min_power_factor_c', label: 'C 相最低功率因数', hint: '0 – 1' },
    { key: 'phase_power_factor_hysteresis_a', label: 'A 相功率因数回差', hint: '0 – 1' },
    { key: 'phase_power_factor_hysteresis_b', label: 'B 相功率因数回差', hint: '0 – 1' },
    { key: 'phase_power_factor_hysteresis_c', label: 'C 相功率因数回差', hint: '0 – 1' },
    { key: 'period', label: '调节周期（毫秒）', hint: '整数毫秒' },
    { key: 'step', label: '步长', hint: '每次调节的步长' },
  ];

/** Fills the form from the device's current control. */
export function formFrom(data: Partial<ReactivePowerControlData> | undefined): ReactiveForm {
  const s = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  return {
    phase_min_power_factor_a: s(data?.phase_min_power_factor_a),
    phase_min_power_factor_b: s(data?.phase_min_power_factor_b),
    phase_min_power_factor_c: s(data?.phase_min_power_factor_c),
    phase_power_factor_hysteresis_a: s(data?.phase_power_factor_hysteresis_a),
    phase_power_factor_hysteresis_b: s(data?.phase_power_factor_hysteresis_b),
    phase_power_factor_hysteresis_c: s(data?.phase_power_factor_hysteresis_c),
    period: s(data?.period),
    step: s(data?.step),
    mode: s(data?.mode ?? 1),
  };
}

/**
 * Checks the form with the server's own schema (shared/), so a value out of range is named before
 * anything is sent. Answers the body to send, or the field and message of the first problem.
 */
export function checkReactive(
  uid: string,
  form: ReactiveForm,
): { ok: true; body: ReactivePowerControlBody } | { ok: false; field: string; message: string } {
  const raw: Record<string, unknown> = { device_uid: uid };
  for (const [key, value] of Object.entries(form)) {
    const text = value.trim();
    if (text === '') continue;
    const n = Number(text);
    raw[key] = Number.isFinite(n) && /^-?\d+(\.\d+)?$/.test(text) ? n : text;
  }
  const parsed = reactivePowerControlBody.safeParse(raw);
  if (parsed.success) return { ok: true, body: parsed.data };
  const issue = parsed.error.issues[0]!;
  const field = issue.path.map(String).join('.') || 'form';
  const label = reactiveFields.find((f) => f.key === field)?.label ?? (field === 'mode' ? '补偿模式' : field);
  const message = /[\u4e00-\u9fa5]/.test(issue.message) ? issue.message : '格式不正确';
  return { ok: false, field, message: `${label}：${message}` };
}
