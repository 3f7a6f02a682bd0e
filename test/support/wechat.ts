import { startFakeWeChat, type FakeWeChat } from '../../bff/src/fakes/wechat/server';
import type { FakeWeChatOptions } from '../../bff/src/fakes/wechat/state';
import { startTestApp, type TestApp } from './app';

export const TEST_APPID = 'wx7e5t0000000000a1';
export const TEST_SECRET = 'test-wechat-secret-0123456789abcdef';
export const TEST_TEMPLATE = 'TPL_ALARM_TEST';

/** A fake WeChat server (external-apis.md §1) and the env that points a test app's WeChat client at it. */
export async function startTestWeChat(
  opts: FakeWeChatOptions = {},
): Promise<{ fake: FakeWeChat; env: Record<string, string> }> {
  const fake = await startFakeWeChat({
    apps: { [TEST_APPID]: TEST_SECRET },
    templates: [TEST_TEMPLATE],
    ...opts,
  });
  return {
    fake,
    env: {
      WECHAT_API_BASE: fake.url,
      WECHAT_APPID: TEST_APPID,
      WECHAT_SECRET: TEST_SECRET,
      WECHAT_TIMEOUT_MS: '1000',
    },
  };
}

/** What the mini-program sends to 9.1 after `wx.login` + the user-info button, made on the fake. */
export function userInfoBind(
  fake: FakeWeChat,
  openid?: string,
  extra: Record<string, unknown> = {},
): { code: string; openid: string; encryptedData: string; iv: string } {
  const { code, openid: id } = fake.state.login(openid);
  const enc = fake.state.encrypt(
    { code },
    { openId: id, nickName: '测试用户', gender: 1, avatarUrl: 'https://example.cn/a.png', ...extra },
    TEST_APPID,
  )!;
  return { code, openid: id, ...enc };
}

/**
 * A test app whose WeChat client talks to a fake WeChat, started before the file's tests and closed after
 * them; read `.app` and `.fake` inside tests.
 */
export function useAppWithFakeWeChat(): { app: TestApp; fake: FakeWeChat } {
  const ctx = {} as { app: TestApp; fake: FakeWeChat };
  beforeAll(async () => {
    const wx = await startTestWeChat();
    ctx.fake = wx.fake;
    ctx.app = await startTestApp({ env: wx.env });
  });
  afterAll(async () => {
    await ctx.app?.close();
    await ctx.fake?.close();
  });
  return ctx;
}
