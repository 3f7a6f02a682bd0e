import {
  auditEntry,
  loginBody,
  loginResult,
  memberCreateBody,
  memberRoleBody,
  pageQuery,
  permissionItem,
  registerBody,
  registerResult,
  updateUserBody,
  userProfile,
} from '@wattdesk/shared';
import { route } from '../../core/http/route';
import { paged } from '../../core/http/envelope';
import { originOf, pageOf } from '../../core/http/origin';
import { listPermissions, Permissions } from '../../core/auth/permissions';
import { formatLocal } from '../../core/time';

const loginLimit = { bucket: 'login', points: 20, windowSec: 60 } as const;

/** Seed 002 §1 accounts, plus organization member and audit extensions. */
export const accountRoutes = [
  route({
    method: 'post',
    path: '/api/users',
    envelope: '002',
    tag: '1 用户',
    summary: '1.3 用户注册（新建组织，注册者为管理员）',
    access: 'public',
    rateLimit: { bucket: 'register', points: 10, windowSec: 60 },
    body: registerBody,
    response: registerResult,
    handler: async ({ body, deps, ctx }) => {
      const { user, orgId } = await deps.accounts.register(
        {
          name: body.Usr_Name,
          password: body.Usr_Password,
          email: body.Usr_Email,
          company: body.Usr_Company,
        },
        originOf(ctx),
      );
      return { Usr_ID: String(user.id), Usr_Name: user.name, Org_ID: String(orgId) };
    },
  }),
  route({
    method: 'post',
    path: '/api/auth',
    envelope: '002',
    tag: '1 用户',
    summary: '1.1 用户登录',
    description:
      '返回的 Usr_Token 以 `Authorization: Bearer <Usr_Token>` 携带。连续失败 LOGIN_MAX_FAILURES 次锁定 LOGIN_LOCK_MINUTES 分钟。',
    access: 'public',
    rateLimit: loginLimit,
    body: loginBody,
    response: loginResult,
    errors: { 401: '用户名或密码错误（4102）', 423: '账户已锁定（4102）' },
    handler: async ({ body, deps, ctx }) => {
      const s = await deps.accounts.login(body.Usr_Name, body.Usr_Password, originOf(ctx));
      return {
        Usr_Name: s.user.name,
        Usr_ID: String(s.user.id),
        Usr_Token: s.token,
        Usr_Role: s.user.role,
        Token_Expires: s.expiresAt.toISOString(),
      };
    },
  }),
  route({
    method: 'delete',
    path: '/api/auth',
    envelope: '002',
    tag: '1 用户',
    summary: '1.2 退出登录（令牌立即失效）',
    access: 'session',
    handler: async ({ deps, actor, ctx }) => {
      await deps.accounts.logout(actor, originOf(ctx));
      return undefined;
    },
  }),
  route({
    method: 'get',
    path: '/api/users',
    envelope: '002',
    tag: '1 用户',
    summary: '1.5 获取用户信息',
    access: 'session',
    response: userProfile,
    handler: async ({ deps, actor }) => deps.accounts.profile(actor),
  }),
  route({
    method: 'put',
    path: '/api/users',
    envelope: '002',
    tag: '1 用户',
    summary: '1.4 修改用户信息',
    access: 'session',
    body: updateUserBody,
    response: userProfile,
    handler: async ({ deps, actor, body, ctx }) =>
      deps.accounts.updateProfile(
        actor,
        {
          id: body.id,
          name: body.Usr_Name,
          email: body.Usr_Email,
          phone: body.Usr_Phone,
          xcxTitle: body.XCX_Title,
          company: body.Usr_Company,
          province: body.Usr_Province,
          city: body.Usr_City,
          detailAddr: body.Usr_Detail_Addr,
          area: body.Usr_Area,
        },
        originOf(ctx),
      ),
  }),
  route({
    method: 'get',
    path: '/api/org_users',
    envelope: '002',
    tag: '1 用户（扩展）',
    summary: '本组织的用户列表（管理员）',
    access: { permission: Permissions.usersManage },
    query: pageQuery,
    response: userProfile,
    handler: async ({ deps, actor, query }) => {
      const { limit, offset } = pageOf(query);
      const { items, total } = await deps.accounts.members(actor, limit, offset);
      return paged(items, total);
    },
  }),
  route({
    method: 'post',
    path: '/api/org_users',
    envelope: '002',
    tag: '1 用户（扩展）',
    summary: '在本组织新增用户并指定角色（管理员）',
    access: { permission: Permissions.usersManage },
    body: memberCreateBody,
    response: userProfile,
    handler: async ({ deps, actor, body, ctx }) =>
      deps.accounts.createMember(
        actor,
        {
          name: body.Usr_Name,
          password: body.Usr_Password,
          email: body.Usr_Email,
          company: body.Usr_Company,
          role: body.Usr_Role,
          grants: body.Usr_Grants,
        },
        originOf(ctx),
      ),
  }),
  route({
    method: 'put',
    path: '/api/org_users',
    envelope: '002',
    tag: '1 用户（扩展）',
    summary: '修改用户角色与附加权限（管理员，记入审计日志）',
    access: { permission: Permissions.usersManage },
    body: memberRoleBody,
    response: userProfile,
    handler: async ({ deps, actor, body, ctx }) =>
      deps.accounts.changeRole(
        actor,
        { id: body.id, role: body.Usr_Role, grants: body.Usr_Grants },
        originOf(ctx),
      ),
  }),
  route({
    method: 'get',
    path: '/api/audit_logs',
    envelope: '002',
    tag: '1 用户（扩展）',
    summary: '审计日志：登录、锁定、权限变更（管理员）',
    access: { permission: Permissions.auditRead },
    query: pageQuery,
    response: auditEntry,
    handler: async ({ deps, actor, query }) => {
      const { limit, offset } = pageOf(query);
      const { rows, total } = await deps.accounts.auditTrail(actor, limit, offset);
      const tz = await deps.accounts.timeZoneOf(actor.orgId);
      return paged(
        rows.map((r) => ({
          id: r.id,
          Action: r.action,
          Actor_ID: r.actorUserId,
          Target: r.target,
          IP: r.ip,
          Detail: r.detail,
          Time: formatLocal(r.createdAt, tz),
        })),
        total,
      );
    },
  }),
  route({
    method: 'get',
    path: '/api/permissions',
    envelope: '002',
    tag: '1 用户（扩展）',
    summary: '所有权限及默认拥有它的角色',
    access: 'session',
    response: permissionItem,
    handler: async () =>
      listPermissions().map((p) => ({ Name: p.name, Description: p.description, Roles: [...p.roles] })),
  }),
];
