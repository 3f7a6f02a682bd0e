import { fireEvent, render, screen, within } from '@testing-library/react';
import OeeMachinePage from './index';
import { setTransport } from '../../api/transport';
import { saveSession } from '../../api/session';
import { fakeBff, ok002, type Handler } from '../../../test/fake-bff';
import { session } from '../../../test/alarm-fixtures';
import { barPieces, formatDuration } from './states';

const machines = [
  {
    id: 3,
    Meter_Superior: '冲压线1',
    Meter_Department: '冲压车间',
    Machine_Image_Url: '',
    equipmentCode: '02',
    equipmentUnitCode: 'CY-01',
  },
  {
    id: 4,
    Meter_Superior: '涂装线',
    Meter_Department: '涂装车间',
    Machine_Image_Url: '',
    equipmentCode: '03',
    equipmentUnitCode: 'TZ-01',
  },
];
const factor = (Value: number | null, Text: string, Basis: string) => ({ Value, Text, Basis });
const factors = {
  Meter_Superior_id: 3,
  Time_Start: '2026-11-26 07:30:00',
  Time_End: '2026-12-26 07:30:00',
  Planned_Seconds: 3600,
  Planned_Stop_Seconds: 0,
  Run_Seconds: 1800,
  Run_Status_Names: ['运行'],
  Availability: factor(0.5, '50.0 %', '运行时间 0.50 h ÷ 计划时间 1.00 h'),
  Performance: factor(null, '无数据', '该时段没有产出记录'),
  Quality: factor(null, '无数据', '该时段没有产出记录'),
  OEE: factor(null, '无数据', '可用率、性能、质量有一项无数据'),
};

function bff(records: Handler) {
  const server = fakeBff({
    'GET /api_3/personalise': () => ok002([{ Year_Start: '1', Month_Start: '26', Day_Start: '07:30' }]),
    'GET /api_3/metersuperiors': () => ok002(machines),
    'GET /api_3/OEE_statistic_records': records,
    'GET /api_3/OEE_statistic': () =>
      ok002([
        { Time: '2026-12-01 07:30:00', Total_Amount: 5400, Status_Name: '运行' },
        { Time: '2026-12-01 07:30:00', Total_Amount: 1800, Status_Name: '待机' },
        { Time: '2026-12-01 07:30:00', Total_Amount: 0, Status_Name: '离线' },
      ]),
    'GET /api_3/OEE_factors': () => ok002([factors]),
  });
  setTransport(server.transport);
  return server;
}

beforeEach(() => saveSession(session()));

test('the state bar, durations with units and OEE with 无数据 where inputs are missing', async () => {
  const server = bff(() =>
    ok002([
      { Time: '2026-12-01 07:30:00', Status_Name: '待机' },
      { Time: '2026-12-01 08:00:00', Status_Name: '运行' },
    ]),
  );
  render(<OeeMachinePage />);
  expect(screen.getAllByTestId('state-loading').length).toBeGreaterThan(0);
  const pieces = await screen.findAllByTestId('oee-piece');
  expect(pieces.map((p) => p.getAttribute('data-status'))).toEqual(['待机', '运行']);
  fireEvent.click(pieces[0]!);
  expect(screen.getByTestId('oee-tapped').textContent).toBe('待机：07:30–08:00（30 分）');
  const durations = screen.getByTestId('oee-durations').textContent!;
  expect(durations).toContain('运行1 小时 30 分');
  expect(durations).not.toContain('离线');
  expect(screen.getByTestId('oee-可用率').textContent).toBe('50.0 %');
  expect(screen.getByTestId('oee-性能').textContent).toBe('无数据');
  expect(screen.getByTestId('oee-OEE').textContent).toBe('无数据');
  const q = server.requests.find((r) => r.url.includes('OEE_statistic_records'))!;
  const params = Object.fromEntries(new URL(q.url).searchParams);
  // The first machine, today's business day from 07:30 to the next day's 07:30 (24 h).
  expect(params.Meter_Superior_id).toBe('3');
  expect(params.Time_Start).toMatch(/ 07:30:00$/);
  expect(params.Time_End).toMatch(/ 07:30:00$/);
});

test('picking another machine asks for its states; no records says so', async () => {
  const server = bff(() => ok002([]));
  render(<OeeMachinePage />);
  expect((await screen.findByTestId('oee-bar-empty')).textContent).toContain('还没有状态记录');
  fireEvent.click(within(screen.getByTestId('oee-machines')).getByText('涂装线'));
  await screen.findByTestId('oee-bar-empty');
  await new Promise((r) => setTimeout(r, 0));
  const asked = server.requests.filter((r) => r.url.includes('OEE_statistic_records'));
  expect(new URL(asked.at(-1)!.url).searchParams.get('Meter_Superior_id')).toBe('4');
});

test('a failed read shows the Chinese reason with a retry', async () => {
  let calls = 0;
  bff(() =>
    ++calls === 1
      ? { status: 400, body: { Err_No: '4103', Err_Msg: 'Time_End: 开始结束时间的间隔最大为 24 小时' } }
      : ok002([{ Time: '2026-12-01 07:30:00', Status_Name: '运行' }]),
  );
  render(<OeeMachinePage />);
  const error = await screen.findByTestId('state-error');
  expect(error.textContent).toContain('24 小时');
  fireEvent.click(within(error).getByText('重试'));
  expect((await screen.findAllByTestId('oee-piece')).length).toBe(1);
});

test('bar pieces are shares of the day and end at now', () => {
  const p = barPieces(
    [
      { Time: '2026-12-01 07:30:00', Status_Name: '停机' },
      { Time: '2026-12-01 19:30:00', Status_Name: '运行' },
    ],
    '2026-12-01 07:30:00',
    '2026-12-02 07:30:00',
    '2026-12-01 21:30:00',
  );
  expect(p).toEqual([
    { status: '停机', from: '07:30', to: '19:30', minutes: 720, left: 0, width: 50 },
    { status: '运行', from: '19:30', to: '21:30', minutes: 120, left: 50, width: (120 / 1440) * 100 },
  ]);
  expect(formatDuration(59)).toBe('59 秒');
  expect(formatDuration(3 * 3600 + 60)).toBe('3 小时 1 分');
});
