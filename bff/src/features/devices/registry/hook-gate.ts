import crypto from 'node:crypto';
import net from 'node:net';
import type { Context } from 'koa';
import type { Config } from '@wattdesk/config';

/** SHA-256 of a UTF-8 string: two digests always have the same length, whatever was sent. */
const digest = (s: string): Buffer => crypto.createHash('sha256').update(s, 'utf8').digest();

/**
 * Compares two strings in constant time over their SHA-256 digests (equal-length buffers), so neither
 * a length difference nor multi-byte characters can throw or show how long the expected value is.
 */
export function sameSecret(presented: string, expected: string): boolean {
  return crypto.timingSafeEqual(digest(presented), digest(expected));
}

/** Headers a reverse proxy adds: a request carrying one did not come straight from the broker. */
const PROXY_HEADERS = ['x-forwarded-for', 'x-real-ip', 'forwarded'];

/**
 * Who may ask the broker's auth/ACL/superuser questions over HTTP: a caller presenting
 * `Authorization: Bearer WD_MQTT_HOOK_SECRET`, or a direct (un-proxied) connection from one of
 * `WD_MQTT_HOOK_NETWORKS` (loopback by default). Anyone else gets the broker's ordinary "deny".
 */
export class BrokerHookGate {
  private readonly networks = new net.BlockList();
  private readonly anyNetwork: boolean;

  constructor(
    private readonly secret: string | undefined,
    networks: string,
  ) {
    const cidrs = networks === 'none' ? [] : networks.split(',').map((c) => c.trim());
    for (const cidr of cidrs) {
      const [addr, bits] = cidr.split('/') as [string, string];
      const family = net.isIPv6(addr) ? 'ipv6' : 'ipv4';
      this.networks.addSubnet(addr, Number(bits), family);
    }
    this.anyNetwork = cidrs.length > 0;
  }

  allows(ctx: Context): boolean {
    const header = ctx.get('authorization');
    const bearer = /^Bearer (.+)$/i.exec(header)?.[1];
    // Evaluated whether or not a secret is configured, so the answer's timing says nothing either way.
    const secretOk =
      sameSecret(bearer ?? '', this.secret ?? crypto.randomUUID()) && !!this.secret && !!bearer;
    if (secretOk) return true;
    if (!this.anyNetwork || PROXY_HEADERS.some((h) => ctx.get(h) !== '')) return false;
    const peer = (ctx.req.socket.remoteAddress ?? '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
    if (!net.isIP(peer)) return false;
    return this.networks.check(peer, net.isIPv6(peer) ? 'ipv6' : 'ipv4');
  }
}

const gates = new WeakMap<Config, BrokerHookGate>();

/** The gate for this process's configuration (built once). */
export function hookGate(config: Config): BrokerHookGate {
  let gate = gates.get(config);
  if (!gate) {
    gate = new BrokerHookGate(config.WD_MQTT_HOOK_SECRET, config.WD_MQTT_HOOK_NETWORKS);
    gates.set(config, gate);
  }
  return gate;
}
