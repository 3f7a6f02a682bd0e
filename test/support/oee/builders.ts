import { sql } from 'drizzle-orm';
import type { TestApp } from '../app';
import type { TestUser } from '../builders';

/** Creates an OEE status rule through the API (7.2); returns its id. */
export async function buildOeeRule(
  app: TestApp,
  user: TestUser,
  body: Record<string, unknown>,
): Promise<number> {
  const res = await app.http
    .post('/api_3/OEE_status_rules')
    .set(user.auth)
    .send({
      Rule_Name: `规则${Math.random().toString(36).slice(2, 7)}`,
      ...body,
    });
  if (res.status !== 200) throw new Error(`buildOeeRule: ${res.status} ${JSON.stringify(res.body)}`);
  return Number(res.body.Data[0].id);
}

/** Everything OEE keeps for some organizations' machines, to prove a refused request changed nothing. */
export async function oeeState(app: TestApp, orgIds: number[]): Promise<unknown> {
  const ids = sql.join(
    orgIds.map((id) => sql`${id}`),
    sql`, `,
  );
  const db = app.deps.database;
  const machines = sql`(select id from machines where org_id in (${ids}))`;
  return {
    rules: await db.rows(sql`select * from oee_rules where org_id in (${ids}) order by id`),
    settings: await db.rows(sql`select * from oee_settings where org_id in (${ids}) order by machine_id`),
    rates: await db.rows(sql`select * from oee_ideal_rates where org_id in (${ids}) order by id`),
    points: await db.rows(sql`select count(*)::int as n from oee_points where machine_id in ${machines}`),
    runs: await db.rows(
      sql`select * from oee_runs where machine_id in ${machines} order by machine_id, start_ts`,
    ),
  };
}
