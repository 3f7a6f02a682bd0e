import { fireEvent, render, screen } from '@testing-library/react';
import DevicePage from './index';
import { setTransport } from '../../api/transport';
import { saveSession } from '../../api/session';
import { router } from '../../../test/taro';
import { fakeBff, okEms } from '../../../test/fake-bff';
import { session } from '../../../test/alarm-fixtures';

test('opened from an alarm’s 去复位, the device page shows the fault-reset confirmation and sends nothing yet', async () => {
  saveSession(session());
  router.params = { uid: 'demo-ems-2', action: 'reset' };
  const bff = fakeBff({
    'GET /wad/ems/v1/api/devices/detail': () =>
      okEms({ device_uid: 'demo-ems-2', name: '储能柜 2#', kind: 'ems', online: true, last_seen_at: null }),
    'GET /wad/ems/v1/api/bms-control': () =>
      okEms({ device_uid: 'demo-ems-2', alarm_status: 2, operating_status: 2 }),
  });
  setTransport(bff.transport);
  render(<DevicePage />);
  // The sheet names the action in words; the exact request is behind its 详情 fold.
  expect((await screen.findByTestId('confirm-action')).textContent).toContain('故障复位');
  fireEvent.click(screen.getByTestId('confirm-detail-toggle'));
  const request = (await screen.findByTestId('confirm-request')).textContent ?? '';
  expect(JSON.parse(request.slice(request.indexOf('{')))).toEqual({ device_uid: 'demo-ems-2', command: 1 });
  expect(bff.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
});
