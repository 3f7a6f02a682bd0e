import crypto from 'node:crypto';

/**
 * Encrypts stored platform secrets at rest (AES-256-GCM, a random 12-byte IV per value). The key is
 * SHA-256 of PRP_SECRET_KEY; without one (development, tests, demo) a fixed development key is used,
 * which production refuses (see ProvincialService.saveConnection).
 */
export class SecretBox {
  private readonly key: Buffer;
  readonly development: boolean;

  constructor(secretKey: string | undefined) {
    this.development = !secretKey;
    this.key = crypto
      .createHash('sha256')
      .update(secretKey ?? 'wattdesk-development-provincial-secret-key')
      .digest();
  }

  /** `v1:<iv>:<tag>:<ciphertext>`, base64 parts. */
  seal(plain: string): string {
    const iv = crypto.randomBytes(12);
    const c = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return ['v1', iv.toString('base64'), c.getAuthTag().toString('base64'), data.toString('base64')].join(
      ':',
    );
  }

  open(sealed: string): string {
    const [v, iv, tag, data] = sealed.split(':');
    if (v !== 'v1' || !iv || !tag || data === undefined) throw new Error('unknown sealed secret format');
    const d = crypto.createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    d.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([d.update(Buffer.from(data, 'base64')), d.final()]).toString('utf8');
  }
}
