import { definePermission } from '../../core/auth/permissions';

/** Permissions of the metering features; reads need only a session. */
export const MeteringPermissions = {
  manage: definePermission('metering.manage', '管理机器、仪表（新增、修改、删除、上传图片）', [
    'admin',
    'operator',
  ]),
  readingsWrite: definePermission('readings.write', '上传仪表读数与手工填报数据', ['admin', 'operator']),
  settings: definePermission('energy.settings', '修改费率、个性化设置与班次', ['admin']),
} as const;
