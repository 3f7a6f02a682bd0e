import type { Middleware } from 'koa';
import type { Redis } from 'ioredis';
import { AppError } from '../errors';

/** A fixed-window limit: at most `points` requests per `windowSec` per key. */
export interface RateLimitRule {
  bucket: string;
  points: number;
  windowSec: number;
  /** What a request is counted by; default the client IP. */
  by?: 'ip' | 'user';
}

/**
 * Counts with one atomic INCR (+ PEXPIRE on the first hit), so concurrent requests cannot race past
 * the limit the way a read-then-write check would.
 */
const SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('PTTL', KEYS[1])}
`;

/** Redis-backed limiter; over the limit answers 429 (002 code 4201) with Retry-After. */
export function rateLimit(redis: Redis, rule: RateLimitRule): Middleware {
  return async function rateLimited(ctx, next) {
    const who = rule.by === 'user' && ctx.state.actor ? `u${ctx.state.actor.userId}` : ctx.ip;
    const key = `rl:${rule.bucket}:${who}:${Math.floor(Date.now() / (rule.windowSec * 1000))}`;
    let counted: [number, number];
    try {
      counted = (await redis.eval(SCRIPT, 1, key, String(rule.windowSec * 1000))) as [number, number];
    } catch (err) {
      // Redis down: serve unlimited rather than fail every request (health checks included); /readyz says 503.
      ctx.state.log?.warn({ err: (err as Error).message, bucket: rule.bucket }, 'rate limit skipped');
      return next();
    }
    const [count, ttl] = counted;
    ctx.set('RateLimit-Limit', String(rule.points));
    ctx.set('RateLimit-Remaining', String(Math.max(0, rule.points - count)));
    if (count > rule.points) {
      const retry = Math.max(1, Math.ceil(ttl / 1000));
      ctx.set('Retry-After', String(retry));
      throw new AppError('rate_limited', `请求过于频繁，请 ${retry} 秒后再试`, {
        rule: `${rule.points} 次/${rule.windowSec} 秒`,
      });
    }
    await next();
  };
}
