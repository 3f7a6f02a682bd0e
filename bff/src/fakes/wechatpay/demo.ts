import crypto from 'node:crypto';
import type { WeChatPayConfig } from '../../adapters/wechatpay/client';
import { startFakeWeChatPay, type FakeWeChatPay } from './server';

/** The demo merchant of the fake WeChat Pay (demo mode only; nothing real). */
export const DEMO_MCHID = '1900000109';

/**
 * Demo mode: the fake WeChat Pay server in-process with a merchant made at start (fresh keys each
 * time; the fake lives and dies with the process) and the client configuration that points at it.
 */
export async function startDemoWeChatPay(opts: {
  port: number;
  appid: string;
}): Promise<{ fake: FakeWeChatPay; client: WeChatPayConfig }> {
  const pair = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const serial = crypto.randomBytes(20).toString('hex').toUpperCase();
  const apiV3Key = crypto.randomBytes(24).toString('base64url').slice(0, 32);
  const fake = await startFakeWeChatPay({
    port: opts.port,
    host: '127.0.0.1',
    mode: 'mixed',
    merchants: [
      {
        mchid: DEMO_MCHID,
        appid: opts.appid,
        serialNo: serial,
        publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        apiV3Key,
      },
    ],
  });
  return {
    fake,
    client: {
      baseUrl: fake.url,
      appid: opts.appid,
      mchid: DEMO_MCHID,
      merchantSerial: serial,
      privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      apiV3Key,
      publicKey: { id: fake.state.publicKeyMode.id, pem: fake.state.publicKeyMode.publicPem },
    },
  };
}
