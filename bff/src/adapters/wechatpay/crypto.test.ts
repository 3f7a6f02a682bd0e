import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import WxPay from 'wechatpay-node-v3';
import {
  authorizationHeader,
  decryptResource,
  encryptResource,
  GcmError,
  parseAuthorization,
  paySignString,
  requestSigningString,
  responseSigningString,
  rsaSign,
  rsaVerify,
} from './crypto';
import { WeChatPaySignatureError, WeChatPayVerifier } from './verifier';
import { parseTradeBill, yuanToFen } from './tradebill';

// Self-derived test vectors (external-apis.md §2.2, §2.5, §2.6). The key is the fake's committed platform
// key (bff/src/fakes/wechatpay/keys); each expected value was computed outside node as well:
//   printf 'GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n' \
//     | openssl dgst -sha256 -sign platform_key.pem | base64 -w0
//   python3: AESGCM(b'0123456789abcdef0123456789abcdef').encrypt(b'9pdwAf1WzqnL', plaintext, b'transaction')
// PKCS#1 v1.5 and GCM with a fixed nonce are deterministic, so the values are exact.

const keys = path.resolve(__dirname, '../../fakes/wechatpay/keys');
const platformKey = fs.readFileSync(path.join(keys, 'platform_key.pem'), 'utf8');
const platformCert = fs.readFileSync(path.join(keys, 'platform_cert.pem'), 'utf8');
const platformPublic = new crypto.X509Certificate(platformCert).publicKey;

const DOCS_GET = 'GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n'; // the docs' worked example
const DOCS_GET_SIGNATURE =
  'lTo3+jrcjhnQEDBH+QrFfantbXqX1ylzZDE0Xr3hiXeNHj201DLr+QrHlHf98hwQkiYB9fagHh8zHbeURSb0eJGzLzM+E/OEsR8MOMlVKmsqRIpRd98dBHsQh0EdA+wuHJeb/QdZE4RHeqsJ0hMDwAihpn65WjWUbL+YZcRSDWkUBnksxbdRNj5pbqB2kTLq9LBV9ZCqTmCUrcoAT6DiW6V32XRKJbIvsGiH1qZTfJtXALU3/d7W/Jw01nZRJQgAm91eIpS+3Eg9/a4gnQDQi2MPvh6mqk80+LbRviJn6QMYtDSa/YZUOqASUoLrXBxv90OFB6koiRE72Bni9gAq0A==';
const PAY_SIGNATURE =
  'XVYaYV+W/9wFFuRyzut/1UbNxrINAUl9Ka7PPmxT7UKzJRf7jGOFLE3X4/RFSLcjzciAAW4nlfJSiLlT3rTCE3HcNP6SV2iZb9xS7lCLWbPGIcp9aC2rxSbDyPN6tkPM95jL/NIOIaycATR6u9lDvKpzjhdGnmMx2vqHpfwp4Y3Fp7TLa/FkqNuVZ2Fm2dCDPNG71jDpFzUDOeqz1RW1aejkQ/+ZlZeaDlPODXeFqOZ5kvFp2FIVMKhDMbxZ45etljqNeC8rENELSM3TmobpeaX1NYsucRiDbzX9Xa5LrV1zwoaZo2fRV8B0FytqxVaq6nQGp7RyXJMXY+LloYvjww==';
const APIV3_KEY = '0123456789abcdef0123456789abcdef';
const GCM_PLAIN = '{"out_trade_no":"WD1T00","trade_state":"SUCCESS"}';
const GCM_CIPHERTEXT =
  'voTKbZZbrEWKgOcImsjf/NgUBRmM98YGmtV0qdsXyHPMtN/C55zPmwpb/B+wp2/i9GSTCtEVTw1uQrd76kQziCs=';

describe('request signing (§2.2)', () => {
  it('builds the five-line signing string with a trailing newline and an empty body line for GET', () => {
    expect(
      requestSigningString('GET', '/v3/certificates', '1554208460', '593BEC0C930BF1AFEB40B4A08C8FB242', ''),
    ).toBe(DOCS_GET);
  });

  it('signs the docs example to the vector (SHA256withRSA, PKCS#1 v1.5)', () => {
    expect(rsaSign(DOCS_GET, platformKey)).toBe(DOCS_GET_SIGNATURE);
    expect(rsaVerify(DOCS_GET, DOCS_GET_SIGNATURE, platformPublic)).toBe(true);
    expect(rsaVerify(DOCS_GET.replace('1554208460', '1554208461'), DOCS_GET_SIGNATURE, platformPublic)).toBe(
      false,
    );
  });

  it('agrees with wechatpay-node-v3 on the signing string, and parses its Authorization header in any order', () => {
    const lib = new WxPay({
      appid: 'wx1',
      mchid: '1900009191',
      serial_no: 'ABC123',
      publicKey: Buffer.from('x'),
      privateKey: Buffer.from(platformKey),
    });
    const body = { mchid: '1900009191', out_trade_no: 'WD1T0' };
    const libSig = lib.getSignature('POST', 'n0nce', '1554208460', '/v3/pay/transactions/jsapi', body);
    expect(libSig).toBe(
      rsaSign(
        requestSigningString(
          'POST',
          '/v3/pay/transactions/jsapi',
          '1554208460',
          'n0nce',
          JSON.stringify(body),
        ),
        platformKey,
      ),
    );
    const header = lib.getAuthorization('n0nce', '1554208460', libSig);
    expect(parseAuthorization(header)).toEqual({
      mchid: '1900009191',
      nonce: 'n0nce',
      timestamp: '1554208460',
      serialNo: 'ABC123',
      signature: libSig,
    });
    const ours = authorizationHeader({
      mchid: 'm',
      serialNo: 's',
      nonce: 'n',
      timestamp: '1',
      signature: 'x',
    });
    expect(parseAuthorization(ours)).toEqual({
      mchid: 'm',
      serialNo: 's',
      nonce: 'n',
      timestamp: '1',
      signature: 'x',
    });
    expect(parseAuthorization('Bearer abc')).toBeNull();
  });
});

describe('wx.requestPayment paySign (§2.5)', () => {
  it('signs appId\\ntimeStamp\\nnonceStr\\npackage\\n to the vector (signType is not signed)', () => {
    const s = paySignString(
      'wx8888888888888888',
      '1414561699',
      '5K8264ILTKCH16CQ2502SI8ZNMTM67VS',
      'prepay_id=wx201410272009395522657a690389285100',
    );
    expect(s).toBe(
      'wx8888888888888888\n1414561699\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\nprepay_id=wx201410272009395522657a690389285100\n',
    );
    expect(rsaSign(s, platformKey)).toBe(PAY_SIGNATURE);
  });
});

describe('AEAD_AES_256_GCM (§2.6)', () => {
  const resource = {
    algorithm: 'AEAD_AES_256_GCM',
    ciphertext: GCM_CIPHERTEXT,
    nonce: '9pdwAf1WzqnL',
    associated_data: 'transaction',
  };

  it('encrypts and decrypts the vector', () => {
    expect(encryptResource(GCM_PLAIN, APIV3_KEY, '9pdwAf1WzqnL', 'transaction').ciphertext).toBe(
      GCM_CIPHERTEXT,
    );
    expect(decryptResource(resource, APIV3_KEY)).toBe(GCM_PLAIN);
  });

  it.each([
    ['a flipped tag byte', { ...resource, ciphertext: flipLast(GCM_CIPHERTEXT) }],
    ['other associated data', { ...resource, associated_data: 'refund' }],
    ['another nonce', { ...resource, nonce: '9pdwAf1WzqnM' }],
  ])('refuses %s (the tag is checked)', (_, r) => {
    expect(() => decryptResource(r, APIV3_KEY)).toThrow(GcmError);
  });

  it('refuses a wrong APIv3 key — where wechatpay-node-v3 returns garbage without an error', () => {
    const wrong = 'fedcba9876543210fedcba9876543210';
    expect(() => decryptResource(resource, wrong)).toThrow(GcmError);
    const lib = new WxPay({
      appid: 'wx1',
      mchid: '1',
      serial_no: 'A',
      publicKey: Buffer.from('x'),
      privateKey: Buffer.from(platformKey),
    });
    expect(() =>
      lib.decipher_gcm(flipLast(GCM_CIPHERTEXT), 'transaction', '9pdwAf1WzqnL', APIV3_KEY),
    ).not.toThrow();
  });
});

describe('response and notification verification (§2.3), both key modes', () => {
  const pub = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pubPem = pub.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const certSerial = new crypto.X509Certificate(platformCert).serialNumber;
  const now = 1_767_225_600;
  const signed = (serial: string, key: crypto.KeyLike, body: string, ts = now) => {
    const nonce = 'N0NCE';
    return {
      'wechatpay-timestamp': String(ts),
      'wechatpay-nonce': nonce,
      'wechatpay-serial': serial,
      'wechatpay-signature': rsaSign(responseSigningString(String(ts), nonce, body), key),
    };
  };
  const verifier = (
    refresh = jest.fn(async () => [{ serialNo: certSerial, pem: platformCert, expireTime: '' }]),
  ) => ({
    refresh,
    v: new WeChatPayVerifier({
      publicKey: { id: 'PUB_KEY_ID_0114232220', pem: pubPem },
      nowSeconds: () => now,
      refresh,
    }),
  });
  const reason = async (p: Promise<void>) =>
    p.then(
      () => 'ok',
      (e: WeChatPaySignatureError) => e.reason,
    );

  it('accepts a platform-certificate signature after one certificate download', async () => {
    const { v, refresh } = verifier();
    await v.verify(signed(certSerial, platformKey, '{"a":1}'), '{"a":1}');
    await v.verify(signed(certSerial, platformKey, ''), '');
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('accepts a public-key signature (PUB_KEY_ID_…) with no download', async () => {
    const { v, refresh } = verifier();
    await v.verify(signed('PUB_KEY_ID_0114232220', pub.privateKey, '{}'), '{}');
    expect(refresh).not.toHaveBeenCalled();
  });

  it('refuses a changed body, a stale timestamp, an unknown key, a missing header and a probe', async () => {
    const { v } = verifier();
    const h = signed('PUB_KEY_ID_0114232220', pub.privateKey, '{"total":1}');
    expect(await reason(v.verify(h, '{"total":2}'))).toBe('bad_signature');
    expect(
      await reason(v.verify(signed('PUB_KEY_ID_0114232220', pub.privateKey, '{}', now - 300), '{}')),
    ).toBe('stale_timestamp');
    expect(await reason(v.verify(signed('PUB_KEY_ID_9', pub.privateKey, '{}'), '{}'))).toBe('unknown_serial');
    expect(await reason(v.verify(signed('ABCDEF', platformKey, '{}'), '{}'))).toBe('unknown_serial');
    expect(await reason(v.verify({ ...h, 'wechatpay-nonce': undefined }, '{"total":1}'))).toBe(
      'missing_header',
    );
    expect(
      await reason(v.verify({ ...h, 'wechatpay-signature': 'WECHATPAY/SIGNTEST/abc' }, '{"total":1}')),
    ).toBe('probe');
    // A platform key posing as the public key is refused.
    expect(await reason(v.verify(signed('PUB_KEY_ID_0114232220', platformKey, '{}'), '{}'))).toBe(
      'bad_signature',
    );
  });
});

describe('trade bill', () => {
  it('parses back-ticked rows in 元 into fen and stops at the summary', () => {
    const file = [
      '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注',
      '`2026-01-01 10:00:00,`wx1,`1230000109,`,`,`4200001,`WD1T00,`o1,`JSAPI,`SUCCESS,`OTHERS,`CNY,`24.60,`0.00,`,`,`0.00,`0.00,`,`,`充电,`,`0.00,`0.60%,`24.60,`0.00,`',
      '`2026-01-01 11:00:00,`wx1,`1230000109,`,`,`4200001,`WD1T00,`o1,`JSAPI,`REFUND,`OTHERS,`CNY,`0.00,`0.00,`5030001,`1-rf1,`4.00,`0.00,`ORIGINAL,`SUCCESS,`充电,`,`0.00,`0.60%,`24.60,`4.00,`',
      '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额',
      '`2,`24.60,`4.00,`0.00,`0.00,`24.60,`4.00',
    ].join('\r\n');
    expect(parseTradeBill(file)).toEqual([
      {
        tradeTime: '2026-01-01 10:00:00',
        transactionId: '4200001',
        outTradeNo: 'WD1T00',
        state: 'SUCCESS',
        totalFen: 2460,
        outRefundNo: '',
        refundFen: 0,
        refundState: '',
      },
      {
        tradeTime: '2026-01-01 11:00:00',
        transactionId: '4200001',
        outTradeNo: 'WD1T00',
        state: 'REFUND',
        totalFen: 2460,
        outRefundNo: '1-rf1',
        refundFen: 400,
        refundState: 'SUCCESS',
      },
    ]);
    expect([yuanToFen('0.1'), yuanToFen('19.99'), yuanToFen('3')]).toEqual([10, 1999, 300]);
  });
});

function flipLast(b64: string): string {
  const b = Buffer.from(b64, 'base64');
  b[b.length - 1] = b[b.length - 1]! ^ 1;
  return b.toString('base64');
}
