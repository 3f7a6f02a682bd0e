import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../infra/db/client';
import { imageVersion } from '../../core/images';
import { auditLog, organizations, sessions, users, wechatIdentities } from './tables';

export type UserRow = typeof users.$inferSelect;
export type WeChatIdentityRow = typeof wechatIdentities.$inferSelect;

/** The avatar URL of a WeChat identity: our stored pick (readable by its organization), else WeChat's, else ''. */
export const wechatAvatarUrl = (row: WeChatIdentityRow): string =>
  row.avatarKey
    ? `/api_3/xcx_avatar?id=${row.userId}&v=${imageVersion(row.avatarKey)}`
    : (row.avatarUrl ?? '');
export type SessionRow = typeof sessions.$inferSelect;

/** The only code that reads or writes accounts tables. Every lookup by id also takes the org id. */
export class AccountsRepository {
  constructor(private readonly db: Db) {}

  async createOrgWithAdmin(input: {
    orgName: string;
    timeZone: string;
    user: Omit<typeof users.$inferInsert, 'orgId' | 'role'>;
  }) {
    return this.db.transaction(async (tx) => {
      const [org] = await tx
        .insert(organizations)
        .values({ name: input.orgName, timeZone: input.timeZone })
        .returning();
      const [user] = await tx
        .insert(users)
        .values({ ...input.user, orgId: org!.id, role: 'admin' })
        .returning();
      return { org: org!, user: user! };
    });
  }

  async findOrg(id: number) {
    const [row] = await this.db.select().from(organizations).where(eq(organizations.id, id));
    return row;
  }

  async createUser(values: typeof users.$inferInsert): Promise<UserRow> {
    const [row] = await this.db.insert(users).values(values).returning();
    return row!;
  }

  async findUserByName(name: string): Promise<UserRow | undefined> {
    const [row] = await this.db
      .select()
      .from(users)
      .where(sql`lower(${users.name}) = lower(${name})`);
    return row;
  }

  async findUser(orgId: number, id: number): Promise<UserRow | undefined> {
    const [row] = await this.db
      .select()
      .from(users)
      .where(and(eq(users.id, id), eq(users.orgId, orgId)));
    return row;
  }

  async findUserById(id: number): Promise<UserRow | undefined> {
    const [row] = await this.db.select().from(users).where(eq(users.id, id));
    return row;
  }

  async listUsers(orgId: number, limit: number, offset: number): Promise<{ rows: UserRow[]; total: number }> {
    const rows = await this.db
      .select()
      .from(users)
      .where(eq(users.orgId, orgId))
      .orderBy(users.id)
      .limit(limit)
      .offset(offset);
    const [count] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(users)
      .where(eq(users.orgId, orgId));
    return { rows, total: count?.n ?? 0 };
  }

  async updateUser(
    orgId: number,
    id: number,
    values: Partial<typeof users.$inferInsert>,
  ): Promise<UserRow | undefined> {
    const [row] = await this.db
      .update(users)
      .set({ ...values, updatedAt: new Date() })
      .where(and(eq(users.id, id), eq(users.orgId, orgId)))
      .returning();
    return row;
  }

  /** Counts a failed login atomically and locks the account once `max` is reached. */
  async recordFailedLogin(id: number, max: number, lockMinutes: number, now: Date): Promise<UserRow> {
    const [row] = await this.db
      .update(users)
      .set({
        failedLogins: sql`case when ${users.lockedUntil} is not null and ${users.lockedUntil} <= ${now} then 1 else ${users.failedLogins} + 1 end`,
        lockedUntil: sql`case
          when (case when ${users.lockedUntil} is not null and ${users.lockedUntil} <= ${now} then 1 else ${users.failedLogins} + 1 end) >= ${max}
          then ${now}::timestamptz + make_interval(mins => ${lockMinutes})
          else null end`,
      })
      .where(eq(users.id, id))
      .returning();
    return row!;
  }

  async clearFailedLogins(id: number): Promise<void> {
    await this.db.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, id));
  }

  async createSession(values: typeof sessions.$inferInsert): Promise<SessionRow> {
    const [row] = await this.db.insert(sessions).values(values).returning();
    return row!;
  }

  async findSessionByHash(tokenHash: string): Promise<SessionRow | undefined> {
    const [row] = await this.db.select().from(sessions).where(eq(sessions.tokenHash, tokenHash));
    return row;
  }

  async revokeSession(id: string, now: Date): Promise<SessionRow | undefined> {
    const [row] = await this.db
      .update(sessions)
      .set({ revokedAt: now })
      .where(and(eq(sessions.id, id), isNull(sessions.revokedAt)))
      .returning();
    return row;
  }

  async audit(entry: typeof auditLog.$inferInsert): Promise<void> {
    await this.db.insert(auditLog).values(entry);
  }

  async listAudit(orgId: number, limit: number, offset: number) {
    const rows = await this.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.orgId, orgId))
      .orderBy(desc(auditLog.id))
      .limit(limit)
      .offset(offset);
    const [count] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditLog)
      .where(eq(auditLog.orgId, orgId));
    return { rows, total: count?.n ?? 0 };
  }

  async findWeChatIdentityByUser(userId: number) {
    const [row] = await this.db.select().from(wechatIdentities).where(eq(wechatIdentities.userId, userId));
    return row;
  }

  async findWeChatIdentity(appid: string, openid: string) {
    const [row] = await this.db
      .select()
      .from(wechatIdentities)
      .where(and(eq(wechatIdentities.appid, appid), eq(wechatIdentities.openid, openid)));
    return row;
  }

  /** Removes a user's WeChat binding; answers the removed row (undefined when there was none). */
  async deleteWeChatIdentity(orgId: number, userId: number) {
    const [row] = await this.db
      .delete(wechatIdentities)
      .where(and(eq(wechatIdentities.orgId, orgId), eq(wechatIdentities.userId, userId)))
      .returning();
    return row;
  }

  /** Changes the nickname or stored avatar of a user's bound WeChat; answers the row (undefined when unbound). */
  async updateWeChatProfile(
    orgId: number,
    userId: number,
    set: Partial<Pick<typeof wechatIdentities.$inferInsert, 'nickName' | 'avatarKey' | 'avatarMime'>>,
  ) {
    const [row] = await this.db
      .update(wechatIdentities)
      .set(set)
      .where(and(eq(wechatIdentities.orgId, orgId), eq(wechatIdentities.userId, userId)))
      .returning();
    return row;
  }

  /** Binds (or re-binds) a WeChat identity to a user; an openid bound to another user is refused by the caller. */
  async upsertWeChatIdentity(values: typeof wechatIdentities.$inferInsert) {
    const [row] = await this.db
      .insert(wechatIdentities)
      .values(values)
      .onConflictDoUpdate({
        target: wechatIdentities.userId,
        set: {
          appid: values.appid,
          openid: values.openid,
          unionid: values.unionid,
          nickName: values.nickName,
          avatarUrl: values.avatarUrl,
          phone: values.phone,
          boundAt: new Date(),
        },
      })
      .returning();
    return row!;
  }
}
