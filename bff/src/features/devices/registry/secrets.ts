import crypto from 'node:crypto';

/**
 * Device secrets: 256 random bits, shown once. A secret this long cannot be guessed, so a plain
 * SHA-256 stored in the database is enough (argon2 would cost every broker connect ~50 ms for nothing).
 */
export function issueSecret(): { secret: string; hash: string } {
  const secret = `wds_${crypto.randomBytes(32).toString('base64url')}`;
  return { secret, hash: hashSecret(secret) };
}

/** SHA-256 hex of a secret. */
export const hashSecret = (secret: string): string =>
  crypto.createHash('sha256').update(secret, 'utf8').digest('hex');

/** Constant-time check of a presented secret against a stored hash. */
export function secretMatches(storedHash: string, presented: string): boolean {
  const a = Buffer.from(storedHash, 'hex');
  const b = Buffer.from(hashSecret(presented), 'hex');
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
