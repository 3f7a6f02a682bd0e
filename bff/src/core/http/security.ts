import type { Middleware } from 'koa';
import cors from '@koa/cors';
import helmet from 'koa-helmet';

/** Security headers; the CSP allows only our own scripts (the H5 app and the API page are served from here). */
export function securityHeaders(): Middleware {
  return helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
    crossOriginEmbedderPolicy: false,
  }) as unknown as Middleware;
}

/** CORS for the H5 build served from another origin during development. */
export function corsFor(origins: string): Middleware {
  const allowed = new Set(
    origins
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
  );
  return cors({
    origin: (ctx) => {
      const origin = ctx.get('origin');
      return allowed.has('*') || allowed.has(origin) ? origin : '';
    },
    allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
    exposeHeaders: [
      'X-Request-Id',
      'Retry-After',
      'RateLimit-Limit',
      'RateLimit-Remaining',
      'Content-Disposition',
    ],
    maxAge: 600,
  });
}
