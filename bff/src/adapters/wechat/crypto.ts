import crypto from 'node:crypto';

/**
 * WeChat's "open data" crypto (external-apis.md §1(b)): AES-128-CBC with PKCS#7 padding, the key being the
 * user's session_key, and a `watermark.appid` inside the plaintext. Error reasons follow the official
 * WXBizDataCrypt demo (-41001 … -41004).
 */
export type DecryptFailure =
  | 'illegal_aes_key' // -41001: session_key is not base64 of 16 bytes
  | 'illegal_iv' // -41002: iv is not base64 of 16 bytes
  | 'illegal_buffer' // -41003: decryption failed or the plaintext is not JSON
  | 'watermark_mismatch' // -41003: the plaintext was made for another appid
  | 'decode_base64'; // -41004: encryptedData is not base64

/** Raised when encryptedData cannot be opened; `reason` says which check failed. */
export class DecryptError extends Error {
  constructor(
    readonly reason: DecryptFailure,
    message: string,
  ) {
    super(message);
    this.name = 'DecryptError';
  }
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
// A form-encoded body turns '+' into ' ' (a classic mini-program bug); line breaks come from copy-paste.
const plusForSpace = (b64: string) => b64.replace(/ /g, '+').replace(/[\r\n\t]/g, '');

function key16(b64: string, reason: 'illegal_aes_key' | 'illegal_iv', what: string): Buffer {
  // The official demo checks the base64 length (24) before decoding; we also check the decoded size.
  if (b64.length !== 24 || !BASE64.test(b64)) throw new DecryptError(reason, `${what} 必须是 24 位 base64`);
  const buf = Buffer.from(b64, 'base64');
  if (buf.length !== 16) throw new DecryptError(reason, `${what} 必须是 16 字节`);
  return buf;
}

/** The decrypted plaintext: any JSON object carrying the watermark. */
export interface OpenData {
  watermark: { appid: string; timestamp: number };
  [field: string]: unknown;
}

/** Decrypts `encryptedData` with the user's session_key and `iv`, and checks `watermark.appid`. */
export function decryptOpenData(
  encryptedData: string,
  sessionKey: string,
  iv: string,
  appid: string,
): OpenData {
  const key = key16(sessionKey, 'illegal_aes_key', 'session_key');
  const ivBuf = key16(plusForSpace(iv), 'illegal_iv', 'iv');
  const compact = plusForSpace(encryptedData);
  if (!compact || compact.length % 4 !== 0 || !BASE64.test(compact)) {
    throw new DecryptError('decode_base64', 'encryptedData 不是合法的 base64');
  }
  const cipherText = Buffer.from(compact, 'base64');
  let plain: string;
  try {
    const decipher = crypto.createDecipheriv('aes-128-cbc', key, ivBuf);
    decipher.setAutoPadding(true); // PKCS#7 for 16-byte blocks
    plain = Buffer.concat([decipher.update(cipherText), decipher.final()]).toString('utf8');
  } catch {
    throw new DecryptError('illegal_buffer', 'encryptedData 解密失败（session_key 或 iv 不匹配）');
  }
  let data: unknown;
  try {
    data = JSON.parse(plain);
  } catch {
    throw new DecryptError('illegal_buffer', 'encryptedData 解密结果不是 JSON');
  }
  const wm = (data as { watermark?: { appid?: unknown; timestamp?: unknown } } | null)?.watermark;
  if (!data || typeof data !== 'object' || !wm || typeof wm.appid !== 'string') {
    throw new DecryptError('illegal_buffer', 'encryptedData 缺少 watermark');
  }
  if (wm.appid !== appid)
    throw new DecryptError('watermark_mismatch', 'encryptedData 的 watermark.appid 与本小程序不符');
  return data as OpenData;
}

/** Encrypts a JSON object the way WeChat does (used by the fake server and by tests). */
export function encryptOpenData(data: object, sessionKey: string, iv: string): string {
  const cipher = crypto.createCipheriv(
    'aes-128-cbc',
    key16(sessionKey, 'illegal_aes_key', 'session_key'),
    key16(iv, 'illegal_iv', 'iv'),
  );
  return Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()]).toString('base64');
}

/** `signature = hex(sha1(rawData + session_key))`, compared in constant time. */
export function verifyRawDataSignature(rawData: string, sessionKey: string, signature: string): boolean {
  const expected = rawDataSignature(rawData, sessionKey);
  const given = Buffer.from(signature.toLowerCase(), 'utf8');
  return given.length === expected.length && crypto.timingSafeEqual(given, Buffer.from(expected, 'utf8'));
}

/** The signature WeChat puts next to rawData. */
export const rawDataSignature = (rawData: string, sessionKey: string): string =>
  crypto
    .createHash('sha1')
    .update(rawData + sessionKey, 'utf8')
    .digest('hex');

/** A random 16-byte key or iv in base64 (24 characters), as WeChat issues them. */
export const randomKey16 = (): string => crypto.randomBytes(16).toString('base64');
