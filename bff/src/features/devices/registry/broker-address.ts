import type { Config } from '@wattdesk/config';

/**
 * The broker address a newly registered device is told to use: WD_MQTT_DEVICE_URL when set; an
 * external broker's MQTT_URL without the BFF's own credentials; or the embedded broker on the public
 * host, on the port it actually listens on (`listening`, its local URL: WD_MQTT_PORT=0 picks a free
 * port). Null when the BFF runs without a bus.
 */
export function deviceBrokerUrl(
  config: Config,
  mode: 'embedded' | 'external' | 'off',
  listening?: string | null,
): string | null {
  if (config.WD_MQTT_DEVICE_URL) return config.WD_MQTT_DEVICE_URL;
  if (mode === 'off') return null;
  if (mode === 'external' && config.MQTT_URL) {
    const u = new URL(config.MQTT_URL);
    return `${u.protocol}//${u.host}`;
  }
  const host = config.PUBLIC_URL ? new URL(config.PUBLIC_URL).hostname : 'localhost';
  const port = listening ? new URL(listening).port : String(config.WD_MQTT_PORT);
  return `mqtt://${host}:${port}`;
}
