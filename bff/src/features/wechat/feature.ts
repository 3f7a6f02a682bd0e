import path from 'node:path';
import { ImageStore } from '../../core/images';
import { defineFeature } from '../../platform/contract';
import { WeChatClient } from '../../adapters/wechat/client';
import { DEMO_APPID, DEMO_SECRET } from '../../fakes/wechat/state';
import { fakeWeChatDemo } from '../../fakes/wechat/demo';
import { WeChatIdentityService } from './service';
import { wechatRoutes } from './routes';

/** WeChat identity (seed 002 §9): binding and WeChat-only sign-in, over the WeChat server client. */
export interface WeChatApi {
  /** WeChat server APIs (WECHAT_API_BASE/APPID/SECRET; demo mode points it at the fake). */
  client: WeChatClient;
  identity: WeChatIdentityService;
}

declare module '../../platform/contract' {
  interface FeatureApis {
    wechat: WeChatApi;
  }
}

export const wechatFeature = defineFeature('wechat', (ctx) => {
  const { accounts, repo } = ctx.use('accounts');
  const client = new WeChatClient({
    baseUrl: ctx.config.WECHAT_API_BASE,
    appid: ctx.config.WECHAT_APPID ?? DEMO_APPID,
    secret: ctx.config.WECHAT_SECRET ?? DEMO_SECRET,
    redis: ctx.redis,
    clock: ctx.clock,
    log: ctx.log.child({ adapter: 'wechat' }),
    timeoutMs: ctx.config.WECHAT_TIMEOUT_MS,
  });
  const avatars = new ImageStore(path.resolve(ctx.config.WD_DATA_DIR), 'wechat-avatars');
  const identity = new WeChatIdentityService(client, repo, accounts, ctx.clock, avatars);
  const demo = fakeWeChatDemo(ctx.config, client);
  return { api: { client, identity }, routes: wechatRoutes, demo: demo.start, stop: demo.stop };
});
