import { AppError } from '../../../core/errors';
import type { CommandRow } from '../tables';
import { outcomeOf, presentCommand } from './present';
import { statusForDeviceError } from './relay';

const row = (over: Partial<CommandRow>): CommandRow => ({
  id: '7d3c1c9e-0000-4000-8000-000000000001',
  orgId: 1,
  deviceId: 1,
  deviceUid: 'ems-1',
  parentId: null,
  userId: 5,
  userName: 'op',
  ip: '10.0.0.8',
  idempotencyKey: null,
  origin: 'user',
  requestHash: 'h',
  method: 'bms.command',
  params: { command: 1 },
  stateChanging: true,
  status: 'succeeded',
  requestedAt: new Date('2026-11-21T08:00:00Z'),
  deadline: new Date('2026-11-21T08:00:05Z'),
  answerBy: new Date('2026-11-21T08:00:12Z'),
  sentAt: null,
  answeredAt: null,
  completedAt: null,
  result: { accepted: true },
  error: null,
  readback: { alarm_status: 0, operating_status: 2 },
  readbackError: null,
  lateResponse: null,
  lateAt: null,
  duplicateResponses: 0,
  ...over,
});

const errorOf = (r: CommandRow) => {
  try {
    outcomeOf(r);
  } catch (e) {
    return { kind: (e as AppError).kind, message: (e as AppError).message };
  }
  return null;
};

describe('command outcome derived from the record', () => {
  it('maps each record status to one answer, so a repeated tap gets the same one', () => {
    expect(outcomeOf(row({}))).toEqual({ detail: '故障复位已执行；回读：报警 0 个，运行状态 2（静置）' });
    expect(outcomeOf(row({ readback: null, readbackError: '超时未应答' }))).toEqual({
      detail: '故障复位已执行；状态回读失败：超时未应答',
    });
    const table: Array<[Partial<CommandRow>, string, string]> = [
      [
        { status: 'refused', error: { code: 3, message: '电池正在放电' } },
        'device_refused',
        '设备拒绝执行故障复位：电池正在放电',
      ],
      [
        { status: 'device_busy', error: { code: 4, message: '忙' } },
        'device_busy',
        '设备忙，未执行故障复位：忙',
      ],
      [{ status: 'not_sent_busy' }, 'device_busy', '该设备有命令正在执行，故障复位未发送，请稍后再试'],
      [{ status: 'not_sent_offline' }, 'device_offline', '设备离线，故障复位未发送'],
      [{ status: 'failed', error: { code: 2, message: 'bad' } }, 'device_error', '设备执行故障复位失败：bad'],
      [{ status: 'timed_out' }, 'device_timeout', '设备未在规定时间内应答故障复位'],
      [{ status: 'sent' }, 'device_timeout', '设备未在规定时间内应答故障复位'],
    ];
    for (const [over, kind, message] of table) expect(errorOf(row(over))).toEqual({ kind, message });
  });

  it('maps device error codes per the protocol: 3 refused, 4 busy, others failed', () => {
    expect([1, 2, 3, 4, 99].map(statusForDeviceError)).toEqual([
      'failed',
      'failed',
      'refused',
      'device_busy',
      'failed',
    ]);
  });

  it('presents a record with Chinese operation and status names', () => {
    const r = presentCommand(row({ params: { command: 3 }, status: 'timed_out', readback: null }));
    expect(r).toMatchObject({
      operation: '接触器断开',
      status: 'timed_out',
      status_name: '超时未应答',
      ip: '10.0.0.8',
    });
    expect(r.requested_at).toBe('2026-11-21T08:00:00.000Z');
  });
});
