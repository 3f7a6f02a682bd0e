import {
  callbackPolicyOf,
  CallbackUrlRefused,
  checkCallbackUrl,
  policyFor,
  type Resolver,
  type UrlPolicy,
} from './url-policy';

const strict: UrlPolicy = { allowHttp: false, allowedNetworks: [] };
const resolverOf =
  (map: Record<string, string[]>): Resolver =>
  async (host) =>
    (map[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
const dns = resolverOf({
  'operator.example.com': ['203.0.114.10'],
  'inside.example.com': ['10.1.2.3'],
  'mixed.example.com': ['203.0.114.10', '192.168.1.20'],
  'rebind.example.com': ['::ffff:127.0.0.1'],
  'v6.example.com': ['2400:da00::6666'],
});
const refused = (url: string, policy = strict) =>
  expect(checkCallbackUrl(url, policy, dns)).rejects.toBeInstanceOf(CallbackUrlRefused);

describe('callback URL checks', () => {
  it('accepts https to public addresses (by name and literal) and answers the addresses to connect to', async () => {
    await expect(checkCallbackUrl('https://operator.example.com/cb', strict, dns)).resolves.toMatchObject({
      addresses: [{ address: '203.0.114.10', family: 4 }],
    });
    await expect(checkCallbackUrl('https://v6.example.com/cb', strict, dns)).resolves.toBeTruthy();
    await expect(checkCallbackUrl('https://8.8.8.8/cb', strict, dns)).resolves.toBeTruthy();
  });

  it.each([
    'https://127.0.0.1/cb',
    'https://localhost/cb',
    'https://10.0.0.5/cb',
    'https://172.16.3.4/cb',
    'https://192.168.0.1/cb',
    'https://169.254.169.254/latest/meta-data',
    'https://100.64.0.1/cb',
    'https://0.0.0.0/cb',
    'https://[::1]/cb',
    'https://[fe80::1]/cb',
    'https://[fd00::1]/cb',
    'https://[::ffff:10.0.0.1]/cb',
    'https://[::ffff:7f00:1]/cb',
    'https://inside.example.com/cb',
    'https://mixed.example.com/cb',
    'https://rebind.example.com/cb',
    'https://unknown.example.com/cb',
  ])('refuses %s (loopback, link-local, private, or a name resolving there)', async (url) => {
    await refused(url);
  });

  it('refuses http outside demo mode, credentials, other schemes and non-URLs', async () => {
    await refused('http://operator.example.com/cb');
    await refused('https://user:pw@operator.example.com/cb');
    await refused('ftp://operator.example.com/cb');
    await refused('file:///etc/passwd');
    await refused('not a url');
  });

  it('lets a configured network through, and http only when allowed', async () => {
    const policy = { allowHttp: true, allowedNetworks: ['10.1.0.0/16'] };
    await expect(checkCallbackUrl('http://inside.example.com/cb', policy, dns)).resolves.toBeTruthy();
    await refused('http://10.2.0.1/cb', policy);
    await refused('http://mixed.example.com/cb', policy);
  });

  it("lets only demo mode's own operator call loopback; outside demo mode loopback stays refused for it too", async () => {
    const config = { allowHttp: false, allowedNetworks: '' };
    const demo = callbackPolicyOf({ ...config, demo: true }, 'DEMO-OP');
    const local = 'http://127.0.0.1:41234/cb';
    await expect(checkCallbackUrl(local, policyFor(demo, 'DEMO-OP'), dns)).resolves.toBeTruthy();
    await expect(
      checkCallbackUrl('http://[::1]:41234/cb', policyFor(demo, 'DEMO-OP'), dns),
    ).resolves.toBeTruthy();
    // Loopback only: the demo operator still cannot reach private networks, nor another operator loopback.
    await refused('http://10.0.0.5/cb', policyFor(demo, 'DEMO-OP'));
    await refused(local, policyFor(demo, 'OTHER-OP'));
    const production = callbackPolicyOf({ ...config, demo: false }, 'DEMO-OP');
    expect(production).toEqual({ allowHttp: false, allowedNetworks: [], loopbackOperators: [] });
    await refused('https://127.0.0.1:41234/cb', policyFor(production, 'DEMO-OP'));
    await refused('https://localhost/cb', policyFor(production, 'DEMO-OP'));
  });
});
