import type { EnvelopeKind } from './errors';

/** One BFF endpoint: where it lives, which envelope it answers in, and whether it needs a session. */
export interface Endpoint {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  envelope: EnvelopeKind;
  auth: boolean;
  /** Device commands wait for the device's answer (the BFF's deadline plus the read-back). */
  timeoutMs?: number;
}

const e = (
  method: Endpoint['method'],
  path: string,
  envelope: EnvelopeKind,
  auth = true,
  timeoutMs?: number,
): Endpoint => ({ method, path, envelope, auth, timeoutMs });

/** Every endpoint the mini-program calls (seed 002 §1, §2, §3, §4.3, §9; seeds 000/001; extensions). */
export const endpoints = {
  login: e('POST', '/api/auth', '002', false),
  logout: e('DELETE', '/api/auth', '002'),
  profile: e('GET', '/api/users', '002'),
  updateProfile: e('PUT', '/api/users', '002'),
  wechatBind: e('POST', '/api_3/xcx_info_bind', '002'),
  wechatLogin: e('POST', '/api_3/xcx_login', '002', false),
  wechatProfile: e('PUT', '/api_3/xcx_profile', '002'),
  wechatAvatar: e('POST', '/api_3/xcx_avatar', '002'),
  provinces: e('GET', '/api_3/province_city_list', '002'),
  machines: e('GET', '/api_3/metersuperiors', '002'),
  meters: e('GET', '/api_3/meters', '002'),
  allEnergy: e('GET', '/api_3/allenergy', '002'),
  detailEnergy: e('GET', '/api_3/detailenergy', '002'),
  personalise: e('GET', '/api_3/personalise', '002'),
  measure: e('GET', '/api_3/measure', '002'),
  rates: e('GET', '/api_3/rate', '002'),
  setRate: e('POST', '/api_3/rate', '002'),
  deleteRate: e('DELETE', '/api_3/rate', '002'),
  report: e('POST', '/api_3/report', '002', true, 60_000),
  contractDemand: e('GET', '/api_3/contract_demand', '002'),
  setContractDemand: e('PUT', '/api_3/contract_demand', '002'),
  devices: e('GET', '/wad/ems/v1/api/devices', 'ems'),
  device: e('GET', '/wad/ems/v1/api/devices/detail', 'ems'),
  gateway: e('GET', '/wad/ems/v1/api/gateways/detail', 'ems'),
  bmsStatus: e('GET', '/wad/ems/v1/api/bms-control', 'ems'),
  bmsCommand: e('POST', '/wad/ems/v1/api/bms-control', 'ems', true, 30_000),
  bmsSync: e('PUT', '/wad/ems/v1/api/bms-control/sync', 'ems', true, 30_000),
  reactive: e('GET', '/wad/ems/v1/api/reactive-power-control', 'ems'),
  reactiveSet: e('POST', '/wad/ems/v1/api/reactive-power-control', 'ems', true, 30_000),
  reactiveSync: e('PUT', '/wad/ems/v1/api/reactive-power-control/sync', 'ems', true, 30_000),
  commands: e('GET', '/wad/ems/v1/api/device-commands', 'ems'),
  products: e('GET', '/api_3/products', '002'),
  productBatches: e('GET', '/api_3/productsBatch', '002'),
  productOutputs: e('GET', '/api_3/product_output', '002'),
  productOutputCreate: e('POST', '/api_3/product_output', '002'),
  productOutputStatistic: e('GET', '/api_3/product_output_energy_statistic', '002'),
  batchOutputStatistic: e('GET', '/api_3/productsBatch_output_energy_statistic', '002'),
  coalFactors: e('GET', '/api_3/standard_coal_factors', '002'),
  coalFactorSet: e('PUT', '/api_3/standard_coal_factors', '002'),
  coalFactorReset: e('DELETE', '/api_3/standard_coal_factors', '002'),
  shifts: e('GET', '/api_3/shifts', '002'),
  alarmDefinitions: e('GET', '/api_3/alarm_status', '002'),
  alarmDefinitionCreate: e('POST', '/api_3/alarm_status', '002'),
  alarmDefinitionUpdate: e('PUT', '/api_3/alarm_status', '002'),
  alarmDefinitionDelete: e('DELETE', '/api_3/alarm_status', '002'),
  alarmRules: e('GET', '/api_3/alarm_status_rules', '002'),
  alarmRuleCreate: e('POST', '/api_3/alarm_status_rules', '002'),
  alarmRuleUpdate: e('PUT', '/api_3/alarm_status_rules', '002'),
  alarmRuleDelete: e('DELETE', '/api_3/alarm_status_rules', '002'),
  alarmMessages: e('GET', '/api_3/alarm_message', '002'),
  alarmStatistics: e('GET', '/api_3/alarm_statistic_nums', '002'),
  alarmDetail: e('GET', '/api_3/alarm_message_detail', '002'),
  alarmAcknowledge: e('POST', '/api_3/alarm_acknowledge', '002'),
  alarmShelve: e('POST', '/api_3/alarm_shelve', '002'),
  alarmUnshelve: e('DELETE', '/api_3/alarm_shelve', '002'),
  alarmUnread: e('GET', '/api_3/alarm_unread', '002'),
  alarmRead: e('POST', '/api_3/alarm_read', '002'),
  wechatSubscriptions: e('GET', '/api_3/wechat_subscriptions', '002'),
  wechatSubscriptionReport: e('POST', '/api_3/wechat_subscriptions', '002'),
  register: e('POST', '/api/users', '002', false),
  wechatUnbind: e('DELETE', '/api_3/xcx_info_bind', '002'),
  createMachine: e('POST', '/api_3/metersuperiors', '002'),
  createMeter: e('POST', '/api_3/meters', '002'),
  createDevice: e('POST', '/wad/ems/v1/api/devices', 'ems'),
  demoImportStatus: e('GET', '/api_3/demo_import_status', '002'),
} as const;

export type EndpointName = keyof typeof endpoints;
