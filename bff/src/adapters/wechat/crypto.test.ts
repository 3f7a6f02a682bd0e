import {
  decryptOpenData,
  DecryptError,
  encryptOpenData,
  randomKey16,
  rawDataSignature,
  verifyRawDataSignature,
} from './crypto';

// The official test vector and signature example (external-apis.md §1(b), WXBizDataCrypt demo).
const APPID = 'wx4f4bc4dec97d474b';
const SESSION_KEY = 'tiihtNczf5v6AKRyjwEUhQ==';
const IV = 'r7BXXKkLb8qrSNn05n0qiA==';
const ENCRYPTED =
  'CiyLU1Aw2KjvrjMdj8YKliAjtP4gsMZMQmRzooG2xrDcvSnxIMXFufNstNGTyaGS9uT5geRa0W4oTOb1WT7fJlAC+oNPdbB+3hVbJSRgv+4lGOETKUQz6OYStslQ142dNCuabNPGBzlooOmB231qMM85d2/fV6ChevvXvQP8Hkue1poOFtnEtpyxVLW1zAo6/1Xx1COxFvrc2d7UL/lmHInNlxuacJXwu0fjpXfz/YqYzBIBzD6WUfTIF9GRHpOn/Hz7saL8xz+W//FRAUid1OksQaQx4CMs8LOddcQhULW4ucetDf96JcR3g0gfRK4PC7E/r7Z6xNrXd2UIeorGj5Ef7b1pJAYB6Y5anaHqZ9J6nKEBvB4DnNLIVWSgARns/8wR2SiRS7MNACwTyrGvt9ts8p12PKFdlqYTopNHR1Vf7XjfhQlVsAJdNiKdYmYVoKlaRv85IfVunYzO0IKXsyl7JCUjCpoG20f0a04COwfneQAGGwd5oa+T8yO5hzuyDb/XcxxmK01EpqOyuxINew==';
const PLAINTEXT = {
  openId: 'oGZUI0egBJY1zhBYw2KhdUfwVJJE',
  nickName: 'Band',
  gender: 1,
  language: 'zh_CN',
  city: 'Guangzhou',
  province: 'Guangdong',
  country: 'CN',
  avatarUrl:
    'http://wx.qlogo.cn/mmopen/vi_32/aSKcBBPpibyKNicHNTMM0qJVh8Kjgiak2AHWr8MHM4WgMEm7GFhsf8OYrySdbvAMvTsw3mo8ibKicsnfN5pRjl1p8HQ/0',
  unionId: 'ocMvos6NjeKLIBqg5Mr9QjxrP1FA',
  watermark: { timestamp: 1477314187, appid: APPID },
};
const RAW_DATA =
  '{"nickName":"Band","gender":1,"language":"zh_CN","city":"Guangzhou","province":"Guangdong","country":"CN","avatarUrl":"http://wx.qlogo.cn/mmopen/vi_32/1vZvI39NWFQ9XM4LtQpFrQJ1xlgZxx3w7bQxKARol6503Iuswjjn6nIGBiaycAjAtpujxyzYsrztuuICqIM5ibXQ/0"}';
const RAW_KEY = 'HyVFkGl5F5OQWJZZaNzBBg==';
const RAW_SIGNATURE = '75e81ceda165f4ffa64f4068af58c64b8f54b88c';

const failure = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (err instanceof DecryptError) return err.reason;
    throw err;
  }
  throw new Error('expected a DecryptError');
};

describe('WeChat open-data decryption', () => {
  it('decrypts the official test vector to the published plaintext', () => {
    expect(decryptOpenData(ENCRYPTED, SESSION_KEY, IV, APPID)).toEqual(PLAINTEXT);
  });

  it('round-trips what it encrypts, so the fake server produces data the real check accepts', () => {
    const key = randomKey16();
    const iv = randomKey16();
    const data = { phoneNumber: '13580006666', watermark: { appid: 'wxabc', timestamp: 1 } };
    expect(decryptOpenData(encryptOpenData(data, key, iv), key, iv, 'wxabc')).toEqual(data);
  });

  it('refuses data watermarked for another appid (-41003)', () => {
    expect(failure(() => decryptOpenData(ENCRYPTED, SESSION_KEY, IV, 'wx0000000000000000'))).toBe(
      'watermark_mismatch',
    );
  });

  it('refuses a session_key that is not 24 base64 characters (-41001)', () => {
    expect(failure(() => decryptOpenData(ENCRYPTED, 'tiihtNczf5v6AKRyjwEU', IV, APPID))).toBe(
      'illegal_aes_key',
    );
    expect(failure(() => decryptOpenData(ENCRYPTED, 'tiihtNczf5v6AKRyjwEUh!==', IV, APPID))).toBe(
      'illegal_aes_key',
    );
  });

  it('refuses an iv that is not 24 base64 characters (-41002)', () => {
    expect(failure(() => decryptOpenData(ENCRYPTED, SESSION_KEY, 'r7BXXKkLb8qrSNn05n0q', APPID))).toBe(
      'illegal_iv',
    );
  });

  it('refuses encryptedData that is not base64 (-41004)', () => {
    expect(failure(() => decryptOpenData('not base64 at all!', SESSION_KEY, IV, APPID))).toBe(
      'decode_base64',
    );
  });

  it('refuses data decrypted with the wrong key or iv (-41003), never returning garbage', () => {
    expect(failure(() => decryptOpenData(ENCRYPTED, randomKey16(), IV, APPID))).toBe('illegal_buffer');
    // A wrong iv only garbles the first block: the plaintext is no longer JSON.
    expect(failure(() => decryptOpenData(ENCRYPTED, SESSION_KEY, randomKey16(), APPID))).toBe(
      'illegal_buffer',
    );
  });

  it('refuses a well-encrypted plaintext that carries no watermark', () => {
    const key = randomKey16();
    const iv = randomKey16();
    expect(failure(() => decryptOpenData(encryptOpenData({ nickName: 'x' }, key, iv), key, iv, 'wx'))).toBe(
      'illegal_buffer',
    );
  });
});

describe('rawData signature', () => {
  it('matches the official signature example', () => {
    expect(rawDataSignature(RAW_DATA, RAW_KEY)).toBe(RAW_SIGNATURE);
    expect(verifyRawDataSignature(RAW_DATA, RAW_KEY, RAW_SIGNATURE)).toBe(true);
  });

  it('rejects a signature over altered rawData or with another session_key', () => {
    expect(verifyRawDataSignature(RAW_DATA.replace('Band', 'Bond'), RAW_KEY, RAW_SIGNATURE)).toBe(false);
    expect(verifyRawDataSignature(RAW_DATA, SESSION_KEY, RAW_SIGNATURE)).toBe(false);
    expect(verifyRawDataSignature(RAW_DATA, RAW_KEY, 'short')).toBe(false);
  });
});
