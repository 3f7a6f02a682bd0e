import { definePermission } from '../../core/auth/permissions';

/**
 * Device permissions. Each control is its own permission so an admin can, say, let an operator reset
 * faults without letting them open contactors. Viewers hold none of the control permissions.
 */
export const DevicePermissions = {
  manage: definePermission('device.manage', '登记设备、修改设备信息、重置设备密钥', ['admin']),
  faultReset: definePermission('device.bms.fault_reset', 'BMS 故障复位', ['admin', 'operator']),
  contactor: definePermission('device.bms.contactor', 'BMS 接触器闭合 / 断开', ['admin']),
  reactive: definePermission('device.reactive.set', '下发无功治理控制参数', ['admin', 'operator']),
  sync: definePermission('device.sync', '从设备同步 BMS 状态与无功治理控制', ['admin', 'operator', 'viewer']),
} as const;

/** The permission a seed 001 `command` needs: 1 fault reset, 2/3 contactor close/open. */
export const permissionForBmsCommand = (command: 1 | 2 | 3): string =>
  command === 1 ? DevicePermissions.faultReset : DevicePermissions.contactor;
