import {
  reactivePowerControlBody,
  type ReactivePowerControlBody,
  type ReactivePowerControlData,
} from '@wattdesk/shared';
import { formatNumber } from './format';

/** A setting's value exactly as sent (no rounding), through the one number formatter: "3,600,000". */
export function exactValue(v: unknown): string {
  if (typeof v !== 'number') return String(v);
  const decimals = (String(v).split('.')[1] ?? '').length;
  return formatNumber(v, { decimals: Math.min(decimals, 6) });
}

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

interface FieldSpec {
  key: keyof ReactiveForm;
  label: string;
  required?: boolean;
  /** The allowed range in words, shown under the input. */
  hint: string;
  /** What is wrong when the value is outside the range. */
  rule: string;
  ok: (n: number) => boolean;
}

const fraction = (n: number) => n >= 0 && n <= 1;
const FRACTION_HINT = '0 到 1 之间的小数，例如 0.95';
const FRACTION_RULE = '必须在 0 到 1 之间';

/** One line of what a command changes: a setting's name, its value now (when known), the value sent. */
export interface ChangeRow {
  label: string;
  from?: string;
  to: string;
}

/** Form fields in the order they are shown, with their ranges in words; required fields per seed 000. */
export const reactiveFields: FieldSpec[] = [
  ...(['a', 'b', 'c'] as const).map((p, i) => ({
    key: `phase_min_power_factor_${p}` as const,
    label: `${p.toUpperCase()} 相最低功率因数`,
    required: i === 0,
    hint: i === 0 ? `${FRACTION_HINT}（必填）` : `${FRACTION_HINT}，不填则不改`,
    rule: FRACTION_RULE,
    ok: fraction,
  })),
  ...(['a', 'b', 'c'] as const).map((p) => ({
    key: `phase_power_factor_hysteresis_${p}` as const,
    label: `${p.toUpperCase()} 相功率因数回差`,
    hint: '0 到 1 之间，例如 0.02；不填则不改',
    rule: FRACTION_RULE,
    ok: fraction,
  })),
  {
    key: 'period',
    label: '调节周期',
    hint: '1 到 3600000 毫秒的整数（1 秒 = 1000 毫秒）',
    rule: '必须是 1 到 3600000 之间的整数毫秒',
    ok: (n) => Number.isInteger(n) && n >= 1 && n <= 3_600_000,
  },
  {
    key: 'step',
    label: '调节步长',
    hint: '大于 0、最大 1，例如 0.1',
    rule: '必须大于 0 且不超过 1',
    ok: (n) => n > 0 && n <= 1,
  },
];

const MODE_NAMES: Record<string, string> = { '1': '容性无功补偿', '2': '感性无功补偿' };

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

/** Each field's problem in plain words, keyed by field; empty when the form can be sent. */
export type ReactiveProblems = Partial<Record<keyof ReactiveForm, string>>;

/**
 * Checks the form before anything is sent: each field against its range (messages in words), then
 * the whole body with the server's own schema. Answers the body to send, or every field's problem.
 */
export function checkReactive(
  uid: string,
  form: ReactiveForm,
): { ok: true; body: ReactivePowerControlBody } | { ok: false; problems: ReactiveProblems } {
  const raw: Record<string, unknown> = { device_uid: uid, mode: Number(form.mode) };
  const problems: ReactiveProblems = {};
  for (const f of reactiveFields) {
    const text = form[f.key].trim();
    if (text === '') {
      if (f.required) problems[f.key] = `请填写${f.label}`;
      continue;
    }
    const n = Number(text);
    if (!/^-?\d+(\.\d+)?$/.test(text) || !Number.isFinite(n)) problems[f.key] = `${f.label}必须是数字`;
    else if (!f.ok(n)) problems[f.key] = `${f.label}${f.rule}`;
    else raw[f.key] = n;
  }
  if (Object.keys(problems).length) return { ok: false, problems };
  const parsed = reactivePowerControlBody.safeParse(raw);
  if (parsed.success) return { ok: true, body: parsed.data };
  const field = String(parsed.error.issues[0]?.path[0] ?? 'mode') as keyof ReactiveForm;
  return { ok: false, problems: { [field]: plainReactiveMessage(parsed.error.issues[0]?.message ?? '') } };
}

/** A server message about a field, with the field's key replaced by its label and ranges in words. */
export function plainReactiveMessage(message: string): string {
  let out = message;
  for (const f of reactiveFields) out = out.split(f.key).join(f.label);
  out = out.replace(/\bmode\b/g, '补偿模式').replace(/\bdevice_uid\b/g, '设备编号');
  out = out.replace(/\[\s*(-?[\d.]+)\s*,\s*(-?[\d.]+)\s*\]\s*范围内/g, '$1 到 $2 之间');
  return out.replace(/^([^:：]+)[:：]\s*\1/, '$1').replace(/\s+(必须|最大|最小|不能)/g, '$1');
}

/** What a send changes, setting by setting: the device's current value → the value sent. */
export function reactiveChanges(
  current: Partial<ReactivePowerControlData> | undefined,
  body: ReactivePowerControlBody,
): ChangeRow[] {
  const show = (v: unknown) => (v === undefined || v === null ? '未设置' : exactValue(v));
  const rows: ChangeRow[] = [
    {
      label: '补偿模式',
      from: current ? (MODE_NAMES[String(current.mode)] ?? '未设置') : undefined,
      to: MODE_NAMES[String(body.mode)]!,
    },
  ];
  for (const f of reactiveFields) {
    const to = (body as Record<string, unknown>)[f.key];
    if (to === undefined) continue;
    const unit = f.key === 'period' ? ' 毫秒' : '';
    const from = current ? (current as Record<string, unknown>)[f.key] : undefined;
    rows.push({
      label: f.label,
      from: current ? `${show(from)}${from === undefined ? '' : unit}` : undefined,
      to: `${exactValue(to)}${unit}`,
    });
  }
  return rows;
}

/** The settings a reactive command sent, in words, e.g. "补偿模式 容性无功补偿；A 相最低功率因数 0.95". */
export function describeReactiveParams(params: Record<string, unknown>): string {
  const parts: string[] = [];
  if (params.mode !== undefined)
    parts.push(`补偿模式 ${MODE_NAMES[String(params.mode)] ?? String(params.mode)}`);
  for (const f of reactiveFields) {
    const v = params[f.key];
    if (v !== undefined && v !== null)
      parts.push(`${f.label} ${exactValue(v)}${f.key === 'period' ? ' 毫秒' : ''}`);
  }
  return parts.join('；');
}
