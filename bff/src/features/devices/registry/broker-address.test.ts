import { loadConfig } from '@wattdesk/config';
import { deviceBrokerUrl } from './broker-address';

describe('the broker address shown when a device is registered', () => {
  it('is the embedded broker on the public host', () => {
    const c = loadConfig({ PUBLIC_URL: 'https://ems.example.com', WD_MQTT_PORT: '1900' });
    expect(deviceBrokerUrl(c, 'embedded')).toBe('mqtt://ems.example.com:1900');
  });
  it('names the port the embedded broker really listens on when WD_MQTT_PORT=0 chose a free one', () => {
    const c = loadConfig({ PUBLIC_URL: 'https://ems.example.com', WD_MQTT_PORT: '0' });
    expect(deviceBrokerUrl(c, 'embedded', 'mqtt://127.0.0.1:41883')).toBe('mqtt://ems.example.com:41883');
  });
  it('never carries the BFF’s own broker credentials', () => {
    const c = loadConfig({ MQTT_URL: 'mqtt://wd-bff:very-secret-password@broker.example.com:1883' });
    const shown = deviceBrokerUrl(c, 'external');
    expect(shown).toBe('mqtt://broker.example.com:1883');
    expect(shown).not.toContain('secret');
  });
  it('is the configured device address when set, and null without a bus', () => {
    expect(
      deviceBrokerUrl(loadConfig({ WD_MQTT_DEVICE_URL: 'mqtts://iot.example.com:8883' }), 'embedded'),
    ).toBe('mqtts://iot.example.com:8883');
    expect(deviceBrokerUrl(loadConfig({}), 'off')).toBeNull();
  });
});
