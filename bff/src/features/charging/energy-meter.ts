import { and, eq, gte, isNull, lt, sql } from 'drizzle-orm';
import { AppError } from '../../core/errors';
import { formatLocal } from '../../core/time';
import type { Db } from '../../infra/db/client';
import type { Logger } from '../../infra/logger';
import type { DomainEvent } from '../../platform/contract';
import type { MeteringDeps } from '../meters/wiring';
import { chargingRecords, chargingStations } from './tables';

/**
 * Charging energy in the energy views, without double counting. A charging station is a consumer
 * behind the site's total meter, so its energy is already inside the total. Each station gets, through
 * the metering api, a machine "充电站 <name>" with one electricity meter that is hand-filled
 * (Is_HandWork = 1) and NOT counted into totals (Meter_IsCount = 0, Meter_IsTotal = 0): per-meter and
 * per-machine views (3.2, 3.3, 3.5) show the charging energy, while the sums by energy type (3.1 and
 * the totals) keep adding only counted meters, so the site total is not raised by it. Its daily amount
 * (5.6, dateType 3) is the sum of the station's records that ended on that business day, recomputed
 * and replaced on every new record, so a repeated event never doubles it.
 */
export class ChargingEnergyMeters {
  constructor(
    private readonly db: Db,
    private readonly metering: Pick<MeteringDeps, 'machines' | 'meters' | 'manualData' | 'calendar'>,
    private readonly log: Logger,
  ) {}

  /** Consumer of `charging.record.submitted`. */
  async onRecords(events: DomainEvent[]): Promise<void> {
    for (const e of events) {
      if (e.type !== 'charging.record.submitted' || e.orgId === null) continue;
      const p = e.payload as DomainEvent<'charging.record.submitted'>['payload'];
      try {
        await this.book(e.orgId, p.recordPk);
      } catch (err) {
        // A caller-side problem (e.g. a record of a year the hand-filled form refuses) is not retried.
        if (err instanceof AppError && !err.reportable) {
          this.log.warn(
            { recordPk: p.recordPk, err: err.message },
            'charging energy not booked to its meter',
          );
          continue;
        }
        throw err;
      }
    }
  }

  private async book(orgId: number, recordPk: number): Promise<void> {
    const [rec] = await this.db
      .select({ stationPk: chargingRecords.stationPk, endAt: chargingRecords.endAt })
      .from(chargingRecords)
      .where(and(eq(chargingRecords.id, recordPk), eq(chargingRecords.orgId, orgId)));
    if (!rec) return;
    const meterId = await this.meterOf(orgId, rec.stationPk);
    const cal = await this.metering.calendar.calendar(orgId);
    const start = cal.dayStart(rec.endAt.getTime());
    const end = cal.nextDay(start);
    const [sum] = await this.db
      .select({ kwh: sql<number>`coalesce(sum(${chargingRecords.totalPower}), 0)::float8` })
      .from(chargingRecords)
      .where(
        and(
          eq(chargingRecords.stationPk, rec.stationPk),
          gte(chargingRecords.endAt, new Date(start)),
          lt(chargingRecords.endAt, new Date(end)),
        ),
      );
    await this.metering.manualData.record(orgId, {
      meterId,
      dateTime: formatLocal(new Date(start), cal.rule.tz),
      dateType: 3,
      amount: Math.round((sum?.kwh ?? 0) * 1000) / 1000,
    });
  }

  /** The station's meter, created (machine + meter) on first use. */
  private async meterOf(orgId: number, stationPk: number): Promise<number> {
    const [st] = await this.db.select().from(chargingStations).where(eq(chargingStations.id, stationPk));
    if (!st) throw new Error(`charging station ${stationPk} vanished`);
    if (st.meterId) return st.meterId;
    const machine = await this.metering.machines
      .create(orgId, {
        name: `充电站 ${st.name}（${st.stationId}）`,
        department: '充电站',
        equipmentCode: '',
        equipmentUnitCode: '',
      })
      .catch(async (err: unknown) => {
        if (err instanceof AppError && err.kind === 'conflict')
          return this.metering.machines.create(orgId, {
            name: `充电站 ${st.name}（${st.stationId}-${st.id}）`,
            department: '充电站',
            equipmentCode: '',
            equipmentUnitCode: '',
          });
        throw err;
      });
    const meter = await this.metering.meters.create(orgId, {
      name: `充电站 ${st.stationId}-${st.id} 充电电量`,
      energyType: 0,
      machineId: machine.id,
      remarks: '充电记录电量（不计入总量：已含在总表内）',
      isHandwork: true,
      isCount: false,
      isTotal: false,
    });
    await this.db
      .update(chargingStations)
      .set({ meterId: meter.id })
      .where(and(eq(chargingStations.id, stationPk), isNull(chargingStations.meterId)));
    return meter.id;
  }
}
