/**
 * Seed 004 operator authentication, reusable by every feature that serves operators (the charging
 * feature's own routes, the callback routes of charging-callbacks).
 *
 *   Signature = base64( HMAC-SHA256( key = operator secret, "datetime: <Datetime>\noperatorid: <OperatorId>\ntoken: <Token>" ) )
 *
 * `GET /platform/management/operatorAPIToken` signs with an empty token and answers a token valid for
 * CHARGING_TOKEN_TTL_SEC (default 7200 s = 2 h); asking again before expiry renews (a new token, the old
 * one stays valid until its own expiry). Every other call sends Datetime, OperatorId, Token, Signature.
 * The signature covers no body and no nonce, so two honest requests in one second sign alike and are
 * both accepted: what limits a replay is the Datetime window (CHARGING_CLOCK_SKEW_SEC, default 300 s)
 * and the token's lifetime, which is why the API must only be offered over TLS.
 *
 * Refusals (HTTP 401, envelope `{status: 401, message, data: {field, code}}`, codes after T/CEC 102 Ret):
 *   4003 a header is missing or malformed (Datetime not `yyyy-MM-dd HH:mm:ss`)
 *   4010 Datetime more than the window from the server clock
 *   4005 unknown OperatorId
 *   4001 wrong Signature
 *   4002 Token unknown, of another operator, or expired
 */
import crypto from 'node:crypto';
import { and, eq, gt, lt } from 'drizzle-orm';
import type { Context } from 'koa';
import type { z } from 'zod';
import { AppError } from '../../core/errors';
import { route, type RouteDef } from '../../core/http/route';
import { parseLocal } from '../../core/time';
import type { Db } from '../../infra/db/client';
import type { Clock } from '../../infra/clock';
import type { SecretBox } from '../../infra/secret-box';
import { chargingOperatorTokens, chargingOperators } from './tables';

/** The authenticated operator of a request. */
export interface ChargingOperator {
  /** charging_operators.id */
  pk: number;
  /** The OperatorId header value. */
  operatorId: string;
  orgId: number;
  site: string;
  name: string;
}

/** The four headers of seed 004 (Token empty for the token request). */
export interface OperatorHeaders {
  datetime: string;
  operatorId: string;
  token: string;
  signature: string;
}

/** The exact string seed 004 signs. */
export const signingString = (datetime: string, operatorId: string, token: string): string =>
  `datetime: ${datetime}\noperatorid: ${operatorId}\ntoken: ${token}`;

/** base64(HMAC-SHA256(secret, signingString(...))). */
export function signOperatorRequest(
  secret: string,
  datetime: string,
  operatorId: string,
  token: string,
): string {
  return crypto
    .createHmac('sha256', secret)
    .update(signingString(datetime, operatorId, token), 'utf8')
    .digest('base64');
}

/** Reads the seed's headers from a request (missing ones as empty strings). */
export function operatorHeaders(ctx: Context): OperatorHeaders {
  return {
    datetime: ctx.get('datetime'),
    operatorId: ctx.get('operatorid'),
    token: ctx.get('token'),
    signature: ctx.get('signature'),
  };
}

/** Documented refusal codes (in `data.code`). */
export const OperatorAuthCodes = {
  malformed: 4003,
  clock: 4010,
  unknownOperator: 4005,
  signature: 4001,
  token: 4002,
} as const;

const refuse = (code: number, field: string, message: string) =>
  new AppError('unauthenticated', message, { field, code });

const sha256 = (s: string) => crypto.createHash('sha256').update(s, 'utf8').digest('hex');

const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const OPERATOR_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const TOKEN = /^[A-Za-z0-9_-]{16,128}$/;

export interface OperatorAuthOptions {
  tokenTtlSec: number;
  /**
   * How long (wall-clock ms) a verified (OperatorId, Token) → operator lookup is reused without asking the
   * database (default 5000; 0 = never). The signature, header and Datetime checks still run on every call,
   * and the token's own expiry is checked against the clock on every call; a rotation or deletion in this
   * process forgets every entry at once (another BFF process keeps its entries at most this long).
   */
  cacheMs?: number;
  clockSkewSec: number;
  /** Time zone of the Datetime header (the site's; default Asia/Shanghai). */
  timeZone: string;
}

interface Verified {
  operator: ChargingOperator;
  secret: string;
  /** The token's expiry, epoch ms (checked against the clock on each use). */
  tokenExpiresAt: number;
  /** performance.now() after which the entry is looked up again. */
  until: number;
}

/** At most this many cached lookups (cleared when full: a flood of tokens cannot grow memory). */
const CACHE_MAX = 20_000;

/** Issues tokens and authenticates operator requests. */
export class OperatorAuth {
  /** Verified lookups by `OperatorId \n sha256(Token)`; only successes are kept. */
  private readonly verified = new Map<string, Verified>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly box: SecretBox,
    readonly options: OperatorAuthOptions,
  ) {}

  /** Checks the token request's signature (empty token) and issues a new token. */
  async issueToken(
    h: OperatorHeaders,
  ): Promise<{ token: string; expiresAt: Date; operator: ChargingOperator }> {
    const { operator, secret } = await this.checkCommon(h, false);
    this.checkSignature(secret, h, '');
    const token = crypto.randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.options.tokenTtlSec * 1000);
    await this.db.transaction(async (tx) => {
      // Expired tokens of this operator are dropped on the way (the table stays small).
      await tx
        .delete(chargingOperatorTokens)
        .where(
          and(eq(chargingOperatorTokens.operatorPk, operator.pk), lt(chargingOperatorTokens.expiresAt, now)),
        );
      await tx
        .insert(chargingOperatorTokens)
        .values({ tokenHash: sha256(token), operatorPk: operator.pk, expiresAt });
    });
    return { token, expiresAt, operator };
  }

  /** Forgets every cached lookup (a secret rotated, tokens revoked or an operator deleted). */
  forget(): void {
    this.verified.clear();
  }

  /** Authenticates a call carrying all four headers; throws a 401 with a documented code otherwise. */
  async authenticate(h: OperatorHeaders): Promise<ChargingOperator> {
    const { operator, secret, tokenValid } = await this.checkCommon(h, true);
    this.checkSignature(secret, h, h.token);
    if (!tokenValid)
      throw refuse(
        OperatorAuthCodes.token,
        'Token',
        'Token 无效或已过期，请重新调用 /platform/management/operatorAPIToken 获取',
      );
    return operator;
  }

  private async checkCommon(h: OperatorHeaders, needToken: boolean) {
    if (!h.datetime) throw refuse(OperatorAuthCodes.malformed, 'Datetime', '缺少请求头 Datetime');
    if (!h.operatorId) throw refuse(OperatorAuthCodes.malformed, 'OperatorId', '缺少请求头 OperatorId');
    if (needToken && !h.token) throw refuse(OperatorAuthCodes.malformed, 'Token', '缺少请求头 Token');
    if (!h.signature) throw refuse(OperatorAuthCodes.malformed, 'Signature', '缺少请求头 Signature');
    if (!DATETIME.test(h.datetime))
      throw refuse(OperatorAuthCodes.malformed, 'Datetime', 'Datetime 格式必须为 yyyy-MM-dd HH:mm:ss');
    if (!OPERATOR_ID.test(h.operatorId))
      throw refuse(OperatorAuthCodes.unknownOperator, 'OperatorId', '运营商不存在');
    if (needToken && !TOKEN.test(h.token))
      throw refuse(
        OperatorAuthCodes.token,
        'Token',
        'Token 无效或已过期，请重新调用 /platform/management/operatorAPIToken 获取',
      );
    const at = parseLocal(h.datetime, this.options.timeZone);
    if (!at) throw refuse(OperatorAuthCodes.malformed, 'Datetime', 'Datetime 不是有效的时间');
    const skew = Math.abs(at.getTime() - this.clock.now().getTime());
    if (skew > this.options.clockSkewSec * 1000)
      throw refuse(
        OperatorAuthCodes.clock,
        'Datetime',
        `Datetime 与服务器时间相差超过 ${Math.round(this.options.clockSkewSec / 60)} 分钟（时区 ${this.options.timeZone}）`,
      );
    const tokenHash = needToken ? sha256(h.token) : '';
    const key = `${h.operatorId}\n${tokenHash}`;
    const cacheMs = this.options.cacheMs ?? 5000;
    if (needToken && cacheMs > 0) {
      const c = this.verified.get(key);
      if (c && c.until > performance.now() && c.tokenExpiresAt > this.clock.now().getTime())
        return { operator: c.operator, secret: c.secret, tokenValid: true };
      if (c) this.verified.delete(key);
    }
    // One round trip: the operator and, for a call, whether its token is valid now.
    const [hit] = await this.db
      .select({
        row: chargingOperators,
        tokenPk: chargingOperatorTokens.operatorPk,
        tokenExpiresAt: chargingOperatorTokens.expiresAt,
      })
      .from(chargingOperators)
      .leftJoin(
        chargingOperatorTokens,
        and(
          eq(chargingOperatorTokens.tokenHash, tokenHash),
          eq(chargingOperatorTokens.operatorPk, chargingOperators.id),
          gt(chargingOperatorTokens.expiresAt, this.clock.now()),
        ),
      )
      .where(eq(chargingOperators.operatorId, h.operatorId))
      .limit(1);
    const row = hit?.row;
    if (!row) throw refuse(OperatorAuthCodes.unknownOperator, 'OperatorId', '运营商不存在');
    const operator: ChargingOperator = {
      pk: row.id,
      operatorId: row.operatorId,
      orgId: row.orgId,
      site: row.site,
      name: row.name,
    };
    const secret = this.box.open<string>(row.secretEnc);
    const tokenValid = hit?.tokenPk != null;
    if (needToken && tokenValid && cacheMs > 0 && hit.tokenExpiresAt) {
      if (this.verified.size >= CACHE_MAX) this.verified.clear();
      this.verified.set(key, {
        operator,
        secret,
        tokenExpiresAt: hit.tokenExpiresAt.getTime(),
        until: performance.now() + cacheMs,
      });
    }
    return { operator, secret, tokenValid };
  }

  private checkSignature(secret: string, h: OperatorHeaders, token: string): void {
    const expected = Buffer.from(signOperatorRequest(secret, h.datetime, h.operatorId, token), 'utf8');
    const given = Buffer.from(h.signature.trim(), 'utf8');
    if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given))
      throw refuse(OperatorAuthCodes.signature, 'Signature', '签名错误');
  }
}

type OperatorHandlerArgs<Q extends z.ZodType, B extends z.ZodType> = {
  query: z.output<Q>;
  body: z.output<B>;
  operator: ChargingOperator;
  ctx: Context;
};

/** A seed 004 route: the charging envelope, documented headers, the operator authenticated before the handler. */
export type OperatorRouteDef<Q extends z.ZodType, B extends z.ZodType> = Omit<
  RouteDef<Q, B, 'public'>,
  'handler' | 'access' | 'envelope'
> & { handler: (args: OperatorHandlerArgs<Q, B>) => Promise<unknown> };

export const OPERATOR_AUTH_HELP =
  '请求头 Datetime（yyyy-MM-dd HH:mm:ss，站点时区，与服务器时间相差不超过 5 分钟）、OperatorId、Token、' +
  'Signature = base64(HMAC-SHA256(运营商密钥, "datetime: <Datetime>\\noperatorid: <OperatorId>\\ntoken: <Token>"))。' +
  '签名不含请求体：必须经 TLS 调用。鉴权失败 status 401，data.code：4003 请求头缺失或格式错误、4010 时间偏差过大、' +
  '4005 运营商不存在、4001 签名错误、4002 Token 无效或过期。';

/** Builds a RouteDef for an operator endpoint guarded by `auth`. */
export function operatorRoute<Q extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined>(
  auth: OperatorAuth,
  def: OperatorRouteDef<Q, B>,
): RouteDef<Q, B, 'public'> {
  const { handler, ...rest } = def;
  return route<Q, B, 'public'>({
    ...rest,
    envelope: 'charging',
    access: 'public',
    description: [def.description, OPERATOR_AUTH_HELP].filter(Boolean).join('\n\n'),
    errors: { 401: '鉴权失败（data.code 见说明）', ...def.errors },
    handler: async ({ query, body, ctx }) => {
      const operator = await auth.authenticate(operatorHeaders(ctx));
      ctx.state.chargingOperator = operator;
      return handler({ query, body, operator, ctx });
    },
  });
}
