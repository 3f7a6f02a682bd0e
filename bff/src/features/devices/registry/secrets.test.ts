import { hashSecret, issueSecret, secretMatches } from './secrets';

describe('device secrets', () => {
  it('issues 256-bit secrets, stores only their SHA-256, and matches only the exact secret', () => {
    const a = issueSecret();
    const b = issueSecret();
    expect(a.secret).not.toBe(b.secret);
    expect(Buffer.from(a.secret.slice(4), 'base64url')).toHaveLength(32);
    expect(a.hash).toBe(hashSecret(a.secret));
    expect(a.hash).not.toContain(a.secret);
    expect(secretMatches(a.hash, a.secret)).toBe(true);
    expect(secretMatches(a.hash, b.secret)).toBe(false);
    expect(secretMatches(a.hash, `${a.secret} `)).toBe(false);
    expect(secretMatches(a.hash, '')).toBe(false);
  });
});
