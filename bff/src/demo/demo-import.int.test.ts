import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { openTestDatabase, startTestApp, type TestApp } from '../../../test/support/app';
import { eventually } from '../../../test/support/devices';
import type { Database } from '../infra/db/client';
import { DEMO_PASSWORD, demoDataPartWith } from './demo-data';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());

/** Signs the demo user in once per app; then reads the import status (002 Data[0]). */
const tokens = new WeakMap<TestApp, string>();
async function status(app: TestApp, user: string) {
  let token = tokens.get(app);
  if (!token) {
    const auth = await app.http
      .post('/api/auth')
      .send({ Usr_Name: user, Usr_Password: DEMO_PASSWORD })
      .expect(200);
    token = auth.body.Data[0].Usr_Token as string;
    tokens.set(app, token);
  }
  const res = await app.http
    .get('/api_3/demo_import_status')
    .set({ Authorization: `Bearer ${token}` })
    .expect(200);
  return res.body.Data[0] as {
    State: string;
    Progress: number;
    Imported: number;
    Total: number;
    Finish_Time: string;
  };
}

/** Readings stored for the organization, and whether each meter's rollups hold exactly its deltas. */
async function stored(orgId: number) {
  const [r] = await database.rows<{ n: number; dup: number }>(sql`
    select count(*)::int as n, (count(*) - count(distinct (r.meter_id, r.ts)))::int as dup
    from readings r join meters m on m.id = r.meter_id where m.org_id = ${orgId}`);
  const off = await database.rows<{ id: number }>(sql`
    select m.id from meters m
    left join (select meter_id, sum(delta) as d from readings group by meter_id) r on r.meter_id = m.id
    left join (select meter_id, sum(amount) as a from energy_day group by meter_id) e on e.meter_id = m.id
    where m.org_id = ${orgId} and not m.is_handwork and not m.is_virtual
      and abs(coalesce(r.d, 0) - coalesce(e.a, 0)) > 1e-6`);
  return { ...r!, inconsistent: off.length };
}

describe('demo readings import', () => {
  it('reports its progress, resumes after a stop mid-import, and reports completion', async () => {
    const user = `demo_${crypto.randomBytes(4).toString('hex')}`;
    const part = demoDataPartWith({ days: 10, steelIntervals: 96, user });
    const first = await startTestApp({ database, env: { WD_DEMO: 'true' } });
    await part.start(first.container);
    part.background!(first.container);
    // Progress is visible while it runs; /readyz stays ready and says how far it is.
    const running = await eventually(async () => {
      const s = await status(first, user);
      return s.State === 'importing' && s.Imported > 0 && s;
    }, 60_000);
    expect(running.Progress).toBeLessThan(100);
    expect(running.Progress).toBe(Math.floor((running.Imported / running.Total) * 100));
    const ready = await first.http.get('/readyz').expect(200);
    expect(ready.body.checks.demo_import).toMatch(/^ok: importing \d+% /);
    const orgId = (await first.deps.accounts.userByName(user))!.orgId;
    // Stopped mid-import (the shutdown aborts between slices and records where it stopped).
    await first.close();
    const [row] = await database.rows<{ state: string; done: number; total: number }>(
      sql`select state, done, total from demo_imports where org_id = ${orgId}`,
    );
    expect(row!.state).toBe('readings');
    expect(row!.done).toBeLessThan(row!.total);
    const partial = await stored(orgId);
    expect(partial.n).toBeLessThan(row!.total);

    // The next start resumes where it stopped and finishes: every reading once, rollups consistent.
    const second = await startTestApp({ database });
    try {
      const lines = await part.start(second.container);
      expect(lines.join('\n')).toContain('继续');
      part.background!(second.container);
      const done = await eventually(async () => {
        const s = await status(second, user);
        return s.State === 'done' && s;
      }, 120_000);
      expect(done).toMatchObject({ Progress: 100, Imported: row!.total, Total: row!.total });
      expect(done.Finish_Time).not.toBe('');
      expect(await stored(orgId)).toEqual({ n: row!.total, dup: 0, inconsistent: 0 });
      // A start after completion imports nothing more.
      expect((await part.start(second.container)).join('\n')).toContain('演示数据已存在');
    } finally {
      await second.close();
    }
  }, 240_000);

  it('answers State none for an organization without a demo import', async () => {
    const app = await startTestApp({ database });
    try {
      const name = `org_${crypto.randomBytes(4).toString('hex')}`;
      await app.http
        .post('/api/users')
        .set('X-Forwarded-For', '10.9.9.9')
        .send({
          Usr_Name: name,
          Usr_Password: DEMO_PASSWORD,
          Usr_Email: `${name}@example.cn`,
          Usr_Company: name,
        })
        .expect(200);
      const auth = await app.http
        .post('/api/auth')
        .send({ Usr_Name: name, Usr_Password: DEMO_PASSWORD })
        .expect(200);
      const res = await app.http
        .get('/api_3/demo_import_status')
        .set({ Authorization: `Bearer ${auth.body.Data[0].Usr_Token}` })
        .expect(200);
      expect(res.body.Data[0]).toMatchObject({ State: 'none', Progress: 100 });
      await app.http.get('/api_3/demo_import_status').expect(401);
    } finally {
      await app.close();
    }
  });
});
