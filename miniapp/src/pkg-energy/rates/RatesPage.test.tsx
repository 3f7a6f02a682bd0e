import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import RatesPage from './index';
import { setTransport, type HttpRequest } from '../../api/transport';
import { saveSession } from '../../api/session';
import { fakeBff, ok002 } from '../../../test/fake-bff';
import { segmentsProblem } from '../../domain/rates';

const row = (type: string, seg: string, value: string, begin = '', end = '') => ({
  id: 1,
  Rate_Name: '电价',
  Rate_Type: type,
  Rate_Value: value,
  isSegmentation: seg,
  Seg_Begin: begin,
  Seg_Begin_Rate: '',
  Seg_End: end,
  Seg_End_Rate: '',
  Rate_Unit: type === '0' ? '元/kWh' : '元/t',
});

function bff(initial: unknown[]) {
  let stored = initial;
  const sent: HttpRequest[] = [];
  const fake = fakeBff({
    'GET /api_3/rate': () => ok002(stored),
    'POST /api_3/rate': (req) => {
      sent.push(req);
      const b = req.body as {
        Rate_Type: string;
        isSegmentation: string;
        Rate_Value?: string;
        Segments?: { Seg_Begin: string; Seg_End: string; Rate_Value: string }[];
      };
      const rows =
        b.isSegmentation === '1'
          ? [row(b.Rate_Type, '1', b.Rate_Value!)]
          : b.Segments!.map((s) => row(b.Rate_Type, '0', s.Rate_Value, s.Seg_Begin, s.Seg_End));
      stored = [...(stored as { Rate_Type: string }[]).filter((r) => r.Rate_Type !== b.Rate_Type), ...rows];
      return ok002(rows);
    },
  });
  return { ...fake, sent };
}

const session = (role: 'admin' | 'viewer') =>
  saveSession({
    Usr_Name: 'm',
    Usr_ID: '1',
    Usr_Token: 't',
    Usr_Role: role,
    Token_Expires: '2030-01-01T00:00:00Z',
  });

test('every energy type is listed, a TOU rate drawn on a 24-hour bar by tier, a type without a rate says so', async () => {
  session('admin');
  setTransport(
    bff([
      row('0', '0', '0.3200', '00:00:00', '08:00:00'),
      row('0', '0', '1.0500', '08:00:00', '22:00:00'),
      row('0', '0', '0.3200', '22:00:00', '24:00:00'),
      row('1', '1', '4.1'),
    ]).transport,
  );
  render(<RatesPage />);
  const elec = await screen.findByTestId('rate-0');
  const segs = within(elec).getAllByTestId('rate-bar-seg');
  expect(segs.map((s) => [s.getAttribute('data-tier'), s.style.left, s.style.width])).toEqual([
    ['谷', '0%', `${(480 / 1440) * 100}%`],
    ['峰', `${(480 / 1440) * 100}%`, `${(840 / 1440) * 100}%`],
    ['谷', `${(1320 / 1440) * 100}%`, `${(120 / 1440) * 100}%`],
  ]);
  expect(within(elec).getAllByTestId('rate-seg')[1]!.textContent).toBe('● 峰 08:00–22:001.0500 元/kWh');
  expect(within(screen.getByTestId('rate-1')).getByTestId('rate-summary').textContent).toBe('4.1000 元/t');
  expect(within(screen.getByTestId('rate-8')).getByTestId('rate-summary').textContent).toBe('未配置费率');
  expect(screen.getAllByTestId(/^rate-\d$/)).toHaveLength(9);
});

test('an admin sets a time-of-use rate: the segments follow each other, the save sends them all, success only after it', async () => {
  session('admin');
  const fake = bff([]);
  setTransport(fake.transport);
  render(<RatesPage />);
  const card = await screen.findByTestId('rate-0');
  fireEvent.click(within(card).getByText('设置费率'));
  fireEvent.click(within(card).getByText('分时电价'));
  const editor = within(card).getByTestId('rate-editor-0');
  const prices = within(editor).getAllByTestId('seg-price') as HTMLInputElement[];
  expect(prices).toHaveLength(3);
  // Saving with empty prices is refused in words, before any request.
  fireEvent.click(within(editor).getByText('保存'));
  expect(within(editor).getByTestId('rate-problem').textContent).toBe('第 1 段：请填写单价');
  expect(fake.sent).toHaveLength(0);
  fireEvent.change(prices[0]!, { target: { value: '0.32' } });
  fireEvent.change(prices[1]!, { target: { value: '1.05' } });
  fireEvent.change(prices[2]!, { target: { value: '0.32' } });
  // Moving the first segment's end moves the second one's start.
  const ends = within(editor).getAllByTestId('seg-end') as HTMLSelectElement[];
  const options = [...ends[0]!.options].map((o) => o.textContent);
  fireEvent.change(ends[0]!, { target: { value: String(options.indexOf('07:00')) } });
  expect(within(editor).getAllByTestId('seg-editor')[1]!.textContent).toContain('第 2 段：07:00 至');
  expect(within(editor).getAllByTestId('rate-bar-seg')).toHaveLength(3);
  fireEvent.click(within(editor).getByText('保存'));
  await screen.findByTestId('rate-notice');
  expect(screen.getByTestId('rate-notice').textContent).toBe('电费率已保存，费用已按新费率重新计算');
  expect(fake.sent[0]!.body).toEqual({
    Rate_Name: '电单价',
    Rate_Type: '0',
    Rate_Unit: '元/kWh',
    isSegmentation: '0',
    Segments: [
      { Seg_Begin: '00:00:00', Seg_End: '07:00:00', Rate_Value: '0.32' },
      { Seg_Begin: '07:00:00', Seg_End: '22:00:00', Rate_Value: '1.05' },
      { Seg_Begin: '22:00:00', Seg_End: '24:00:00', Rate_Value: '0.32' },
    ],
  });
  await waitFor(() =>
    expect(within(screen.getByTestId('rate-0')).getAllByTestId('rate-seg')).toHaveLength(3),
  );
});

test('a flat rate is saved as one price; a refusal of the BFF is shown and nothing claims success', async () => {
  session('admin');
  const fake = fakeBff({
    'GET /api_3/rate': () => ok002([]),
    'POST /api_3/rate': () => ({ status: 400, body: { Err_No: '4103', Err_Msg: 'Rate_Value 不能为负' } }),
  });
  setTransport(fake.transport);
  render(<RatesPage />);
  const card = await screen.findByTestId('rate-8');
  fireEvent.click(within(card).getByText('设置费率'));
  fireEvent.change(within(card).getByTestId('flat-price'), { target: { value: '3.6' } });
  fireEvent.click(within(card).getByText('保存'));
  await waitFor(() => expect(within(card).getByTestId('rate-problem').className).toBe('field-error'));
  expect(screen.queryByTestId('rate-notice')).toBeNull();
  const post = fake.requests.find((r) => r.method === 'POST')!;
  expect(post.body).toEqual({
    Rate_Name: '天然气单价',
    Rate_Type: '8',
    Rate_Unit: '元/m³',
    isSegmentation: '1',
    Rate_Value: '3.6',
  });
});

test('a viewer sees the rates but no edit buttons', async () => {
  session('viewer');
  setTransport(bff([row('1', '1', '4.1')]).transport);
  render(<RatesPage />);
  await screen.findByTestId('rate-1');
  expect(screen.queryByText('修改')).toBeNull();
  expect(screen.queryByText('设置费率')).toBeNull();
  expect(screen.getByText('只有管理员可以修改费率')).toBeTruthy();
});

test('segment problems are named in words', () => {
  const s = (begin: string, end: string, price = '1') => ({ begin, end, price });
  expect(segmentsProblem([s('00:00', '08:00'), s('09:00', '24:00')])).toBe(
    '第 2 段前有空档：08:00 至 09:00 没有电价',
  );
  expect(segmentsProblem([s('00:00', '08:00'), s('07:00', '24:00')])).toBe(
    '第 2 段与上一段重叠：07:00 至 08:00',
  );
  expect(segmentsProblem([s('00:00', '20:00')])).toBe('20:00 至 24:00 没有电价，最后一段须到 24:00');
  expect(segmentsProblem([s('00:00', '24:00', '-1')])).toBe(
    '第 1 段：单价须为不小于 0 的数字，最多 4 位小数',
  );
  expect(segmentsProblem([s('00:00', '24:00', '0.85')])).toBeNull();
});
