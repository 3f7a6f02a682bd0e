import { invalid } from '../../core/errors';
import type { UserInfo } from './sources';

/** Who a notification goes to: a user of the organization, or a bare address (email / SMS). */
export type Target =
  { kind: 'user'; user: UserInfo } | { kind: 'email'; address: string } | { kind: 'phone'; phone: string };

const EMAIL = /^[^\s@,，]+@[^\s@,，]+\.[^\s@,，]+$/;
const PHONE = /^\+?\d{6,16}$/;

/** The entries of a `Notify_Address` / `Escalate_To` list. */
export const entriesOf = (raw: string): string[] =>
  raw
    .split(/[,，;；]/)
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * Resolves a `Notify_Address` for a channel (1 platform, 2 SMS, 3 email, 4 WeChat). Users are named by
 * user name or `Usr_ID`; SMS also takes a mobile number and email an address. An entry that is none of
 * these is a 4103 naming the field — so a typo never silently drops a recipient.
 */
export function resolveTargets(
  raw: string,
  channel: number,
  users: readonly UserInfo[],
  field = 'Notify_Address',
): Target[] {
  const out: Target[] = [];
  const seen = new Set<string>();
  for (const entry of entriesOf(raw)) {
    const user = users.find((u) => u.name === entry || String(u.id) === entry);
    let t: Target | null = null;
    if (user) t = { kind: 'user', user };
    else if (channel === 3 && EMAIL.test(entry)) t = { kind: 'email', address: entry.toLowerCase() };
    else if (channel === 2 && PHONE.test(entry)) t = { kind: 'phone', phone: entry };
    if (!t) {
      const what =
        channel === 2
          ? '本组织用户名、用户ID或手机号'
          : channel === 3
            ? '本组织用户名、用户ID或邮箱'
            : '本组织用户名或用户ID';
      throw invalid(field, `“${entry}”不是${what}`);
    }
    const key = targetKey(t);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(t);
    }
  }
  if (out.length > 50) throw invalid(field, '最多 50 个接收人');
  return out;
}

/** The recipient part of a delivery's idempotency key. */
export const targetKey = (t: Target): string =>
  t.kind === 'user' ? `u:${t.user.id}` : t.kind === 'email' ? `e:${t.address}` : `s:${t.phone}`;

/** How a recipient is shown (user name, or the address). */
export const targetLabel = (t: Target): string =>
  t.kind === 'user' ? t.user.name : t.kind === 'email' ? t.address : t.phone;
