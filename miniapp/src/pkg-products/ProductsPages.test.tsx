import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import ProductsPage from './index/index';
import OutputEntryPage from './output/index';
import CoalFactorsPage from './factors/index';
import { MonthTce } from '../components/MonthTce';
import { setTransport } from '../api/transport';
import { saveSession } from '../api/session';
import { fakeBff, ok002, type Handler } from '../../test/fake-bff';
import { navigations } from '../../test/taro';
import { session } from '../../test/alarm-fixtures';

const personalise = () =>
  ok002([{ Year_Start: '1', Month_Start: '1', Day_Start: '00:00:00', Time_Zone: 'Asia/Shanghai' }]);
const factors = [
  {
    Energy_Type: 0,
    Ene_Name: '电',
    Factor: 0.1229,
    Factor_Unit: 'kgce/kWh',
    Energy_Unit: 'kWh',
    Source: 'GB/T 2589-2020 附录A：电力（当量值）0.1229 kgce/kWh',
    Is_Default: 1,
  },
  {
    Energy_Type: 8,
    Ene_Name: '天然气',
    Factor: 1.3,
    Factor_Unit: 'kgce/m³',
    Energy_Unit: 'm³',
    Source: '实测',
    Is_Default: 0,
  },
];
const stat = (name: string, v: number | null, unit: string) => ({
  Product_Name: name,
  Meter_Superior: '',
  Time: '2026-12-01 00:00:00',
  Total_Amount: v,
  Unit: unit,
});

function bff(routes: Record<string, Handler>) {
  const server = fakeBff({ 'GET /api_3/personalise': personalise, ...routes });
  setTransport(server.transport);
  return server;
}
const q = (url: string) => Object.fromEntries(new URL(url).searchParams);

beforeEach(() => saveSession(session()));

test('home shows the month’s comprehensive consumption in tce from the totals and the factors', async () => {
  bff({ 'GET /api_3/standard_coal_factors': () => ok002(factors) });
  render(
    <MonthTce
      figures={[
        { type: '0', amount: 100_000 },
        { type: '8', amount: 1000 },
      ]}
    />,
  );
  expect(screen.getByTestId('month-tce-loading')).toBeTruthy();
  // 100,000 kWh × 0.1229 + 1,000 m³ × 1.3 = 13,590 kgce = 13.59 tce
  expect((await screen.findByTestId('month-tce-value')).textContent).toBe('13.590 tce');
  fireEvent.click(screen.getByTestId('month-tce-products'));
  expect(navigations.at(-1)?.url).toBe('/pkg-products/index/index');
});

test('home’s tce card fails on its own with a retry', async () => {
  let calls = 0;
  bff({
    'GET /api_3/standard_coal_factors': () =>
      ++calls === 1 ? { status: 500, body: { Err_No: '4001', Err_Msg: '数据库查询出错' } } : ok002(factors),
  });
  render(<MonthTce figures={[{ type: '0', amount: 1000 }]} />);
  const error = await screen.findByTestId('month-tce-error');
  fireEvent.click(within(error).getByText(/重试/));
  expect((await screen.findByTestId('month-tce-value')).textContent).toBe('0.123 tce');
});

test('products: this month against last month per product, and the best and worst batches', async () => {
  let unitCalls = 0;
  const server = bff({
    'GET /api_3/product_output_energy_statistic': (req) => {
      const p = q(req.url);
      if (p.Amount_Type === '1') return ok002([stat('冲压件', 52_000, '件')]);
      // this month is asked first, last month second
      return ok002([stat('冲压件', ++unitCalls === 1 ? 0.55 : 0.5, 'kgce/件')]);
    },
    'GET /api_3/productsBatch': () =>
      ok002(
        ['PC-01', 'PC-02', 'PC-03', 'PC-04', 'PC-05', 'PC-06', 'PC-07'].map((b, i) => ({
          id: i + 1,
          Production_Batch: b,
          Time_Start: '2026-01-01 00:00:00',
          Time_End: '2026-02-01 00:00:00',
          Output_Numbers: i === 6 ? 0 : 10,
        })),
      ),
    'GET /api_3/productsBatch_output_energy_statistic': () =>
      ok002(
        [0.41, 0.45, 0.5, 0.52, 0.6, 0.7].map((v, i) => ({
          Production_Batch: `PC-0${i + 1}`,
          Product_Name: '',
          Meter_Superior: '',
          Total_Amount: v,
          Unit: 'kgce/件',
        })),
      ),
  });
  render(<ProductsPage />);
  expect(screen.getByTestId('state-loading')).toBeTruthy();
  const row = await screen.findByTestId('product-row');
  expect(row.textContent).toContain('冲压件');
  expect(row.textContent).toContain('本月产量 52,000.00 件');
  expect(row.textContent).toContain('0.55 kgce/件');
  expect(row.textContent).toContain('上月 0.50 kgce/件，↑10.0%');
  expect(screen.getAllByTestId('batch-best').map((r) => r.textContent)).toEqual([
    '1. PC-010.41 kgce/件',
    '2. PC-020.45 kgce/件',
    '3. PC-030.50 kgce/件',
  ]);
  expect(screen.getAllByTestId('batch-worst')[0]!.textContent).toBe('1. PC-060.70 kgce/件');
  const batchQuery = q(server.requests.find((r) => r.url.includes('productsBatch_output'))!.url);
  // batches without outputs are not asked about; ascending by comprehensive unit consumption
  expect(batchQuery).toMatchObject({ Summary_Type: '3', Amount_Type: '5', Is_Order: '1', Order_Type: '1' });
  expect(batchQuery.Production_Batch!.split(',')).toHaveLength(6);
  fireEvent.click(screen.getByText('录入产量'));
  expect(navigations.at(-1)?.url).toBe('/pkg-products/output/index');
});

test('products with no outputs say how to start; a failure shows the reason with a retry', async () => {
  let calls = 0;
  bff({
    'GET /api_3/product_output_energy_statistic': () =>
      ++calls === 1
        ? { status: 400, body: { Err_No: '4103', Err_Msg: 'Time_Start: 不是有效的日期时间' } }
        : ok002([]),
    'GET /api_3/productsBatch': () => ok002([]),
  });
  render(<ProductsPage />);
  const error = await screen.findByTestId('state-error');
  expect(error.textContent).toContain('不是有效的日期时间');
  fireEvent.click(within(error).getByText('重试'));
  expect((await screen.findByTestId('state-empty')).textContent).toContain('还没有产量记录');
});

const formRoutes = (post: Handler): Record<string, Handler> => ({
  'GET /api_3/products': () => ok002([{ id: 3, Product_Name: '钢板', Product_Unit: 't', Remarks: '' }]),
  'GET /api_3/metersuperiors': () =>
    ok002([
      {
        id: 9,
        Meter_Superior: '冲压线1',
        Meter_Department: '冲压车间',
        Machine_Image_Url: '',
        equipmentCode: '',
        equipmentUnitCode: '',
      },
    ]),
  'GET /api_3/productsBatch': () =>
    ok002([
      {
        id: 5,
        Production_Batch: 'PC-202612',
        Time_Start: '2026-12-01 00:00:00',
        Time_End: '2027-01-01 00:00:00',
        Output_Numbers: 0,
      },
    ]),
  'GET /api_3/shifts': () =>
    ok002([
      { Shift_Name: '白班', Shift_Start: '00:00:00', Shift_End: '12:00:00' },
      { Shift_Name: '夜班', Shift_Start: '12:00:00', Shift_End: '24:00:00' },
    ]),
  'POST /api_3/product_output': post,
});

test('output entry: the period is the current shift, the form checks before sending, then posts 8.6', async () => {
  const server = bff(formRoutes(() => ok002([{ id: 77 }])));
  render(<OutputEntryPage />);
  await screen.findByTestId('output-form');
  const start = screen.getByTestId('field-start').querySelector('input')!;
  const end = screen.getByTestId('field-end').querySelector('input')!;
  await waitFor(() => expect(start.value).toMatch(/^\d{4}-\d{2}-\d{2} (00|12):00:00$/));
  expect(end.value).toMatch(/ (12:00:00|00:00:00)$/);
  expect(screen.getByTestId('field-start').textContent).toMatch(/默认为当前班次（(白班|夜班)）/);
  fireEvent.click(screen.getByText('保存'));
  expect(screen.getByTestId('field-machine-error').textContent).toBe('请选择机器');
  expect(screen.getByTestId('field-amount-error').textContent).toBe('请输入不小于 0 的产量');
  fireEvent.change(screen.getByTestId('pick-machine'), { target: { value: '0' } });
  fireEvent.change(screen.getByTestId('field-amount').querySelector('input')!, { target: { value: '12.5' } });
  fireEvent.change(screen.getByTestId('field-reject').querySelector('input')!, { target: { value: '20' } });
  fireEvent.click(screen.getByText('保存'));
  expect(screen.getByTestId('field-reject-error').textContent).toBe('不合格数量不能大于产量');
  fireEvent.change(screen.getByTestId('field-reject').querySelector('input')!, { target: { value: '0.5' } });
  fireEvent.click(screen.getByText('保存'));
  await waitFor(() => expect(navigations.at(-1)?.kind).toBe('navigateBack'));
  const sent = server.requests.find((r) => r.method === 'POST')!;
  expect(sent.body).toEqual({
    Product_id: 3,
    Meter_Superior_id: 9,
    ProductBatch_id: 5,
    Total_Amount: '12.5',
    Reject_Amount: '0.5',
    Time_Start: start.value,
    Time_End: end.value,
  });
});

test('output entry: the BFF’s refusal lands under the field it names', async () => {
  bff(
    formRoutes(() => ({
      status: 400,
      body: {
        Err_No: '4103',
        Err_Msg: 'Time_End: Time_End 必须晚于 Time_Start',
        Err_Detail: { field: 'Time_End' },
      },
    })),
  );
  render(<OutputEntryPage />);
  await screen.findByTestId('output-form');
  fireEvent.change(screen.getByTestId('pick-machine'), { target: { value: '0' } });
  fireEvent.change(screen.getByTestId('field-amount').querySelector('input')!, { target: { value: '3' } });
  fireEvent.click(screen.getByText('保存'));
  expect((await screen.findByTestId('field-end-error')).textContent).toBe('Time_End 必须晚于 Time_Start');
});

test('standard-coal factors: everyone reads them with units and sources; admins change one', async () => {
  let current = factors;
  const server = bff({
    'GET /api_3/standard_coal_factors': () => ok002(current),
    'PUT /api_3/standard_coal_factors': () => {
      current = [{ ...factors[0]!, Factor: 0.3, Is_Default: 0, Source: '本组织设定' }, factors[1]!];
      return ok002([]);
    },
  });
  render(<CoalFactorsPage />);
  expect((await screen.findByTestId('factor-0')).textContent).toBe('0.1229 kgce/kWh');
  expect(screen.getByTestId('factors').textContent).toContain('GB/T 2589-2020');
  expect(screen.getByTestId('factors').textContent).toContain('本组织设定：实测');
  fireEvent.click(screen.getAllByText('修改')[0]!);
  fireEvent.change(screen.getByTestId('factor-input'), { target: { value: '-1' } });
  fireEvent.click(screen.getByText('保存'));
  expect(screen.getByText('请输入大于 0 的数字')).toBeTruthy();
  fireEvent.change(screen.getByTestId('factor-input'), { target: { value: '0.3' } });
  fireEvent.click(screen.getByText('保存'));
  await waitFor(() => expect(screen.getByTestId('factor-0').textContent).toBe('0.3 kgce/kWh'));
  expect(server.requests.find((r) => r.method === 'PUT')!.body).toEqual({ Energy_Type: 0, Factor: '0.3' });
});

test('standard-coal factors: operators cannot change them', async () => {
  saveSession(session('operator'));
  bff({ 'GET /api_3/standard_coal_factors': () => ok002(factors) });
  render(<CoalFactorsPage />);
  await screen.findByTestId('factor-0');
  expect(screen.queryByText('修改')).toBeNull();
});
