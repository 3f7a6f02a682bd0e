import type { Context } from 'koa';
import type { RequestOrigin } from '../../features/accounts/service';

/** Where a request came from, for audit records. */
export const originOf = (ctx: Context): RequestOrigin => ({
  ip: ctx.ip,
  userAgent: ctx.get('user-agent') || undefined,
});

/** Seed paging: pages 0 and 1 are both the first page. */
export function pageOf(q: { Per_Page_Counts?: number; Page_Counts?: number }): {
  limit: number;
  offset: number;
} {
  const limit = q.Per_Page_Counts ?? 10;
  const page = Math.max(1, q.Page_Counts ?? 1);
  return { limit, offset: (page - 1) * limit };
}
