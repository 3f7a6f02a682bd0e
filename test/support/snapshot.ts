import { sql } from 'drizzle-orm';
import type { TestApp } from './app';

/**
 * Everything an accounts/WeChat request could change for some organizations: users, sessions,
 * WeChat bindings and audit entries other than failed logins (which are recorded on purpose).
 * Compare before/after a bad request to prove it changed nothing.
 */
export async function accountsState(app: TestApp, orgIds: number[]): Promise<unknown> {
  const ids = sql.join(
    orgIds.map((id) => sql`${id}`),
    sql`, `,
  );
  const db = app.deps.database;
  return {
    users: await db.rows(
      sql`select id, org_id, name, email, password_hash, role, grants, phone, xcx_title, company, province, city,
            detail_addr, area, locked_until, updated_at from users where org_id in (${ids}) order by id`,
    ),
    sessions: await db.rows(
      sql`select id, revoked_at, expires_at from sessions where org_id in (${ids}) order by id`,
    ),
    wechat: await db.rows(sql`select * from wechat_identities where org_id in (${ids}) order by id`),
    audit: await db.rows(
      sql`select id, action, target from audit_log
          where org_id in (${ids}) and action not in ('login.failure') order by id`,
    ),
    orgs: await db.rows(sql`select count(*)::int as n from organizations`),
  };
}
