import { Redis } from 'ioredis';
import { sql } from 'drizzle-orm';
import { openTestDatabase, startTestApp, testConfig, type TestApp } from '../../../../test/support/app';
import { buildOrg, randomIp } from '../../../../test/support/builders';

// The HTTP core through the real app: limits, CORS, headers, readiness, the API document.

/** Limits count in fixed one-minute windows: start a counting loop with at least 20 s of its window left. */
async function freshWindow(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 20_000) await new Promise((r) => setTimeout(r, left + 50));
}
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('rate limiting', () => {
  it('answers 429 with 4201 and Retry-After once an address passes the global limit', async () => {
    const limited = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: '8' } });
    try {
      await passGlobalLimit(limited);
    } finally {
      await limited.close();
    }
  });

  async function passGlobalLimit(app: TestApp): Promise<void> {
    await freshWindow();
    const ip = randomIp();
    for (let i = 0; i < 8; i++)
      await app.http.get('/api_3/province_city_list').set('X-Forwarded-For', ip).expect(200);
    const res = await app.http.get('/api_3/province_city_list').set('X-Forwarded-For', ip).expect(429);
    expect(res.body.Err_No).toBe('4201');
    const retry = Number(res.headers['retry-after']);
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    expect(res.headers['ratelimit-remaining']).toBe('0');
    // Another address is not affected.
    await app.http.get('/api_3/province_city_list').set('X-Forwarded-For', randomIp()).expect(200);
  }

  it('limits registrations per address (10/min) and registers nothing past the limit', async () => {
    const limited = await startTestApp();
    try {
      const ip = randomIp();
      const register = (n: number) =>
        limited.http
          .post('/api/users')
          .set('X-Forwarded-For', ip)
          .send({
            Usr_Name: `rl_${ip.replace(/\./g, '_')}_${n}`,
            Usr_Password: 'Passw0rd!!',
            Usr_Email: 'r@example.cn',
          });
      await freshWindow();
      for (let i = 0; i < 10; i++) await register(i).expect(200);
      const res = await register(10).expect(429);
      expect(res.body.Err_No).toBe('4201');
      const rows = await limited.deps.database.rows(
        sql`select 1 from users where name = ${`rl_${ip.replace(/\./g, '_')}_10`}`,
      );
      expect(rows).toEqual([]);
    } finally {
      await limited.close();
    }
  });
});

describe('per-user rate limits', () => {
  it('counts a per-user limit (WeChat bind, 20/min) by signed-in user, not by address', async () => {
    const a = await buildOrg(app);
    const b = await buildOrg(app);
    const ip = randomIp();
    const bind = (auth: { Authorization: string }) =>
      app.http.post('/api_3/xcx_info_bind').set(auth).set('X-Forwarded-For', ip).send({});
    await freshWindow();
    for (let i = 0; i < 20; i++) await bind(a.auth).expect(400);
    expect((await bind(a.auth).expect(429)).body.Err_No).toBe('4201');
    await bind(b.auth).expect(400); // same address, another user: not limited
  });
});

describe('unsupported methods', () => {
  it('answers 405 in the path’s envelope, naming the methods the Allow header lists', async () => {
    const api = await app.http.patch('/api/users').expect(405);
    expect(api.body.Err_No).toBe('4201');
    expect(api.body.Err_Msg).toContain('PATCH');
    expect(api.headers.allow).toMatch(/GET/);
    const plain = await app.http.post('/healthz').expect(405);
    expect(plain.body).toMatchObject({ error: 'method_not_allowed' });
  });
});

describe('CORS and security headers', () => {
  it('answers a preflight from the H5 origin with the allowed method and headers', async () => {
    const res = await app.http
      .options('/api/auth')
      .set('Origin', 'http://localhost:10086')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type')
      .expect(204);
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:10086');
    expect(res.headers['access-control-allow-methods']).toMatch(/POST/);
    expect(res.headers['access-control-allow-headers']).toMatch(/Authorization/i);
  });

  it('gives no CORS grant to an origin that is not configured', async () => {
    const res = await app.http
      .options('/api/auth')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('sends the security headers on API answers and errors alike', async () => {
    for (const res of [await app.http.get('/healthz'), await app.http.get('/api/users')]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security']).toBeDefined();
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('echoes a well-formed X-Request-Id and replaces a malformed one', async () => {
    const mine = await app.http.get('/healthz').set('X-Request-Id', 'req_12345678');
    expect(mine.headers['x-request-id']).toBe('req_12345678');
    const bad = await app.http.get('/healthz').set('X-Request-Id', 'bad id\twith spaces');
    expect(bad.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('health and readiness', () => {
  it('reports ready when the database and Redis answer', async () => {
    const res = await app.http.get('/readyz').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', checks: { database: 'ok', redis: 'ok' } });
    expect(Object.values(res.body.checks).every((v) => v === 'ok' || v === 'off')).toBe(true);
    expect((await app.http.get('/healthz').expect(200)).body).toEqual({ status: 'ok' });
  });

  it('reports 503 naming the dependency when Redis is down, while liveness still answers', async () => {
    const config = testConfig();
    const redis = new Redis(config.REDIS_URL, {
      keyPrefix: config.REDIS_KEY_PREFIX,
      maxRetriesPerRequest: 0,
    });
    const broken = await startTestApp({ redis });
    try {
      redis.disconnect(); // Redis "goes away" under a running app
      const res = await broken.http.get('/readyz').expect(503);
      expect(res.body.status).toBe('unavailable');
      expect(res.body.checks.database).toBe('ok');
      expect(res.body.checks.redis).not.toBe('ok');
      await broken.http.get('/healthz').expect(200);
    } finally {
      await broken.close();
    }
  });

  it('reports 503 when the database is gone', async () => {
    const database = await openTestDatabase();
    const broken = await startTestApp({ database });
    try {
      await database.close();
      const res = await broken.http.get('/readyz').expect(503);
      expect(res.body.checks.database).not.toBe('ok');
      expect(res.body.checks.redis).toBe('ok');
    } finally {
      await broken.close();
    }
  });
});

describe('API reference', () => {
  it('documents every issue-2 route, and every documented route is really mounted', async () => {
    const doc = (await app.http.get('/openapi.json').expect(200)).body as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(doc.openapi).toMatch(/^3\./);
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m} ${p}`),
    );
    for (const op of [
      'post /api/auth',
      'delete /api/auth',
      'post /api/users',
      'get /api/users',
      'put /api/users',
      'get /api/org_users',
      'post /api/org_users',
      'put /api/org_users',
      'get /api/audit_logs',
      'get /api/permissions',
      'post /api_3/xcx_info_bind',
      'post /api_3/xcx_login',
      'get /api_3/province_city_list',
      'get /healthz',
      'get /readyz',
      'get /openapi.json',
      'get /docs',
    ])
      expect(documented).toContain(op);
    const user = await buildOrg(app);
    for (const op of documented) {
      const [method, path] = op.split(' ') as [string, string];
      const url = path.replace(/\{([^}]+)\}/g, (_, name: string) => (name === 'asset' ? 'init.js' : '1'));
      const res = await (app.http as any)[method](url).set(user.auth).set('X-Forwarded-For', randomIp());
      const unmounted = res.status === 405 || /接口不存在/.test(JSON.stringify(res.body ?? ''));
      if (unmounted) throw new Error(`documented but not mounted: ${op} → ${res.status}`);
    }
  });

  it('describes answers in their seed envelope: the 002 Data items and the error with Err_Detail', async () => {
    const doc = (await app.http.get('/openapi.json').expect(200)).body;
    const login = doc.paths['/api/auth'].post.responses;
    const ok = login['200'].content['application/json'].schema;
    expect(ok.properties.Err_No).toMatchObject({ type: 'string' });
    expect(ok.properties.Data.items.properties).toHaveProperty('Usr_Token');
    expect(login['400'].content['application/json'].schema.properties).toHaveProperty('Err_Detail');
    expect(login['400'].content['application/json'].schema.properties.Err_No.example).toBe('4103');
    expect(login['429'].content['application/json'].schema.properties.Err_No.example).toBe('4201');
    expect(login['423'].content['application/json'].schema.properties.Err_No.example).toBe('4102');
    const health = doc.paths['/healthz'].get.responses['400'].content['application/json'].schema;
    expect(health.properties).toHaveProperty('error');
    expect(JSON.stringify(doc)).not.toContain('"$schema"');
  });

  it('serves the browsable page with its local assets', async () => {
    const page = await app.http.get('/docs').expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('/docs/init.js');
    const init = await app.http.get('/docs/init.js').expect(200);
    expect(init.text).toContain('/openapi.json');
    await app.http.get('/docs/swagger-ui-bundle.js').expect(200);
  });
});
