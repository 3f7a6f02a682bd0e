/** One reading as a gateway sends it (device-protocol.md): a meter, an instant, its register and params. */
export interface GeneratedReading {
  /** The meter's key in the generated site (the loader maps keys to database ids). */
  meter: string;
  /** Epoch milliseconds. */
  ts: number;
  /** Cumulative register in the meter's own unit. */
  total: number;
  params?: Record<string, number>;
}

/** Energy types of seed 002 (`Amount_Value` / `Ene_Type`). */
export const ENERGY_TYPES = [0, 1, 2, 3, 4, 5, 6, 7, 8] as const;
export type EnergyType = (typeof ENERGY_TYPES)[number];

export interface DemoMachine {
  key: string;
  name: string;
  department: string;
  equipmentCode: string;
  equipmentUnitCode: string;
}

/** How a synthetic meter's consumption moves over a day, a week and a year. */
export interface LoadProfile {
  /** Mean consumption per 15 minutes at full production, in the meter's unit. */
  perQuarter: number;
  /** Fraction of full load at night / at weekends (0–1). */
  nightFactor: number;
  weekendFactor: number;
  /** Seasonal swing: +amplitude at `peakDay` (day of year), −amplitude half a year later. */
  seasonalAmplitude: number;
  peakDay: number;
  /** Relative noise (standard deviation as a fraction of the mean). */
  noise: number;
}

export interface DemoMeter {
  key: string;
  name: string;
  machine: string;
  energyType: EnergyType;
  params: string[];
  isTotal: boolean;
  isCount: boolean;
  /** Where its data comes from. */
  source: 'synthetic' | 'sum' | 'steel' | 'virtual' | 'hand';
  profile?: LoadProfile;
  /** For `sum` meters: the meters whose consumption (plus its own profile) it sees. */
  sumOf?: string[];
  /** For virtual meters: a formula over other meters' keys, written `{key}` (the loader puts ids in). */
  formula?: string;
  /** Register value at the first reading. */
  initialTotal: number;
}

/**
 * A meter swapped for a new one mid-year. The old register's last reading (`oldTotal`) is one interval
 * before `at`; the new register starts at `newInitial` and its first reading is at `at` (002
 * `Meter_TotalAmount` = oldTotal, `Meter_Replace_Time` = at, `Meter_StartAmount` = newInitial).
 */
export interface DemoReplacement {
  meter: string;
  at: number;
  oldTotal: number;
  newInitial: number;
}

/** A month's amount typed in by hand (5.6, `Date_Type` 2). */
export interface HandFilledMonth {
  meter: string;
  /** Local "YYYY-MM-01 00:00:00". */
  month: string;
  amount: number;
}

export interface DemoSite {
  seed: string;
  tz: string;
  /** First reading (epoch ms, a local midnight) and the instant after the last interval. */
  start: number;
  end: number;
  intervalMinutes: number;
  departments: string[];
  machines: DemoMachine[];
  meters: DemoMeter[];
  replacement?: DemoReplacement;
  handFilled: HandFilledMonth[];
}
