import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  it('seals so the text is unreadable and opens only under the same key', () => {
    const box = new SecretBox('k'.repeat(32), { production: true });
    const sealed = box.seal({ token: 'abc123secret' });
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('abc123secret');
    expect(box.open(sealed)).toEqual({ token: 'abc123secret' });
    expect(() => new SecretBox('x'.repeat(32), { production: true }).open(sealed)).toThrow();
    // Flip a fully significant ciphertext character (the last one may carry padding bits only).
    const at = sealed.length - 2;
    const tampered = sealed.slice(0, at) + (sealed[at] === 'A' ? 'B' : 'A') + sealed.slice(at + 1);
    expect(tampered).not.toBe(sealed);
    expect(() => box.open(tampered)).toThrow();
  });

  it('refuses to seal without a key in production', () => {
    expect(() => new SecretBox(undefined, { production: true }).seal('x')).toThrow(/WD_SECRETS_KEY/);
    expect(new SecretBox(undefined, { production: false }).seal('x')).toMatch(/^v1\./);
  });
});
