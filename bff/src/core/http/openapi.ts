import { z } from 'zod';
import type { RouteDef } from './route';

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
      responses: {
        200: {
          description: def.successMessage ?? '成功',
          content: def.response
            ? { 'application/json': { schema: this.schema(def.response, 'output') } }
            : undefined,
        },
        400: { description: '参数错误（消息中指明字段与规则）' },
        ...(def.access !== 'public'
          ? { 401: { description: '未登录或令牌已失效' }, 403: { description: '权限不足' } }
          : {}),
        ...(def.rateLimit ? { 429: { description: '请求过于频繁' } } : {}),
        ...Object.fromEntries(Object.entries(def.errors ?? {}).map(([k, v]) => [k, { description: v }])),
      },
    };
    if (def.body) {
      const type = def.bodyType === 'multipart' ? 'multipart/form-data' : 'application/json';
      op.requestBody = { required: true, content: { [type]: { schema: this.schema(def.body, 'input') } } };
    }
    (this.paths[path] ??= {})[def.method] = op;
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
