import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import ReactivePage from './index';
import { setTransport } from '../../api/transport';
import { saveSession } from '../../api/session';
import { router } from '../../../test/taro';
import { fakeBff, okEms } from '../../../test/fake-bff';

const device = {
  device_uid: 'ems-1',
  name: '1# 储能柜',
  kind: 'ems',
  site: '',
  online: true,
  status_changed_at: null,
  last_seen_at: null,
  telemetry: {},
  telemetry_at: null,
  created_at: '2026-11-21T06:00:00.000Z',
};

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

const field = (key: string) => screen.getByTestId(`field-${key}`);

test('a power factor above 1 is named in words under its own input before sending, and nothing is sent', async () => {
  const bff = fakeBff({
    'GET /wad/ems/v1/api/devices/detail': () => okEms(device),
    'GET /wad/ems/v1/api/reactive-power-control': () =>
      okEms({ device_uid: 'ems-1', phase_min_power_factor_a: 0.9, mode: 1 }),
  });
  setTransport(bff.transport);
  render(<ReactivePage />);
  const a = await screen.findByDisplayValue('0.9');
  fireEvent.change(a, { target: { value: '1.5' } });
  fireEvent.change(field('step').querySelector('input')!, { target: { value: '2' } });
  fireEvent.click(screen.getByText('下发设置'));
  expect(screen.getByTestId('field-phase_min_power_factor_a-error').textContent).toBe(
    'A 相最低功率因数必须在 0 到 1 之间',
  );
  expect(screen.getByTestId('field-step-error').textContent).toBe('调节步长必须大于 0 且不超过 1');
  expect(document.body.textContent).not.toMatch(/phase_|step|\[0,1\]/);
  expect(screen.queryByTestId('confirm-sheet')).toBeNull();
  expect(bff.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
});

test('hints give each range in words', async () => {
  setTransport(
    fakeBff({
      'GET /wad/ems/v1/api/devices/detail': () => okEms(device),
      'GET /wad/ems/v1/api/reactive-power-control': () =>
        okEms({ device_uid: 'ems-1', phase_min_power_factor_a: 0.9, mode: 1 }),
    }).transport,
  );
  render(<ReactivePage />);
  await screen.findByDisplayValue('0.9');
  expect(field('phase_min_power_factor_a').textContent).toContain('0 到 1 之间');
  expect(field('period').textContent).toContain('1 到 3600000 毫秒');
  expect(field('step').textContent).toContain('大于 0、最大 1');
});

test('a field error from the BFF (data.field) is shown under that input in words', async () => {
  setTransport(
    fakeBff({
      'GET /wad/ems/v1/api/devices/detail': () => okEms(device),
      'GET /wad/ems/v1/api/reactive-power-control': () =>
        okEms({ device_uid: 'ems-1', phase_min_power_factor_a: 0.9, mode: 1 }),
      'POST /wad/ems/v1/api/reactive-power-control': () => ({
        status: 400,
        body: {
          code: 100001,
          message: 'period: period 必须是整数（毫秒）',
          data: { field: 'period', rule: 'period 必须是整数（毫秒）', where: 'body' },
        },
      }),
    }).transport,
  );
  render(<ReactivePage />);
  await screen.findByDisplayValue('0.9');
  fireEvent.change(field('period').querySelector('input')!, { target: { value: '1000' } });
  fireEvent.click(screen.getByText('下发设置'));
  fireEvent.click(screen.getByText('确认发送'));
  await waitFor(() =>
    expect(screen.getByTestId('field-period-error').textContent).toBe('调节周期必须是整数（毫秒）'),
  );
});

test('the confirmation shows the device by name and each setting old → new, the body only under 详情', async () => {
  const bff = fakeBff({
    'GET /wad/ems/v1/api/devices/detail': () => okEms(device),
    'GET /wad/ems/v1/api/reactive-power-control': () =>
      okEms({ device_uid: 'ems-1', phase_min_power_factor_a: 0.9, mode: 1 }),
    'POST /wad/ems/v1/api/reactive-power-control': () => okEms('无功治理控制已生效'),
  });
  setTransport(bff.transport);
  render(<ReactivePage />);
  const a = await screen.findByDisplayValue('0.9');
  fireEvent.change(a, { target: { value: '0.95' } });
  fireEvent.click(screen.getByText('感性无功补偿'));
  fireEvent.click(screen.getByText('下发设置'));
  expect(screen.getByTestId('confirm-device').textContent).toBe('1# 储能柜（ems-1）');
  const changes = screen.getByTestId('confirm-changes').textContent ?? '';
  expect(changes).toContain('容性无功补偿 → 感性无功补偿');
  expect(changes).toContain('0.9 → 0.95');
  expect(screen.queryByTestId('confirm-request')).toBeNull();
  fireEvent.click(screen.getByTestId('confirm-detail-toggle'));
  const shown = screen.getByTestId('confirm-request').textContent ?? '';
  expect(JSON.parse(shown.slice(shown.indexOf('{')))).toEqual({
    device_uid: 'ems-1',
    phase_min_power_factor_a: 0.95,
    mode: 2,
  });
  fireEvent.click(screen.getByText('确认发送'));
  await screen.findByText('设备已应用新的无功治理设置');
  const posts = bff.requests.filter((r) => r.method === 'POST');
  expect(posts).toHaveLength(1);
  expect(posts[0]!.body).toEqual({ device_uid: 'ems-1', phase_min_power_factor_a: 0.95, mode: 2 });
});

test('with nothing stored the banner says so in words, and a successful sync clears it and the errors', async () => {
  setTransport(
    fakeBff({
      'GET /wad/ems/v1/api/devices/detail': () => okEms(device),
      'GET /wad/ems/v1/api/reactive-power-control': () => ({
        status: 404,
        body: {
          code: 100004,
          message:
            '设备 ems-1 尚无已同步的无功治理控制（请先下发或 PUT /reactive-power-control/sync），该数据不存在',
          data: '',
        },
      }),
      'PUT /wad/ems/v1/api/reactive-power-control/sync': () =>
        okEms({ device_uid: 'ems-1', phase_min_power_factor_a: 0.92, mode: 1 }, '无功治理同步成功'),
    }).transport,
  );
  render(<ReactivePage />);
  const banner = await screen.findByTestId('reactive-stale');
  expect(banner.textContent).not.toMatch(/PUT|\/sync|reactive-power-control/);
  fireEvent.click(screen.getByText('下发设置'));
  expect(screen.getByTestId('field-phase_min_power_factor_a-error').textContent).toBe(
    '请填写A 相最低功率因数',
  );
  fireEvent.click(screen.getByText('从设备同步'));
  await screen.findByDisplayValue('0.92');
  expect(screen.queryByTestId('reactive-stale')).toBeNull();
  expect(screen.queryByTestId('field-phase_min_power_factor_a-error')).toBeNull();
  expect(screen.getByTestId('reactive-result').textContent).toBe('已从设备读取当前设置');
});
