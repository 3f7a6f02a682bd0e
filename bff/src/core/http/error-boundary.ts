import type { Middleware } from 'koa';
import { AppError } from '../errors';
import { presentError, type EnvelopeKind } from './envelope';

/** The envelope for a path, used before (or without) a matched route. */
export function envelopeForPath(path: string): EnvelopeKind {
  if (path.startsWith('/api/') || path.startsWith('/api_3/') || path === '/api' || path === '/api_3')
    return '002';
  if (path.startsWith('/wad/ems/')) return 'ems';
  if (path.startsWith('/platform/')) return 'charging';
  return 'plain';
}

/** Maps errors thrown by middleware that is not ours (body parser, router) to typed errors. */
function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = err as { status?: number; type?: string; message?: string; code?: string | number };
  if (e?.status === 413 || e?.type === 'entity.too.large' || e?.code === 1009 || e?.code === 1016) {
    return new AppError('payload_too_large', '请求体过大', { rule: '超过大小限制' });
  }
  // formidable (multipart uploads) errors carry a numeric code 1000–1099 and an httpCode.
  const multipart = e as { httpCode?: number; code?: number };
  if (typeof multipart?.code === 'number' && multipart.code >= 1000 && multipart.code < 1100) {
    const rule =
      multipart.code === 1015
        ? '一次最多上传一个文件'
        : multipart.code === 1007
          ? '表单字段过多'
          : 'multipart/form-data 格式错误';
    return new AppError('validation', `body: ${rule}`, { field: 'body', rule });
  }
  if (e?.type === 'entity.parse.failed' || (e?.status === 400 && /JSON/i.test(e.message ?? ''))) {
    return new AppError('validation', '请求体不是合法的 JSON', { field: 'body', rule: 'JSON 格式' });
  }
  if (e?.status === 415 || e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    return new AppError('validation', '不支持的请求体编码', { field: 'body', rule: 'Content-Type' });
  }
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500 && typeof e.message === 'string') {
    return new AppError('validation', e.message);
  }
  return new AppError('internal');
}

/** The one error boundary: every error leaves in its seed's envelope; 5xx details go to the log only. */
export function errorBoundary(): Middleware {
  return async function errorBoundary(ctx, next) {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined)
        throw new AppError('not_found', `接口不存在：${ctx.method} ${ctx.path}`);
      // The router answers a known path with an unsupported method by a bare 405 (and an Allow header).
      if (ctx.status === 405 && ctx.body === undefined)
        throw new AppError(
          'method_not_allowed',
          `${ctx.path} 不支持 ${ctx.method}，可用：${ctx.response.get('Allow')}`,
          {
            rule: `Allow: ${ctx.response.get('Allow')}`,
          },
        );
    } catch (err) {
      const appErr = toAppError(err);
      const log = ctx.state.log ?? console;
      if (appErr.reportable) log.error({ err }, 'request failed');
      else log.debug?.({ kind: appErr.kind, details: appErr.details }, 'request rejected');
      const envelope: EnvelopeKind = ctx.state.envelope ?? envelopeForPath(ctx.path);
      ctx.status = appErr.status;
      ctx.body = presentError(envelope, appErr, ctx.state.requestId ?? '-');
    }
  };
}
