import type { Config } from '@wattdesk/config';
import { CallerGate, gateFor } from '../../../core/http/caller-gate';

/**
 * Who may ask the broker's auth/ACL/superuser questions over HTTP: a caller presenting
 * `Authorization: Bearer WD_MQTT_HOOK_SECRET`, or a direct (un-proxied) connection from one of
 * `WD_MQTT_HOOK_NETWORKS` (loopback by default). Anyone else gets the broker's ordinary "deny".
 */
export const hookGate = gateFor(
  (config: Config) =>
    new CallerGate({
      secret: config.WD_MQTT_HOOK_SECRET,
      presented: (ctx) => /^Bearer (.+)$/i.exec(ctx.get('authorization'))?.[1],
      networks: config.WD_MQTT_HOOK_NETWORKS,
    }),
);
