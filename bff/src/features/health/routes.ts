import { sql } from 'drizzle-orm';
import { route, type RouteDef } from '../../core/http/route';
import { AppError } from '../../core/errors';

async function check(fn: () => Promise<unknown>, timeoutMs = 2000): Promise<'ok' | string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), timeoutMs))),
    ]);
    return 'ok';
  } catch (err) {
    return (err as Error).message || 'failed';
  } finally {
    clearTimeout(timer);
  }
}

/** Liveness and readiness for orchestrators and load balancers. */
export const healthRoutes: RouteDef<any, any, any>[] = [
  route({
    method: 'get',
    path: '/healthz',
    envelope: 'plain',
    tag: '运维',
    summary: '存活检查（进程在运行）',
    access: 'public',
    handler: async () => ({ status: 'ok' }),
  }),
  route({
    method: 'get',
    path: '/readyz',
    envelope: 'plain',
    tag: '运维',
    summary: '就绪检查（数据库、Redis）',
    access: 'public',
    errors: { 503: '依赖不可用' },
    handler: async ({ deps, ctx }) => {
      const checks = {
        database: await check(() => deps.db.execute(sql`select 1`)),
        redis: await check(() => deps.redis.ping()),
        ...(await deps.extraReadiness()),
      };
      // 'off' is a component this configuration does not run (e.g. MQTT in tests): not a failure;
      // 'ok: …' is ready with a detail (e.g. the demo import's progress).
      const ok = Object.values(checks).every((v) => v === 'ok' || v === 'off' || v.startsWith('ok: '));
      if (deps.shuttingDown()) throw new AppError('internal', 'shutting down');
      ctx.status = ok ? 200 : 503;
      return { status: ok ? 'ok' : 'unavailable', checks };
    },
  }),
];
