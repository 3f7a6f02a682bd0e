import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fromLocal } from '../../core/time';
import type { GeneratedReading } from './types';

/**
 * The steel plant's 2018 data (UCI "Steel Industry Energy Consumption", CC BY 4.0; see README.md here)
 * turned into one real meter: interval kWh accumulate into the meter's register, reactive energy and
 * power factors become its instantaneous parameters.
 */
export const STEEL_CSV_GZ = path.join(__dirname, 'steel_industry_2018.csv.gz');

/** The steel meter's `Meter_Parameter` names, in the order the CSV gives them. */
export const STEEL_PARAMS = ['Lag_kVarh', 'Lead_kVarh', 'Lag_PF', 'Lead_PF'] as const;

/** One CSV row: the local wall-clock end of a 15-minute interval and what was measured in it. */
export interface SteelInterval {
  /** Local end of the interval, "YYYY-MM-DD HH:mm:ss" (the 00:00 row already moved to the next day). */
  end: string;
  /** Active energy in the interval, in hundredths of a kWh (the file has two decimals; integers stay exact). */
  kwhCents: number;
  lagKvarh: number;
  leadKvarh: number;
  lagPf: number;
  leadPf: number;
}

const ROW_RE = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2})$/;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Parses the CSV text. The row stamped 00:00 ends the day the file prints, so it belongs to the next day. */
export function parseSteelCsv(text: string): SteelInterval[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines.shift()?.split(',') ?? [];
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`steel CSV: column ${name} missing`);
    return i;
  };
  const [iDate, iKwh, iLag, iLead, iLagPf, iLeadPf] = [
    'date',
    'Usage_kWh',
    'Lagging_Current_Reactive_Power_kVarh',
    'Leading_Current_Reactive_Power_kVarh',
    'Lagging_Current_Power_Factor',
    'Leading_Current_Power_Factor',
  ].map(col) as [number, number, number, number, number, number];
  return lines.map((line, n) => {
    const f = line.split(',');
    const m = ROW_RE.exec(f[iDate] ?? '');
    if (!m) throw new Error(`steel CSV line ${n + 2}: bad date ${f[iDate]}`);
    const [d, mo, y, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
    // Calendar arithmetic in UTC fields only: no zone is involved in moving a date by one day.
    const day = new Date(Date.UTC(y, mo - 1, d + (h === 0 && mi === 0 ? 1 : 0)));
    const end = `${pad(day.getUTCFullYear(), 4)}-${pad(day.getUTCMonth() + 1)}-${pad(day.getUTCDate())} ${pad(h)}:${pad(mi)}:00`;
    const num = (i: number) => {
      const v = Number(f[i]);
      if (!Number.isFinite(v)) throw new Error(`steel CSV line ${n + 2}: ${header[i]} is not a number`);
      return v;
    };
    return {
      end,
      kwhCents: Math.round(num(iKwh) * 100),
      lagKvarh: num(iLag),
      leadKvarh: num(iLead),
      lagPf: num(iLagPf),
      leadPf: num(iLeadPf),
    };
  });
}

/** Reads the bundled (gzipped) CSV. */
export function loadSteelIntervals(file = STEEL_CSV_GZ): SteelInterval[] {
  return parseSteelCsv(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8'));
}

const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
/** The instant of a local "YYYY-MM-DD HH:mm:ss" in a zone. */
function instant(local: string, tz: string): number {
  const p = LOCAL_RE.exec(local)!.slice(1).map(Number) as [number, number, number, number, number, number];
  return fromLocal(...p, tz).getTime();
}

/**
 * The meter's readings: an opening reading of `base` at the start of the first interval, then one per
 * row whose register is `base` plus every kWh up to and including that row. The 2018 wall-clock times
 * are kept, read in `tz` (the site's zone, so the plant's shifts line up with the site's day).
 */
export function steelReadings(
  intervals: readonly SteelInterval[],
  opts: { meter: string; tz: string; base?: number },
): GeneratedReading[] {
  const baseCents = Math.round((opts.base ?? 0) * 100);
  const out: GeneratedReading[] = [];
  if (!intervals.length) return out;
  out.push({
    meter: opts.meter,
    ts: instant(intervals[0]!.end, opts.tz) - 15 * 60_000,
    total: baseCents / 100,
  });
  let cents = baseCents;
  for (const row of intervals) {
    cents += row.kwhCents;
    out.push({
      meter: opts.meter,
      ts: instant(row.end, opts.tz),
      total: cents / 100,
      params: { Lag_kVarh: row.lagKvarh, Lead_kVarh: row.leadKvarh, Lag_PF: row.lagPf, Lead_PF: row.leadPf },
    });
  }
  return out;
}
