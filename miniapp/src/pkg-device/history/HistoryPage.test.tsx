import { render, screen } from '@testing-library/react';
import HistoryPage from './index';
import { setTransport } from '../../api/transport';
import { saveSession } from '../../api/session';
import { router } from '../../../test/taro';
import { fakeBff, okEms } from '../../../test/fake-bff';

const record = (over: Record<string, unknown>) => ({
  id: 'c1',
  device_uid: 'ems-1',
  method: 'bms.command',
  operation: '故障复位',
  params: { command: 1 },
  status: 'succeeded',
  status_name: '设备已执行',
  user_id: 1,
  user_name: '张工',
  ip: '10.0.0.1',
  requested_at: '2026-11-21T06:00:00.000Z',
  deadline: '2026-11-21T06:00:05.000Z',
  answered_at: '2026-11-21T06:00:01.000Z',
  result: { accepted: true },
  error: null,
  readback: { alarm_status: 0, operating_status: 2 },
  readback_error: null,
  late_response: null,
  duplicate_responses: 0,
  idempotency_key: 'mp-1',
  ...over,
});

beforeEach(() => {
  router.params = { uid: 'ems-1' };
  saveSession({
    Usr_Name: 'm',
    Usr_ID: '1',
    Usr_Token: 't',
    Usr_Role: 'admin',
    Token_Expires: '2030-01-01T00:00:00Z',
  });
});

test('each command shows who sent it, the outcome, the refusal reason or the read-back', async () => {
  const bff = fakeBff({
    'GET /wad/ems/v1/api/device-commands': () =>
      okEms({
        total: 2,
        page: 1,
        page_size: 20,
        items: [
          record({
            id: 'c2',
            operation: '接触器断开',
            status: 'refused',
            status_name: '设备拒绝执行',
            error: { code: 100006, message: '电池正在放电，禁止断开接触器' },
            readback: null,
          }),
          record({}),
        ],
      }),
  });
  setTransport(bff.transport);
  render(<HistoryPage />);
  const rows = await screen.findAllByTestId('command-row');
  expect(rows.map((r) => r.textContent)).toEqual([
    expect.stringMatching(/接触器断开.*设备拒绝执行.*张工.*原因：电池正在放电，禁止断开接触器/),
    expect.stringMatching(/故障复位.*设备已执行.*张工.*回读：静置（接触器闭合），无报警/),
  ]);
  expect(new URL(bff.requests[0]!.url).searchParams.get('device_uid')).toBe('ems-1');
});

test('a device without commands says so', async () => {
  setTransport(
    fakeBff({
      'GET /wad/ems/v1/api/device-commands': () => okEms({ total: 0, page: 1, page_size: 20, items: [] }),
    }).transport,
  );
  render(<HistoryPage />);
  expect((await screen.findByTestId('state-empty')).textContent).toBe('还没有发送过命令');
});

test('history shows the time to the second and the values a reactive command sent, in words', async () => {
  const { setTransport: set } = await import('../../api/transport');
  const { fakeBff: bffOf, okEms: ok } = await import('../../../test/fake-bff');
  const at = new Date(2026, 10, 21, 14, 5, 37).toISOString();
  set(
    bffOf({
      'GET /wad/ems/v1/api/device-commands': () =>
        ok({
          total: 1,
          page: 1,
          page_size: 20,
          items: [
            {
              id: 'c-9',
              device_uid: 'ems-1',
              method: 'reactive.set',
              operation: '下发无功治理控制',
              params: { mode: 2, phase_min_power_factor_a: 0.95, period: 60000 },
              status: 'succeeded',
              status_name: '设备已执行',
              user_id: 1,
              user_name: 'm',
              ip: null,
              requested_at: at,
              deadline: at,
              sent_at: at,
              answered_at: at,
              result: null,
              error: null,
              readback: null,
              readback_error: null,
              late_response: null,
              duplicate_responses: 0,
              idempotency_key: null,
              origin: 'user',
            },
          ],
        }),
    }).transport,
  );
  const { render: r, screen: s } = await import('@testing-library/react');
  const { default: Page } = await import('./index');
  r(<Page />);
  expect((await s.findByTestId('command-when')).textContent).toContain('2026-11-21 14:05:37');
  expect(s.getByTestId('command-values').textContent).toBe(
    '下发：补偿模式 感性无功补偿；A 相最低功率因数 0.95；调节周期 60,000 毫秒',
  );
});
