import dns from 'node:dns/promises';
import net from 'node:net';

/** Why a callback URL was refused (shown to the operator, names no internal detail). */
export class CallbackUrlRefused extends Error {}

export interface UrlPolicy {
  /** Plain http:// allowed (demo mode, tests, closed networks). */
  allowHttp: boolean;
  /** CIDRs allowed although loopback / link-local / private. */
  allowedNetworks: string[];
  /**
   * OperatorIds whose callbacks may also go to this machine's loopback (127.0.0.0/8, ::1): demo mode's
   * simulated operator only, whose callback server runs beside the BFF. Empty outside demo mode.
   */
  loopbackOperators?: string[];
}

/** Loopback, as the demo operator's extra allowance. */
const LOOPBACK = ['127.0.0.0/8', '::1/128'];

/** The policy of the charging callbacks from the configuration: demo mode lets only its own operator call loopback. */
export function callbackPolicyOf(
  o: { demo: boolean; allowHttp: boolean; allowedNetworks: string },
  demoOperatorId: string,
): UrlPolicy {
  return {
    allowHttp: o.demo || o.allowHttp,
    allowedNetworks: allowedNetworksOf(o.allowedNetworks),
    loopbackOperators: o.demo ? [demoOperatorId] : [],
  };
}

/** The policy for one operator's callback URLs (loopback added only for a listed operator). */
export function policyFor(policy: UrlPolicy, operatorId: string): UrlPolicy {
  return policy.loopbackOperators?.includes(operatorId)
    ? { ...policy, allowedNetworks: [...policy.allowedNetworks, ...LOOPBACK] }
    : policy;
}

/** A URL that passed the checks, with the addresses its host resolved to (all of them allowed). */
export interface CheckedUrl {
  url: URL;
  addresses: { address: string; family: 4 | 6 }[];
}

export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

const systemResolver: Resolver = (host) => dns.lookup(host, { all: true, verbatim: true });

/**
 * Addresses an operator must not make the platform call: this host, its networks and the special ranges
 * (RFC 6890): "this network", private, shared (CGNAT), loopback, link-local (cloud metadata), benchmarking,
 * documentation, multicast, reserved, and their IPv6 counterparts; IPv4-mapped IPv6 is checked as IPv4.
 */
const BLOCKED: [string, number, 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.0.2.0', 24, 'ipv4'],
  ['192.88.99.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['198.51.100.0', 24, 'ipv4'],
  ['203.0.113.0', 24, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['64:ff9b::', 96, 'ipv6'],
  ['64:ff9b:1::', 48, 'ipv6'],
  ['100::', 64, 'ipv6'],
  ['2001::', 23, 'ipv6'],
  ['2001:db8::', 32, 'ipv6'],
  ['2002::', 16, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['fec0::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];

const blocked = new net.BlockList();
for (const [a, p, f] of BLOCKED) blocked.addSubnet(a, p, f);

/** Parses `CHARGING_CALLBACK_ALLOWED_NETWORKS` (throws on a bad entry, so boot fails loudly). */
export function allowedNetworksOf(raw: string): string[] {
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const cidr of list) {
    const [addr, bits] = cidr.split('/');
    const family = net.isIP(addr ?? '');
    const n = Number(bits);
    if (!family || !Number.isInteger(n) || n < 0 || n > (family === 4 ? 32 : 128))
      throw new Error(`CHARGING_CALLBACK_ALLOWED_NETWORKS: "${cidr}" is not a CIDR (e.g. 10.8.0.0/16)`);
  }
  return list;
}

function allowList(networks: string[]): net.BlockList {
  const list = new net.BlockList();
  for (const cidr of networks) {
    const [addr, bits] = cidr.split('/') as [string, string];
    list.addSubnet(addr, Number(bits), net.isIP(addr) === 4 ? 'ipv4' : 'ipv6');
  }
  return list;
}

/** The IPv4 address inside an IPv4-mapped / -compatible IPv6 address (`::ffff:10.0.0.1`), if any. */
function embeddedIpv4(address: string): string | null {
  const m = /^::(?:ffff:(?:0:)?)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (m) return m[1]!;
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return null;
  const hi = parseInt(hex[1]!, 16);
  const lo = parseInt(hex[2]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** Whether the platform may connect to this address under the policy. */
export function addressAllowed(address: string, allowed: net.BlockList): boolean {
  const v4 = net.isIP(address) === 6 ? embeddedIpv4(address) : null;
  const [addr, family] = v4
    ? [v4, 'ipv4' as const]
    : [address, net.isIP(address) === 4 ? ('ipv4' as const) : ('ipv6' as const)];
  if (!net.isIP(addr)) return false;
  if (allowed.check(addr, family)) return true;
  return !blocked.check(addr, family);
}

/**
 * Checks a callback URL before it is saved and again before every call: absolute http(s) URL (https unless
 * the policy allows http), no credentials, and every address its host resolves to allowed — a name that
 * resolves to one public and one private address is refused, so DNS cannot steer a call inside.
 * The caller connects to one of the returned addresses (no second lookup: no DNS rebinding).
 */
export async function checkCallbackUrl(
  raw: string,
  policy: UrlPolicy,
  resolve: Resolver = systemResolver,
): Promise<CheckedUrl> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CallbackUrlRefused('不是有效的网址');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp))
    throw new CallbackUrlRefused(policy.allowHttp ? '只支持 http 或 https 网址' : '必须是 https 网址');
  if (url.username || url.password) throw new CallbackUrlRefused('网址不能包含用户名或密码');
  if (url.hash) throw new CallbackUrlRefused('网址不能包含 # 片段');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) throw new CallbackUrlRefused('网址缺少主机名');
  const allowed = allowList(policy.allowedNetworks);
  let addresses: { address: string; family: number }[];
  if (net.isIP(host)) addresses = [{ address: host, family: net.isIP(host) }];
  else {
    try {
      addresses = await resolve(host);
    } catch {
      throw new CallbackUrlRefused('域名无法解析');
    }
    if (!addresses.length) throw new CallbackUrlRefused('域名无法解析');
  }
  for (const a of addresses)
    if (!addressAllowed(a.address, allowed)) throw new CallbackUrlRefused('不允许回调到本机或内网地址');
  return { url, addresses: addresses.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 })) };
}
