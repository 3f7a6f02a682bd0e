import { deviceTopic, devicePrefix, parseDeviceTopic } from './topics';

describe('device topics', () => {
  it('builds and parses wd/{uid}/{kind}, rejecting other topics', () => {
    expect(deviceTopic('ems-1', 'rpc/request')).toBe('wd/ems-1/rpc/request');
    expect(devicePrefix('ems-1')).toBe('wd/ems-1/');
    expect(parseDeviceTopic('wd/ems-1/rpc/response')).toEqual({ uid: 'ems-1', kind: 'rpc/response' });
    expect(parseDeviceTopic('wd/gw.2/readings')).toEqual({ uid: 'gw.2', kind: 'readings' });
    for (const t of ['wd/ems-1', 'wd//status', 'wd/ems-1/other', 'xx/ems-1/status', 'wdx/ems-1/status'])
      expect(parseDeviceTopic(t)).toBeNull();
    expect(parseDeviceTopic('t1/ems-1/status', 't1')).toEqual({ uid: 'ems-1', kind: 'status' });
  });
});
