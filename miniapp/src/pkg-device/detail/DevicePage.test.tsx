import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import DevicePage from './index';
import { setTransport } from '../../api/transport';
import { saveSession } from '../../api/session';
import { navigations, router } from '../../../test/taro';
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

type Post = () => Promise<{ status: number; body: unknown }>;

/** A BFF whose BMS has `state`; a successful POST applies `after` to it (what the device did). */
function bffWith(
  post: Post,
  state = { alarm_status: 2, operating_status: 2 },
  after: (s: typeof state) => typeof state = (s) => ({ ...s, alarm_status: 0 }),
) {
  let current = state;
  const bff = fakeBff({
    'GET /wad/ems/v1/api/devices/detail': () => okEms(device),
    'GET /wad/ems/v1/api/bms-control': () => okEms({ device_uid: 'ems-1', ...current }),
    'POST /wad/ems/v1/api/bms-control': async () => {
      const res = await post();
      if (res.status === 200) current = after(current);
      return res;
    },
  });
  setTransport(bff.transport);
  return bff;
}

const button = (name: string) => screen.getByText(name).closest('button')!;

beforeEach(() => {
  router.params = { uid: 'ems-1' };
  navigations.length = 0;
  saveSession({
    Usr_Name: 'm',
    Usr_ID: '1',
    Usr_Token: 't',
    Usr_Role: 'admin',
    Token_Expires: '2030-01-01T00:00:00Z',
  });
});

test('the confirmation names the device and the action in words; the request is only behind 详情; a double tap sends once', async () => {
  let release!: () => void;
  const bff = bffWith(
    () =>
      new Promise((resolve) => {
        release = () =>
          resolve(okEms('故障复位已执行；回读：报警 0 个，运行状态 2（静置）', 'BMS控制下发成功'));
      }),
  );
  render(<DevicePage />);
  await screen.findByText('2 个');
  fireEvent.click(button('故障复位'));
  expect(screen.getByTestId('confirm-device').textContent).toBe('BMS 1#（ems-1）');
  expect(screen.getByTestId('confirm-action').textContent).toBe('故障复位：清除电池管理系统的故障锁定');
  expect(screen.getByTestId('confirm-sheet').textContent).not.toMatch(/POST|\/wad\/|device_uid|"command"/);
  fireEvent.click(screen.getByTestId('confirm-detail-toggle'));
  const request = screen.getByTestId('confirm-request').textContent ?? '';
  expect(request).toContain('POST /wad/ems/v1/api/bms-control');
  expect(JSON.parse(request.slice(request.indexOf('{')))).toEqual({ device_uid: 'ems-1', command: 1 });

  const confirm = screen.getByText('确认发送');
  fireEvent.click(confirm);
  fireEvent.click(confirm);
  await waitFor(() => expect(screen.getByText('发送中…').closest('button')?.disabled).toBe(true));
  await act(async () => release());
  const outcome = await screen.findByTestId('command-outcome');
  expect(outcome.getAttribute('data-tone')).toBe('ok');
  expect(outcome.textContent).toContain('故障已清除');
  expect(screen.getByTestId('command-readback').textContent).toBe('当前：静置（接触器闭合），无报警');

  const posts = bff.requests.filter((r) => r.method === 'POST');
  expect(posts).toHaveLength(1);
  expect(posts[0]!.headers['Idempotency-Key']).toMatch(/^mp-/);
});

test('a fault reset whose alarm stays active is shown as not cleared, with the count and what to do next', async () => {
  bffWith(
    async () => okEms('故障复位已执行；回读：报警 1 个，运行状态 1（下电）', 'BMS控制下发成功'),
    { alarm_status: 1, operating_status: 1 },
    (s) => s,
  );
  render(<DevicePage />);
  await screen.findByText('1 个');
  fireEvent.click(button('故障复位'));
  fireEvent.click(screen.getByText('确认发送'));
  const outcome = await screen.findByTestId('command-outcome');
  expect(outcome.getAttribute('data-tone')).toBe('warning');
  expect(outcome.textContent).toContain('故障未清除：仍有 1 个报警');
  expect(outcome.textContent).toContain('现场');
  expect(outcome.textContent).toContain('下一步');
  expect(outcome.textContent).not.toContain('故障已清除');
});

test('a command that gets no answer is 结果未知 with a link to the command record, not a network failure', async () => {
  bffWith(async () => ({
    status: 504,
    body: { code: 100007, message: '设备未在规定时间内应答故障复位', data: { command_id: 'c-1' } },
  }));
  render(<DevicePage />);
  await screen.findByText('2 个');
  fireEvent.click(button('故障复位'));
  fireEvent.click(screen.getByText('确认发送'));
  const outcome = await screen.findByTestId('command-outcome');
  expect(outcome.getAttribute('data-tone')).toBe('unknown');
  expect(outcome.textContent).toContain('结果未知');
  expect(outcome.textContent).not.toContain('网络连接失败');
  fireEvent.click(screen.getByTestId('outcome-history'));
  expect(navigations).toContainEqual({ kind: 'navigateTo', url: '/pkg-device/history/index?uid=ems-1' });
});

test('controls follow the state: nothing while loading, no reset without alarms, close only when open', async () => {
  let answer!: () => void;
  const bff = fakeBff({
    'GET /wad/ems/v1/api/devices/detail': () => okEms(device),
    'GET /wad/ems/v1/api/bms-control': () =>
      new Promise((resolve) => {
        answer = () => resolve(okEms({ device_uid: 'ems-1', alarm_status: 0, operating_status: 2 }));
      }),
  });
  setTransport(bff.transport);
  render(<DevicePage />);
  await screen.findByText('BMS 1#');
  for (const name of ['同步状态', '故障复位', '接触器闭合', '接触器断开'])
    expect(button(name).disabled).toBe(true);
  await act(async () => answer());
  await screen.findByText('0 个');
  expect(button('同步状态').disabled).toBe(false);
  expect(button('故障复位').disabled).toBe(true);
  expect(button('接触器闭合').disabled).toBe(true);
  expect(button('接触器断开').disabled).toBe(false);
  expect(screen.getByTestId('control-reasons').textContent).toContain('当前没有报警，无需复位');
});

test('a refusal is shown with the device reason and nothing is claimed done', async () => {
  bffWith(async () => ({
    status: 409,
    body: { code: 100006, message: '设备拒绝执行：电池正在放电，禁止断开接触器', data: null },
  }));
  render(<DevicePage />);
  await screen.findByText('2 个');
  fireEvent.click(button('接触器断开'));
  fireEvent.click(screen.getByText('确认发送'));
  await screen.findByText('设备拒绝执行：电池正在放电，禁止断开接触器');
  const outcome = screen.getByTestId('command-outcome');
  expect(outcome.getAttribute('data-tone')).toBe('error');
  expect(outcome.textContent).toContain('接触器断开未执行');
  expect(outcome.textContent).not.toMatch(/已清除|已闭合|已断开/);
});

test('cancelling the confirmation sends nothing', async () => {
  const bff = bffWith(async () => okEms('x'), { alarm_status: 0, operating_status: 1 });
  render(<DevicePage />);
  await screen.findByText('0 个');
  fireEvent.click(button('接触器闭合'));
  fireEvent.click(screen.getByText('取消'));
  expect(screen.queryByTestId('confirm-sheet')).toBeNull();
  expect(bff.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
});

test('a device without a stored status is read once when the page opens, marked as an automatic read', async () => {
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
  const puts = bff.requests.filter((r) => r.method === 'PUT');
  expect(puts).toHaveLength(1);
  expect(puts[0]!.headers['X-Command-Origin']).toBe('auto');
  expect(screen.queryByTestId('state-error')).toBeNull();
});

test('a meter gateway opens its own page, not the BMS page', async () => {
  const bff = fakeBff({
    'GET /wad/ems/v1/api/devices/detail': () => okEms({ ...device, device_uid: 'gw-1', kind: 'gateway' }),
    'GET /wad/ems/v1/api/bms-control': () => ({
      status: 400,
      body: { code: 100001, message: 'device_uid: 设备 gw-1 是计量网关', data: { field: 'device_uid' } },
    }),
  });
  setTransport(bff.transport);
  router.params = { uid: 'gw-1' };
  render(<DevicePage />);
  await waitFor(() =>
    expect(navigations).toContainEqual({ kind: 'redirectTo', url: '/pkg-device/gateway/index?uid=gw-1' }),
  );
  expect(screen.queryByText('故障复位')).toBeNull();
});
