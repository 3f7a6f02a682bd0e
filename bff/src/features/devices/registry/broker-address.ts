import type { Config } from '@wattdesk/config';

/**
 * The broker address a newly registered device is told to use: WD_MQTT_DEVICE_URL when set; an
 * external broker's MQTT_URL without the BFF's own credentials; or the embedded broker on the public
 * host. Null when the BFF runs without a bus.
 */
export function deviceBrokerUrl(config: Config, mode: 'embedded' | 'external' | 'off'): string | null {
  if (config.WD_MQTT_DEVICE_URL) return config.WD_MQTT_DEVICE_URL;
  if (mode === 'off') return null;
  if (mode === 'external' && config.MQTT_URL) {
    const u = new URL(config.MQTT_URL);
    return `${u.protocol}//${u.host}`;
  }
  const host = config.PUBLIC_URL ? new URL(config.PUBLIC_URL).hostname : 'localhost';
  return `mqtt://${host}:${config.WD_MQTT_PORT}`;
}
