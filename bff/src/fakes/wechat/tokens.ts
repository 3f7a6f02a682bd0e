import crypto from 'node:crypto';
import { wxError, type WxBody } from './wx-error';

interface TokenEntry {
  appid: string;
  kind: 'basic' | 'stable';
  expiresAt: number;
  validUntil: number;
}

const OVERLAP_MS = 5 * 60_000;

/** Access tokens of the fake (external-apis.md §1(c)); the two endpoints' tokens never invalidate each other. */
export class FakeTokens {
  private readonly tokens = new Map<string, TokenEntry>();
  private readonly stableSlots = new Map<string, { token: string; forced: number[] }>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs: number,
  ) {}

  private issue(appid: string, kind: 'basic' | 'stable'): { access_token: string; expires_in: number } {
    const token = `${kind === 'stable' ? 'S' : 'B'}_${crypto.randomBytes(96).toString('base64url')}`;
    const now = this.now();
    this.tokens.set(token, { appid, kind, expiresAt: now + this.ttlMs, validUntil: now + this.ttlMs });
    return { access_token: token, expires_in: this.ttlMs / 1000 };
  }

  /** cgi-bin/token: a new token; the previous one keeps working for 5 minutes. */
  basic(appid: string): WxBody {
    const now = this.now();
    for (const t of this.tokens.values())
      if (t.appid === appid && t.kind === 'basic') t.validUntil = Math.min(t.validUntil, now + OVERLAP_MS);
    return this.issue(appid, 'basic');
  }

  /** stable_token: the same token while valid, a new one in its last 5 minutes; forced at most every 30 s, 20 a day. */
  stable(appid: string, force: boolean): WxBody {
    const now = this.now();
    const slot = this.stableSlots.get(appid) ?? { token: '', forced: [] };
    this.stableSlots.set(appid, slot);
    const current = this.tokens.get(slot.token);
    if (force) {
      slot.forced = slot.forced.filter((t) => now - t < 86_400_000);
      if (slot.forced.length >= 20) return wxError(45009, 'reach max api daily quota limit');
      if (slot.forced.length && now - slot.forced[slot.forced.length - 1]! < 30_000)
        return wxError(45011, 'api minute-quota reach limit  mustslower  retry next minute');
      slot.forced.push(now);
      if (current) current.validUntil = now;
    } else if (current && current.validUntil > now && current.expiresAt - now > OVERLAP_MS) {
      return { access_token: slot.token, expires_in: Math.floor((current.expiresAt - now) / 1000) };
    }
    const issued = this.issue(appid, 'stable');
    slot.token = issued.access_token;
    return issued;
  }

  /** The app an access_token belongs to, or the error WeChat answers for it. */
  check(token: string | undefined): { appid: string } | { error: WxBody } {
    if (!token) return { error: wxError(41001, 'access_token missing') };
    const t = this.tokens.get(token);
    const now = this.now();
    if (t && t.expiresAt <= now) return { error: wxError(42001, 'access_token expired') };
    if (!t || t.validUntil <= now)
      return { error: wxError(40001, 'invalid credential, access_token is invalid or not latest') };
    return { appid: t.appid };
  }
}
