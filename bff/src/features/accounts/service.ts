import crypto from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Role, UserProfile } from '@wattdesk/shared';
import { AppError, isUniqueViolation, notFound } from '../../core/errors';
import type { Actor, Authenticator } from '../../core/auth/actor';
import { effectivePermissions, isPermission, Permissions } from '../../core/auth/permissions';
import type { Clock } from '../../infra/clock';
import { burnPasswordCheck, hashPassword, verifyPassword } from '../../infra/passwords';
import { wechatAvatarUrl, type AccountsRepository, type UserRow } from './repository';

export interface AccountsPolicy {
  sessionTtlHours: number;
  maxFailures: number;
  lockMinutes: number;
  defaultTimeZone: string;
}

/** Where a request came from, for the audit log. */
export interface RequestOrigin {
  ip: string;
  userAgent?: string;
}

export interface RegisterCommand {
  name: string;
  password: string;
  email: string;
  company?: string;
}

export interface IssuedSession {
  token: string;
  expiresAt: Date;
  user: UserRow;
}

const nameTaken = (name: string) =>
  new AppError('conflict', `用户名 ${name} 已被使用`, { field: 'Usr_Name', rule: '用户名唯一' });

const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');
const SESSION_CACHE_SEC = 60;

type CachedSession = { sessionId: string; userId: number; orgId: number; expiresAt: number };
/** How long failed logins of a name that does not exist are remembered. */
const UNKNOWN_LOGIN_MEMORY_SEC = 30 * 86_400;

type CachedUser = { name: string; orgId: number; role: Role; grants: string[]; lockedUntil: number | null };

/** Accounts, sessions and the audit trail. Sessions live in PostgreSQL; Redis caches them briefly. */
export class AccountsService implements Authenticator {
  constructor(
    private readonly repo: AccountsRepository,
    private readonly redis: Redis,
    private readonly clock: Clock,
    private readonly policy: AccountsPolicy,
  ) {}

  /** 1.3: a new organization with the user as its admin. */
  async register(cmd: RegisterCommand, origin: RequestOrigin): Promise<{ user: UserRow; orgId: number }> {
    if (await this.repo.findUserByName(cmd.name)) {
      throw new AppError('conflict', `用户名 ${cmd.name} 已被注册`, {
        field: 'Usr_Name',
        rule: '用户名唯一',
      });
    }
    const passwordHash = await hashPassword(cmd.password);
    try {
      const { org, user } = await this.repo.createOrgWithAdmin({
        orgName: cmd.company?.trim() || cmd.name,
        timeZone: this.policy.defaultTimeZone,
        user: { name: cmd.name, email: cmd.email, passwordHash, company: cmd.company ?? '' },
      });
      await this.repo.audit({
        orgId: org.id,
        actorUserId: user.id,
        action: 'user.register',
        target: `user:${user.id}`,
        ip: origin.ip,
      });
      return { user, orgId: org.id };
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new AppError('conflict', `用户名 ${cmd.name} 已被注册`, {
          field: 'Usr_Name',
          rule: '用户名唯一',
        });
      }
      throw err;
    }
  }

  /**
   * 1.1: password login with lockout after repeated failures. An unknown user name is answered exactly as
   * an existing one: the same message, the same password-check cost, and the same lockout after
   * LOGIN_MAX_FAILURES failures (counted in Redis for names that do not exist), so neither the message nor
   * the lock tells whether the name is registered.
   */
  async login(name: string, password: string, origin: RequestOrigin): Promise<IssuedSession> {
    const now = this.clock.now();
    const user = await this.repo.findUserByName(name);
    if (!user) return this.failUnknownUser(name, password, origin, now);
    if (user.lockedUntil && user.lockedUntil > now) {
      await this.repo.audit({
        orgId: user.orgId,
        actorUserId: user.id,
        action: 'login.refused_locked',
        ip: origin.ip,
      });
      throw this.lockedError(user.lockedUntil);
    }
    if (!(await verifyPassword(user.passwordHash, password))) {
      const after = await this.repo.recordFailedLogin(
        user.id,
        this.policy.maxFailures,
        this.policy.lockMinutes,
        now,
      );
      await this.invalidateUser(user.id);
      const locked = after.lockedUntil && after.lockedUntil > now;
      await this.repo.audit({
        orgId: user.orgId,
        actorUserId: user.id,
        action: locked ? 'login.locked' : 'login.failure',
        ip: origin.ip,
        detail: { failures: after.failedLogins },
      });
      if (locked) throw this.lockedError(after.lockedUntil!);
      throw this.loginFailedError();
    }
    if (user.failedLogins > 0 || user.lockedUntil) await this.repo.clearFailedLogins(user.id);
    await this.repo.audit({
      orgId: user.orgId,
      actorUserId: user.id,
      action: 'login.success',
      ip: origin.ip,
      detail: { kind: 'password' },
    });
    return this.issueSession(user, 'password', origin);
  }

  /** The same steps and answers as a wrong password, with the failure count kept in Redis by name. */
  private async failUnknownUser(
    name: string,
    password: string,
    origin: RequestOrigin,
    now: Date,
  ): Promise<never> {
    const key = `login-unknown:${crypto.createHash('sha256').update(name).digest('base64url')}`;
    const raw = await this.redis.get(key);
    let state = raw ? (JSON.parse(raw) as { failures: number; lockedUntil: number | null }) : null;
    if (state?.lockedUntil && state.lockedUntil > now.getTime()) {
      await this.repo.audit({ action: 'login.refused_locked', target: 'unknown-user', ip: origin.ip });
      throw this.lockedError(new Date(state.lockedUntil));
    }
    await burnPasswordCheck(password);
    // As recordFailedLogin: an expired lock starts the count afresh.
    const failures = state && !state.lockedUntil ? state.failures + 1 : 1;
    const lockedUntil =
      failures >= this.policy.maxFailures ? now.getTime() + this.policy.lockMinutes * 60_000 : null;
    state = { failures, lockedUntil };
    await this.redis.set(key, JSON.stringify(state), 'EX', UNKNOWN_LOGIN_MEMORY_SEC);
    await this.repo.audit({
      action: lockedUntil ? 'login.locked' : 'login.failure',
      target: 'unknown-user',
      ip: origin.ip,
      detail: { reason: 'unknown user', failures },
    });
    if (lockedUntil) throw this.lockedError(new Date(lockedUntil));
    throw this.loginFailedError();
  }

  private loginFailedError(): AppError {
    return new AppError(
      'login_failed',
      `用户名或密码错误（连续失败 ${this.policy.maxFailures} 次将锁定 ${this.policy.lockMinutes} 分钟）`,
    );
  }

  private lockedError(until: Date): AppError {
    return new AppError('account_locked', `登录失败次数过多，账户已锁定至 ${until.toISOString()}`, {
      lockedUntil: until.toISOString(),
    });
  }

  /** Creates a session for a user (password or WeChat login). The token is returned once and stored hashed. */
  async issueSession(
    user: UserRow,
    kind: 'password' | 'wechat',
    origin: RequestOrigin,
  ): Promise<IssuedSession> {
    const token = crypto.randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.clock.now().getTime() + this.policy.sessionTtlHours * 3600_000);
    await this.repo.createSession({
      tokenHash: hashToken(token),
      userId: user.id,
      orgId: user.orgId,
      kind,
      ip: origin.ip,
      userAgent: origin.userAgent?.slice(0, 256),
      expiresAt,
    });
    return { token, expiresAt, user };
  }

  /** 1.2: revokes the caller's session at once (database and cache). */
  async logout(actor: Actor, origin: RequestOrigin): Promise<void> {
    const row = await this.repo.revokeSession(actor.sessionId, this.clock.now());
    if (row) await this.redis.del(`sess:${row.tokenHash}`);
    await this.repo.audit({ orgId: actor.orgId, actorUserId: actor.userId, action: 'logout', ip: origin.ip });
  }

  async authenticate(token: string): Promise<Actor | null> {
    const tokenHash = hashToken(token);
    const now = this.clock.now().getTime();
    let session = await this.cached<CachedSession>(`sess:${tokenHash}`);
    if (!session) {
      const row = await this.repo.findSessionByHash(tokenHash);
      if (!row || row.revokedAt) return null;
      session = {
        sessionId: row.id,
        userId: row.userId,
        orgId: row.orgId,
        expiresAt: row.expiresAt.getTime(),
      };
      await this.redis.set(`sess:${tokenHash}`, JSON.stringify(session), 'EX', SESSION_CACHE_SEC);
    }
    if (session.expiresAt <= now) return null;
    const user = await this.userAuth(session.userId);
    if (!user || user.orgId !== session.orgId) return null;
    if (user.lockedUntil && user.lockedUntil > now) return null;
    return {
      userId: session.userId,
      userName: user.name,
      orgId: session.orgId,
      role: user.role,
      permissions: effectivePermissions(user.role, user.grants),
      sessionId: session.sessionId,
    };
  }

  private async userAuth(userId: number): Promise<CachedUser | null> {
    const hit = await this.cached<CachedUser>(`uauth:${userId}`);
    if (hit) return hit;
    const row = await this.repo.findUserById(userId);
    if (!row) return null;
    const value: CachedUser = {
      name: row.name,
      orgId: row.orgId,
      role: row.role,
      grants: row.grants,
      lockedUntil: row.lockedUntil?.getTime() ?? null,
    };
    await this.redis.set(`uauth:${userId}`, JSON.stringify(value), 'EX', SESSION_CACHE_SEC);
    return value;
  }

  private async cached<T>(key: string): Promise<T | null> {
    const raw = await this.redis.get(key);
    return raw ? (JSON.parse(raw) as T) : null;
  }

  /** Drops a user's cached role/lock so a change applies on the next request. */
  async invalidateUser(userId: number): Promise<void> {
    await this.redis.del(`uauth:${userId}`);
  }

  /** 1.5 */
  async profile(actor: Actor): Promise<UserProfile> {
    const user = await this.repo.findUser(actor.orgId, actor.userId);
    if (!user) throw notFound('用户');
    return this.present(user);
  }

  async present(user: UserRow): Promise<UserProfile> {
    const wx = await this.repo.findWeChatIdentityByUser(user.id);
    return {
      id: user.id,
      Usr_Name: user.name,
      Usr_Email: user.email,
      Usr_Phone: user.phone,
      XCX_Title: user.xcxTitle,
      Usr_Company: user.company,
      Usr_Province: user.province,
      Usr_City: user.city,
      Usr_Detail_Addr: user.detailAddr,
      Usr_Area: user.area,
      Usr_Role: user.role,
      Usr_Permissions: [...effectivePermissions(user.role, user.grants)].sort(),
      Usr_WeChat_Bound: Boolean(wx),
      WeChat_Nick_Name: wx?.nickName ?? '',
      WeChat_Avatar_Url: wx ? wechatAvatarUrl(wx) : '',
    };
  }

  /** 1.4: a user edits their own profile; an admin may edit another user of the same organization. */
  async updateProfile(
    actor: Actor,
    cmd: {
      id: number;
      name: string;
      email: string;
      phone?: string;
      xcxTitle?: string;
      company?: string;
      province?: string;
      city?: string;
      detailAddr?: string;
      area?: string;
    },
    origin: RequestOrigin,
  ): Promise<UserProfile> {
    if (cmd.id !== actor.userId && !actor.permissions.has(Permissions.usersManage)) {
      throw new AppError('forbidden', '只能修改自己的资料', { permission: Permissions.usersManage });
    }
    const current = await this.repo.findUser(actor.orgId, cmd.id);
    if (!current) throw notFound('用户');
    if (cmd.name.toLowerCase() !== current.name.toLowerCase()) {
      const taken = await this.repo.findUserByName(cmd.name);
      if (taken)
        throw new AppError('conflict', `用户名 ${cmd.name} 已被使用`, {
          field: 'Usr_Name',
          rule: '用户名唯一',
        });
    }
    const { id, ...fields } = cmd;
    const values = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    const row = await this.repo.updateUser(actor.orgId, id, values).catch((err: unknown) => {
      throw isUniqueViolation(err) ? nameTaken(cmd.name) : err;
    });
    if (!row) throw notFound('用户');
    await this.invalidateUser(row.id);
    await this.repo.audit({
      orgId: actor.orgId,
      actorUserId: actor.userId,
      action: 'user.update',
      target: `user:${row.id}`,
      ip: origin.ip,
    });
    return this.present(row);
  }

  /** Admin: adds a user to the caller's organization with a role. */
  async createMember(
    actor: Actor,
    cmd: RegisterCommand & { role: Role; grants: string[] },
    origin: RequestOrigin,
  ): Promise<UserProfile> {
    this.checkGrants(cmd.grants);
    if (await this.repo.findUserByName(cmd.name)) {
      throw new AppError('conflict', `用户名 ${cmd.name} 已被注册`, {
        field: 'Usr_Name',
        rule: '用户名唯一',
      });
    }
    const row = await this.repo
      .createUser({
        orgId: actor.orgId,
        name: cmd.name,
        email: cmd.email,
        passwordHash: await hashPassword(cmd.password),
        role: cmd.role,
        grants: cmd.grants,
        company: cmd.company ?? '',
      })
      .catch((err: unknown) => {
        // Two admins adding the same name at once: the unique index decides; answer as the check would.
        throw isUniqueViolation(err) ? nameTaken(cmd.name) : err;
      });
    await this.repo.audit({
      orgId: actor.orgId,
      actorUserId: actor.userId,
      action: 'permission.change',
      target: `user:${row.id}`,
      ip: origin.ip,
      detail: { event: 'user.create', role: cmd.role, grants: cmd.grants },
    });
    return this.present(row);
  }

  /** Admin: changes a member's role and extra grants; audited. An admin cannot demote themselves. */
  async changeRole(
    actor: Actor,
    cmd: { id: number; role: Role; grants: string[] },
    origin: RequestOrigin,
  ): Promise<UserProfile> {
    this.checkGrants(cmd.grants);
    const current = await this.repo.findUser(actor.orgId, cmd.id);
    if (!current) throw notFound('用户');
    if (current.id === actor.userId && cmd.role !== 'admin') {
      throw new AppError('validation', 'Usr_Role: 管理员不能降低自己的角色', {
        field: 'Usr_Role',
        rule: '不能降低自己的角色',
      });
    }
    const row = await this.repo.updateUser(actor.orgId, cmd.id, { role: cmd.role, grants: cmd.grants });
    await this.invalidateUser(cmd.id);
    await this.repo.audit({
      orgId: actor.orgId,
      actorUserId: actor.userId,
      action: 'permission.change',
      target: `user:${cmd.id}`,
      ip: origin.ip,
      detail: {
        from: { role: current.role, grants: current.grants },
        to: { role: cmd.role, grants: cmd.grants },
      },
    });
    return this.present(row!);
  }

  private checkGrants(grants: string[]): void {
    const unknown = grants.find((g) => !isPermission(g));
    if (unknown)
      throw new AppError('validation', `Usr_Grants: 未知的权限 ${unknown}`, {
        field: 'Usr_Grants',
        rule: '必须是已定义的权限',
      });
  }

  async members(actor: Actor, limit: number, offset: number) {
    const { rows, total } = await this.repo.listUsers(actor.orgId, limit, offset);
    return { items: await Promise.all(rows.map((r) => this.present(r))), total };
  }

  async auditTrail(actor: Actor, limit: number, offset: number) {
    return this.repo.listAudit(actor.orgId, limit, offset);
  }

  /** A user by login name (case-insensitive), for boot-time parts such as demo mode; never for requests. */
  async userByName(name: string): Promise<UserRow | undefined> {
    return this.repo.findUserByName(name);
  }

  /** The organization's time zone (IANA), used for every local time it sees. */
  // Read each time (a primary-key lookup): personalise can change the zone, and a cached copy would go stale.
  async timeZoneOf(orgId: number): Promise<string> {
    return (await this.repo.findOrg(orgId))?.timeZone ?? this.policy.defaultTimeZone;
  }

  /** Creates the first admin at boot when no user has that name; returns the password when generated. */
  async ensureAdmin(
    name: string,
    password: string | undefined,
  ): Promise<{ created: boolean; password?: string }> {
    if (await this.repo.findUserByName(name)) return { created: false };
    const generated = password ?? crypto.randomBytes(12).toString('base64url');
    await this.register(
      { name, password: generated, email: `${name}@localhost.localdomain`, company: 'WattDesk' },
      { ip: 'boot' },
    );
    return { created: true, password: password ? undefined : generated };
  }

  /** The organization of the user a WeChat identity is bound to; undefined when it is not bound. */
  async orgOfWeChatIdentity(appid: string, openid: string): Promise<number | undefined> {
    const identity = await this.repo.findWeChatIdentity(appid, openid);
    if (!identity) return undefined;
    return (await this.repo.findUserById(identity.userId))?.orgId;
  }
}
