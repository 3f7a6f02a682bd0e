import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Seals operator secrets at rest with AES-256-GCM. The HMAC of seed 004 needs the secret itself, so it
 * cannot be hashed; the key lives outside the database (WD_CHARGING_SECRET_KEY, or a random key file
 * in the data folder created on first use, mode 0600).
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  /** The box for a configured key, or for the data folder's key file (created when missing). */
  static open(configuredKey: string | undefined, dataDir: string): SecretBox {
    if (configuredKey) return new SecretBox(crypto.createHash('sha256').update(configuredKey).digest());
    const file = path.join(dataDir, 'charging-secret.key');
    try {
      return new SecretBox(Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64'));
    } catch {
      fs.mkdirSync(dataDir, { recursive: true });
      const key = crypto.randomBytes(32);
      try {
        fs.writeFileSync(file, key.toString('base64'), { mode: 0o600, flag: 'wx' });
        return new SecretBox(key);
      } catch {
        // Another process created it first: use theirs.
        return new SecretBox(Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64'));
      }
    }
  }

  /** `v1.<iv>.<tag>.<ciphertext>` (base64url parts). */
  seal(plain: string): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), data]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  /** The plain secret; throws when the text was not sealed with this key. */
  open(sealed: string): string {
    const [v, iv, tag, data] = sealed.split('.');
    if (v !== 'v1' || !iv || !tag || data === undefined) throw new Error('not a sealed secret');
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }
}
