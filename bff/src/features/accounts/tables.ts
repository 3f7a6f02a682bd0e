import { sql } from 'drizzle-orm';
import { bigserial, integer, jsonb, pgTable, serial, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const organizations = pgTable('organizations', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  timeZone: text('time_zone').notNull().default('Asia/Shanghai'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  orgId: integer('org_id').notNull(),
  name: text('name').notNull(),
  email: text('email').notNull(),
  passwordHash: text('password_hash').notNull(),
  role: text('role', { enum: ['admin', 'operator', 'viewer'] }).notNull(),
  grants: text('grants')
    .array()
    .notNull()
    .default(sql`'{}'`),
  phone: text('phone').notNull().default(''),
  xcxTitle: text('xcx_title').notNull().default(''),
  company: text('company').notNull().default(''),
  province: text('province').notNull().default(''),
  city: text('city').notNull().default(''),
  detailAddr: text('detail_addr').notNull().default(''),
  area: text('area').notNull().default(''),
  failedLogins: integer('failed_logins').notNull().default(0),
  lockedUntil: ts('locked_until'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const sessions = pgTable('sessions', {
  id: uuid('id').primaryKey().defaultRandom(),
  tokenHash: text('token_hash').notNull(),
  userId: integer('user_id').notNull(),
  orgId: integer('org_id').notNull(),
  kind: text('kind', { enum: ['password', 'wechat'] }).notNull(),
  ip: text('ip'),
  userAgent: text('user_agent'),
  createdAt: ts('created_at').notNull().defaultNow(),
  expiresAt: ts('expires_at').notNull(),
  revokedAt: ts('revoked_at'),
});

export const auditLog = pgTable('audit_log', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  orgId: integer('org_id'),
  actorUserId: integer('actor_user_id'),
  action: text('action').notNull(),
  target: text('target'),
  ip: text('ip'),
  detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const wechatIdentities = pgTable('wechat_identities', {
  id: serial('id').primaryKey(),
  appid: text('appid').notNull(),
  openid: text('openid').notNull(),
  unionid: text('unionid'),
  userId: integer('user_id').notNull(),
  orgId: integer('org_id').notNull(),
  nickName: text('nick_name'),
  avatarUrl: text('avatar_url'),
  /** Our stored copy of an avatar picked in the mini-program (chooseAvatar), under WD_DATA_DIR. */
  avatarKey: text('avatar_key'),
  avatarMime: text('avatar_mime'),
  phone: text('phone'),
  boundAt: ts('bound_at').notNull().defaultNow(),
});
