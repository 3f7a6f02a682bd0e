import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { PrpOperationResult, PrpUploadRecord } from '@wattdesk/shared';
import ConnectPage from './connect/index';
import AuthorizePage, { pageUrlOf } from './authorize/index';
import { UploadStatusCard } from './index/UploadStatusCard';
import { setTransport } from '../api/transport';
import { saveSession } from '../api/session';
import { fakeBff, ok002, type Handler } from '../../test/fake-bff';
import { navigations, router } from '../../test/taro';
import { webView } from '../../test/components';
import { session } from '../../test/alarm-fixtures';
import { connection, notConnected } from '../../test/plant-fixtures';

const AUTHORIZE =
  'https://web3.isolarcloud.com/#/authorized-app?cloudId=3&applicationId=1&redirectUrl=https%3A%2F%2Fbff%2Fcb';

function bff(routes: Record<string, Handler>) {
  const server = fakeBff({
    'GET /api_3/personalise': () =>
      ok002([{ Year_Start: '1', Month_Start: '1', Day_Start: '00:00:00', Time_Zone: 'Asia/Shanghai' }]),
    'GET /api_3/pv_connection': () => ok002([notConnected()]),
    ...routes,
  });
  setTransport(server.transport);
  return server;
}
const bodyOf = (server: ReturnType<typeof bff>, path: string) =>
  server.requests.find((r) => new URL(r.url).pathname === path)?.body;
const input = (testId: string) => screen.getByTestId(testId).querySelector('input')!;

beforeEach(() => {
  saveSession(session());
  router.params = {};
});

test('authorizing asks the BFF for the chosen region’s authorize page and opens it in the web view', async () => {
  const server = bff({
    'POST /api_3/pv_connection_authorize': () =>
      ok002([{ Authorize_Url: AUTHORIZE, Ticket: 'T'.repeat(24), Expires_At: '2026-12-01 12:00:00' }]),
  });
  render(<ConnectPage />);
  expect((await screen.findByTestId('connect-status')).textContent).toContain('未连接 iSolarCloud');
  fireEvent.click(within(screen.getByTestId('connect-region')).getByText('欧洲'));
  fireEvent.click(screen.getByText('前往 iSolarCloud 授权'));
  await waitFor(() => expect(navigations.at(-1)?.url).toContain('/pkg-plants/authorize/index?url='));
  // The mini-program comes back through the BFF's own callback page: no Redirect_Url of its own.
  expect(bodyOf(server, '/api_3/pv_connection_authorize')).toEqual({ Region: 3 });
  const url = new URL(navigations.at(-1)!.url, 'http://x').searchParams.get('url')!;
  expect(url).toBe(AUTHORIZE);
});

test('the web view opens the authorize page and goes back once iSolarCloud sent the owner to the BFF’s callback', () => {
  router.params = { url: encodeURIComponent(AUTHORIZE) };
  render(<AuthorizePage />);
  expect(screen.getByTestId('web-view').getAttribute('src')).toBe(AUTHORIZE);
  expect(pageUrlOf(AUTHORIZE)).toBe(AUTHORIZE);
  const before = navigations.length;
  webView.load(AUTHORIZE);
  expect(navigations.length).toBe(before);
  webView.load('https://bff.example/api_3/pv_connection_callback?Ticket=abc&code=T3xxjv');
  expect(navigations.at(-1)?.kind).toBe('navigateBack');
});

test('back from iSolarCloud with a ticket and code: the connection is finished and the plants are offered', async () => {
  router.params = { Ticket: 'ticket-0123456789abcdef', code: 'T3xxjv' };
  let connected = false;
  const server = bff({
    'GET /api_3/pv_connection': () => ok002([connected ? connection() : notConnected()]),
    'POST /api_3/pv_connection_callback': () => {
      connected = true;
      return ok002([connection()]);
    },
  });
  render(<ConnectPage />);
  expect(screen.getByTestId('connect-finishing')).toBeTruthy();
  expect((await screen.findByTestId('connect-notice')).textContent).toContain(
    '已连接 iSolarCloud（中国），共 3 座电站',
  );
  expect(bodyOf(server, '/api_3/pv_connection_callback')).toEqual({
    Ticket: 'ticket-0123456789abcdef',
    Code: 'T3xxjv',
  });
  await waitFor(() => expect(screen.getByTestId('connect-status').textContent).toContain('授权登录'));
  fireEvent.click(screen.getByText('查看电站'));
  expect(navigations.at(-1)?.url).toBe('/pkg-plants/index/index');
});

test('a used or expired ticket says the authorization did not finish, with the BFF’s reason', async () => {
  router.params = { Ticket: 'ticket-0123456789abcdef', code: 'old' };
  bff({
    'POST /api_3/pv_connection_callback': () => ({
      status: 400,
      body: { Err_No: '4002', Err_Msg: 'Ticket 已失效，请重新授权' },
    }),
  });
  render(<ConnectPage />);
  const notice = await screen.findByTestId('connect-notice');
  expect(notice.textContent).toBe('授权未完成：Ticket 已失效，请重新授权');
  expect(notice.className).toContain('notice-error');
});

test('account and password: required fields named first, then connected; the password is not kept', async () => {
  const server = bff({
    'POST /api_3/pv_connection_login': () => ok002([connection({ Auth_Mode: 'legacy' })]),
  });
  render(<ConnectPage />);
  await screen.findByTestId('connect-status');
  fireEvent.click(screen.getByText('用账号密码连接'));
  expect(screen.getByTestId('connect-account-error').textContent).toBe('请填写 iSolarCloud 账号');
  expect(screen.getByTestId('connect-password-error').textContent).toBe('请填写密码');
  expect(bodyOf(server, '/api_3/pv_connection_login')).toBeUndefined();
  fireEvent.change(input('connect-account'), { target: { value: ' owner@example.com ' } });
  fireEvent.change(input('connect-password'), { target: { value: 'pv-pass-1' } });
  fireEvent.click(screen.getByText('用账号密码连接'));
  expect((await screen.findByTestId('connect-notice')).textContent).toContain('共 3 座电站');
  expect(bodyOf(server, '/api_3/pv_connection_login')).toEqual({
    Region: 1,
    Account: 'owner@example.com',
    Password: 'pv-pass-1',
  });
  expect(input('connect-password').value).toBe('');
});

test('quota used up: the BFF’s reason is shown as it is', async () => {
  bff({
    'POST /api_3/pv_connection_login': () => ({
      status: 429,
      body: { Err_No: '4201', Err_Msg: 'iSolarCloud 调用次数已达上限，请稍后再试' },
    }),
  });
  render(<ConnectPage />);
  await screen.findByTestId('connect-status');
  fireEvent.change(input('connect-account'), { target: { value: 'owner' } });
  fireEvent.change(input('connect-password'), { target: { value: 'x' } });
  fireEvent.click(screen.getByText('用账号密码连接'));
  expect((await screen.findByTestId('connect-notice')).textContent).toContain('调用次数已达上限');
});

test('disconnecting asks first, then forgets the connection', async () => {
  let connected = true;
  const server = bff({
    'GET /api_3/pv_connection': () => ok002([connected ? connection() : notConnected()]),
    'DELETE /api_3/pv_connection': () => {
      connected = false;
      return ok002([notConnected()]);
    },
  });
  render(<ConnectPage />);
  fireEvent.click(await screen.findByTestId('connect-disconnect'));
  expect(server.requests.some((r) => r.method === 'DELETE')).toBe(false);
  fireEvent.click(screen.getByText('确认断开'));
  expect((await screen.findByTestId('connect-notice')).textContent).toContain('已断开');
  await waitFor(() => expect(screen.getByTestId('connect-status').textContent).toContain('未连接'));
});

test('a viewer is told only admins connect, and nothing is asked', () => {
  saveSession(session('viewer'));
  const server = bff({});
  render(<ConnectPage />);
  expect(screen.getByTestId('connect-not-admin').textContent).toContain('只有管理员');
  expect(server.requests).toHaveLength(0);
});

const result = (over: Partial<PrpOperationResult>): PrpOperationResult => ({
  Result: 1,
  Response_Data: '{"code":0}',
  Operation_Time: '2026-12-01 01:05:00',
  Failures: 0,
  Pending: 0,
  ...over,
});
const upload = (over: Partial<PrpUploadRecord>): PrpUploadRecord => ({
  id: 1,
  Original_Data: {},
  Target_Url: 'https://prp.example/upload',
  Response_Data: {},
  Upload_Time: '2026-12-01 01:05:00',
  Result: 1,
  Operation_Type: 3,
  Item_Name: '综合能耗',
  Period: '2026-11-30 00:00:00',
  Attempt: 1,
  ...over,
});

test('the upload card: each operation’s last result, the day’s exchanges and the failures, newest first', async () => {
  const server = bff({
    'GET /api_3/PRP_operation_result': (req) => {
      const type = new URL(req.url).searchParams.get('Operation_Type');
      if (type === '3')
        return ok002([result({ Result: 0, Failures: 2, Pending: 1, Operation_Time: '2026-12-01 01:20:00' })]);
      if (type === '1') return ok002([result({})]);
      // Version data never sent yet, one waiting (the BFF answers Result 0 without a time).
      return ok002([result({ Result: 0, Operation_Time: '', Response_Data: '', Pending: 1 })]);
    },
    'GET /api_3/PRP_uploaded_energy_measure_datas': () =>
      ok002([
        upload({
          id: 1,
          Result: 1,
          Operation_Type: 1,
          Item_Name: '',
          Period: '',
          Upload_Time: '2026-11-30 09:00:00',
        }),
        upload({ id: 2, Result: 0, Attempt: 1, Upload_Time: '2026-12-01 01:05:00' }),
        upload({ id: 3, Result: 0, Attempt: 2, Upload_Time: '2026-12-01 01:20:00' }),
      ]),
  });
  render(<UploadStatusCard />);
  expect(screen.getByTestId('prp-status-loading')).toBeTruthy();
  const ops = await screen.findAllByTestId('prp-operation');
  expect(ops.map((o) => o.textContent)).toEqual([
    '采集数据上传失败 · 12-01 01:20（连续失败 2 次），1 项待上传或重试',
    '上传用能单位基础信息成功 · 12-01 01:05',
    '更新版本数据等待上传（1 项）',
  ]);
  expect(screen.getByTestId('prp-week').textContent).toBe(
    '近 24 小时与省平台交换 3 次，失败 2 次，最近一次 12-01 01:20',
  );
  expect(screen.getAllByTestId('prp-failure').map((f) => f.textContent)).toEqual([
    '综合能耗（2026-11-30）第 2 次尝试失败 · 12-01 01:20',
    '综合能耗（2026-11-30）第 1 次尝试失败 · 12-01 01:05',
  ]);
  expect(document.body.textContent).not.toMatch(/https?:|Operation_Type|Response_Data/);
  const q = new URL(server.requests.find((r) => r.url.includes('PRP_uploaded'))!.url).searchParams;
  // The last 24 hours, to the end of this minute.
  const minutes = (t: string) => Date.parse(`${t.replace(' ', 'T')}Z`) / 60_000;
  expect(minutes(q.get('Time_End')!) - minutes(q.get('Time_Start')!)).toBe(24 * 60 + 1);
});

test('more exchanges than a page: the counts say how many were read, the failures are the newest', async () => {
  const asked: string[] = [];
  bff({
    'GET /api_3/PRP_operation_result': () => ok002([]),
    'GET /api_3/PRP_uploaded_energy_measure_datas': (req) => {
      const page = new URL(req.url).searchParams.get('Page_Counts')!;
      asked.push(page);
      const rows =
        page === '0'
          ? [upload({ id: 1, Result: 0, Upload_Time: '2026-11-30 02:00:00' })]
          : [
              upload({ id: 1500, Result: 0, Attempt: 3, Upload_Time: '2026-12-01 01:45:00' }),
              upload({ id: 1501 }),
            ];
      return { status: 200, body: { Err_No: '0', Err_Msg: 'ok', Data: rows, Total_Numbers: 1501 } };
    },
  });
  render(<UploadStatusCard />);
  expect((await screen.findByTestId('prp-week')).textContent).toBe(
    '近 24 小时与省平台交换 1501 次，最近 2 次中失败 1 次，最近一次 12-01 01:45',
  );
  expect(screen.getAllByTestId('prp-failure').map((f) => f.textContent)).toEqual([
    '综合能耗（2026-11-30）第 3 次尝试失败 · 12-01 01:45',
  ]);
  expect(asked).toEqual(['0', '1']);
});

test('the upload card before any upload points to the web admin; a failure has its retry', async () => {
  let calls = 0;
  bff({
    'GET /api_3/PRP_operation_result': () => ok002([]),
    'GET /api_3/PRP_uploaded_energy_measure_datas': () =>
      ++calls === 1 ? { status: 500, body: { Err_No: '5000', Err_Msg: '服务暂时不可用' } } : ok002([]),
  });
  render(<UploadStatusCard />);
  const error = await screen.findByTestId('prp-status-error');
  expect(error.textContent).toContain('服务暂时不可用');
  fireEvent.click(within(error).getByText('重试'));
  expect((await screen.findByTestId('prp-status-empty')).textContent).toContain('网页管理端');
});
