import { sql } from 'drizzle-orm';
import { AppError, invalid } from '../../core/errors';
import { parseLocal } from '../../core/time';
import type { Db } from '../../infra/db/client';
import { fineBucketAt } from '../calendar/calendar';
import { lockMeters, lockOrgCalendar } from '../calendar/locks';
import type { CalendarService } from '../calendar/service';
import type { Events } from '../../platform/contract';
import { rowsOf, type ReadingsRepository } from './repository';

/** A hand-filled amount (5.6): a whole business day's (3) or month's (2) consumption of a meter. */
export interface ManualCommand {
  meterId: number;
  /** Local "YYYY-MM-DD HH:mm:ss": any instant inside the period. */
  dateTime: string;
  dateType: 2 | 3;
  amount: number;
}

/**
 * Hand-filled data feeds the same rollups as readings: the amount is booked in the first fine bucket
 * of its period, so day, month and year figures include it. Sending the same period again replaces
 * the earlier amount (the difference is booked), so a re-sent form never doubles a total.
 */
export class ManualDataService {
  constructor(
    private readonly db: Db,
    private readonly repo: ReadingsRepository,
    private readonly calendar: CalendarService,
    private readonly events: Events,
  ) {}

  /** 5.6: records (or replaces) the amount of one period; returns the period's local start. */
  async record(orgId: number, cmd: ManualCommand): Promise<{ periodStart: number }> {
    const rule = await this.calendar.rule(orgId);
    const cal = await this.calendar.calendar(orgId);
    const at = parseLocal(cmd.dateTime, rule.tz);
    if (!at) throw invalid('Date_Time', '不是有效的日期时间');
    const start = cmd.dateType === 3 ? cal.dayStart(at.getTime()) : cal.monthStart(at.getTime());
    const [meter] = await rowsOf<{ is_virtual: boolean; is_handwork: boolean }>(
      this.db,
      sql`select is_virtual, is_handwork from meters where id = ${cmd.meterId} and org_id = ${orgId}`,
    );
    if (!meter) throw invalid('Meter_id', `仪表 ${cmd.meterId} 不存在`);
    if (meter.is_virtual) throw invalid('Meter_id', '虚拟表不能填报数据');
    if (!meter.is_handwork) throw invalid('Meter_id', '该仪表不是手工填报仪表（Is_HandWork 为 0）');
    await this.db.transaction(async (tx) => {
      await lockOrgCalendar(tx, orgId, 'shared');
      await lockMeters(tx, [cmd.meterId]);
      const txRule = await this.calendar.rule(orgId, tx);
      if (txRule.tz !== rule.tz || txRule.dayMinute !== rule.dayMinute || txRule.monthDay !== rule.monthDay)
        throw new AppError('conflict', '个性化设置刚被修改，请重试');
      const [old] = await rowsOf<{ amount: number }>(
        tx,
        sql`select amount from manual_amounts
            where meter_id = ${cmd.meterId} and date_type = ${cmd.dateType} and period_start = ${new Date(start).toISOString()}::timestamptz`,
      );
      await tx.execute(sql`
        insert into manual_amounts (meter_id, date_type, period_start, amount)
        values (${cmd.meterId}, ${cmd.dateType}, ${new Date(start).toISOString()}::timestamptz, ${cmd.amount})
        on conflict (meter_id, date_type, period_start) do update set amount = excluded.amount, updated_at = now()`);
      const diff = cmd.amount - Number(old?.amount ?? 0);
      if (diff === 0) return;
      await this.repo.addEnergy(tx, [{ m: cmd.meterId, b: fineBucketAt(start), v: diff }], txRule);
      const hourStart = Math.floor(fineBucketAt(start) / 3_600_000) * 3_600_000;
      await this.events.emit(tx, 'readings.ingested', orgId, {
        source: 'manual',
        readings: [],
        hours: [{ meterId: cmd.meterId, hourStart }],
      });
    });
    return { periodStart: start };
  }
}
