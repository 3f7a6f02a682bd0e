import type { PersonaliseBody, ShiftItem } from '@wattdesk/shared';
import { invalid } from '../../core/errors';
import type { Db } from '../../infra/db/client';
import type { Clock } from '../../infra/clock';
import { BusinessCalendar, DEFAULT_RULE, type CalendarRule } from './calendar';
import { lockOrgCalendar } from './locks';
import type { CalendarRepository, Tx } from './repository';
import {
  checkTimeZone,
  DEFAULT_SETTINGS,
  ruleFromSettings,
  settingsFromBody,
  type PersonaliseSettings,
} from './rule';
import { parseHalfHour, formatHalfHour } from './clock-time';

/** A work shift: wall-clock minutes; `end <= start` crosses midnight. */
export interface Shift {
  name: string;
  startMin: number;
  endMin: number;
}

/** Default shifts when an organization set none (the seed's 3.5 example names). */
export const DEFAULT_SHIFTS: Shift[] = [
  { name: '白班', startMin: 8 * 60, endMin: 20 * 60 },
  { name: '夜班', startMin: 20 * 60, endMin: 8 * 60 },
];

/** The organization's business calendar (4.3/4.4), its time zone and its work shifts. */
export class CalendarService {
  constructor(
    private readonly db: Db,
    private readonly repo: CalendarRepository,
    private readonly clock: Clock,
  ) {}

  /** The calendar rule in force now (read per call, so a change applies to the next query). */
  async rule(orgId: number, tx?: Tx): Promise<CalendarRule> {
    const { tz, row } = await this.repo.find(orgId, tx);
    return row
      ? { tz, dayMinute: row.dayMinute, monthDay: row.monthDay, yearMonth: row.yearMonth }
      : { tz, ...DEFAULT_RULE };
  }

  /** Period arithmetic for the organization. */
  async calendar(orgId: number): Promise<BusinessCalendar> {
    return new BusinessCalendar(await this.rule(orgId));
  }

  /** 4.3 */
  async settings(orgId: number): Promise<PersonaliseSettings & { tz: string }> {
    const { tz, row } = await this.repo.find(orgId);
    return row
      ? {
          tz,
          yearStart: row.yearStart,
          yearEnd: row.yearEnd,
          monthStart: row.monthStart,
          monthEnd: row.monthEnd,
          dayStart: row.dayStart,
          dayEnd: row.dayEnd,
        }
      : { tz, ...DEFAULT_SETTINGS };
  }

  /** 4.4: saves the settings and, when a boundary or the zone moved, rebuilds day/month rollups at once. */
  async update(orgId: number, body: PersonaliseBody): Promise<void> {
    const settings = settingsFromBody(body);
    const rule = ruleFromSettings(settings);
    const before = await this.rule(orgId);
    const tz = body.Time_Zone ?? before.tz;
    if (body.Time_Zone !== undefined) checkTimeZone(tz, this.clock.now().getUTCFullYear());
    await this.db.transaction(async (tx) => {
      await lockOrgCalendar(tx, orgId, 'exclusive');
      await this.repo.save(tx, { orgId, ...settings, ...rule }, tz);
      const moved =
        tz !== before.tz || rule.dayMinute !== before.dayMinute || rule.monthDay !== before.monthDay;
      if (moved) await this.repo.rebuildRollups(tx, orgId, { tz, ...rule });
    });
  }

  /** The organization's shifts (defaults when none are set). */
  async shifts(orgId: number): Promise<Shift[]> {
    const rows = await this.repo.shifts(orgId);
    return rows.length
      ? rows.map((r) => ({ name: r.name, startMin: r.startMin, endMin: r.endMin }))
      : DEFAULT_SHIFTS;
  }

  /** Replaces the shifts; names must be unique and shifts must not overlap. */
  async setShifts(orgId: number, items: ShiftItem[]): Promise<Shift[]> {
    const shifts = items.map((s, i) => {
      const startMin = parseHalfHour(s.Shift_Start);
      const endMin = parseHalfHour(s.Shift_End);
      if (startMin % 1440 === endMin % 1440)
        throw invalid(`Shifts.${i}.Shift_End`, '班次结束时间不能等于开始时间');
      return { name: s.Shift_Name, startMin: startMin % 1440, endMin: endMin % 1440 };
    });
    const names = new Set<string>();
    const used = new Array<string | undefined>(48);
    shifts.forEach((s, i) => {
      if (names.has(s.name)) throw invalid(`Shifts.${i}.Shift_Name`, `班次名称重复：${s.name}`);
      names.add(s.name);
      for (const slot of shiftSlots(s)) {
        if (used[slot] !== undefined)
          throw invalid(
            `Shifts.${i}`,
            `班次 ${s.name} 与 ${used[slot]} 在 ${formatHalfHour(slot * 30)} 重叠`,
          );
        used[slot] = s.name;
      }
    });
    await this.repo.saveShifts(
      orgId,
      shifts.map((s, position) => ({ position, name: s.name, startMin: s.startMin, endMin: s.endMin })),
    );
    return this.shifts(orgId);
  }
}

/** The local half-hour slots (0–47) a shift covers. */
export function shiftSlots(s: Shift): number[] {
  const out: number[] = [];
  for (let m = s.startMin; m !== s.endMin; m = (m + 30) % 1440) out.push(m / 30);
  return out;
}

/** A 48-slot 0/1 mask of a shift, for weighting slot sums. */
export const shiftMask = (s: Shift): number[] => {
  const mask = new Array<number>(48).fill(0);
  for (const slot of shiftSlots(s)) mask[slot] = 1;
  return mask;
};
