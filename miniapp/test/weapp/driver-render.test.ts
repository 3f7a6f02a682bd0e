import { createHost } from './simulator.cjs';
import { dist, renderedText, requireWeappBuild, type WxRequest } from './hosts';
import { bill } from '../charging-fixtures';

// The driver's bill page (pkg-charging/driver) of the weapp build: wx.login, the driver token on its calls,
// the scan button and the driver's unpaid bills drawn by WeChat's template compiler.
beforeAll(requireWeappBuild);

test('the driver page signs in with wx.login alone and shows the scan button and the unpaid bills', async () => {
  const asked: string[] = [];
  const rows: Record<string, unknown[]> = {
    '/api_3/driver_login': [
      { Driver_ID: 'd1', Driver_Token: 'drv_w1', Token_Expires: '2030-01-01T00:00:00Z' },
    ],
    '/api_3/driver_bills': [bill({ Cell_ID: 'C07', Amount_Fen: 1234 })],
  };
  const host = createHost(dist, {
    login: (o: { success: (r: { code: string; errMsg: string }) => void }) =>
      setTimeout(() => o.success({ code: 'wx-code-1', errMsg: 'login:ok' }), 1),
    request: (req: WxRequest) => {
      const url = new URL(req.url);
      asked.push(`${req.method} ${url.pathname} ${req.header.Authorization ?? ''}`.trim());
      const data = rows[url.pathname] ?? [];
      setTimeout(
        () =>
          req.success({
            statusCode: 200,
            data: { Err_No: '0', Err_Msg: 'ok', Data: data, Total_Numbers: data.length },
            header: {},
          }),
        5,
      );
      return { abort: () => undefined };
    },
  });
  const page = await host.open('pkg-charging/driver/index');
  const text = await renderedText(host, page, '我的待支付账单');
  for (const label of [
    '查找充电账单',
    '扫充电枪上的二维码',
    '充电枪编码',
    '我的待支付账单',
    '充电枪 C07',
    '12.34 元',
  ])
    expect(text).toContain(label);
  expect(asked).toEqual(['POST /api_3/driver_login', 'GET /api_3/driver_bills Bearer drv_w1']);
  expect(host.storage.get('wd.session')).toBeUndefined();
});
