import type { EnergyType, LoadProfile } from './types';

/** Per energy type: a typical meter's size and shape, and the instantaneous values it reports. */
export interface EnergyKind {
  name: string;
  unit: string;
  params: [string, string, string, string];
  profile: LoadProfile;
  /** Nominal pressure (MPa) and temperature (°C) for fluid meters. */
  pressure: number;
  temperature: number;
}

const fluid = ['F', 'Pr', 'T', 'V'] as [string, string, string, string];

/** The nine energy types of seed 002 with realistic factory magnitudes (per 15 minutes at full load). */
export const ENERGY_KINDS: Record<EnergyType, EnergyKind> = {
  0: {
    name: '电',
    unit: 'kWh',
    params: ['UA', 'IA', 'P', 'PF'],
    profile: {
      perQuarter: 60,
      nightFactor: 0.35,
      weekendFactor: 0.3,
      seasonalAmplitude: 0.15,
      peakDay: 200,
      noise: 0.08,
    },
    pressure: 0,
    temperature: 0,
  },
  1: {
    name: '自来水',
    unit: 'm³',
    params: fluid,
    profile: {
      perQuarter: 1.2,
      nightFactor: 0.2,
      weekendFactor: 0.3,
      seasonalAmplitude: 0.2,
      peakDay: 200,
      noise: 0.15,
    },
    pressure: 0.3,
    temperature: 18,
  },
  2: {
    name: '中水',
    unit: 'm³',
    params: fluid,
    profile: {
      perQuarter: 0.8,
      nightFactor: 0.3,
      weekendFactor: 0.4,
      seasonalAmplitude: 0.1,
      peakDay: 200,
      noise: 0.12,
    },
    pressure: 0.25,
    temperature: 20,
  },
  3: {
    name: '热水',
    unit: 't',
    params: fluid,
    profile: {
      perQuarter: 0.6,
      nightFactor: 0.25,
      weekendFactor: 0.3,
      seasonalAmplitude: 0.35,
      peakDay: 15,
      noise: 0.1,
    },
    pressure: 0.4,
    temperature: 65,
  },
  4: {
    name: '软水',
    unit: 'm³',
    params: fluid,
    profile: {
      perQuarter: 0.5,
      nightFactor: 0.4,
      weekendFactor: 0.5,
      seasonalAmplitude: 0.2,
      peakDay: 15,
      noise: 0.1,
    },
    pressure: 0.35,
    temperature: 25,
  },
  5: {
    name: '中压蒸汽',
    unit: 't',
    params: fluid,
    profile: {
      perQuarter: 0.9,
      nightFactor: 0.4,
      weekendFactor: 0.35,
      seasonalAmplitude: 0.3,
      peakDay: 15,
      noise: 0.07,
    },
    pressure: 1.6,
    temperature: 220,
  },
  6: {
    name: '低压蒸汽',
    unit: 't',
    params: fluid,
    profile: {
      perQuarter: 0.5,
      nightFactor: 0.3,
      weekendFactor: 0.3,
      seasonalAmplitude: 0.4,
      peakDay: 15,
      noise: 0.08,
    },
    pressure: 0.6,
    temperature: 165,
  },
  7: {
    name: '空气',
    unit: 'm³',
    params: fluid,
    profile: {
      perQuarter: 180,
      nightFactor: 0.3,
      weekendFactor: 0.25,
      seasonalAmplitude: 0.05,
      peakDay: 200,
      noise: 0.1,
    },
    pressure: 0.7,
    temperature: 35,
  },
  8: {
    name: '天然气',
    unit: 'm³',
    params: fluid,
    profile: {
      perQuarter: 25,
      nightFactor: 0.45,
      weekendFactor: 0.4,
      seasonalAmplitude: 0.35,
      peakDay: 15,
      noise: 0.08,
    },
    pressure: 0.2,
    temperature: 15,
  },
};

const DAY_MS = 86_400_000;

/** Fraction of full production at a local hour and weekday (0 = Sunday): two shifts, quiet nights and weekends. */
export function shiftFactor(profile: LoadProfile, hour: number, weekday: number): number {
  let f: number;
  if (hour >= 8 && hour < 20) f = 1;
  else if ((hour >= 6 && hour < 8) || (hour >= 20 && hour < 22)) f = (1 + profile.nightFactor) / 2;
  else f = profile.nightFactor;
  if (weekday === 0) f *= profile.weekendFactor;
  else if (weekday === 6) f *= (1 + profile.weekendFactor) / 2;
  return f;
}

/** Seasonal multiplier for a local day of the year (0-based). */
export function seasonFactor(profile: LoadProfile, dayOfYear: number): number {
  return 1 + profile.seasonalAmplitude * Math.cos((2 * Math.PI * (dayOfYear - profile.peakDay)) / 365.25);
}

/** Local hour, weekday and day of year of an instant, given the zone's offset at that time. */
export function localCalendar(
  ts: number,
  offsetMs: number,
): { hour: number; weekday: number; dayOfYear: number } {
  const d = new Date(ts + offsetMs);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  return {
    hour: d.getUTCHours(),
    weekday: d.getUTCDay(),
    dayOfYear: Math.floor((d.getTime() - yearStart) / DAY_MS),
  };
}
