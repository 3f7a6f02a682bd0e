import crypto from 'node:crypto';

/**
 * WeChat Pay API v3 cryptography (external-apis.md §2.2, §2.3, §2.5, §2.6), with node:crypto only:
 * request signing strings, SHA256withRSA signatures, the `wx.requestPayment` paySign, and the
 * AEAD_AES_256_GCM resource decryption WITH the tag checked (wechatpay-node-v3's decipher_gcm skips it).
 */

export const AUTH_SCHEMA = 'WECHATPAY2-SHA256-RSA2048';

/** `METHOD\nCANONICAL_URL\nTIMESTAMP\nNONCE\nBODY\n` (the body line is empty for GET). */
export const requestSigningString = (
  method: string,
  canonicalUrl: string,
  timestamp: string,
  nonce: string,
  body: string,
): string => `${method}\n${canonicalUrl}\n${timestamp}\n${nonce}\n${body}\n`;

/** `TIMESTAMP\nNONCE\nBODY\n` — what a response or notification signature covers (raw body bytes). */
export const responseSigningString = (timestamp: string, nonce: string, body: string): string =>
  `${timestamp}\n${nonce}\n${body}\n`;

/** Base64(SHA256withRSA (PKCS#1 v1.5)). */
export const rsaSign = (text: string, privateKey: crypto.KeyLike): string =>
  crypto.createSign('RSA-SHA256').update(text, 'utf8').sign(privateKey, 'base64');

/** Verifies a Base64 SHA256withRSA signature; false (never throws) on malformed input. */
export function rsaVerify(text: string, signature: string, publicKey: crypto.KeyLike): boolean {
  try {
    return crypto.createVerify('RSA-SHA256').update(text, 'utf8').verify(publicKey, signature, 'base64');
  } catch {
    return false;
  }
}

/** The `Authorization` header value for a signed request. */
export function authorizationHeader(a: {
  mchid: string;
  serialNo: string;
  nonce: string;
  timestamp: string;
  signature: string;
}): string {
  return `${AUTH_SCHEMA} mchid="${a.mchid}",nonce_str="${a.nonce}",timestamp="${a.timestamp}",serial_no="${a.serialNo}",signature="${a.signature}"`;
}

/** Parses an `Authorization: WECHATPAY2-SHA256-RSA2048 k="v",…` header (any field order); null if malformed. */
export function parseAuthorization(
  header: string | undefined,
): { mchid: string; nonce: string; timestamp: string; serialNo: string; signature: string } | null {
  if (!header?.startsWith(`${AUTH_SCHEMA} `)) return null;
  const fields = new Map<string, string>();
  for (const m of header.slice(AUTH_SCHEMA.length + 1).matchAll(/(\w+)="([^"]*)"/g)) fields.set(m[1]!, m[2]!);
  const [mchid, nonce, timestamp, serialNo, signature] = [
    'mchid',
    'nonce_str',
    'timestamp',
    'serial_no',
    'signature',
  ].map((k) => fields.get(k));
  if (!mchid || !nonce || !timestamp || !serialNo || !signature) return null;
  return { mchid, nonce, timestamp, serialNo, signature };
}

/** paySign for `wx.requestPayment`: SHA256withRSA over `appId\ntimeStamp\nnonceStr\npackage\n` (§2.5). */
export const paySignString = (appId: string, timeStamp: string, nonceStr: string, pkg: string): string =>
  `${appId}\n${timeStamp}\n${nonceStr}\n${pkg}\n`;

export class GcmError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GcmError';
  }
}

/** An encrypted `resource` of a notification or of the certificate download. */
export interface EncryptedResource {
  algorithm?: string;
  ciphertext: string;
  nonce: string;
  associated_data?: string;
}

/**
 * AEAD_AES_256_GCM decryption (RFC 5116): key = the APIv3 key as 32 raw ASCII bytes, nonce = the
 * 12-byte ASCII string, AAD = associated_data, the last 16 bytes of the base64 ciphertext are the tag.
 * `final()` checks the tag: a tampered ciphertext, AAD or a wrong key throws GcmError.
 */
export function decryptResource(resource: EncryptedResource, apiV3Key: string): string {
  if (resource.algorithm !== undefined && resource.algorithm !== 'AEAD_AES_256_GCM')
    throw new GcmError(`unsupported algorithm ${resource.algorithm}`);
  const key = Buffer.from(apiV3Key, 'utf8');
  if (key.length !== 32) throw new GcmError('APIv3 key must be 32 bytes');
  const nonce = Buffer.from(resource.nonce, 'utf8');
  if (nonce.length !== 12) throw new GcmError('nonce must be 12 bytes');
  const data = Buffer.from(resource.ciphertext, 'base64');
  if (data.length < 17) throw new GcmError('ciphertext too short');
  const tag = data.subarray(data.length - 16);
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: 16 });
  decipher.setAuthTag(tag);
  decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'));
  try {
    return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw new GcmError('GCM tag check failed');
  }
}

/** The inverse of decryptResource (for the fake and for test vectors). */
export function encryptResource(
  plaintext: string,
  apiV3Key: string,
  nonce: string,
  associatedData: string,
): EncryptedResource & { algorithm: 'AEAD_AES_256_GCM' } {
  const cipher = crypto.createCipheriv(
    'aes-256-gcm',
    Buffer.from(apiV3Key, 'utf8'),
    Buffer.from(nonce, 'utf8'),
  );
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return {
    algorithm: 'AEAD_AES_256_GCM',
    ciphertext: ct.toString('base64'),
    nonce,
    associated_data: associatedData,
  };
}

/** A random nonce of 32 upper-case hex characters (what the docs use). */
export const hexNonce = (): string => crypto.randomBytes(16).toString('hex').toUpperCase();
/** A random 12-character ASCII nonce for AES-GCM. */
export const gcmNonce = (): string => crypto.randomBytes(9).toString('base64url').slice(0, 12);
