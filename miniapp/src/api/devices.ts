import type {
  BmsControlData,
  CommandOrigin,
  CommandRecord,
  DeviceItem,
  GatewayDetail,
  ReactivePowerControlBody,
  ReactivePowerControlData,
} from '@wattdesk/shared';
import { callEms, endpoints } from './request';

/** Extension: the organization's devices with online state and last-seen time. */
export function fetchDevices(): Promise<DeviceItem[]> {
  return callEms<DeviceItem[]>(endpoints.devices);
}

/** Extension: one device of the organization. */
export function fetchDevice(uid: string): Promise<DeviceItem> {
  return callEms<DeviceItem>(endpoints.device, { query: { device_uid: uid } });
}

/** Extension: a meter gateway's meters (latest reading each), last batch and online history. */
export function fetchGateway(uid: string): Promise<GatewayDetail> {
  return callEms<GatewayDetail>(endpoints.gateway, { query: { device_uid: uid, history_limit: 20 } });
}

/** 001 GET: the last synced BMS status (no device round trip). */
export function fetchBms(uid: string): Promise<BmsControlData> {
  return callEms<BmsControlData>(endpoints.bmsStatus, { query: { device_uid: uid } });
}

/** Marks a read the app makes by itself (a page opening), so it is not listed as the user's command. */
const originHeaders = (origin: CommandOrigin): Record<string, string> =>
  origin === 'auto' ? { 'X-Command-Origin': 'auto' } : {};

/** 001 PUT /sync: asks the device for its BMS status now. */
export function syncBms(uid: string, origin: CommandOrigin = 'user'): Promise<BmsControlData> {
  return callEms<BmsControlData>(endpoints.bmsSync, {
    query: { device_uid: uid },
    headers: originHeaders(origin),
  });
}

/**
 * 001 POST: sends one BMS command; the same idempotency key never sends twice. Answers the BFF's
 * sentence about what the device did and what was read back.
 */
export function sendBmsCommand(uid: string, command: 1 | 2 | 3, idempotencyKey: string): Promise<string> {
  return callEms<string>(endpoints.bmsCommand, {
    body: { device_uid: uid, command },
    headers: { 'Idempotency-Key': idempotencyKey },
  });
}

/** 000 GET: the last synced reactive power control. */
export function fetchReactive(uid: string): Promise<ReactivePowerControlData> {
  return callEms<ReactivePowerControlData>(endpoints.reactive, { query: { device_uid: uid } });
}

/** 000 PUT /sync: reads the reactive power control from the device now. */
export function syncReactive(uid: string, origin: CommandOrigin = 'user'): Promise<ReactivePowerControlData> {
  return callEms<ReactivePowerControlData>(endpoints.reactiveSync, {
    query: { device_uid: uid },
    headers: originHeaders(origin),
  });
}

/** 000 POST: sends reactive power settings. */
export function sendReactive(body: ReactivePowerControlBody, idempotencyKey: string): Promise<unknown> {
  return callEms<unknown>(endpoints.reactiveSet, { body, headers: { 'Idempotency-Key': idempotencyKey } });
}

/** Extension: registers a device; the answer carries its MQTT secret, shown this once. */
export function registerDevice(body: {
  device_uid: string;
  name: string;
  kind: DeviceItem['kind'];
  site: string;
}): Promise<DeviceItem & { secret: string; broker_url: string | null }> {
  return callEms(endpoints.createDevice, { body });
}

/** Extension: the device's command history, newest first (the users' commands, not automatic reads). */
export function fetchCommands(uid: string, page = 1): Promise<{ total: number; items: CommandRecord[] }> {
  return callEms(endpoints.commands, { query: { device_uid: uid, page, page_size: 20 } });
}
