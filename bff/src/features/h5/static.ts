import fs from 'node:fs';
import path from 'node:path';
import type { Middleware } from 'koa';

/** Where the H5 build of the mini-program lands (`npm run build:h5 -w miniapp`). */
export const defaultH5Dir = path.resolve(__dirname, '../../../../miniapp/dist/h5');

/** Paths that belong to the API: never answered with the app, so unknown API paths stay a 404 envelope. */
const API_PREFIXES = [
  '/api',
  '/api_3',
  '/wad',
  '/platform',
  '/h5_demo',
  '/docs',
  '/openapi.json',
  '/healthz',
  '/readyz',
];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

const MISSING_PAGE = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>能管通</title></head>
<body><h1>H5 应用尚未构建</h1><p>请运行 <code>npm run build:h5 -w miniapp</code>（或重新执行 <code>npm start</code>）。</p>
<p>API 文档：<a href="/docs">/docs</a></p></body></html>`;

/** True when `p` is an API path (or below one), which the app must never shadow. */
export function isApiPath(p: string): boolean {
  return API_PREFIXES.some((prefix) => p === prefix || p.startsWith(`${prefix}/`));
}

/** The file under `root` that a URL path names, or null when it escapes `root` or is not a file. */
function fileFor(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const full = path.resolve(root, `.${path.posix.normalize(decoded)}`);
  if (full !== root && !full.startsWith(`${root}${path.sep}`)) return null;
  try {
    return fs.statSync(full).isFile() ? full : null;
  } catch {
    return null;
  }
}

/**
 * Serves the H5 app after the API routes had their turn: its static files (hashed names cached for a
 * year), and `index.html` for any other page URL a browser asks for (the app routes in the browser).
 * API paths, non-GET requests and non-HTML requests fall through to the usual 404 envelope.
 */
export function serveH5(root: string = defaultH5Dir): Middleware {
  const dir = path.resolve(root);
  return async function serveH5(ctx, next) {
    await next();
    if (ctx.body !== undefined || ctx.status !== 404) return;
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || isApiPath(ctx.path)) return;
    const file = ctx.path === '/' ? null : fileFor(dir, ctx.path);
    if (file) {
      ctx.type = TYPES[path.extname(file)] ?? 'application/octet-stream';
      const hashed = /\.[0-9a-f]{8}\.(js|css)$/.test(file);
      ctx.set('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      ctx.status = 200;
      ctx.body = fs.createReadStream(file);
      return;
    }
    if (path.extname(ctx.path) || !ctx.get('accept').includes('text/html')) return;
    const index = path.join(dir, 'index.html');
    ctx.status = 200;
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = fs.existsSync(index) ? fs.createReadStream(index) : MISSING_PAGE;
  };
}
