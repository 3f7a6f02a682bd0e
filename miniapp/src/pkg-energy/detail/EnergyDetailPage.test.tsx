import { fireEvent, render, screen } from '@testing-library/react';
import EnergyDetailPage from './index';
import { setTransport } from '../../api/transport';
import { saveSession } from '../../api/session';
import { router } from '../../../test/taro';
import { fakeBff, ok002 } from '../../../test/fake-bff';

const row = (machine: string, type: string, name: string, amount: string, cost?: string) => ({
  Meter_Department: '一车间',
  Meter_Superior: machine,
  Meter_Name: '',
  Ene_Type: type,
  Ene_Name: name,
  Total_Amount: amount,
  ...(cost ? { Total_Cost: cost } : {}),
});

beforeEach(() => {
  router.params = { by: 'machine' };
  saveSession({
    Usr_Name: 'm',
    Usr_ID: '1',
    Usr_Token: 't',
    Usr_Role: 'admin',
    Token_Expires: '2030-01-01T00:00:00Z',
  });
  jest.useFakeTimers({
    now: new Date('2026-11-21T01:00:00Z'),
    doNotFake: ['setTimeout', 'setImmediate', 'nextTick', 'queueMicrotask'],
  });
});
afterEach(() => jest.useRealTimers());

test("the period follows the site's boundaries (07:30 days, months from the 26th) and groups by machine", async () => {
  const bff = fakeBff({
    'GET /api_3/personalise': () =>
      ok002([
        {
          Year_Start: '1',
          Year_End: '1',
          Month_Start: '-26',
          Month_End: '-26',
          Day_Start: '07:30:00',
          Day_End: '07:30:00',
          Time_Zone: 'Asia/Shanghai',
        },
      ]),
    'GET /api_3/allenergy': () =>
      ok002([
        row('冲压线1', '0', '电', '120.50', '96.40'),
        row('冲压线1', '7', '空气', '30.00'),
        row('涂装线', '0', '电', '80.00'),
      ]),
  });
  setTransport(bff.transport);
  render(<EnergyDetailPage />);
  // 2026-11-21 09:00 in Shanghai: the business month began on 26 October at 07:30.
  expect(
    (await screen.findByText('统计区间：2026-10-26 07:30:00 至 2026-11-26 07:29:59')).textContent,
  ).toBeTruthy();
  await screen.findByText('冲压线1');
  expect(screen.getAllByTestId('energy-group').map((g) => g.textContent)).toEqual([
    expect.stringContaining('120.50 kWh  ¥96.40'),
    expect.stringContaining('80.00 kWh'),
  ]);
  const query = new URL(bff.requests.find((r) => r.url.includes('allenergy'))!.url).searchParams;
  expect(Object.fromEntries(query)).toEqual({
    Time_Type: '2',
    Time_Start: '2026-10-26 07:30:00',
    Time_End: '2026-11-26 07:29:59',
    Amount_Type: '3',
  });

  fireEvent.click(screen.getByText('日'));
  await screen.findByText('统计区间：2026-11-21 07:30:00 至 2026-11-22 07:29:59');
  fireEvent.click(screen.getByText('上一期'));
  await screen.findByText('统计区间：2026-11-20 07:30:00 至 2026-11-21 07:29:59');
  fireEvent.click(screen.getByText('按部门'));
  await screen.findByText('一车间');
  const last = new URL(bff.requests.filter((r) => r.url.includes('allenergy')).at(-1)!.url).searchParams;
  expect(last.get('Amount_Type')).toBe('4');
  expect(last.get('Time_Start')).toBe('2026-11-20 07:30:00');
});
