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

/**
 * Every row an organization owns, in every table, found from the catalog (so tables added later by other
 * features are covered): tables with an `org_id` column by it, tables with a `meter_id` column through
 * the organization's meters, plus the organization row and the number of organizations. Compare
 * before/after bad requests to prove they changed nothing. Sessions' and failed logins' bookkeeping
 * (last use, failed-login audit) is left out: recording them is the point.
 */
export async function orgState(app: TestApp, orgId: number): Promise<Record<string, unknown>> {
  const db = app.deps.database;
  const tables = await db.rows<{ name: string; has_org: boolean; has_meter: boolean }>(sql`
    select c.relname as name,
           bool_or(a.attname = 'org_id') as has_org,
           bool_or(a.attname = 'meter_id') as has_meter
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace and n.nspname = current_schema()
    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
    where c.relkind in ('r', 'p') and not c.relispartition
    group by c.relname
    order by c.relname`);
  const out: Record<string, unknown> = {
    organizations: await db.rows(sql`select count(*)::int as n from organizations`),
    organization: await db.rows(sql`select to_jsonb(o) as row from organizations o where id = ${orgId}`),
  };
  for (const t of tables) {
    const table = sql.identifier(t.name);
    let where;
    if (t.has_org) where = sql`t.org_id = ${orgId}`;
    else if (t.has_meter) where = sql`t.meter_id in (select id from meters where org_id = ${orgId})`;
    else continue;
    if (t.name === 'audit_log') where = sql`${where} and t.action not like 'login.%'`;
    const rows = await db.rows<{ row: Record<string, unknown> }>(
      sql`select to_jsonb(t) as row from ${table} t where ${where} order by to_jsonb(t)::text`,
    );
    out[t.name] =
      t.name === 'sessions'
        ? rows.map(({ row }) => ({ id: row.id, revoked_at: row.revoked_at, expires_at: row.expires_at }))
        : rows.map((r) => r.row);
  }
  return out;
}
