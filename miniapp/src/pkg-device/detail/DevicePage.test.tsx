import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import DevicePage from './index';
import { setTransport } from '../../api/transport';
import { saveSession } from '../../api/session';
import { router } from '../../../test/taro';
import { fakeBff, okEms } from '../../../test/fake-bff';

const device = {
  device_uid: 'ems-1',
  name: 'BMS 1#',
  kind: 'ems',
  site: '一号厂房',
  online: true,
  status_changed_at: null,
  last_seen_at: '2026-11-21T06:00:00.000Z',
  telemetry: {},
  telemetry_at: null,
  created_at: '2026-11-21T06:00:00.000Z',
};

function bffWith(post: () => Promise<{ status: number; body: unknown }>) {
  let alarms = 2;
  const bff = fakeBff({
    'GET /wad/ems/v1/api/devices/detail': () => okEms(device),
    'GET /wad/ems/v1/api/bms-control': () =>
      okEms({ device_uid: 'ems-1', alarm_status: alarms, operating_status: 2 }),
    'POST /wad/ems/v1/api/bms-control': async () => {
      const res = await post();
      if (res.status === 200) alarms = 0;
      return res;
    },
  });
  setTransport(bff.transport);
  return bff;
}

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

test('the confirmation shows exactly the request, and a double tap on confirm sends it once with one key', async () => {
  let release!: () => void;
  const bff = bffWith(
    () =>
      new Promise((resolve) => {
        release = () =>
          resolve(okEms('故障复位已执行；回读：报警 0 个，运行状态 2（静置）', 'BMS控制下发成功'));
      }),
  );
  render(<DevicePage />);
  await screen.findByText('BMS 1#');
  fireEvent.click(screen.getByText('故障复位'));
  const request = screen.getByTestId('confirm-request').textContent ?? '';
  expect(request).toContain('POST /wad/ems/v1/api/bms-control');
  expect(JSON.parse(request.slice(request.indexOf('{')))).toEqual({ device_uid: 'ems-1', command: 1 });

  const confirm = screen.getByText('确认发送');
  fireEvent.click(confirm);
  fireEvent.click(confirm);
  await waitFor(() => expect(screen.getByText('发送中…').closest('button')?.disabled).toBe(true));
  await act(async () => release());
  await screen.findByText('故障复位已执行；回读：报警 0 个，运行状态 2（静置）');
  expect(screen.getByTestId('command-readback').textContent).toBe('回读：静置（接触器闭合），无报警');

  const posts = bff.requests.filter((r) => r.method === 'POST');
  expect(posts).toHaveLength(1);
  expect(posts[0]!.headers['Idempotency-Key']).toMatch(/^mp-/);
});

test('a refusal is shown with the device reason and nothing is claimed done', async () => {
  bffWith(async () => ({
    status: 409,
    body: { code: 100006, message: '设备拒绝执行：电池正在放电，禁止断开接触器', data: null },
  }));
  render(<DevicePage />);
  await screen.findByText('BMS 1#');
  fireEvent.click(screen.getByText('接触器断开'));
  fireEvent.click(screen.getByText('确认发送'));
  await screen.findByText('设备拒绝执行：电池正在放电，禁止断开接触器');
  expect(screen.queryByTestId('command-readback')).toBeNull();
  expect(screen.queryByText(/已执行/)).toBeNull();
});

test('cancelling the confirmation sends nothing', async () => {
  const bff = bffWith(async () => okEms('x'));
  render(<DevicePage />);
  await screen.findByText('BMS 1#');
  fireEvent.click(screen.getByText('接触器闭合'));
  fireEvent.click(screen.getByText('取消'));
  expect(screen.queryByTestId('confirm-sheet')).toBeNull();
  expect(bff.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
});

test('a device without a stored status is read from the device once when the page opens', async () => {
  const bff = fakeBff({
    'GET /wad/ems/v1/api/devices/detail': () => okEms(device),
    'GET /wad/ems/v1/api/bms-control': () => ({
      status: 404,
      body: { code: 100004, message: '设备 ems-1 尚无已同步的BMS状态', data: null },
    }),
    'PUT /wad/ems/v1/api/bms-control/sync': () =>
      okEms({ device_uid: 'ems-1', alarm_status: 0, operating_status: 4 }, 'BMS状态同步成功'),
  });
  setTransport(bff.transport);
  render(<DevicePage />);
  await screen.findByText('放电，无报警');
  expect(bff.requests.filter((r) => r.method === 'PUT')).toHaveLength(1);
  expect(screen.queryByTestId('state-error')).toBeNull();
});
