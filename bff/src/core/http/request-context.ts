import crypto from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from '../../infra/logger';

const SAFE_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** Gives every request an id (a caller's X-Request-Id when well-formed) and logs one line when it ends. */
export function requestContext(log: Logger): Middleware {
  return async function requestContext(ctx, next) {
    const incoming = ctx.get('x-request-id');
    const id = SAFE_ID.test(incoming) ? incoming : crypto.randomUUID();
    ctx.state.requestId = id;
    ctx.state.log = log.child({ reqId: id });
    ctx.set('X-Request-Id', id);
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // Path only: query strings may carry ids users consider private; bodies are never logged.
      ctx.state.log.info(
        {
          method: ctx.method,
          path: ctx.path,
          status: ctx.status,
          ms: Math.round(ms * 10) / 10,
          user: ctx.state.actor?.userId,
        },
        'request',
      );
    }
  };
}
