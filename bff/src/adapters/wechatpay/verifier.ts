import crypto from 'node:crypto';
import { decryptResource, responseSigningString, rsaVerify, type EncryptedResource } from './crypto';

/** Why a response or notification was refused (for logs and tests; never shown to a caller). */
export type VerifyFailure =
  'missing_header' | 'stale_timestamp' | 'unknown_serial' | 'probe' | 'bad_signature';

export class WeChatPaySignatureError extends Error {
  constructor(readonly reason: VerifyFailure) {
    super(`WeChat Pay signature refused: ${reason}`);
    this.name = 'WeChatPaySignatureError';
  }
}

/** The four signature headers (lower-case names, as node gives them). */
export interface SignatureHeaders {
  'wechatpay-timestamp'?: string;
  'wechatpay-nonce'?: string;
  'wechatpay-signature'?: string;
  'wechatpay-serial'?: string;
}

/** A downloaded platform certificate (`GET /v3/certificates`, decrypted). */
export interface PlatformCertificate {
  serialNo: string;
  pem: string;
  expireTime: string;
}

/** Windows shared with wechatpay-go: |now − Wechatpay-Timestamp| must be below 300 s. */
export const MAX_SKEW_SECONDS = 300;

/** Decrypts and checks one entry of the `/v3/certificates` answer (the GCM tag checked). */
export function certificateFromDownload(
  entry: { serial_no: string; expire_time: string; encrypt_certificate: EncryptedResource },
  apiV3Key: string,
): PlatformCertificate {
  const pem = decryptResource(entry.encrypt_certificate, apiV3Key);
  const cert = new crypto.X509Certificate(pem);
  if (cert.serialNumber.toUpperCase() !== entry.serial_no.toUpperCase())
    throw new WeChatPaySignatureError('unknown_serial');
  return { serialNo: cert.serialNumber.toUpperCase(), pem, expireTime: entry.expire_time };
}

/**
 * Verifies WeChat Pay signatures of responses and notifications in BOTH key modes at once (what
 * wechatpay-go's SHA256WithRSACombinedVerifier does): `Wechatpay-Serial` = `PUB_KEY_ID_…` picks the
 * WeChat Pay public key, any other serial a platform certificate; an unknown certificate serial
 * triggers one certificate download (`refresh`) before it is refused.
 */
export class WeChatPayVerifier {
  private readonly certs = new Map<string, crypto.KeyObject>();
  private refreshing?: Promise<void>;

  constructor(
    private readonly opts: {
      /** Public-key mode: the key id (`PUB_KEY_ID_…`) and pub_key.pem. */
      publicKey?: { id: string; pem: string };
      /** Downloads and decrypts the platform certificates (platform-certificate mode). */
      refresh?: () => Promise<PlatformCertificate[]>;
      nowSeconds: () => number;
    },
  ) {}

  /** Adds platform certificates (after a download, or given in tests). */
  addCertificates(certs: PlatformCertificate[]): void {
    for (const c of certs)
      this.certs.set(c.serialNo.toUpperCase(), new crypto.X509Certificate(c.pem).publicKey);
  }

  /** Throws WeChatPaySignatureError unless the raw body was signed by WeChat Pay within the window. */
  async verify(headers: SignatureHeaders, rawBody: string): Promise<void> {
    const ts = headers['wechatpay-timestamp'];
    const nonce = headers['wechatpay-nonce'];
    const signature = headers['wechatpay-signature'];
    const serial = headers['wechatpay-serial'];
    if (!ts || !nonce || !signature || !serial) throw new WeChatPaySignatureError('missing_header');
    // Signature-probe traffic is expected to fail verification (external-apis.md §2.6).
    if (signature.startsWith('WECHATPAY/SIGNTEST/')) throw new WeChatPaySignatureError('probe');
    if (!/^\d{1,12}$/.test(ts) || Math.abs(this.opts.nowSeconds() - Number(ts)) >= MAX_SKEW_SECONDS)
      throw new WeChatPaySignatureError('stale_timestamp');
    const key = await this.keyFor(serial);
    if (!rsaVerify(responseSigningString(ts, nonce, rawBody), signature, key))
      throw new WeChatPaySignatureError('bad_signature');
  }

  private async keyFor(serial: string): Promise<crypto.KeyLike> {
    if (serial.startsWith('PUB_KEY_ID_')) {
      if (this.opts.publicKey?.id !== serial) throw new WeChatPaySignatureError('unknown_serial');
      return this.opts.publicKey.pem;
    }
    const upper = serial.toUpperCase();
    let key = this.certs.get(upper);
    if (!key && this.opts.refresh) {
      // One download at a time, however many notifications arrive with the new serial.
      this.refreshing ??= this.opts
        .refresh()
        .then((certs) => this.addCertificates(certs))
        .finally(() => (this.refreshing = undefined));
      await this.refreshing;
      key = this.certs.get(upper);
    }
    if (!key) throw new WeChatPaySignatureError('unknown_serial');
    return key;
  }
}
