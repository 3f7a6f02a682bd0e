import {
  commandStatusNames,
  type BmsStatus,
  type CommandRecord,
  type ReactiveControl,
} from '@wattdesk/shared';
import { AppError } from '../../../core/errors';
import type { CommandRow } from '../tables';

const BMS_COMMANDS: Record<number, string> = { 1: '故障复位', 2: '接触器闭合', 3: '接触器断开' };
const OPERATING: Record<number, string> = { 1: '下电', 2: '静置', 3: '充电', 4: '放电' };
const MODES: Record<number, string> = { 1: '容性', 2: '感性' };

/** Chinese name of what a record asked for, e.g. 故障复位. */
export function operationName(row: Pick<CommandRow, 'method' | 'params'>): string {
  switch (row.method) {
    case 'bms.command':
      return BMS_COMMANDS[Number(row.params.command)] ?? 'BMS控制';
    case 'bms.status':
      return '同步BMS状态';
    case 'reactive.set':
      return '下发无功治理控制';
    case 'reactive.get':
      return '同步无功治理控制';
    default:
      return row.method;
  }
}

/** One sentence describing a BMS state. */
export const describeBms = (s: BmsStatus) =>
  `报警 ${s.alarm_status} 个，运行状态 ${s.operating_status}（${OPERATING[s.operating_status]}）`;

/** One sentence describing a reactive-power control. */
export const describeReactive = (c: ReactiveControl) =>
  `模式 ${c.mode}（${MODES[c.mode]}），A相最低功率因数 ${c.phase_min_power_factor_a}`;

/** A command record as the history endpoint shows it. */
export function presentCommand(row: CommandRow): CommandRecord {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: row.id,
    device_uid: row.deviceUid,
    method: row.method,
    operation: operationName(row),
    params: row.params,
    status: row.status,
    status_name: commandStatusNames[row.status],
    user_id: row.userId,
    user_name: row.userName,
    ip: row.ip,
    requested_at: row.requestedAt.toISOString(),
    deadline: row.deadline.toISOString(),
    sent_at: iso(row.sentAt),
    answered_at: iso(row.answeredAt),
    result: row.result ?? null,
    error: row.error ?? null,
    readback: row.readback ?? null,
    readback_error: row.readbackError,
    late_response: row.lateResponse ?? null,
    duplicate_responses: row.duplicateResponses,
    idempotency_key: row.idempotencyKey,
    origin: row.origin,
  };
}

/**
 * The API answer a finished record stands for: the success detail, or the error to throw. Derived
 * from the record alone, so a repeated tap (same Idempotency-Key) gets exactly the first answer.
 */
export function outcomeOf(row: CommandRow): { detail: string } {
  const what = operationName(row);
  const reason = row.error?.message || '未说明原因';
  switch (row.status) {
    case 'succeeded': {
      if (row.method === 'bms.command') {
        const back = row.readback
          ? `；回读：${describeBms(row.readback)}`
          : `；状态回读失败：${row.readbackError ?? '未回读'}`;
        return { detail: `${what}已执行${back}` };
      }
      if (row.method === 'reactive.set')
        return { detail: `${what}已生效：${describeReactive(row.result as ReactiveControl)}` };
      return { detail: `${what}成功` };
    }
    case 'refused':
      throw new AppError('device_refused', `设备拒绝执行${what}：${reason}`, {
        device_code: row.error?.code,
        command_id: row.id,
      });
    case 'device_busy':
      throw new AppError('device_busy', `设备忙，未执行${what}：${reason}`, { command_id: row.id });
    case 'not_sent_busy':
      throw new AppError('device_busy', `该设备有命令正在执行，${what}未发送，请稍后再试`, {
        command_id: row.id,
      });
    case 'not_sent_offline':
      throw new AppError('device_offline', `设备离线，${what}未发送`, { command_id: row.id });
    case 'failed':
      throw new AppError('device_error', `设备执行${what}失败：${reason}`, { command_id: row.id });
    case 'timed_out':
    case 'pending':
    case 'sent':
      throw new AppError('device_timeout', `设备未在规定时间内应答${what}`, { command_id: row.id });
  }
}
