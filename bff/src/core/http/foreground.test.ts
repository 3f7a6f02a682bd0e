import Koa from 'koa';
import request from 'supertest';
import { Foreground } from './foreground';

/** A Koa app whose `/hold` answers only when the test releases it. */
function appWith(fg: Foreground) {
  const app = new Koa();
  app.use(fg.middleware());
  let release: () => void = () => undefined;
  const held = () => new Promise<void>((r) => (release = r));
  app.use(async (ctx) => {
    if (ctx.path === '/hold') await held();
    if (ctx.path === '/boom') throw new Error('boom');
    ctx.body = 'ok';
  });
  return { server: app.listen(0), release: () => release() };
}

test('quiet() waits while a request is in flight and resolves when it is answered', async () => {
  const fg = new Foreground();
  const { server, release } = appWith(fg);
  try {
    const later = new Promise((r) => setTimeout(() => r('pending'), 1000));
    await expect(Promise.race([fg.quiet(10_000).then(() => 'quiet'), later])).resolves.toBe('quiet');
    const held = request(server)
      .get('/hold')
      .then((r) => r.status);
    while (!fg.busy) await new Promise((r) => setImmediate(r));
    let isQuiet = false;
    const q = fg.quiet(10_000).then(() => (isQuiet = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(isQuiet).toBe(false);
    release();
    await q;
    expect([isQuiet, await held, fg.busy]).toEqual([true, 200, false]);
    // A failing request is counted out too.
    expect((await request(server).get('/boom')).status).toBe(500);
    expect(fg.busy).toBe(false);
  } finally {
    server.close();
  }
});

test('quiet() gives up after its bound, so background work is slowed by requests but never stopped', async () => {
  const fg = new Foreground();
  const { server, release } = appWith(fg);
  try {
    const held = request(server)
      .get('/hold')
      .then((r) => r.status);
    while (!fg.busy) await new Promise((r) => setImmediate(r));
    await fg.quiet(5); // resolves although the request is still open
    expect(fg.busy).toBe(true);
    release();
    expect(await held).toBe(200);
  } finally {
    server.close();
  }
});

test('quiet() with a grace waits until no request was answered for that long', async () => {
  const fg = new Foreground();
  const { server } = appWith(fg);
  try {
    expect((await request(server).get('/x')).status).toBe(200);
    // Timers fire in the order of their due times: a 20 ms timer set now fires before a 100 ms grace ends.
    const order: string[] = [];
    setTimeout(() => order.push('20 ms later'), 20);
    await fg.quiet(10_000, 100).then(() => order.push('quiet'));
    expect(order).toEqual(['20 ms later', 'quiet']);
  } finally {
    server.close();
  }
});
