/**
 * Plausible plant data for the fake iSolarCloud: a clear-sky sun curve from the plant's latitude,
 * longitude and the date, cloudy days and passing clouds (deterministic per plant and day), a battery
 * that charges at midday and discharges in the evening, and yields integrated from the curve so that
 * today's yield grows through the day and the total never goes down.
 */

export interface FakeDevice {
  ps_key: string;
  device_sn: string;
  device_name: string;
  device_type: number;
  /** 1 fault, 2 alarm, 4 normal. */
  dev_fault_status: number;
}

export interface FakePlant {
  ps_id: number;
  ps_name: string;
  ps_type: number;
  latitude: number;
  longitude: number;
  ps_location: string;
  /** PV peak power (kWp). */
  capacityKw: number;
  /** Battery capacity (kWh) for storage plants. */
  batteryKwh?: number;
  /** 1 fault, 2 alarm, 3 normal. */
  ps_fault_status: number;
  install_date: string;
  /** Yield counted before the fake's first simulated day (kWh). */
  baseTotalKwh: number;
  /** Offset of the plant's time zone from UTC in hours (GMT+8 in China). */
  tzHours: number;
  valid_flag: number;
  online_status: number;
  devices: FakeDevice[];
}

const DAY_MS = 86_400_000;
const STEP_MS = 5 * 60_000;
const rad = (d: number) => (d * Math.PI) / 180;

/** A stable pseudo-random number in [0, 1) from integers. */
export function hash01(...xs: number[]): number {
  let h = 2166136261;
  for (const x of xs) {
    h ^= Math.floor(x) & 0xffffffff;
    h = Math.imul(h, 16777619);
    h ^= h >>> 13;
  }
  return ((h >>> 0) % 100000) / 100000;
}

/** Sine of the sun's elevation at a place and instant (negative at night). */
export function sunSine(lat: number, lon: number, t: number): number {
  // Day of the year from the days since 1970-01-01 (itself day 1), by the mean year length: within a day.
  const n = Math.floor((t / DAY_MS) % 365.2422) + 1;
  const decl = rad(23.44) * Math.sin((2 * Math.PI * (284 + n)) / 365);
  const utcHours = (t % DAY_MS) / 3_600_000;
  const solar = utcHours + lon / 15;
  const h = rad(15 * (solar - 12));
  const phi = rad(lat);
  return Math.sin(phi) * Math.sin(decl) + Math.cos(phi) * Math.cos(decl) * Math.cos(h);
}

/** The local day (epoch ms of its midnight) holding `t` in the plant's time zone. */
export const localDayStart = (p: FakePlant, t: number) => {
  const off = p.tzHours * 3_600_000;
  return Math.floor((t + off) / DAY_MS) * DAY_MS - off;
};

/** Whether the plant's local day is cloudy (about one day in four). */
export const isCloudy = (p: FakePlant, dayStart: number) => hash01(p.ps_id, dayStart / DAY_MS) < 0.25;

/** PV power in W at an instant. */
export function pvPowerW(p: FakePlant, t: number): number {
  const s = sunSine(p.latitude, p.longitude, t);
  if (s <= 0) return 0;
  const day = localDayStart(p, t);
  const slot = Math.floor(t / (15 * 60_000));
  const cloud = isCloudy(p, day)
    ? 0.2 + 0.25 * hash01(p.ps_id, slot, 7)
    : 0.88 + 0.1 * hash01(p.ps_id, slot, 3);
  const faulty = p.ps_fault_status === 1 ? 0.5 : 1;
  return Math.round(p.capacityKw * 1000 * Math.pow(s, 1.15) * 0.75 * cloud * faulty);
}

const dayCache = new Map<string, number>();

/** Energy (Wh) of the plant's local day starting at `dayStart`, up to `until` (default the whole day). */
export function yieldWh(p: FakePlant, dayStart: number, until = dayStart + DAY_MS): number {
  const whole = until >= dayStart + DAY_MS;
  const key = `${p.ps_id}:${p.capacityKw}:${p.ps_fault_status}:${dayStart}`;
  if (whole && dayCache.has(key)) return dayCache.get(key)!;
  let wh = 0;
  const end = Math.min(until, dayStart + DAY_MS);
  for (let t = dayStart; t < end; t += STEP_MS)
    wh += (pvPowerW(p, t) * Math.min(STEP_MS, end - t)) / 3_600_000;
  wh = Math.round(wh);
  if (whole) dayCache.set(key, wh);
  return wh;
}

/** Total yield (Wh) up to `t`: the base plus every simulated day since installation (at most 400 days back). */
export function totalWh(p: FakePlant, t: number): number {
  const today = localDayStart(p, t);
  const installed = Date.parse(p.install_date.replace(' ', 'T') + 'Z') - p.tzHours * 3_600_000;
  const from = Math.max(localDayStart(p, installed), today - 400 * DAY_MS);
  let wh = p.baseTotalKwh * 1000;
  for (let d = from; d < today; d += DAY_MS) wh += yieldWh(p, d);
  return wh + yieldWh(p, today, t);
}

/** Battery state of charge (%): 20 % at dawn, charged to 90 % by 15:00, back to 20 % by 22:00. */
export function socPercent(p: FakePlant, t: number): number | null {
  if (!p.batteryKwh) return null;
  const h = ((t - localDayStart(p, t)) / 3_600_000) % 24;
  if (h < 9) return 20;
  if (h < 15) return Math.round(20 + ((h - 9) / 6) * 70);
  if (h < 18) return 90;
  if (h < 22) return Math.round(90 - ((h - 18) / 4) * 70);
  return 20;
}

/** "yyyy-MM-dd HH:mm:ss" in the plant's time zone. */
export function localTime(p: FakePlant, t: number): string {
  return new Date(t + p.tzHours * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** The devices a plant of this kind has: two inverters and a meter, plus ESS and BMS for storage. */
export function devicesFor(psId: number, storage: boolean, faultyInverter: boolean): FakeDevice[] {
  const d = (type: number, n: number, name: string, fault = 4): FakeDevice => ({
    ps_key: `${psId}_${type}_${n}_1`,
    device_sn: `A${psId}${type}${n}`.slice(0, 16),
    device_name: name,
    device_type: type,
    dev_fault_status: fault,
  });
  return [
    d(1, 1, '逆变器1'),
    d(1, 2, '逆变器2', faultyInverter ? 1 : 4),
    d(7, 1, '并网电表'),
    ...(storage ? [d(14, 1, '储能系统'), d(23, 1, '系统BMS')] : []),
  ];
}
