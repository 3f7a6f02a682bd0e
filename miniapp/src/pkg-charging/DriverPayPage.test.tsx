import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import DriverPayPage, { confirmPolicy } from './driver/index';
import { setTransport } from '../api/transport';
import { clearSession } from '../api/session';
import { signOutDriver } from '../api/driver';
import { fakeBff, ok002, type Handler } from '../../test/fake-bff';
import { navigations, payment, router, scanner } from '../../test/taro';
import LoginPage from '../pages/login/index';
import { bill } from '../../test/charging-fixtures';

const order = {
  Bill_ID: 7,
  Out_Trade_No: 'WD7A1',
  Amount_Fen: 4575,
  Expires_At: '2026-12-01T02:30:00Z',
  Pay_Params: {
    appId: 'wxdemo',
    timeStamp: '1764554400',
    nonceStr: 'n0nce',
    package: 'prepay_id=wx201410272009395522657a690389285100',
    signType: 'RSA',
    paySign: 'c2lnbg==',
  },
};
const body = (r: { body?: unknown }) => r.body as Record<string, unknown>;
const input = (testId: string) => within(screen.getByTestId(testId)).getByRole('textbox');

/** A driver BFF: login, claim, the bill (its state from `state()`), the order. */
function bff(over: Record<string, Handler> = {}, state: () => string = () => 'unpaid') {
  const server = fakeBff({
    'POST /api_3/driver_login': () =>
      ok002([{ Driver_ID: 'd1', Driver_Token: 'drv_token1', Token_Expires: '2026-12-02T00:00:00Z' }]),
    'GET /api_3/driver_bills': () => ok002([]),
    'POST /api_3/driver_bill_claim': () => ok002([bill()]),
    'GET /api_3/driver_bill': () => {
      const s = state();
      return ok002([bill({ State: s as 'unpaid', Paid_At: s === 'paid' ? '2026-12-01 10:01:00' : '' })]);
    },
    'POST /api_3/driver_bill_pay': () => ok002([order]),
    ...over,
  });
  setTransport(server.transport);
  return server;
}

beforeEach(() => {
  clearSession();
  signOutDriver();
  payment.answer = 'ok';
  payment.asked.length = 0;
  scanner.result = 'WDPAY:DEMO-OPERATOR-01:C01';
  confirmPolicy.tries = 3;
  confirmPolicy.gapMs = 5;
});

async function findByCode(code = 'WDPAY:DEMO-OPERATOR-01:C01') {
  fireEvent.change(within(await screen.findByTestId('driver-code')).getByRole('textbox'), {
    target: { value: code },
  });
  fireEvent.click(screen.getByText('查找账单'));
  return screen.findByTestId('bill');
}

test('a driver signs in with WeChat alone, finds the bill by code, pays it and sees 已支付 once the backend says so', async () => {
  let paid = false;
  const server = bff({}, () => (paid ? 'paid' : 'paying'));
  render(<DriverPayPage />);
  expect(screen.getByTestId('state-loading')).toBeTruthy();
  const card = await findByCode();
  const login = server.requests.find((r) => r.url.endsWith('/api_3/driver_login'))!;
  expect(body(login).code).toMatch(/^code-/);
  const claim = server.requests.find((r) => r.url.endsWith('/api_3/driver_bill_claim'))!;
  expect(body(claim)).toEqual({ Qr_Code: 'WDPAY:DEMO-OPERATOR-01:C01' });
  // The driver's own token, never a manager's.
  expect(claim.headers.Authorization).toBe('Bearer drv_token1');
  expect(within(card).getByTestId('bill-money').textContent).toBe('45.75 元');
  expect(within(card).getByTestId('bill-kwh').textContent).toBe('30.50 kWh');
  expect(card.textContent).toContain('电费30.50 元');
  expect(card.textContent).toContain('服务费15.25 元');
  expect(within(card).getByTestId('bill-start').textContent).toBe('2026-12-01 08:00:00');
  expect(within(card).getByTestId('bill-station').textContent).toBe('演示充电站（ST01）');
  expect(within(card).getByTestId('bill-state').textContent).toBe('待支付');

  // The sheet says ok, but the backend has not heard from WeChat Pay yet: no 已支付 until it has.
  confirmPolicy.tries = 2;
  fireEvent.click(screen.getByText('微信支付 45.75 元'));
  expect((await screen.findByTestId('pay-pending')).textContent).toContain('确认中');
  expect(screen.queryByTestId('pay-paid')).toBeNull();
  expect(payment.asked[0]).toEqual({
    timeStamp: '1764554400',
    nonceStr: 'n0nce',
    package: 'prepay_id=wx201410272009395522657a690389285100',
    signType: 'RSA',
    paySign: 'c2lnbg==',
  });
  const pay = server.requests.find((r) => r.url.endsWith('/api_3/driver_bill_pay'))!;
  expect(body(pay)).toEqual({ Bill_ID: 7 });
  paid = true;
  fireEvent.click(screen.getByText('刷新支付结果'));
  expect((await screen.findByTestId('pay-paid')).textContent).toBe(
    '已支付 45.75 元（2026-12-01 10:01:00），感谢使用',
  );
  expect(screen.getByTestId('bill-state').textContent).toBe('已支付');
  expect(screen.queryByText(/^微信支付/)).toBeNull();
});

test('cancelling the sheet keeps the bill payable; a failed payment says so', async () => {
  bff();
  render(<DriverPayPage />);
  await findByCode();
  payment.answer = 'cancel';
  fireEvent.click(screen.getByText('微信支付 45.75 元'));
  expect((await screen.findByTestId('pay-cancelled')).textContent).toBe('已取消支付，账单仍待支付');
  payment.answer = 'fail';
  fireEvent.click(screen.getByText('微信支付 45.75 元'));
  expect((await screen.findByTestId('pay-error')).textContent).toContain('支付未成功');
  expect(screen.queryByTestId('pay-paid')).toBeNull();
});

test('an order the backend refuses shows its reason', async () => {
  bff(
    {
      'POST /api_3/driver_bill_pay': () => ({
        status: 409,
        body: { Err_No: '4009', Err_Msg: '账单已退款，不能支付' },
      }),
    },
    () => 'refunded',
  );
  render(<DriverPayPage />);
  await findByCode();
  fireEvent.click(screen.getByText('微信支付 45.75 元'));
  expect((await screen.findByTestId('pay-error')).textContent).toBe('账单已退款，不能支付');
});

test('a bill the backend closed while paying is shown as not paid', async () => {
  bff({}, () => 'closed');
  render(<DriverPayPage />);
  await findByCode();
  fireEvent.click(screen.getByText('微信支付 45.75 元'));
  expect((await screen.findByTestId('pay-error')).textContent).toBe('未完成支付：订单已关闭（可重新支付）');
  expect(screen.queryByTestId('pay-paid')).toBeNull();
  expect(screen.getByText('微信支付 45.75 元')).toBeTruthy();
});

test('opened with a connector’s code, the page looks its bill up at once', async () => {
  const server = bff();
  router.params = { code: encodeURIComponent('WDPAY:DEMO-OPERATOR-01:C01') };
  try {
    render(<DriverPayPage />);
    expect((await screen.findByTestId('bill-money')).textContent).toBe('45.75 元');
    expect(body(server.requests.find((r) => r.url.endsWith('driver_bill_claim'))!)).toEqual({
      Qr_Code: 'WDPAY:DEMO-OPERATOR-01:C01',
    });
  } finally {
    router.params = {};
  }
});

test('the sign-in page leads a driver to the bill page', () => {
  render(<LoginPage />);
  fireEvent.click(screen.getByTestId('driver-link'));
  expect(navigations.at(-1)?.url).toBe('/pkg-charging/driver/index');
});

test('by plate and phone: both needed and checked; none found; several found to pick from', async () => {
  let claims = 0;
  const server = bff({
    'POST /api_3/driver_bill_claim': () =>
      ++claims === 1 ? ok002([]) : ok002([bill(), bill({ Bill_ID: 8, Cell_ID: 'C02', Amount_Fen: 1200 })]),
  });
  render(<DriverPayPage />);
  await screen.findByTestId('driver-find');
  fireEvent.click(screen.getByText('车牌号 + 手机号'));
  fireEvent.change(input('driver-plate'), { target: { value: '沪a12345' } });
  fireEvent.click(screen.getByText('查找账单'));
  expect(screen.getByTestId('driver-find-error').textContent).toBe('请同时输入车牌号和充电时登记的手机号');
  fireEvent.change(input('driver-phone'), { target: { value: '138-0000' } });
  fireEvent.click(screen.getByText('查找账单'));
  expect(screen.getByTestId('driver-find-error').textContent).toBe('手机号应为 5–20 位数字');
  fireEvent.change(input('driver-phone'), { target: { value: '13800000000' } });
  fireEvent.click(screen.getByText('查找账单'));
  expect((await screen.findByTestId('state-empty')).textContent).toContain('没有找到待支付的充电账单');
  expect(body(server.requests.filter((r) => r.url.endsWith('driver_bill_claim'))[0]!)).toEqual({
    Plate_No: '沪A12345',
    Phone: '13800000000',
  });
  fireEvent.click(screen.getByText('查找账单'));
  const results = await screen.findAllByTestId('driver-result');
  expect(results.map((r) => r.textContent)).toEqual([
    '充电枪 C0145.75 元演示充电站（ST01）2026-12-01 09:00:00 结束 · 30.50 kWh · 待支付 ›',
    '充电枪 C0212.00 元演示充电站（ST01）2026-12-01 09:00:00 结束 · 30.50 kWh · 待支付 ›',
  ]);
  fireEvent.click(results[1]!);
  expect((await screen.findByTestId('bill-money')).textContent).toBe('12.00 元');
});

test('scanning the connector finds its bill; the driver’s unpaid bills are listed; a paid one has no pay button', async () => {
  const server = bff({
    'GET /api_3/driver_bills': () =>
      ok002([bill({ Bill_ID: 9, Cell_ID: 'C09' }), bill({ Bill_ID: 10, State: 'paid' })]),
    'POST /api_3/driver_bill_claim': () => ok002([bill({ State: 'paid', Paid_At: '2026-12-01 09:05:00' })]),
  });
  render(<DriverPayPage />);
  const mine = await screen.findByTestId('driver-mine');
  expect(within(mine).getAllByTestId('driver-result')).toHaveLength(1);
  fireEvent.click(screen.getByText('扫充电枪上的二维码'));
  await screen.findByTestId('bill');
  expect(body(server.requests.find((r) => r.url.endsWith('driver_bill_claim'))!)).toEqual({
    Qr_Code: 'WDPAY:DEMO-OPERATOR-01:C01',
  });
  expect(screen.getByTestId('pay-paid').textContent).toBe('这张账单已支付（2026-12-01 09:05:00）');
  expect(screen.queryByText(/^微信支付/)).toBeNull();
  fireEvent.click(screen.getByText('查找其他账单'));
  await screen.findByTestId('driver-find');
});

test('a failed sign-in shows the reason with a retry; an expired driver token is renewed once', async () => {
  let logins = 0;
  let claims = 0;
  const server = bff({
    'POST /api_3/driver_login': () =>
      ++logins === 1
        ? { status: 400, body: { Err_No: '4100', Err_Msg: '微信登录凭证无效，请重试' } }
        : ok002([{ Driver_ID: 'd1', Driver_Token: `drv_${logins}`, Token_Expires: '2026-12-02T00:00:00Z' }]),
    'POST /api_3/driver_bill_claim': () =>
      ++claims === 1
        ? { status: 401, body: { Err_No: '4101', Err_Msg: '登录已过期，请重新登录' } }
        : ok002([bill()]),
  });
  render(<DriverPayPage />);
  const error = await screen.findByTestId('state-error');
  expect(error.textContent).toBe('微信登录凭证无效，请重试重试');
  fireEvent.click(within(error).getByText('重试'));
  await findByCode();
  const tokens = server.requests
    .filter((r) => r.url.endsWith('driver_bill_claim'))
    .map((r) => r.headers.Authorization);
  expect(tokens).toEqual(['Bearer drv_2', 'Bearer drv_3']);
  await waitFor(() => expect(logins).toBe(3));
});
