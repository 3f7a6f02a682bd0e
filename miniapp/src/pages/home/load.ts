import type { AllEnergyRow, DetailEnergyRow } from '@wattdesk/shared';
import { fetchAllEnergy, fetchDetailEnergy, fetchPersonalise } from '../../api/energy';
import { dayPeriod, monthPeriod, ruleOf, wallClock, type Period } from '../../domain/periods';

/** What the home page shows: today and this month against the previous ones, and this month's trend. */
export interface HomeData {
  today: Period;
  month: Period;
  todayRows: AllEnergyRow[];
  yesterdayRows: AllEnergyRow[];
  monthRows: AllEnergyRow[];
  lastMonthRows: AllEnergyRow[];
  trend: DetailEnergyRow[];
}

/** Reads the site's calendar, then the five energy queries of the home page. */
export async function loadHome(now: Date = new Date()): Promise<HomeData> {
  const settings = await fetchPersonalise();
  const rule = ruleOf(settings);
  const wall = wallClock(now, settings.Time_Zone || undefined);
  const today = dayPeriod(rule, wall);
  const month = monthPeriod(rule, wall);
  const byType = { amountType: 1 as const };
  const [todayRows, yesterdayRows, monthRows, lastMonthRows, trend] = await Promise.all([
    fetchAllEnergy({ ...byType, timeType: 3, period: today }),
    fetchAllEnergy({ ...byType, timeType: 3, period: dayPeriod(rule, wall, -1) }),
    fetchAllEnergy({ ...byType, timeType: 2, period: month }),
    fetchAllEnergy({ ...byType, timeType: 2, period: monthPeriod(rule, wall, -1) }),
    fetchDetailEnergy({ ...byType, timeType: 2, period: month }),
  ]);
  return { today, month, todayRows, yesterdayRows, monthRows, lastMonthRows, trend };
}
