import { z } from 'zod';
import type { RouteDef } from './route';
import { errorEnvelope, successEnvelope } from './openapi-envelopes';

/** Documents every mounted route from the same zod schemas that validate it (OpenAPI 3.0). */
export class ApiDocs {
  private readonly paths: Record<string, Record<string, unknown>> = {};

  constructor(private readonly info: { title: string; version: string; description: string }) {}

  add(def: RouteDef<any, any, any>): void {
    const path = def.path.replace(/:(\w+)/g, '{$1}');
    const op: Record<string, unknown> = {
      tags: [def.tag],
      summary: def.summary,
      description: def.description,
      security: def.access === 'public' ? [] : [{ bearer: [] }],
      'x-permission': typeof def.access === 'object' ? def.access.permission : undefined,
      'x-envelope': def.envelope,
      parameters: def.query ? this.parameters(def.query, def.method === 'get' ? 'query' : 'query') : [],
      responses: this.responses(def),
    };
    if (def.body) {
      const type = def.bodyType === 'multipart' ? 'multipart/form-data' : 'application/json';
      op.requestBody = { required: true, content: { [type]: { schema: this.schema(def.body, 'input') } } };
    }
    (this.paths[path] ??= {})[def.method] = op;
  }

  /** Every answer in the route's envelope: the documented item inside the success envelope, errors in theirs. */
  private responses(def: RouteDef<any, any, any>): Record<string, unknown> {
    const error = (description: string, status: number) => ({
      description,
      content: { 'application/json': { schema: errorEnvelope(def.envelope, status) } },
    });
    const item = def.response ? (this.schema(def.response, 'output') as Record<string, unknown>) : undefined;
    const success = successEnvelope(def.envelope, item);
    return {
      200: {
        description: def.successMessage ?? '成功',
        content: success ? { 'application/json': { schema: success } } : undefined,
      },
      400: error('参数错误（消息中指明字段与规则）', 400),
      ...(def.access !== 'public'
        ? { 401: error('未登录或令牌已失效', 401), 403: error('权限不足', 403) }
        : {}),
      ...(def.rateLimit ? { 429: error('请求过于频繁（Retry-After 指明等待秒数）', 429) } : {}),
      ...Object.fromEntries(Object.entries(def.errors ?? {}).map(([k, v]) => [k, error(v, Number(k))])),
    };
  }

  private schema(schema: z.ZodType, io: 'input' | 'output'): unknown {
    return z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'openapi-3.0' });
  }

  private parameters(schema: z.ZodType, where: 'query'): unknown[] {
    const json = this.schema(schema, 'input') as {
      properties?: Record<string, unknown>;
      required?: string[];
    };
    return Object.entries(json.properties ?? {}).map(([name, s]) => ({
      name,
      in: where,
      required: json.required?.includes(name) ?? false,
      schema: s,
    }));
  }

  /** The OpenAPI document. */
  document(serverUrl: string): unknown {
    return {
      openapi: '3.0.3',
      info: this.info,
      servers: [{ url: serverUrl }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: '登录（/api/auth）返回的 Usr_Token' },
        },
      },
      paths: this.paths,
    };
  }
}
