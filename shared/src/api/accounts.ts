import { z } from 'zod';
import { idLike, paging } from '../wire';

const userName = z
  .string()
  .trim()
  .min(3, '用户名至少 3 个字符')
  .max(32, '用户名最多 32 个字符')
  .regex(/^[A-Za-z0-9_\-.@\u4e00-\u9fa5]+$/, '用户名只能包含中英文、数字和 _ - . @');
const password = z.string().min(8, '密码至少 8 位').max(128, '密码最多 128 位');
const optionalText = (max: number) => z.string().trim().max(max, `最多 ${max} 个字符`).optional();

/**
 * A phone number: a mainland mobile (11 digits from 13–19, optionally +86), or a landline with its area
 * code (0xx-xxxxxxxx, optional extension). Empty means "none". Spaces and dashes between groups are allowed.
 */
export const PHONE_PATTERN = /^(?:(?:\+?86)?1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?)$/;
export const phoneNumber = z
  .string()
  .trim()
  .transform((v) => v.replace(/[\s]/g, '').replace(/^(\+?86)-/, '$1'))
  .refine(
    (v) => v === '' || PHONE_PATTERN.test(v.replace(/^(\+?86)?(1\d{2})-?(\d{4})-?(\d{4})$/, '$1$2$3$4')),
    {
      message: '手机号格式不正确：请填写 11 位手机号（如 13800138000）或带区号的固定电话（如 0755-12345678）',
    },
  );

/** 1.1 POST /api/auth */
export const loginBody = z.strictObject({
  Usr_Name: z.string().min(1).max(64),
  Usr_Password: z.string().min(1).max(128),
});
/** 1.1 response item; `Usr_Token` is our extension (send it as `Authorization: Bearer <token>`). */
export const loginResult = z.object({
  Usr_Name: z.string(),
  Usr_ID: z.string(),
  Usr_Token: z.string(),
  Usr_Role: z.enum(['admin', 'operator', 'viewer']),
  Token_Expires: z.string(),
});

/** 1.3 POST /api/users: registers a new organization with the user as its admin. */
export const registerBody = z.strictObject({
  Usr_Name: userName,
  Usr_Password: password,
  Usr_Email: z.email('邮箱格式不正确').max(128),
  Usr_Company: optionalText(64),
});
export const registerResult = z.object({ Usr_ID: z.string(), Usr_Name: z.string(), Org_ID: z.string() });

/** 1.4 PUT /api/users */
export const updateUserBody = z.strictObject({
  id: idLike(),
  Usr_Name: userName,
  Usr_Email: z.email('邮箱格式不正确').max(128),
  Usr_Phone: phoneNumber.optional(),
  XCX_Title: optionalText(32),
  Usr_Company: optionalText(64),
  Usr_Province: optionalText(32),
  Usr_City: optionalText(32),
  Usr_Detail_Addr: optionalText(128),
  Usr_Area: optionalText(32),
});

/** 1.5 GET /api/users response item. */
export const userProfile = z.object({
  id: z.number().int(),
  Usr_Name: z.string(),
  Usr_Email: z.string(),
  Usr_Phone: z.string(),
  XCX_Title: z.string(),
  Usr_Company: z.string(),
  Usr_Province: z.string(),
  Usr_City: z.string(),
  Usr_Detail_Addr: z.string(),
  Usr_Area: z.string(),
  Usr_Role: z.enum(['admin', 'operator', 'viewer']),
  Usr_Permissions: z.array(z.string()),
  Usr_WeChat_Bound: z.boolean(),
  /** Extension: the bound WeChat's nickname and avatar URL ('' when unbound or never given). */
  WeChat_Nick_Name: z.string(),
  WeChat_Avatar_Url: z.string(),
});

export const roleSchema = z.enum(['admin', 'operator', 'viewer']);
export type Role = z.infer<typeof roleSchema>;

export type LoginResult = z.infer<typeof loginResult>;
export type UserProfile = z.infer<typeof userProfile>;

/** Extension: GET /api/org_users and /api/audit_logs (admin) paging, the seed's paging fields. */
export const pageQuery = z.strictObject(paging);

/** Extension: POST /api/org_users (admin) adds a member to the caller's organization. */
export const memberCreateBody = registerBody.extend({
  Usr_Role: roleSchema,
  Usr_Grants: z.array(z.string().max(64)).max(50).default([]),
});

/** Extension: PUT /api/org_users (admin) changes a member's role and extra permissions. */
export const memberRoleBody = z.strictObject({
  id: idLike(),
  Usr_Role: roleSchema,
  Usr_Grants: z.array(z.string().max(64)).max(50).default([]),
});

/** Extension: GET /api/audit_logs item. */
export const auditEntry = z.object({
  id: z.number(),
  Action: z.string(),
  Actor_ID: z.number().nullable(),
  Target: z.string().nullable(),
  IP: z.string().nullable(),
  Detail: z.record(z.string(), z.unknown()),
  Time: z.string(),
});

/** Extension: GET /api/permissions item. */
export const permissionItem = z.object({
  Name: z.string(),
  Description: z.string(),
  Roles: z.array(roleSchema),
});
