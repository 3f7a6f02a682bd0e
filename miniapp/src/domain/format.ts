import { ENERGY_NAMES, ENERGY_UNITS } from '@wattdesk/shared';

/**
 * The one number formatter of the mini-program: every number a manager sees goes through here.
 *
 * - thousands separators and 2 decimals ("12,345.67"), computed by hand (no `Intl`, which some WeChat
 *   clients lack);
 * - the unit always beside the number ("12,345.67 kWh", "1,234.50 元"), never in a separate node;
 * - `compact: true` writes values of 10,000 and more as 万 ("12.35 万 kWh", "3.20 万元") and of
 *   100,000,000 and more as 亿, for cards where width is short; tables and exports keep the exact form;
 * - a value that is missing or not a number is "—" (no unit: there is nothing to measure).
 */

export type Numeric = number | string | null | undefined;

export interface FormatOptions {
  /** Digits after the decimal point (default 2). */
  decimals?: number;
  /** Write large values with 万 / 亿 (default false). */
  compact?: boolean;
}

/** What is shown for a value that is missing or not a number. */
export const MISSING = '—';

/** A finite number from an API value (`"19316.46"`, `12`, `""` → null), or null. */
export function toNumber(value: Numeric): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' && value.trim() === '') return null;
  const n = typeof value === 'number' ? value : Number(value.replace(/,/g, ''));
  return Number.isFinite(n) ? n : null;
}

/**
 * `abs` rounded half away from zero on its shortest decimal form, as a person reads it ("1.005" → "1.01";
 * `toFixed` alone gives "1.00" because the double is 1.00499…).
 */
function fixedDecimal(abs: number, decimals: number): string {
  const shortest = String(abs);
  if (shortest.includes('e')) return abs.toFixed(decimals);
  const rounded = Math.round(Number(`${shortest}e${decimals}`));
  return Number(`${rounded}e-${decimals}`).toFixed(decimals);
}

function group(n: number, decimals: number): string {
  const fixed = fixedDecimal(Math.abs(n), decimals);
  const [int = '0', frac] = fixed.split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  // "-0.00" is not a value anyone measured.
  const negative = n < 0 && Number(fixed) !== 0;
  return `${negative ? '-' : ''}${grouped}${frac !== undefined ? `.${frac}` : ''}`;
}

interface Scaled {
  text: string;
  /** "万", "亿" or "" */
  scale: string;
}

function scaled(n: number, { decimals = 2, compact = false }: FormatOptions): Scaled {
  const abs = Math.abs(n);
  // Compare the rounded value, so 9,999.999 (shown as 10,000.00) becomes 1.00 万 as well.
  if (compact && Number(fixedDecimal(abs, decimals)) >= 1e8)
    return { text: group(n / 1e8, decimals), scale: '亿' };
  if (compact && Number(fixedDecimal(abs, decimals)) >= 1e4) {
    const w = n / 1e4;
    if (Number(fixedDecimal(Math.abs(w), decimals)) >= 1e4)
      return { text: group(n / 1e8, decimals), scale: '亿' };
    return { text: group(w, decimals), scale: '万' };
  }
  return { text: group(n, decimals), scale: '' };
}

/** A bare number: "12,345.67" (compact: "1.23 万"). */
export function formatNumber(value: Numeric, options: FormatOptions = {}): string {
  const n = toNumber(value);
  if (n === null) return MISSING;
  const s = scaled(n, options);
  return s.scale ? `${s.text} ${s.scale}` : s.text;
}

/** A number with its unit: "12,345.67 kWh", compact "1.23 万 kWh"; "—" when missing. */
export function formatWithUnit(value: Numeric, unit: string, options: FormatOptions = {}): string {
  const n = toNumber(value);
  if (n === null) return MISSING;
  const s = scaled(n, options);
  if (!unit) return s.scale ? `${s.text} ${s.scale}` : s.text;
  return s.scale ? `${s.text} ${s.scale} ${unit}` : `${s.text} ${unit}`;
}

/** Money in yuan: "1,234.50 元", compact "3.20 万元". */
export function formatMoney(value: Numeric, options: FormatOptions = {}): string {
  const n = toNumber(value);
  if (n === null) return MISSING;
  const s = scaled(n, options);
  return `${s.text} ${s.scale}元`;
}

/** A rate: "0.8500 元/kWh" (4 decimals by default: tariffs are written to the tenth of a fen). */
export function formatRate(value: Numeric, energyType: number | string, options: FormatOptions = {}): string {
  return formatWithUnit(value, `元/${energyUnit(energyType) || '单位'}`, { decimals: 4, ...options });
}

/** The unit an energy type is metered in ("kWh", "t", "m³"), or "" for an unknown code. */
export function energyUnit(energyType: number | string): string {
  return ENERGY_UNITS[Number(energyType)] ?? '';
}

/** The name of an energy type ("电"), or the code itself when unknown. */
export function energyName(energyType: number | string): string {
  return ENERGY_NAMES[Number(energyType)] ?? String(energyType);
}

/** An amount of one energy type with its unit: "12,345.67 kWh". */
export function formatEnergy(
  value: Numeric,
  energyType: number | string,
  options: FormatOptions = {},
): string {
  return formatWithUnit(value, energyUnit(energyType), options);
}

/** Power in kW: "1,234.50 kW". */
export function formatPower(value: Numeric, options: FormatOptions = {}): string {
  return formatWithUnit(value, 'kW', options);
}

/** A share or ratio already in percent: "85.20%". */
export function formatPercent(value: Numeric, decimals = 2): string {
  const n = toNumber(value);
  if (n === null) return MISSING;
  return `${group(n, decimals)}%`;
}

/** Change of `now` against `before` in percent with its sign ("+12.5%", "-3.0%"); null when not comparable. */
export function formatChange(now: Numeric, before: Numeric, decimals = 1): string | null {
  const a = toNumber(now);
  const b = toNumber(before);
  if (a === null || b === null || b === 0) return null;
  const pct = ((a - b) / Math.abs(b)) * 100;
  const text = group(pct, decimals);
  return `${pct > 0 && Number(fixedDecimal(Math.abs(pct), decimals)) !== 0 ? '+' : ''}${text}%`;
}
