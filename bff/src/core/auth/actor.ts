import type { Middleware } from 'koa';
import type { Role } from '@wattdesk/shared';
import { AppError, forbidden } from '../errors';
import type { AppDeps } from '../../container';

/** The authenticated caller. Every query a service runs is scoped by `orgId`. */
export interface Actor {
  userId: number;
  userName: string;
  orgId: number;
  role: Role;
  permissions: ReadonlySet<string>;
  sessionId: string;
}

/** Resolves a bearer token to an actor; implemented by the accounts feature. */
export interface Authenticator {
  authenticate(token: string): Promise<Actor | null>;
}

/** Reads `Authorization: Bearer <token>`. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+([A-Za-z0-9_\-.~+/=]{16,512})$/i.exec(header.trim());
  return m ? m[1]! : null;
}

/** Requires a valid session, and a permission when one is named. */
export function requireActor(deps: AppDeps, access: 'session' | { permission: string }): Middleware {
  return async function authenticated(ctx, next) {
    const token = bearerToken(ctx.get('authorization'));
    if (!token) throw new AppError('unauthenticated', '用户未登录：缺少 Authorization: Bearer 令牌');
    const actor = await deps.auth.authenticate(token);
    if (!actor) throw new AppError('unauthenticated', '登录已失效，请重新登录');
    if (typeof access === 'object' && !actor.permissions.has(access.permission))
      throw forbidden(access.permission);
    ctx.state.actor = actor;
    await next();
  };
}
