import crypto from 'node:crypto';
import { seedDatetime } from '../../adapters/operator-callback/signing';
import { AppError } from '../../core/errors';
import type { Clock } from '../../infra/clock';
import type { Db } from '../../infra/db/client';
import type { DomainEvent } from '../../platform/contract';
import type { CallbackService } from './callbacks';
import type { ChargingReportRefused } from './events';
import type { ChargingPorts } from './ports';

/**
 * The platform's requests to an operator: a manager asks for a connector's live data (查询充电口实时数据
 * callback) or for a session's process data (请求上报充电过程数据), and the refused items of a list report
 * that was taken are told to the operator (上报失败 callback). The operator answers 200 and then reports through
 * the usual endpoints (重新上报充电口实时信息 / its process data).
 */
export class OperatorRequests {
  constructor(
    private readonly db: Db,
    private readonly ports: ChargingPorts,
    private readonly callbacks: CallbackService,
    private readonly clock: Clock,
  ) {}

  /** Queues a realtime-query or process-data request for a connector of the caller's organization. */
  async ask(
    orgId: number,
    kind: 'realtimeQuery' | 'processData',
    ref: { operatorId: string; cellId: string },
  ): Promise<{ requestId: string }> {
    const cell = await this.ports.cellOf(orgId, ref.operatorId, ref.cellId);
    if (!cell) throw new AppError('not_found', '充电口不存在', { field: 'Cell_Id' });
    const requestId = crypto.randomUUID();
    await this.db.transaction((tx) =>
      this.callbacks.enqueue(tx, {
        orgId,
        operatorPk: cell.operatorPk,
        operatorId: cell.operatorId,
        kind,
        key: requestId,
        payload: {
          operatorId: cell.operatorId,
          stationId: cell.stationId,
          equipmentId: cell.equipmentId,
          cellId: cell.cellId,
          requestId,
          requestTime: seedDatetime(this.clock.now()),
        },
      }),
    );
    return { requestId };
  }

  /** `charging.report.refused` consumer: one 上报失败 call per refused request (by report and requestId). */
  async onRefused(events: DomainEvent[]): Promise<void> {
    for (const e of events) {
      if (e.orgId === null) continue;
      const p = e.payload as ChargingReportRefused;
      await this.db.transaction((tx) =>
        this.callbacks.enqueue(tx, {
          orgId: e.orgId!,
          operatorPk: p.operatorPk,
          operatorId: p.operatorId,
          kind: 'reportFailure',
          key: `${p.report}|${p.requestId}`,
          payload: {
            operatorId: p.operatorId,
            report: p.report,
            requestId: p.requestId,
            ids: p.ids,
            items: p.items,
            reason: p.reason,
            reportTime: seedDatetime(new Date(p.ts)),
          },
        }),
      );
    }
  }
}
