import type { PersonaliseBody } from '@wattdesk/shared';
import { invalid } from '../../core/errors';
import { zoneOnHalfHourGrid, type CalendarRule } from './calendar';

/** The personalise settings as the seed writes them (4.3). */
export interface PersonaliseSettings {
  yearStart: number;
  yearEnd: number;
  monthStart: number;
  monthEnd: number;
  dayStart: string;
  dayEnd: string;
}

export const DEFAULT_SETTINGS: PersonaliseSettings = {
  yearStart: 1,
  yearEnd: 1,
  monthStart: 1,
  monthEnd: 1,
  dayStart: '00:00:00',
  dayEnd: '00:00:00',
};

/**
 * Checks 4.4 settings and derives the period boundaries. A period's end must be its start one period
 * later, which in the seed's notation means the same value twice (e.g. Month_Start −26 = the 26th of
 * the previous month, Month_End −26 = the 26th of this month).
 */
export function ruleFromSettings(s: PersonaliseSettings): Omit<CalendarRule, 'tz'> {
  if (s.yearEnd !== s.yearStart)
    throw invalid('Year_End', `一年须为 12 个月：Year_End 应与 Year_Start 相同（${s.yearStart}）`);
  if (s.monthEnd !== s.monthStart)
    throw invalid('Month_End', `一月须为一个整月：Month_End 应与 Month_Start 相同（${s.monthStart}）`);
  if (s.dayEnd !== s.dayStart)
    throw invalid('Day_End', `一天须为 24 小时：Day_End 应与 Day_Start 相同（${s.dayStart}）`);
  const [h, m] = s.dayStart.replace('-', '').split(':').map(Number) as [number, number];
  return { dayMinute: h * 60 + m, monthDay: Math.abs(s.monthStart), yearMonth: Math.abs(s.yearStart) };
}

/** Settings from a 4.4 body. */
export const settingsFromBody = (b: PersonaliseBody): PersonaliseSettings => ({
  yearStart: b.Year_Start,
  yearEnd: b.Year_End,
  monthStart: b.Month_Start,
  monthEnd: b.Month_End,
  dayStart: b.Day_Start,
  dayEnd: b.Day_End,
});

/** Checks an IANA zone for the business calendar: known, and offset on the half-hour grid. */
export function checkTimeZone(tz: string, year: number): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    throw invalid('Time_Zone', `不是有效的 IANA 时区：${tz}`);
  }
  if (!zoneOnHalfHourGrid(tz, year))
    throw invalid('Time_Zone', '时区与 UTC 的偏移必须是半小时的整数倍（如 Asia/Shanghai）');
}
