import { fireEvent, render, screen } from '@testing-library/react';
import GatewayPage from './index';
import { setTransport } from '../../api/transport';
import { saveSession } from '../../api/session';
import { router } from '../../../test/taro';
import { fakeBff, okEms } from '../../../test/fake-bff';

const gateway = (over: Record<string, unknown> = {}) => ({
  device_uid: 'gw-1',
  name: '1# 计量网关',
  site: '一号厂房',
  online: true,
  status_changed_at: '2026-11-21T06:00:00.000Z',
  last_seen_at: '2026-11-21T07:45:03.000Z',
  meters: [
    {
      meter_id: 12,
      name: '空压机电表',
      energy_type: 0,
      last_reading_at: '2026-11-21T07:45:00.000Z',
      last_total: 10523.4,
      reported_at: '2026-11-21T07:45:03.000Z',
    },
    {
      meter_id: 13,
      name: null,
      energy_type: null,
      last_reading_at: '2026-11-20T07:45:00.000Z',
      last_total: 5,
      reported_at: '2026-11-20T07:45:03.000Z',
    },
  ],
  last_batch: {
    received_at: '2026-11-21T07:45:03.000Z',
    readings: 3,
    accepted: 2,
    refused: 1,
    errors: [{ index: 2, field: 'meter', rule: '电表 99 不存在或不属于本组织' }],
  },
  online_history: [
    { online: true, at: '2026-11-21T06:00:00.000Z' },
    { online: false, at: '2026-11-21T05:58:00.000Z' },
  ],
  ...over,
});

beforeEach(() => {
  router.params = { uid: 'gw-1' };
  saveSession({
    Usr_Name: 'm',
    Usr_ID: '1',
    Usr_Token: 't',
    Usr_Role: 'admin',
    Token_Expires: '2030-01-01T00:00:00Z',
  });
});

test('shows the meters the gateway reports with their latest reading, its last batch and its online history', async () => {
  const bff = fakeBff({ 'GET /wad/ems/v1/api/gateways/detail': () => okEms(gateway()) });
  setTransport(bff.transport);
  render(<GatewayPage />);
  const meters = await screen.findAllByTestId('gateway-meter');
  expect(meters.map((m) => m.textContent)).toEqual([
    expect.stringMatching(/空压机电表.*电.*2026-11-21 \d\d:45:00.*10,523\.40 kWh/),
    expect.stringMatching(/电表 #13（已删除）/),
  ]);
  const batch = screen.getByTestId('gateway-batch').textContent;
  expect(batch).toMatch(/读数3 条.*已接收2 条.*已拒收1 条/);
  expect(screen.getByTestId('gateway-batch-error').textContent).toBe('第 3 条：电表 99 不存在或不属于本组织');
  expect(screen.getAllByTestId('gateway-history-row').map((r) => r.textContent)).toEqual([
    expect.stringMatching(/2026-11-21 .*上线/),
    expect.stringMatching(/2026-11-21 .*离线/),
  ]);
  expect(screen.queryByText('故障复位')).toBeNull();
  expect(new URL(bff.requests[0]!.url).searchParams.get('device_uid')).toBe('gw-1');
});

test('a gateway that never sent readings says so instead of showing zeros', async () => {
  setTransport(
    fakeBff({
      'GET /wad/ems/v1/api/gateways/detail': () =>
        okEms(gateway({ meters: [], last_batch: null, online_history: [] })),
    }).transport,
  );
  render(<GatewayPage />);
  expect((await screen.findByTestId('gateway-meters-empty')).textContent).toBe('还没有收到这个网关的读数');
  expect(screen.getByTestId('gateway-batch').textContent).toContain('还没有收到读数');
  expect(screen.getByTestId('gateway-history').textContent).toContain('暂无上下线记录');
});

test('a failed load shows the error with a retry that loads again', async () => {
  let calls = 0;
  setTransport(
    fakeBff({
      'GET /wad/ems/v1/api/gateways/detail': () =>
        ++calls === 1 ? { status: 500, body: { code: 100500, message: '服务器内部错误' } } : okEms(gateway()),
    }).transport,
  );
  render(<GatewayPage />);
  await screen.findByTestId('state-error');
  fireEvent.click(screen.getByText('重试'));
  expect(await screen.findAllByTestId('gateway-meter')).toHaveLength(2);
});
