import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { HttpMethodEnum, koaBody } from 'koa-body';
import { z } from 'zod';
import { AppError } from '../errors';
import { requireActor, type Actor } from '../auth/actor';
import { rateLimit, type RateLimitRule } from './rate-limit';
import { presentSuccess, type EnvelopeKind } from './envelope';
import type { ApiDocs } from './openapi';
import type { AppDeps } from '../../container';

/** Who may call a route: anyone, any signed-in user, or a user holding one permission. */
export type Access = 'public' | 'session' | { permission: string };

type HandlerArgs<Q extends z.ZodType, B extends z.ZodType, A extends Access> = {
  query: z.output<Q>;
  body: z.output<B>;
  actor: A extends 'public' ? Actor | undefined : Actor;
  ctx: Context;
  deps: AppDeps;
};

/** One HTTP endpoint: its contract (schemas, access, limits) and a thin handler that calls a service. */
export interface RouteDef<
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  A extends Access = Access,
> {
  method: 'get' | 'post' | 'put' | 'delete' | 'patch';
  path: string;
  envelope: EnvelopeKind;
  summary: string;
  description?: string;
  tag: string;
  access: A;
  query?: Q;
  body?: B;
  /** Shape of one `Data` item (002) or of `data` (000/001/004); documentation only. */
  response?: z.ZodType;
  /** Message in the success envelope (000/001 show one per operation). */
  successMessage?: string;
  rateLimit?: RateLimitRule;
  /** `multipart` for file uploads (limited to UPLOAD_LIMIT_KB); `raw` leaves the body unread. */
  bodyType?: 'json' | 'multipart' | 'raw';
  /**
   * Fields (by name, at any depth) whose text may span lines: tab, line feed and carriage return are
   * allowed there. Every other C0 control character and DEL is refused in every string and key.
   */
  multiline?: readonly string[];
  /** Extra documented answers, e.g. `{ 404: '设备不存在' }`. */
  errors?: Record<number, string>;
  /** Returns the data to wrap in the envelope; set `ctx.body` yourself and return `RAW` for files. */
  handler: (args: HandlerArgs<Q, B, A>) => Promise<unknown>;
}

/** Returned by a handler that wrote `ctx.body` itself (files, redirects). */
export const RAW = Symbol('raw-response');

/** Typed constructor so each route's handler sees the types inferred from its schemas. */
export function route<
  Q extends z.ZodType = z.ZodUndefined,
  B extends z.ZodType = z.ZodUndefined,
  A extends Access = Access,
>(def: RouteDef<Q, B, A>): RouteDef<Q, B, A> {
  return def;
}

/** Turns zod issues into a 400 naming the first offending field and its rule. */
export function validationError(error: z.ZodError, where: 'query' | 'body'): AppError {
  const issue = error.issues[0]!;
  let field = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    field = [...issue.path.map(String), issue.keys.join(',')].filter(Boolean).join('.');
    return new AppError('validation', `${field}: 不允许的字段`, { field, rule: '不允许的字段', where });
  }
  if (!field) field = where;
  return new AppError('validation', `${field}: ${issue.message}`, { field, rule: issue.message, where });
}

/** Always refused in text: NUL and the other C0 controls except tab/LF/CR, and DEL. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const LINE_BREAK = /[\t\n\r]/;
export const CONTROL_RULE = '不能包含控制字符（U+0000–U+001F、U+007F）';

/**
 * The one check for control characters in request text, run before any schema: walks every string and
 * key of the query or body (any depth, arrays too) and refuses the first bad one, naming its path.
 * PostgreSQL refuses NUL in text and jsonb, and no field of ours means anything by the others.
 */
export function checkControlCharacters(
  value: unknown,
  where: 'query' | 'body',
  multiline: readonly string[] = [],
): void {
  const stack: { v: unknown; path: string[] }[] = [{ v: value, path: [] }];
  const bad = (text: string, path: string[]) => {
    const name = path[path.length - 1] ?? '';
    return CONTROL.test(text) || (LINE_BREAK.test(text) && !multiline.includes(name));
  };
  while (stack.length) {
    const { v, path } = stack.pop()!;
    let refused: string[] | null = null;
    if (typeof v === 'string') {
      if (bad(v, path)) refused = path;
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => stack.push({ v: x, path: [...path, String(i)] }));
    } else if (v && typeof v === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(v))) {
      for (const [k, x] of Object.entries(v)) {
        if (CONTROL.test(k) || LINE_BREAK.test(k)) refused = [...path, JSON.stringify(k).slice(1, -1)];
        else stack.push({ v: x, path: [...path, k] });
        if (refused) break;
      }
    }
    if (refused) {
      const field = refused.join('.') || where;
      throw new AppError('validation', `${field}: ${CONTROL_RULE}`, { field, rule: CONTROL_RULE, where });
    }
  }
}

function parseWith<S extends z.ZodType>(
  schema: S | undefined,
  value: unknown,
  where: 'query' | 'body',
): z.output<S> {
  if (!schema) return undefined as z.output<S>;
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, where);
  return result.data;
}

function bodyParser(def: RouteDef, deps: AppDeps): Middleware | undefined {
  if (def.bodyType === 'raw' || def.method === 'get') return undefined;
  const limit = `${deps.config.BODY_LIMIT_KB}kb`;
  if (def.bodyType === 'multipart') {
    return koaBody({
      multipart: true,
      urlencoded: false,
      json: false,
      text: false,
      // Empty files and a second file reach the schema, which refuses them naming the field; more than
      // two files, or more than 20 fields, are refused by the parser (400, see error-boundary.ts).
      formidable: {
        maxFileSize: deps.config.UPLOAD_LIMIT_KB * 1024,
        maxFiles: 2,
        maxFields: 20,
        allowEmptyFiles: true,
        minFileSize: 0,
      },
    });
  }
  return koaBody({
    json: true,
    urlencoded: true,
    text: false,
    multipart: false,
    jsonLimit: limit,
    formLimit: limit,
    jsonStrict: true,
    parsedMethods: [HttpMethodEnum.POST, HttpMethodEnum.PUT, HttpMethodEnum.PATCH, HttpMethodEnum.DELETE],
  });
}

/** Query values arrive as strings (or arrays for repeated keys); a repeated key is a caller error. */
function queryObject(ctx: Context): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(ctx.query)) {
    if (Array.isArray(value))
      throw new AppError('validation', `${key}: 参数重复`, { field: key, rule: '参数重复' });
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** Mounts route definitions on a router and documents them. Each becomes: limit → auth → parse → validate → handler → present. */
export function mountRoutes(
  router: Router,
  defs: RouteDef<any, any, any>[],
  deps: AppDeps,
  docs: ApiDocs,
): void {
  for (const def of defs) {
    docs.add(def);
    const chain: Middleware[] = [];
    chain.push(async function useEnvelope(ctx, next) {
      ctx.state.envelope = def.envelope;
      await next();
    });
    // A per-user limit needs the actor, so it runs after authentication; a per-IP one runs first.
    const perUser = def.rateLimit?.by === 'user' && def.access !== 'public';
    if (def.rateLimit && !perUser) chain.push(rateLimit(deps.redis, def.rateLimit));
    if (def.access !== 'public') chain.push(requireActor(deps, def.access));
    if (def.rateLimit && perUser) chain.push(rateLimit(deps.redis, def.rateLimit));
    const parser = bodyParser(def, deps);
    if (parser) chain.push(parser);
    chain.push(async function handle(ctx) {
      const rawQuery = queryObject(ctx);
      const rawBody = (ctx.request as { body?: unknown }).body;
      // Seed 002 does not say whether DELETE/POST parameters travel in the query or the body:
      // a route with only a query schema accepts them in either.
      const queryInput =
        def.query &&
        !def.body &&
        def.method !== 'get' &&
        rawBody &&
        typeof rawBody === 'object' &&
        !Array.isArray(rawBody)
          ? { ...rawQuery, ...(rawBody as Record<string, unknown>) }
          : rawQuery;
      checkControlCharacters(queryInput, 'query', def.multiline);
      if (def.bodyType !== 'raw') checkControlCharacters(rawBody, 'body', def.multiline);
      const query = parseWith(def.query ?? z.strictObject({}), queryInput, 'query');
      const body = def.body
        ? parseWith(
            def.body,
            def.bodyType === 'multipart' ? { ...(rawBody as object), ...ctx.request.files } : (rawBody ?? {}),
            'body',
          )
        : undefined;
      const result = await def.handler({ query, body, actor: ctx.state.actor, ctx, deps });
      if (result === RAW) return;
      ctx.body = presentSuccess(def.envelope, result, def.successMessage);
    });
    router.register(def.path, [def.method.toUpperCase()], chain, { name: `${def.method} ${def.path}` });
  }
}
