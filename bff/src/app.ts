import Koa from 'koa';
import Router from '@koa/router';
import type { AppDeps } from './container';
import { requestContext } from './core/http/request-context';
import { errorBoundary } from './core/http/error-boundary';
import { corsFor, securityHeaders } from './core/http/security';
import { rateLimit } from './core/http/rate-limit';
import { mountRoutes } from './core/http/route';
import { ApiDocs } from './core/http/openapi';
import { serveH5 } from './features/h5/static';
import { isDemoOnlyRoute } from './features/h5/wechat-sim';

/** Builds the Koa app: request context → error boundary → security → global limit → routes. */
export function createApp(deps: AppDeps): { app: Koa; docs: ApiDocs } {
  const app = new Koa();
  app.proxy = deps.config.TRUST_PROXY;
  const docs = new ApiDocs({
    title: '能管通 WattDesk API',
    version: '0.1.0',
    description: '能源管理平台（seed 002）、EMS 无功治理与 BMS 控制（seed 000/001）的接口。错误码见 README。',
  });
  const router = new Router();
  app.context.apiDocs = docs; // served by the docs feature
  const routes = deps.platform.registry.routes().filter((r) => deps.config.WD_DEMO || !isDemoOnlyRoute(r));
  mountRoutes(router, routes, deps, docs);

  app.use(requestContext(deps.log));
  app.use(deps.foreground.middleware()); // background work on the event loop gives way to requests
  app.use(errorBoundary());
  app.use(securityHeaders());
  app.use(corsFor(deps.config.CORS_ORIGINS));
  app.use(
    rateLimit(deps.redis, { bucket: 'global', points: deps.config.RATE_LIMIT_PER_MINUTE, windowSec: 60 }),
  );
  app.use(serveH5()); // the H5 app, for what the API routes leave unanswered
  app.use(router.routes());
  app.use(router.allowedMethods());
  return { app, docs };
}
