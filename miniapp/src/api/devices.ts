import type {
  BmsControlData,
  CommandRecord,
  DeviceItem,
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

/** 001 GET: the last synced BMS status (no device round trip). */
export function fetchBms(uid: string): Promise<BmsControlData> {
  return callEms<BmsControlData>(endpoints.bmsStatus, { query: { device_uid: uid } });
}

/** 001 PUT /sync: asks the device for its BMS status now. */
export function syncBms(uid: string): Promise<BmsControlData> {
  return callEms<BmsControlData>(endpoints.bmsSync, { query: { device_uid: uid } });
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
export function syncReactive(uid: string): Promise<ReactivePowerControlData> {
  return callEms<ReactivePowerControlData>(endpoints.reactiveSync, { query: { device_uid: uid } });
}

/** 000 POST: sends reactive power settings. */
export function sendReactive(body: ReactivePowerControlBody, idempotencyKey: string): Promise<unknown> {
  return callEms<unknown>(endpoints.reactiveSet, { body, headers: { 'Idempotency-Key': idempotencyKey } });
}

/** Extension: the device's command history, newest first. */
export function fetchCommands(uid: string, page = 1): Promise<{ total: number; items: CommandRecord[] }> {
  return callEms(endpoints.commands, { query: { device_uid: uid, page, page_size: 20 } });
}
