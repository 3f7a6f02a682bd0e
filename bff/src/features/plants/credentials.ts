import type { Redis } from 'ioredis';
import type { CredentialStore, Credentials } from '../../adapters/isolarcloud/client';
import type { Clock } from '../../infra/clock';
import type { SecretBox } from '../../infra/secret-box';
import type { ConnectionRow, PlantsRepository } from './repository';

const CACHE_SEC = 600;

/**
 * Each organization's iSolarCloud credentials: sealed (AES-GCM, `SecretBox`) in `pv_connections`, with a
 * sealed copy cached in Redis. Renewals run under the row's lock (`select … for update`), so exactly one
 * refresh or re-login happens at a time across every instance; the others then read its result.
 */
export class PgCredentialStore implements CredentialStore {
  constructor(
    private readonly repo: PlantsRepository,
    private readonly box: SecretBox,
    private readonly redis: Redis,
    private readonly clock: Clock,
  ) {}

  private key = (orgId: number) => `plants:cred:${orgId}`;

  async load(orgId: number): Promise<Credentials | null> {
    const cached = await this.redis.get(this.key(orgId));
    if (cached) {
      try {
        return this.box.open<Credentials>(cached);
      } catch {
        await this.forget(orgId);
      }
    }
    const row = await this.repo.connection(orgId);
    if (!row) return null;
    const c = this.decode(row);
    await this.redis.set(this.key(orgId), this.box.seal(c), 'EX', CACHE_SEC);
    return c;
  }

  async renew(
    orgId: number,
    fn: (current: Credentials | null) => Promise<Credentials | undefined>,
  ): Promise<Credentials | null> {
    try {
      return await this.repo.db.transaction(async (tx) => {
        const row = await this.repo.lockConnection(tx, orgId);
        const cur = row ? this.decode(row) : null;
        const next = await fn(cur);
        if (next === undefined) return cur;
        await this.repo.updateSecret(tx, orgId, this.seal(next), next.version, this.clock.now());
        return next;
      });
    } finally {
      await this.forget(orgId);
    }
  }

  /** The sealed form stored in the row (what only the credentials need; mode and region are columns too). */
  seal(c: Credentials): string {
    return this.box.seal(c);
  }

  async forget(orgId: number): Promise<void> {
    await this.redis.del(this.key(orgId));
  }

  private decode(row: ConnectionRow): Credentials {
    const c = this.box.open<Credentials>(row.secret);
    return { ...c, version: row.version } as Credentials;
  }
}
