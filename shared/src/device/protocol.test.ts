import { parseDeviceStatus } from './protocol';

describe('device status payloads', () => {
  it('accepts the bare strings of protocol v1 and the object with a session ts', () => {
    expect(parseDeviceStatus('online')).toEqual({ status: 'online' });
    expect(parseDeviceStatus(' "offline" ')).toEqual({ status: 'offline' });
    expect(parseDeviceStatus('{"status":"online","ts":1763700000000}')).toEqual({
      status: 'online',
      ts: 1763700000000,
    });
  });

  it('refuses anything else', () => {
    for (const bad of [
      '',
      'up',
      '{"status":"online"}',
      '{"status":"gone","ts":1}',
      '{"status":"online","ts":-1}',
      '{',
    ])
      expect(parseDeviceStatus(bad)).toBeUndefined();
  });
});
