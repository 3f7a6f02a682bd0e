import { fireEvent, render, screen } from '@testing-library/react';
import DevicesPage from './index';
import { setTransport } from '../../api/transport';
import { saveSession } from '../../api/session';
import { navigations } from '../../../test/taro';
import { fakeBff, okEms } from '../../../test/fake-bff';

const dev = (uid: string, kind: 'ems' | 'gateway', site: string, alarms?: number) => ({
  device_uid: uid,
  name: `设备 ${uid}`,
  kind,
  site,
  online: true,
  status_changed_at: null,
  last_seen_at: null,
  telemetry: alarms === undefined ? {} : { 'bms.alarm_status': alarms },
  telemetry_at: null,
  created_at: '2026-11-21T06:00:00.000Z',
});

beforeEach(() => {
  navigations.length = 0;
  saveSession({
    Usr_Name: 'm',
    Usr_ID: '1',
    Usr_Token: 't',
    Usr_Role: 'admin',
    Token_Expires: '2030-01-01T00:00:00Z',
  });
});

test('devices are grouped by kind and site, show active alarms, and a gateway opens the gateway page', async () => {
  setTransport(
    fakeBff({
      'GET /wad/ems/v1/api/devices': () =>
        okEms([
          dev('gw-1', 'gateway', '配电房'),
          dev('ems-2', 'ems', '二号厂房', 1),
          dev('ems-1', 'ems', '一号厂房', 0),
        ]),
    }).transport,
  );
  render(<DevicesPage />);
  const groups = await screen.findAllByTestId('device-group');
  expect(groups.map((g) => g.firstElementChild?.textContent)).toEqual([
    '储能 / 无功控制器 · 一号厂房（1 台）',
    '储能 / 无功控制器 · 二号厂房（1 台）',
    '计量网关 · 配电房（1 台）',
  ]);
  // Only demo-ems-2 reports an active alarm, and it is in the 二号厂房 group.
  expect(screen.getAllByText('1 个报警')).toHaveLength(1);
  expect(groups[1]!.textContent).toContain('1 个报警');
  expect(groups[0]!.textContent).not.toContain('报警');
  expect(screen.queryByTestId('device-search')).toBeNull();
  fireEvent.click(screen.getByText('设备 gw-1'));
  expect(navigations).toEqual([{ kind: 'navigateTo', url: '/pkg-device/gateway/index?uid=gw-1' }]);
});

test('with many devices a search narrows the list', async () => {
  const many = Array.from({ length: 9 }, (_, i) =>
    dev(`ems-${i + 1}`, 'ems', i < 5 ? '一号厂房' : '二号厂房'),
  );
  setTransport(fakeBff({ 'GET /wad/ems/v1/api/devices': () => okEms(many) }).transport);
  render(<DevicesPage />);
  await screen.findAllByTestId('device-group');
  fireEvent.change(screen.getByPlaceholderText('搜索设备名称、编号或站点'), { target: { value: '二号' } });
  const groups = screen.getAllByTestId('device-group');
  expect(groups).toHaveLength(1);
  expect(groups[0]!.textContent).toContain('二号厂房（4 台）');
  fireEvent.change(screen.getByPlaceholderText('搜索设备名称、编号或站点'), { target: { value: '不存在' } });
  expect(screen.getByTestId('device-search-empty').textContent).toContain('没有与“不存在”匹配的设备');
});
