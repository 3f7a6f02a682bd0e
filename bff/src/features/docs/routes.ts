import fs from 'node:fs';
import path from 'node:path';
import { route, RAW, type RouteDef } from '../../core/http/route';
import type { ApiDocs } from '../../core/http/openapi';

const swaggerDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
};

const PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>能管通 WattDesk API 文档</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="api"></div>
<script src="/docs/swagger-ui-bundle.js"></script><script src="/docs/init.js"></script></body></html>`;

const INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#api', deepLinking: true, persistAuthorization: true });`;

declare module 'koa' {
  interface DefaultContext {
    /** The app's API document (set by createApp). */
    apiDocs?: ApiDocs;
  }
}

/**
 * The OpenAPI document and a browsable page for it (Swagger UI, served locally): `docs`, or the app's
 * own document from the request context.
 */
export function docsRoutes(docs?: ApiDocs): RouteDef<any, any, any>[] {
  return [
    route({
      method: 'get',
      path: '/openapi.json',
      envelope: 'plain',
      tag: '运维',
      summary: 'OpenAPI 3 文档（由校验用的同一套 schema 生成）',
      access: 'public',
      handler: async ({ deps, ctx }) => (docs ?? ctx.apiDocs)!.document(deps.config.publicUrl),
    }),
    route({
      method: 'get',
      path: '/docs',
      envelope: 'plain',
      tag: '运维',
      summary: 'API 文档页面',
      access: 'public',
      handler: async ({ ctx }) => {
        ctx.type = 'text/html; charset=utf-8';
        ctx.body = PAGE;
        return RAW;
      },
    }),
    route({
      method: 'get',
      path: '/docs/:asset',
      envelope: 'plain',
      tag: '运维',
      summary: 'API 文档页面的静态文件',
      access: 'public',
      handler: async ({ ctx }) => {
        const asset = ctx.params.asset as string;
        if (asset === 'init.js') {
          ctx.type = 'application/javascript; charset=utf-8';
          ctx.body = INIT;
          return RAW;
        }
        const type = ASSETS[asset];
        if (!type) return RAW; // falls through to the boundary's 404
        ctx.type = type;
        ctx.set('Cache-Control', 'public, max-age=86400');
        ctx.body = fs.createReadStream(path.join(swaggerDir, asset));
        return RAW;
      },
    }),
  ];
}
