import crypto from 'node:crypto';

/**
 * Encrypts third-party secrets (tokens, passwords) before they are stored: AES-256-GCM under a key
 * derived (SHA-256) from `WD_SECRETS_KEY`. A sealed value is `v1.<iv>.<tag>.<ciphertext>` (base64url),
 * so a stolen database row or Redis value reveals nothing without the key. Without a configured key
 * (development, tests, demo) a fixed development key is used; production refuses to seal without one
 * (an installation that stores no third-party credentials needs no key).
 */
export class SecretBox {
  private readonly key: Buffer;
  private readonly missing: boolean;

  constructor(secret: string | undefined, opts: { production: boolean }) {
    this.missing = !secret && opts.production;
    this.key = crypto
      .createHash('sha256')
      .update(secret ?? 'wattdesk-development-only-secrets-key')
      .digest();
  }

  /** Whether `seal` works (a key is configured, or this is not production). */
  get canSeal(): boolean {
    return !this.missing;
  }

  /** Encrypts a JSON-serialisable value. */
  seal(value: unknown): string {
    if (this.missing)
      throw new Error('WD_SECRETS_KEY is required in production to store third-party credentials');
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return ['v1', iv, tag, data].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  /** Decrypts what `seal` made; throws on a value sealed under another key or tampered with. */
  open<T = unknown>(sealed: string): T {
    const [v, iv, tag, data] = sealed.split('.');
    if (v !== 'v1' || !iv || !tag || data === undefined) throw new Error('not a sealed value');
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const text = Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]);
    return JSON.parse(text.toString('utf8')) as T;
  }
}
