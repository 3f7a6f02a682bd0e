import crypto from 'node:crypto';
import net from 'node:net';
import type { Context } from 'koa';

/** SHA-256 of a UTF-8 string: two digests always have the same length, whatever was sent. */
const digest = (s: string): Buffer => crypto.createHash('sha256').update(s, 'utf8').digest();

/**
 * Compares two strings in constant time over their SHA-256 digests (equal-length buffers), so neither
 * a length difference nor multi-byte characters can throw or show how long the expected value is.
 */
export function sameSecret(presented: string, expected: string): boolean {
  return crypto.timingSafeEqual(digest(presented), digest(expected));
}

/** Headers a reverse proxy adds: a request carrying one did not come straight from its sender. */
const PROXY_HEADERS = ['x-forwarded-for', 'x-real-ip', 'forwarded'];

/** The direct peer's address (socket, never a header), IPv4-mapped IPv6 written as IPv4. */
function peerAddress(ctx: Context): string {
  return (ctx.req.socket.remoteAddress ?? '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
}

export interface CallerGateOptions {
  /** The shared secret (unset: only the networks open the gate). */
  secret?: string;
  /** Reads the presented secret from the request (e.g. a Bearer token or a custom header). */
  presented(ctx: Context): string | undefined;
  /** Comma-separated CIDRs whose direct, un-proxied connections pass without the secret; `none` = no network. */
  networks: string;
}

/**
 * Lets a request through when it presents the shared secret, or when it comes straight (no proxy
 * headers) from one of the configured networks — loopback by default. Used for endpoints meant for a
 * co-located component only (the broker's auth hook, the demo's WeChat simulation).
 */
export class CallerGate {
  private readonly networks = new net.BlockList();
  private readonly anyNetwork: boolean;

  constructor(private readonly opts: CallerGateOptions) {
    const cidrs = opts.networks === 'none' ? [] : opts.networks.split(',').map((c) => c.trim());
    for (const cidr of cidrs) {
      const [addr, bits] = cidr.split('/') as [string, string];
      this.networks.addSubnet(addr, Number(bits), net.isIPv6(addr) ? 'ipv6' : 'ipv4');
    }
    this.anyNetwork = cidrs.length > 0;
  }

  allows(ctx: Context): boolean {
    const presented = this.opts.presented(ctx);
    // Compared whether or not a secret is configured, so the timing says nothing either way.
    const matches = sameSecret(presented ?? '', this.opts.secret ?? crypto.randomUUID());
    if (matches && this.opts.secret && presented) return true;
    if (!this.anyNetwork || PROXY_HEADERS.some((h) => ctx.get(h) !== '')) return false;
    const peer = peerAddress(ctx);
    if (!net.isIP(peer)) return false;
    return this.networks.check(peer, net.isIPv6(peer) ? 'ipv6' : 'ipv4');
  }
}

/** A memo of one gate per configuration object (built on first use). */
export function gateFor<C extends object>(build: (config: C) => CallerGate): (config: C) => CallerGate {
  const gates = new WeakMap<C, CallerGate>();
  return (config) => {
    let gate = gates.get(config);
    if (!gate) gates.set(config, (gate = build(config)));
    return gate;
  };
}
