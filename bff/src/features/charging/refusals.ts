import crypto from 'node:crypto';
import type { Events, Tx } from '../../platform/contract';
import type { ChargingReportRefused, RefusedItem } from './events';
import type { ChargingOperator } from './operator-auth';

/** A list item's outcome, as both list reports answer it. */
interface ItemOutcome {
  index?: number;
  accepted: boolean;
  message: string;
  field?: string;
}

/**
 * Emits `charging.report.refused` in `tx` when some items of one list request were refused (nothing
 * when none was): one event per request, so the operator's 上报失败 callback is called at most once for it.
 */
export async function emitRefusedItems(
  tx: Tx,
  events: Events,
  op: ChargingOperator,
  report: ChargingReportRefused['report'],
  outcomes: (ItemOutcome & { id: string | null })[],
  receivedAt: Date,
): Promise<void> {
  const items: RefusedItem[] = outcomes.flatMap((o, i) =>
    o.accepted
      ? []
      : [
          {
            index: o.index ?? i,
            id: o.id,
            message: o.message,
            ...(o.field === undefined ? {} : { field: o.field }),
          },
        ],
  );
  if (!items.length) return;
  await events.emit(tx, 'charging.report.refused', op.orgId, {
    operatorPk: op.pk,
    operatorId: op.operatorId,
    report,
    requestId: crypto.randomUUID(),
    ids: items.map((it) => it.id ?? `#${it.index}`),
    items,
    reason: `${items.length} 项上报被拒绝`,
    ts: receivedAt.getTime(),
  });
}
