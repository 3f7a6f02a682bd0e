import { fireEvent, render, screen } from '@testing-library/react';
import ReactivePage from './index';
import { setTransport } from '../../api/transport';
import { saveSession } from '../../api/session';
import { router } from '../../../test/taro';
import { fakeBff, okEms } from '../../../test/fake-bff';

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

test('a power factor above 1 is named before sending, and nothing is sent', async () => {
  const bff = fakeBff({
    'GET /wad/ems/v1/api/reactive-power-control': () =>
      okEms({ device_uid: 'ems-1', phase_min_power_factor_a: 0.9, mode: 1 }),
  });
  setTransport(bff.transport);
  render(<ReactivePage />);
  const a = await screen.findByDisplayValue('0.9');
  fireEvent.change(a, { target: { value: '1.5' } });
  fireEvent.click(screen.getByText('下发设置'));
  expect(screen.getByText('A 相最低功率因数：phase_min_power_factor_a 必须在 [0,1] 范围内')).toBeTruthy();
  expect(screen.queryByTestId('confirm-sheet')).toBeNull();
  expect(bff.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
});

test('valid settings are confirmed with the exact body and sent once', async () => {
  const bff = fakeBff({
    'GET /wad/ems/v1/api/reactive-power-control': () =>
      okEms({ device_uid: 'ems-1', phase_min_power_factor_a: 0.9, mode: 1 }),
    'POST /wad/ems/v1/api/reactive-power-control': () => okEms('无功治理设置已下发'),
  });
  setTransport(bff.transport);
  render(<ReactivePage />);
  await screen.findByDisplayValue('0.9');
  fireEvent.click(screen.getByText('感性无功补偿'));
  fireEvent.click(screen.getByText('下发设置'));
  const shown = screen.getByTestId('confirm-request').textContent ?? '';
  expect(JSON.parse(shown.slice(shown.indexOf('{')))).toEqual({
    device_uid: 'ems-1',
    phase_min_power_factor_a: 0.9,
    mode: 2,
  });
  fireEvent.click(screen.getByText('确认发送'));
  await screen.findByText('无功治理设置已下发');
  const posts = bff.requests.filter((r) => r.method === 'POST');
  expect(posts).toHaveLength(1);
  expect(posts[0]!.body).toEqual({ device_uid: 'ems-1', phase_min_power_factor_a: 0.9, mode: 2 });
});
