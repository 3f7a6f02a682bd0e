import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildOrg } from '../../../../test/support/builders';
import { startTestWeChat, userInfoBind } from '../../../../test/support/wechat';
import type { FakeWeChat } from '../../fakes/wechat/server';
import { createApp } from '../../app';
import { gracefulShutdown } from './shutdown';

// A real listener over the real app; a WeChat login held in flight by a slow (fake) WeChat.
let app: TestApp;
let fake: FakeWeChat;
beforeAll(async () => {
  const wx = await startTestWeChat();
  fake = wx.fake;
  app = await startTestApp({ env: { ...wx.env, WECHAT_TIMEOUT_MS: '5000' } });
});
afterAll(async () => {
  await app.close();
  await fake.close();
});

describe('graceful shutdown', () => {
  it('lets an in-flight request finish with its full answer, refuses new connections, then closes', async () => {
    const user = await buildOrg(app);
    const wx = userInfoBind(fake);
    await app.http
      .post('/api_3/xcx_info_bind')
      .set(user.auth)
      .send({ code: wx.code, encryptedData: wx.encryptedData, iv: wx.iv })
      .expect(200);
    const server = http.createServer(createApp(app.deps).app.callback());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const events: string[] = [];
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) =>
      res.on('finish', () => events.push(`sent ${req.url}`)),
    );
    const stop = gracefulShutdown(server, 10_000, async () => void events.push('closed'), {
      info: () => undefined,
    });

    fake.state.fail('jscode2session', 0, 1, 600); // WeChat takes 600 ms to answer
    const arrived = new Promise((resolve) => server.once('request', resolve));
    const inFlight = fetch(`${url}/api_3/xcx_login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code: fake.state.login(wx.openid).code }),
    }).then(async (res) => {
      return {
        status: res.status,
        body: (await res.json()) as { Err_No: string; Data: Array<{ Usr_ID: string }> },
      };
    });
    await arrived; // the request is in flight: the BFF is waiting for WeChat
    const stopped = stop('test');
    const late = await fetch(`${url}/healthz`).then(
      () => 'answered',
      () => 'refused',
    );
    const answer = await inFlight;
    await stopped;

    expect(answer.status).toBe(200);
    expect(answer.body.Err_No).toBe('0');
    expect(answer.body.Data[0]!.Usr_ID).toBe(String(user.id));
    expect(late).toBe('refused');
    expect(events).toEqual(['sent /api_3/xcx_login', 'closed']); // closed only after the answer was sent
  });
});
