import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Koa from 'koa';
import request from 'supertest';
import { serveH5 } from './static';

// A tiny stand-in H5 build, so these tests do not depend on `npm run build:h5`.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wd-h5-'));
fs.mkdirSync(path.join(dir, 'js'));
fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>能管通</title>');
fs.writeFileSync(path.join(dir, 'js', 'app.0123abcd.js'), 'console.log(1)');
fs.writeFileSync(path.join(os.tmpdir(), 'wd-h5-secret.txt'), 'secret');

/** The middleware alone, after an "API" that answers /api/known. */
function appWithH5() {
  const app = new Koa();
  app.use(serveH5(dir));
  app.use(async (ctx, next) => {
    if (ctx.path === '/api/known') ctx.body = { ok: true };
    else await next();
  });
  return request(app.callback());
}

const html = { Accept: 'text/html,application/xhtml+xml' };

test('a page URL opened in a browser gets index.html, so the app can route in the browser', async () => {
  const res = await appWithH5().get('/pages/home/index').set(html).expect(200);
  expect(res.headers['content-type']).toContain('text/html');
  expect(res.headers['cache-control']).toBe('no-cache');
  expect(res.text).toContain('能管通');
});

test('hashed assets are served with a year of caching', async () => {
  const res = await appWithH5().get('/js/app.0123abcd.js').expect(200);
  expect(res.headers['content-type']).toContain('javascript');
  expect(res.headers['cache-control']).toContain('immutable');
});

test('API paths are never shadowed: an unknown API path stays unanswered for the API 404', async () => {
  const http = appWithH5();
  await http.get('/api/known').set(html).expect(200, { ok: true });
  for (const p of [
    '/api/nope',
    '/api_3/nope',
    '/wad/ems/v1/api/nope',
    '/docs/x',
    '/openapi.json',
    '/healthz',
    '/readyz',
    '/h5_demo/x',
  ]) {
    await http.get(p).set(html).expect(404);
  }
});

test('non-GET requests, non-HTML requests and missing asset files get no fallback page', async () => {
  const http = appWithH5();
  await http.post('/pages/home/index').set(html).expect(404);
  await http.get('/pages/home/index').set('Accept', 'application/json').expect(404);
  await http.get('/js/missing.js').set(html).expect(404);
});

test('paths that climb out of the build directory are refused', async () => {
  const http = appWithH5();
  for (const p of ['/../wd-h5-secret.txt', '/%2e%2e/wd-h5-secret.txt', '/js/..%2f..%2fwd-h5-secret.txt']) {
    const res = await http.get(p);
    expect(res.text ?? '').not.toContain('secret');
  }
});
