import type { Config } from '@wattdesk/config';
import type { WeChatClient } from '../../adapters/wechat/client';
import { startFakeWeChat, type FakeWeChat } from './server';
import { DEMO_SECRET, DEMO_TEMPLATE } from './state';

let running: FakeWeChat | undefined;

/** The fake WeChat server demo mode started in this process (for other demo hooks, e.g. alarm push). */
export const demoFakeWeChat = (): FakeWeChat | undefined => running;

/** Demo mode: the fake WeChat server in-process, with the WeChat client pointed at it. */
export function fakeWeChatDemo(config: Config, wechat: WeChatClient) {
  let fake: Awaited<ReturnType<typeof startFakeWeChat>> | undefined;
  return {
    async start(): Promise<string[]> {
      const appid = wechat.appid;
      const secret = config.WECHAT_SECRET ?? DEMO_SECRET;
      fake = await startFakeWeChat({
        port: config.WD_FAKE_WECHAT_PORT,
        host: '127.0.0.1',
        apps: { [appid]: secret },
        templates: [config.WECHAT_ALARM_TEMPLATE_ID ?? DEMO_TEMPLATE],
      });
      wechat.pointAt({ baseUrl: fake.url, appid, secret });
      running = fake;
      return [
        `  模拟微信服务器:      ${fake.url}   (测试控制接口 ${fake.url}/__fake/login 等，见 bff/src/fakes/wechat/README.md)`,
      ];
    },
    async stop(): Promise<void> {
      if (running === fake) running = undefined;
      await fake?.close();
      fake = undefined;
    },
  };
}
