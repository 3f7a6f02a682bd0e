import type { Role } from '@wattdesk/shared';

/** A named capability and the roles that hold it by default. */
export interface PermissionDef {
  name: string;
  description: string;
  roles: readonly Role[];
}

const registry = new Map<string, PermissionDef>();

/**
 * Declares a permission. Features declare theirs next to their routes (device control, alarms, ...);
 * an admin can grant any declared permission to a user beyond the user's role.
 */
export function definePermission(name: string, description: string, roles: readonly Role[]): string {
  const existing = registry.get(name);
  if (existing && existing.description !== description) throw new Error(`permission ${name} declared twice`);
  registry.set(name, { name, description, roles });
  return name;
}

/** Every declared permission, for the admin UI and the API reference. */
export const listPermissions = (): PermissionDef[] =>
  [...registry.values()].sort((a, b) => a.name.localeCompare(b.name));

export const isPermission = (name: string): boolean => registry.has(name);

/** The effective permissions of a role plus explicit grants. */
export function effectivePermissions(role: Role, grants: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const def of registry.values()) if (def.roles.includes(role)) out.add(def.name);
  for (const g of grants) if (registry.has(g)) out.add(g);
  return out;
}

export const Permissions = {
  usersManage: definePermission('users.manage', '管理本组织的用户、角色与权限', ['admin']),
  auditRead: definePermission('audit.read', '查看审计日志', ['admin']),
  profileEdit: definePermission('profile.edit', '修改自己的资料', ['admin', 'operator', 'viewer']),
} as const;
